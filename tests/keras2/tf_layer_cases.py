"""Seeded random cases of the convolution, pooling, core, activation, reshaping and merging
layers, run by real tf.keras 2.21 (the oracle).

Run under the TensorFlow venv (imports only tensorflow/tf_keras/numpy/pickle; TensorFlow only
when run as a script, so that the torch-side test can import the case counts):

    python tf_layer_cases.py OUT.pkl [--family F]

Families: conv, pool, core, activation, reshape, merge. Every case is drawn from
`numpy.random.RandomState(seed)` with a seed fixed by its family and index, so the list of cases
is the same on every run. Each case is a dict

    {"id", "family", "class_name", "kwargs", "call", "call_kwargs", "inputs", "weights",
     "output", "mask", "error"}

`kwargs` are JSON-able constructor arguments (tf.keras 2's names). `call` is "single"
(`layer(inputs[0])`) or "list" (`layer(inputs)`, the merge layers). `weights` are the layer's
weights, drawn at random (so biases are not zero); `mask` is Masking's `compute_mask`; `error`
is the name of the exception tf.keras raised, else None.

A Conv3D or 3D pooling 'same' case whose stride exceeds its window by 2 or more runs as 'valid'
on the input padded by TensorFlow's documented amounts (`same_padding_3d` says why).

TensorFlow's CPU kernels have no NCHW convolution or pooling: a `channels_first` case of those
layers runs the channels_last layer (with a linear activation) on the transposed input, and the
output is transposed back before the case's activation is applied to it, as the layer would in
NCHW (an activation reducing over an axis, softmax, sees the channels_first layout).
"""

import pickle
import sys

import numpy as np

FAMILIES = {"conv": 260, "pool": 150, "core": 80, "activation": 130, "reshape": 165,
            "merge": 120, "int": 30, "alias": 57, "misc": 40}
_FAMILY_SEED = {name: 70000 + 1000 * i for i, name in enumerate(FAMILIES)}

# Every activation name tf.keras 2.21's `activations.get` knows.
ACTIVATIONS = ["relu", "relu6", "leaky_relu", "sigmoid", "hard_sigmoid", "tanh", "softmax",
               "log_softmax", "elu", "selu", "gelu", "silu", "swish", "softplus", "softsign",
               "exponential", "mish", "linear"]
DATA_FORMATS = ["channels_last", "channels_first"]

# tf.keras 2's other names of the same classes (tf_keras.layers.<alias> is <class>).
ALIASES = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "Convolution1DTranspose": "Conv1DTranspose", "Convolution2DTranspose": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose", "SeparableConvolution1D": "SeparableConv1D",
    "SeparableConvolution2D": "SeparableConv2D", "MaxPool1D": "MaxPooling1D",
    "MaxPool2D": "MaxPooling2D", "MaxPool3D": "MaxPooling3D", "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D", "AvgPool3D": "AveragePooling3D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D", "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalMaxPool3D": "GlobalMaxPooling3D", "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D", "GlobalAvgPool3D": "GlobalAveragePooling3D",
}

# Layers whose channels_first form TensorFlow's CPU kernels cannot run.
NHWC_ONLY = ("Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
             "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D",
             "DepthwiseConv2D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
             "AveragePooling1D", "AveragePooling2D", "AveragePooling3D")
NHWC_ONLY += tuple(a for a, c in ALIASES.items() if c in NHWC_ONLY)


def choice(rs, options):
    return options[rs.randint(len(options))]


def normal(rs, *shape, scale=1.0):
    return (rs.standard_normal(shape) * scale).astype("float32")


def case(class_name, kwargs, inputs, call="single"):
    return {"class_name": class_name, "kwargs": kwargs, "inputs": list(inputs), "call": call,
            "call_kwargs": {}}


def ints(rs, low, high, n, as_tuple_prob=0.5):
    """An int or a tuple of n ints in [low, high)."""
    if rs.rand() < as_tuple_prob:
        return [int(v) for v in rs.randint(low, high, size=n)]
    return int(rs.randint(low, high))


def spatial_input(rs, rank, data_format, channels, low=3, high=8):
    high = high if rank < 3 else min(high, 6)
    batch = rs.randint(1, 3)
    dims = [int(d) for d in rs.randint(low, high, size=rank)]
    shape = [batch] + dims + [channels] if data_format == "channels_last" else \
        [batch, channels] + dims
    return normal(rs, *shape)


def activation(rs, p=0.5):
    return choice(rs, ACTIVATIONS) if rs.rand() < p else None


# ---------------------------------------------------------------------------- conv
CONV_CLASSES = ["Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
                "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D",
                "DepthwiseConv2D"]


def gen_conv(rs, index):
    if index == 0:  # a 3D input to Conv2D
        return case("Conv2D", {"filters": 2, "kernel_size": 3}, [normal(rs, 2, 5, 3)])
    if index == 1:  # a kernel larger than the input, no padding
        return case("Conv1D", {"filters": 2, "kernel_size": 6}, [normal(rs, 1, 4, 2)])
    if index == 2:  # causal padding outside Conv1D
        return case("Conv2D", {"filters": 2, "kernel_size": 2, "padding": "causal"},
                    [normal(rs, 1, 4, 4, 2)])
    if index == 3:
        return case("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2,
                                        "output_padding": 2}, [normal(rs, 1, 4, 4, 2)])
    if index == 4:
        return case("SeparableConv2D", {"filters": 2, "kernel_size": 2},
                    [normal(rs, 1, 4, 4)])
    name = CONV_CLASSES[index % len(CONV_CLASSES)]
    rank = int(name[name.index("Conv") + 4])
    data_format = choice(rs, DATA_FORMATS)
    channels = int(rs.randint(1, 5))
    kw = {}
    if not name.startswith("Depthwise"):
        kw["filters"] = int(rs.randint(1, 5))
    kw["kernel_size"] = ints(rs, 1, 4, rank)
    if rs.rand() < 0.5:
        # (TensorFlow's depthwise kernel takes only equal strides along height and width)
        equal = name.startswith(("Separable", "Depthwise"))
        kw["strides"] = ints(rs, 1, 4, rank, as_tuple_prob=0.2 if equal else 0.5)
        if equal and isinstance(kw["strides"], list):
            kw["strides"] = [kw["strides"][0]] * rank
    padding = choice(rs, ["valid", "same"] + (["causal"] if name == "Conv1D" else []))
    kw["padding"] = padding
    if rs.rand() < 0.75 or rank > 1:
        kw["data_format"] = data_format
    else:
        data_format = "channels_last"
    strides = kw.get("strides", 1)
    unit_strides = strides == 1 or (isinstance(strides, list) and set(strides) == {1})
    # (TensorFlow's CPU kernels have no dilated transposed convolution)
    if unit_strides and not name.endswith("Transpose") and rs.rand() < 0.4:
        kw["dilation_rate"] = ints(rs, 1, 3, rank)
    if name.endswith("Transpose") and not unit_strides and rs.rand() < 0.5:
        s = [strides] * rank if isinstance(strides, int) else strides
        kw["output_padding"] = [int(rs.randint(0, v)) for v in s]
    if name.startswith(("Separable", "Depthwise")) and rs.rand() < 0.6:
        kw["depth_multiplier"] = int(rs.randint(1, 4))
    if name in ("Conv1D", "Conv2D", "Conv3D") and rs.rand() < 0.2:
        groups = int(choice(rs, [2, 3]))
        kw["groups"] = groups
        kw["filters"] = groups * int(rs.randint(1, 3))
        channels = groups * int(rs.randint(1, 3))
    act = activation(rs)
    if act is not None:
        kw["activation"] = act
    if rs.rand() < 0.3:
        kw["use_bias"] = False
    x = spatial_input(rs, rank, data_format, channels, low=2 if rank == 3 else 3)
    return case(name, kw, [x])


# ---------------------------------------------------------------------------- pool
POOL_CLASSES = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
                "AveragePooling2D", "AveragePooling3D", "MaxPooling2D", "AveragePooling2D",
                "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
                "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D"]


def gen_pool(rs, index):
    if index == 0:
        return case("MaxPooling2D", {"pool_size": 2}, [normal(rs, 2, 4, 3)])
    if index == 1:  # a window larger than the input, no padding
        return case("AveragePooling1D", {"pool_size": 5}, [normal(rs, 1, 3, 2)])
    if index == 2:
        return case("GlobalAveragePooling2D", {}, [normal(rs, 2, 3, 4)])
    name = POOL_CLASSES[index % len(POOL_CLASSES)]
    rank = int(name[name.index("D") - 1])
    data_format = choice(rs, DATA_FORMATS)
    channels = int(rs.randint(1, 4))
    x = spatial_input(rs, rank, data_format, channels, low=2 if rank == 3 else 3,
                      high=8 if rank < 3 else 6)
    kw = {"data_format": data_format}
    if name.startswith("Global"):
        if rs.rand() < 0.4:
            kw["keepdims"] = True
        return case(name, kw, [x])
    kw["pool_size"] = ints(rs, 1, 4, rank)
    if rs.rand() < 0.7:
        kw["strides"] = ints(rs, 1, 4, rank)
    kw["padding"] = choice(rs, ["valid", "same"])
    return case(name, kw, [x])


# ---------------------------------------------------------------------------- core
EINSUM = [  # equation, output shape from (batch, t, d) -> kernel dims, bias axes
    ("ab,bc->ac", lambda t, u, v: [u], [None, "c"], 2),
    ("abc,cd->abd", lambda t, u, v: [t, u], [None, "d"], 3),
    ("abc,cd->abd", lambda t, u, v: [None, u], [None, "d"], 3),
    ("abc,cde->abde", lambda t, u, v: [t, u, v], [None, "e", "de"], 3),
    ("abc,bcd->ad", lambda t, u, v: [u], [None, "d"], 3),
    ("...b,bc->...c", lambda t, u, v: [u], [None, "c"], 3),
    ("abc,cb->ab", lambda t, u, v: [t], [None], 3),
]


def gen_core(rs, index):
    if index == 0:  # Dense on an input without a batch axis
        return case("Dense", {"units": 2}, [normal(rs, 3)])
    if index == 1:  # an output shape that contradicts the input along a shared axis
        return case("EinsumDense", {"equation": "abc,cd->abd", "output_shape": [5, 2]},
                    [normal(rs, 2, 3, 4)])
    batch = int(rs.randint(1, 4))
    if index % 2 == 0:
        ndim = int(choice(rs, [2, 2, 3, 4]))
        shape = [batch] + [int(d) for d in rs.randint(1, 5, size=ndim - 1)]
        kw = {"units": int(rs.randint(1, 6))}
        act = activation(rs, 0.7)
        if act is not None:
            kw["activation"] = act
        if rs.rand() < 0.3:
            kw["use_bias"] = False
        return case("Dense", kw, [normal(rs, *shape)])
    equation, out_shape, bias_options, ndim = EINSUM[rs.randint(len(EINSUM))]
    t, d, u, v = (int(n) for n in rs.randint(1, 5, size=4))
    x = normal(rs, batch, d) if ndim == 2 else normal(rs, batch, t, d)
    if equation.startswith("..."):
        x = normal(rs, batch, t, d) if rs.rand() < 0.5 else normal(rs, batch, d)
    kw = {"equation": equation, "output_shape": out_shape(t, u, v)}
    bias = choice(rs, bias_options)
    if bias is not None:
        kw["bias_axes"] = bias
    act = activation(rs, 0.5)
    if act is not None:
        kw["activation"] = act
    return case("EinsumDense", kw, [x])


# ---------------------------------------------------------------------------- activation
def gen_activation(rs, index):
    if index == 0:
        return case("Activation", {"activation": "bogus"}, [normal(rs, 2, 3)])
    if index == 1:
        return case("ReLU", {"max_value": -1.0}, [normal(rs, 2, 3)])
    if index == 2:
        return case("ReLU", {"threshold": -0.5}, [normal(rs, 2, 3)])
    if index == 3:
        return case("LeakyReLU", {"alpha": None}, [normal(rs, 2, 3)])
    if index == 4:
        return case("ThresholdedReLU", {"theta": -1.0}, [normal(rs, 2, 3)])
    ndim = int(rs.randint(2, 5))
    shape = [int(rs.randint(1, 4))] + [int(d) for d in rs.randint(1, 5, size=ndim - 1)]
    x = normal(rs, *shape, scale=3.0)
    if index < 5 + 2 * len(ACTIVATIONS):  # every name at least twice
        return case("Activation", {"activation": ACTIVATIONS[(index - 5) % len(ACTIVATIONS)]},
                    [x])
    name = choice(rs, ["Activation", "LeakyReLU", "PReLU", "ELU", "ReLU", "ReLU", "Softmax",
                       "Softmax", "ThresholdedReLU"])
    kw = {}
    if name == "Activation":
        kw["activation"] = choice(rs, ACTIVATIONS)
    elif name == "LeakyReLU":
        if rs.rand() < 0.7:
            kw["alpha"] = float(choice(rs, [0.0, 0.01, 0.2, 0.5, 1.5]))
    elif name == "PReLU":
        if rs.rand() < 0.5 and ndim > 2:
            axes = sorted(int(a) for a in rs.choice(np.arange(1, ndim), rs.randint(1, ndim),
                                                    replace=False))
            kw["shared_axes"] = axes if len(axes) > 1 or rs.rand() < 0.5 else axes[0]
    elif name == "ELU":
        if rs.rand() < 0.7:
            kw["alpha"] = float(choice(rs, [0.0, 0.5, 1.0, 2.5]))
    elif name == "ReLU":
        if rs.rand() < 0.5:
            kw["max_value"] = float(choice(rs, [0.0, 0.5, 1.0, 6.0]))
        if rs.rand() < 0.5:
            kw["negative_slope"] = float(choice(rs, [0.0, 0.1, 0.3, 1.0]))
        if rs.rand() < 0.5:
            kw["threshold"] = float(choice(rs, [0.0, 0.5, 1.0, 2.0]))
    elif name == "Softmax":
        if rs.rand() < 0.3 and ndim > 2:
            kw["axis"] = sorted(int(a) for a in rs.choice(np.arange(1, ndim), 2, replace=False))
        elif rs.rand() < 0.8:
            kw["axis"] = int(rs.randint(-ndim, ndim))
    else:
        if rs.rand() < 0.8:
            kw["theta"] = float(choice(rs, [0.0, 0.5, 1.0, 2.0]))
    return case(name, kw, [x])


# ---------------------------------------------------------------------------- reshape
RESHAPE_CLASSES = ["Reshape", "Flatten", "Permute", "RepeatVector", "Cropping1D", "Cropping2D",
                   "Cropping3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
                   "UpSampling1D", "UpSampling2D", "UpSampling2D", "UpSampling3D", "Masking"]


def pairs(rs, rank, low, high):
    """Cropping/padding: an int, a tuple of rank ints, or rank (before, after) pairs."""
    r = rs.rand()
    if r < 0.3:
        return int(rs.randint(low, high))
    if r < 0.6 and rank > 1:
        return [int(v) for v in rs.randint(low, high, size=rank)]
    if rank == 1:
        return [int(v) for v in rs.randint(low, high, size=2)]
    return [[int(v) for v in rs.randint(low, high, size=2)] for _ in range(rank)]


def gen_reshape(rs, index):
    if index == 0:
        return case("Reshape", {"target_shape": [5, 2]}, [normal(rs, 2, 3, 4)])
    if index == 1:
        return case("Cropping2D", {"cropping": [[2, 2], [0, 0]]}, [normal(rs, 1, 4, 3, 2)])
    if index == 2:
        return case("RepeatVector", {"n": 2}, [normal(rs, 2, 3, 4)])
    if index == 3:
        return case("Permute", {"dims": [1, 1]}, [normal(rs, 2, 3, 4)])
    if index == 4:
        return case("Reshape", {"target_shape": [-1, -1]}, [normal(rs, 2, 3, 4)])
    name = RESHAPE_CLASSES[index % len(RESHAPE_CLASSES)]
    batch = int(rs.randint(1, 3))
    if name == "Reshape":
        dims = [int(d) for d in rs.randint(1, 5, size=rs.randint(1, 4))]
        x = normal(rs, batch, *dims)
        size = int(np.prod(dims))
        divisors = [d for d in range(1, size + 1) if size % d == 0]
        first = int(choice(rs, divisors))
        target = [first, size // first]
        if rs.rand() < 0.5:
            target[int(rs.randint(2))] = -1
        if rs.rand() < 0.3:
            target = [size] if rs.rand() < 0.5 else [-1]
        return case(name, {"target_shape": target}, [x])
    if name == "Flatten":
        ndim = int(rs.randint(2, 6))
        x = normal(rs, batch, *[int(d) for d in rs.randint(1, 4, size=ndim - 1)])
        kw = {"data_format": choice(rs, DATA_FORMATS)} if rs.rand() < 0.8 else {}
        return case(name, kw, [x])
    if name == "Permute":
        ndim = int(rs.randint(2, 5))
        x = normal(rs, batch, *[int(d) for d in rs.randint(1, 5, size=ndim - 1)])
        return case(name, {"dims": [int(d) + 1 for d in rs.permutation(ndim - 1)]}, [x])
    if name == "RepeatVector":
        return case(name, {"n": int(rs.randint(1, 5))}, [normal(rs, batch, rs.randint(1, 5))])
    if name == "Masking":
        x = normal(rs, batch, rs.randint(1, 6), rs.randint(1, 4))
        mask_value = float(choice(rs, [0.0, 1.0, -2.5]))
        x[rs.rand(*x.shape[:2]) < 0.4] = mask_value
        if rs.rand() < 0.3:  # partly masked steps stay
            x[0, 0, 0] = mask_value
        return case(name, {"mask_value": mask_value}, [x])
    rank = int(name[name.index("D") - 1])
    data_format = choice(rs, DATA_FORMATS)
    channels = int(rs.randint(1, 4))
    kw = {}
    if rank > 1 or name.startswith("ZeroPadding"):
        kw["data_format"] = data_format
    else:
        data_format = "channels_last"
    if name.startswith("UpSampling") and rank == 1:  # tf.keras's UpSampling1D: no data_format
        kw.pop("data_format", None)
        data_format = "channels_last"
    x = spatial_input(rs, rank, data_format, channels, low=1 if rank < 3 else 1,
                      high=7 if rank < 3 else 5)
    if name.startswith("Cropping"):
        spatial = x.shape[1:-1] if data_format == "channels_last" else x.shape[2:]
        crop = []
        for n in spatial:  # a crop that leaves at least one element (mostly)
            before = int(rs.randint(0, n))
            crop.append([before, int(rs.randint(0, n - before))])
        if rs.rand() < 0.1:
            crop[0][1] = int(spatial[0])  # crops everything: both raise
        if rank == 1:
            kw["cropping"] = crop[0] if rs.rand() < 0.7 else int(min(crop[0]))
        elif rs.rand() < 0.2:
            kw["cropping"] = int(min(min(c) for c in crop))
        else:
            kw["cropping"] = crop
        if rank == 1:
            kw.pop("data_format", None)
        return case(name, kw, [x])
    if name.startswith("ZeroPadding"):
        kw["padding"] = pairs(rs, rank, 0, 3)
        if rank == 1:
            kw.pop("data_format", None)
        return case(name, kw, [x])
    kw["size"] = ints(rs, 1, 4, rank) if rank > 1 else int(rs.randint(1, 4))
    if name == "UpSampling2D" and rs.rand() < 0.5:
        kw["interpolation"] = choice(rs, ["nearest", "bilinear", "bilinear"])
    return case(name, kw, [x])


# ---------------------------------------------------------------------------- merge
MERGE_CLASSES = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
                 "Concatenate", "Dot", "Dot"]


def gen_merge(rs, index):
    if index == 0:
        return case("Add", {}, [normal(rs, 2, 3), normal(rs, 2, 4)], call="list")
    if index == 1:
        return case("Subtract", {}, [normal(rs, 2, 3)] * 3, call="list")
    if index == 2:
        return case("Concatenate", {"axis": 1}, [normal(rs, 2, 3, 4), normal(rs, 2, 3, 5)],
                    call="list")
    if index == 3:
        return case("Dot", {"axes": 1}, [normal(rs, 2, 3), normal(rs, 2, 4)], call="list")
    if index == 4:
        return case("Maximum", {}, [normal(rs, 2, 3)], call="list")
    name = MERGE_CLASSES[index % len(MERGE_CLASSES)]
    batch = int(rs.randint(1, 4))
    if name == "Dot":
        ndim = int(choice(rs, [2, 3, 3]))
        a_shape = [batch] + [int(d) for d in rs.randint(1, 5, size=ndim - 1)]
        b_ndim = int(choice(rs, [2, 3])) if ndim == 3 else 2
        a_axis = int(rs.randint(1, ndim))
        b_axis = int(rs.randint(1, b_ndim))
        b_shape = [batch] + [int(d) for d in rs.randint(1, 5, size=b_ndim - 1)]
        b_shape[b_axis] = a_shape[a_axis]
        kw = {}
        if ndim == b_ndim and a_axis == b_axis and rs.rand() < 0.4:
            kw["axes"] = a_axis if rs.rand() < 0.7 else a_axis - ndim
        else:
            kw["axes"] = [a_axis, b_axis]
        if rs.rand() < 0.4:
            kw["normalize"] = True
        return case(name, kw, [normal(rs, *a_shape), normal(rs, *b_shape)], call="list")
    ndim = int(rs.randint(2, 5))
    shape = [batch] + [int(d) for d in rs.randint(1, 5, size=ndim - 1)]
    n = 2 if name == "Subtract" else int(rs.randint(2, 5))
    if name == "Concatenate":
        axis = int(rs.randint(-ndim, ndim))
        if axis in (0, -ndim):
            axis = -1
        inputs = []
        for _ in range(n):
            s = list(shape)
            s[axis] = int(rs.randint(1, 4))
            inputs.append(normal(rs, *s))
        kw = {"axis": axis} if axis != -1 or rs.rand() < 0.5 else {}
        return case(name, kw, inputs, call="list")
    inputs = []
    for i in range(n):
        s = list(shape)
        if i > 0 and rs.rand() < 0.25:  # broadcast along an axis of size 1
            s[int(rs.randint(1, ndim))] = 1
        if i > 0 and ndim > 2 and rs.rand() < 0.15:  # a lower rank: axes added after the batch
            s = [s[0]] + s[1 + int(rs.randint(1, ndim - 1)):]
        inputs.append(normal(rs, *s))
    return case(name, {}, inputs, call="list")


GENERATORS = {"conv": gen_conv, "pool": gen_pool, "core": gen_core, "activation": gen_activation,
              "reshape": gen_reshape, "merge": gen_merge}


INT_CLASSES = ["Reshape", "Flatten", "Permute", "RepeatVector", "Cropping1D", "Cropping2D",
               "ZeroPadding1D", "ZeroPadding2D", "Add", "Subtract", "Multiply", "Maximum",
               "Minimum", "Concatenate"]


def gen_int(rs, index):
    """Layers that take integer tensors (they move or combine values): int32 in, int32 out."""
    name = INT_CLASSES[index % len(INT_CLASSES)]
    batch = int(rs.randint(1, 4))

    def ints32(*shape):
        return rs.randint(-50, 50, size=shape).astype("int32")

    if name in ("Reshape", "Flatten", "Permute"):
        shape = [int(d) for d in rs.randint(1, 5, size=int(rs.randint(2, 4)))]
        kw = {"Reshape": {"target_shape": [-1]},
              "Flatten": {},
              "Permute": {"dims": [int(d) + 1 for d in rs.permutation(len(shape))]}}[name]
        return case(name, kw, [ints32(batch, *shape)])
    if name == "RepeatVector":
        return case(name, {"n": int(rs.randint(1, 4))}, [ints32(batch, 3)])
    if name.startswith(("Cropping", "ZeroPadding")):
        rank = int(name[-2])
        shape = [int(d) for d in rs.randint(4, 7, size=rank)]
        key = "cropping" if name.startswith("Cropping") else "padding"
        value = [[int(rs.randint(0, 2)), int(rs.randint(0, 2))] for _ in range(rank)]
        return case(name, {key: value[0] if rank == 1 else value},
                    [ints32(batch, *shape, 2)])
    shape = [int(d) for d in rs.randint(1, 5, size=int(rs.randint(1, 3)))]
    n = int(rs.randint(2, 4))
    kw = {"axis": int(rs.randint(-1, len(shape) + 1))} if name == "Concatenate" else {}
    n = 2 if name == "Subtract" else n
    return case(name, kw, [ints32(batch, *shape) for _ in range(n)], call="list")


GENERATORS["int"] = gen_int


# ---------------------------------------------------------------------------- aliases
def gen_alias(rs, index):
    """An alias of a conv or pooling class, its arguments drawn as the class's own cases are."""
    alias = list(ALIASES)[index % len(ALIASES)]
    target = ALIASES[alias]
    rounds = 1 + index // len(ALIASES)
    if target in CONV_CLASSES:  # (gen_conv/gen_pool pick the class by index; past the fixed ones)
        spec = gen_conv(rs, len(CONV_CLASSES) * rounds + CONV_CLASSES.index(target))
    else:
        spec = gen_pool(rs, len(POOL_CLASSES) * rounds + POOL_CLASSES.index(target))
    assert spec["class_name"] == target, (alias, spec["class_name"])
    return dict(spec, class_name=alias)


GENERATORS["alias"] = gen_alias


# ---------------------------------------------------------------------------- misc
# Lambda's functions, written against a Keras-ops-like namespace `ops` (tf.keras side:
# LAMBDA_TF_OPS below; kerastorch side: kerastorch.ops), so one string gives each framework its
# own function.
LAMBDAS = {
    "poly": "lambda x: x * 0.5 + ops.square(x) * 0.1",
    "tanh_residual": "lambda x: ops.tanh(x) - x",
    "concat_negated": "lambda x: ops.concatenate([x, -x], axis=-1)",
    "sum_axis1": "lambda x: ops.sum(x, axis=1)",
    "affine": "lambda x, scale, shift: x * scale + shift",
    "softplus_max": "lambda x: ops.maximum(ops.softplus(x), 0.5)",
}
RANDOM_LAYERS = ["RandomBrightness", "RandomContrast", "RandomCrop", "RandomFlip",
                 "RandomRotation", "RandomTranslation", "RandomZoom"]
MISC_CLASSES = ["Identity", "Lambda", "Lambda", "ActivityRegularization"] + RANDOM_LAYERS


def lambda_function(expression, ops):
    """The Lambda case's function: LAMBDAS[expression] over the framework's `ops`."""
    return eval(LAMBDAS[expression], {"ops": ops})  # noqa: S307 - the fixed strings above


def gen_misc(rs, index):
    """Identity, Lambda, ActivityRegularization, and the random image layers at inference (what a
    model's predict runs: the identity, except RandomCrop's resize and centre crop)."""
    name = MISC_CLASSES[index % len(MISC_CLASSES)]
    batch = int(rs.randint(1, 4))
    if name in RANDOM_LAYERS:
        h, w, c = int(rs.randint(3, 9)), int(rs.randint(3, 9)), int(rs.randint(1, 4))
        x = rs.uniform(0, 255, size=(batch, h, w, c)).astype("float32")
        kw = {"seed": int(rs.randint(100))}
        factor = float(choice(rs, [0.1, 0.2, 0.5]))
        if name == "RandomBrightness":
            kw["factor"] = factor
        elif name == "RandomContrast":
            kw["factor"] = factor
        elif name == "RandomCrop":
            kw["height"], kw["width"] = int(rs.randint(2, h + 1)), int(rs.randint(2, w + 1))
        elif name == "RandomFlip":
            kw["mode"] = choice(rs, ["horizontal", "vertical", "horizontal_and_vertical"])
        elif name == "RandomRotation":
            kw["factor"] = factor
            kw["fill_mode"] = choice(rs, ["reflect", "constant", "nearest"])
        elif name == "RandomTranslation":
            kw["height_factor"], kw["width_factor"] = factor, float(choice(rs, [0.1, 0.3]))
        else:
            kw["height_factor"] = factor
        spec = case(name, kw, [x])
        spec["call_kwargs"] = {"training": False}  # (tf.keras 2's default is training=True)
        return spec
    ndim = int(rs.randint(2, 5))
    x = normal(rs, batch, *[int(d) for d in rs.randint(1, 5, size=ndim - 1)])
    if name == "Identity":
        return case(name, {}, [x])
    if name == "ActivityRegularization":
        return case(name, {"l1": float(rs.uniform(0, 0.1)), "l2": float(rs.uniform(0, 0.1))},
                    [x])
    occurrence = 2 * (index // len(MISC_CLASSES)) + (index % len(MISC_CLASSES) == 2)
    expression = list(LAMBDAS)[occurrence % len(LAMBDAS)]  # each in turn
    kw = {"function": expression}
    if expression == "affine":
        kw["arguments"] = {"scale": float(rs.uniform(-2, 2)), "shift": float(rs.uniform(-1, 1))}
    return case(name, kw, [x])


GENERATORS["misc"] = gen_misc


def cases(family):
    out = []
    for index in range(FAMILIES[family]):
        rs = np.random.RandomState(_FAMILY_SEED[family] + index)
        spec = GENERATORS[family](rs, index)
        spec["id"] = f"{family}-{index:03d}"
        spec["family"] = family
        spec["seed"] = _FAMILY_SEED[family] + index
        out.append(spec)
    return out


# ---------------------------------------------------------------------------- running in tf.keras
def _as_list(value, rank, default):
    value = default if value is None else value
    return [value] * rank if isinstance(value, int) else list(value)


def same_padding_3d(kwargs, spatial):
    """TensorFlow's documented 'same' padding of a Conv3D or 3D pooling layer (`kernel_size` or
    `pool_size`), (before, after) per axis: total
    max((ceil(n / s) - 1) * s + d * (k - 1) + 1 - n, 0), the odd element after; None where its
    Eigen CPU kernel differs from it.

    TensorFlow's Eigen kernels for 3D convolution and pooling (the ones TF_ENABLE_ONEDNN_OPTS=0
    selects, as the oracle does) leave that total unclamped: a stride exceeding the window by 2
    or more gives a negative padding before, so the windows start |total| / 2 (rounded towards
    zero) rows into the input. TensorFlow's default oneDNN CPU kernels, its GPU kernels, its 2D
    ops and its documentation start at row 0, as Keras 3 and kerastorch do.
    """
    rank = len(spatial)
    kernel = _as_list(kwargs.get("kernel_size", kwargs.get("pool_size")), rank, 1)
    strides = _as_list(kwargs.get("strides"), rank, 1 if "kernel_size" in kwargs else kernel)
    dilation = _as_list(kwargs.get("dilation_rate"), rank, 1)
    totals = [(-(-n // s) - 1) * s + d * (k - 1) + 1 - n
              for n, k, s, d in zip(spatial, kernel, strides, dilation)]
    if all(t > -2 for t in totals):
        return None
    return [(max(t, 0) // 2, max(t, 0) - max(t, 0) // 2) for t in totals]


def random_weights(rs, layer):
    return [normal(rs, *tuple(w.shape), scale=0.5) for w in layer.weights]


def run_case(spec):
    rs = np.random.RandomState(spec["seed"] + 7)
    result = dict(spec, weights=[], output=None, mask=None, error=None)
    try:
        kwargs = dict(spec["kwargs"])
        inputs = [tf.constant(x) for x in spec["inputs"]]
        post = None
        transpose = (spec["class_name"] in NHWC_ONLY
                     and kwargs.get("data_format") == "channels_first")
        if transpose:  # run in NHWC, transpose back, then the activation
            kwargs["data_format"] = "channels_last"
            post = tf_keras.activations.get(kwargs.pop("activation", None))
            ndim = len(spec["inputs"][0].shape)
            inputs = [tf.transpose(x, [0] + list(range(2, ndim)) + [1]) for x in inputs]
        base = ALIASES.get(spec["class_name"], spec["class_name"])
        pads = None
        if base in ("Conv3D", "MaxPooling3D", "AveragePooling3D") and \
                kwargs.get("padding") == "same":
            pads = same_padding_3d(kwargs, list(inputs[0].shape[1:-1]))
        if pads is not None:  # TensorFlow's documented (and default kernels') 'same'
            if base != "Conv3D" and any(p != (0, 0) for p in pads):
                raise AssertionError(f"{spec['id']}: no documented-padding form of {pads}")
            kwargs["padding"] = "valid"  # (a pooling window padded by 0 is the valid one)
            inputs = [tf.pad(x, [[0, 0]] + pads + [[0, 0]]) for x in inputs]
            result["explicit_same_padding"] = pads
        if spec["class_name"] == "Lambda":
            kwargs["function"] = lambda_function(kwargs["function"], LAMBDA_TF_OPS)
        layer = getattr(tf_keras.layers, spec["class_name"])(**kwargs)

        def call():
            if spec["call"] == "list":
                return layer(inputs, **spec["call_kwargs"])
            return layer(inputs[0], **spec["call_kwargs"])

        call()  # builds the layer
        if layer.weights:
            layer.set_weights(random_weights(rs, layer))
            result["weights"] = [np.asarray(w) for w in layer.get_weights()]
        output = call()
        if transpose:
            ndim = len(output.shape)
            output = post(tf.transpose(output, [0, ndim - 1] + list(range(1, ndim - 1))))
        result["output"] = np.asarray(output)
        if spec["class_name"] == "Masking":
            result["mask"] = np.asarray(layer.compute_mask(inputs[0]))
    except Exception as e:  # noqa: BLE001 - the oracle records which error tf.keras raised
        result["error"] = type(e).__name__
        result["error_message"] = str(e)[:300]
    return result


def main(argv):
    out = argv[1]
    families = list(FAMILIES)
    if "--family" in argv:
        families = [argv[argv.index("--family") + 1]]
    tf.random.set_seed(0)
    results = [run_case(spec) for family in families for spec in cases(family)]
    if "--family" not in argv:  # tf_same_3d's cases under these (Eigen) kernels
        import tf_same_3d

        results.append({"id": "same_3d-eigen", "results": tf_same_3d.run_cases(tf_keras)})
    with open(out, "wb") as f:
        pickle.dump(results, f, protocol=4)
    print(len(results), sum(r.get("error") is not None for r in results))


if __name__ == "__main__":
    # TensorFlow only when run as the oracle: the torch-side test imports this module for the
    # list of families and case counts.
    import types

    import tensorflow as tf
    import tf_keras

    LAMBDA_TF_OPS = types.SimpleNamespace(
        square=tf.square, tanh=tf.tanh, maximum=tf.maximum, softplus=tf.nn.softplus,
        concatenate=lambda xs, axis: tf.concat(xs, axis=axis),
        sum=lambda x, axis: tf.reduce_sum(x, axis=axis))
    main(sys.argv)
