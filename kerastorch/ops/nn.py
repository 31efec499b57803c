"""keras.ops nn group: activations, convolution and pooling, normalization, losses, one-hot.

Image ops take Keras's `data_format` (channels_last by default) and run torch's NCHW kernels
on permuted views, as the layers do; kernels are in Keras's layout `(*window, in, out)`.
"""

import builtins
import math as _math
import warnings

import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch.ops.core import convert_to_tensor as _t
from kerastorch.ops.dtypes import result_type
from kerastorch.ops.dtypes import standardize_dtype as _std
from kerastorch.ops.symbolic import op

_torch_dtype = backend.to_torch_dtype


def _act(torch_fn, name, tf_name, doc):
    def fn(x):
        return torch_fn(_t(x))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return op(tf_name)(fn)


relu = _act(torch.relu, "relu", "tf.nn.relu", "Rectified linear unit: `max(x, 0)`.")
relu6 = _act(F.relu6, "relu6", "tf.nn.relu6", "`min(max(x, 0), 6)`.")
sigmoid = _act(torch.sigmoid, "sigmoid", "tf.math.sigmoid", "`1 / (1 + exp(-x))`.")
tanh = _act(torch.tanh, "tanh", "tf.math.tanh", "Hyperbolic tangent.")
tanh_shrink = _act(F.tanhshrink, "tanh_shrink", "tf.nn.tanh_shrink", "`x - tanh(x)`.")
softplus = _act(F.softplus, "softplus", "tf.math.softplus", "`log(exp(x) + 1)`.")
softsign = _act(F.softsign, "softsign", "tf.nn.softsign", "`x / (abs(x) + 1)`.")
silu = _act(F.silu, "silu", "tf.nn.silu", "`x * sigmoid(x)` (swish).")
swish = silu
log_sigmoid = _act(F.logsigmoid, "log_sigmoid", "tf.math.log_sigmoid", "`log(sigmoid(x))`.")
hard_sigmoid = _act(F.hardsigmoid, "hard_sigmoid", "tf.nn.hard_sigmoid",
                    "Piecewise linear sigmoid: `relu6(x + 3) / 6`.")
hard_silu = _act(F.hardswish, "hard_silu", "tf.nn.hard_silu", "`x * hard_sigmoid(x)`.")
hard_swish = hard_silu
selu = _act(F.selu, "selu", "tf.nn.selu", "Scaled exponential linear unit.")


@op("tf.nn.sparse_sigmoid")
def sparse_sigmoid(x):
    x = _t(x)
    return torch.clamp(0.5 * (x + 1), 0.0, 1.0)


@op("tf.nn.sparse_plus")
def sparse_plus(x):
    x = _t(x)
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, 0.25 * (x + 1) ** 2, x))


@op("tf.nn.soft_shrink")
def soft_shrink(x, threshold=0.5):
    return F.softshrink(_t(x), lambd=threshold)


@op("tf.nn.hard_shrink")
def hard_shrink(x, threshold=0.5):
    return F.hardshrink(_t(x), lambd=threshold)


@op("tf.nn.hard_tanh")
def hard_tanh(x):
    return F.hardtanh(_t(x), -1.0, 1.0)


@op("tf.nn.threshold")
def threshold(x, threshold, default_value):
    return F.threshold(_t(x), threshold, default_value)


@op("tf.nn.squareplus")
def squareplus(x, b=4):
    x = _t(x)
    return (x + torch.sqrt(x ** 2 + _t(b))) / 2


@op("tf.nn.leaky_relu")
def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(_t(x), negative_slope)


@op("tf.nn.elu")
def elu(x, alpha=1.0):
    return F.elu(_t(x), alpha)


@op("tf.nn.celu")
def celu(x, alpha=1.0):
    return F.celu(_t(x), alpha=alpha)


@op("tf.nn.gelu")
def gelu(x, approximate=True):
    """Gaussian error linear unit (tanh approximation by default, as Keras)."""
    return F.gelu(_t(x), approximate="tanh" if approximate else "none")


@op("tf.nn.glu")
def glu(x, axis=-1):
    return F.glu(_t(x), dim=axis)


def _softmax_like(torch_fn, x, axis):
    x = _t(x)
    dt = x.dtype
    if dt == torch.float16 and x.device.type == "cpu":
        x = x.float()
    if axis is None:
        out = torch_fn(x.reshape(-1), dim=-1).reshape(x.shape)
    elif isinstance(axis, tuple):
        keep = [d for d in range(x.ndim) if d not in axis]
        moved = x.permute(keep + list(axis))
        out = torch_fn(moved.reshape([x.shape[d] for d in keep] + [-1]), dim=-1)
        out = out.reshape(moved.shape)
        order = keep + list(axis)
        out = out.permute(sorted(range(len(order)), key=order.__getitem__))
    else:
        out = torch_fn(x, dim=axis)
    return out if out.dtype == dt else out.to(dt)


@op("tf.nn.softmax")
def softmax(x, axis=-1):
    """Softmax over `axis` (an int, a tuple of axes, or None for all)."""
    x = _t(x)
    if isinstance(axis, int) and -x.ndim <= axis < x.ndim and x.shape[axis] == 1:
        warnings.warn(f"You are using a softmax over axis {axis} of a tensor of shape "
                      f"{tuple(x.shape)}. This axis has size 1. The softmax operation will "
                      "always return the value 1, which is likely not what you intended. Did "
                      "you mean to use a sigmoid instead?")
    if type(x) is torch.Tensor and isinstance(axis, int) and x.dtype != torch.float16:
        return torch.softmax(x, axis)
    return _softmax_like(torch.softmax, x, axis)


@op("tf.nn.log_softmax")
def log_softmax(x, axis=-1):
    """Log of the softmax over `axis`."""
    return _softmax_like(torch.log_softmax, x, axis)


@op("tf.nn.sparsemax")
def sparsemax(x, axis=-1):
    x = _t(x)
    z, _ = torch.sort(x, dim=axis, descending=True)
    cum = torch.cumsum(z, dim=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    r = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype).view(shape)
    support = z - (cum - 1) / r > 0
    k = support.sum(dim=axis, keepdim=True)
    tau = (torch.where(support, cum, torch.zeros((), dtype=x.dtype)).sum(dim=axis, keepdim=True)
           - 1) / k
    return torch.clamp(x - tau, min=0.0)


# ------------------------------------------------------------------ conv and pooling
def _to_channels_first(x):
    n = x.ndim
    return x.permute(0, n - 1, *range(1, n - 1))


def _to_channels_last(x):
    n = x.ndim
    return x.permute(0, *range(2, n), 1)


def _same_pad(x, window, strides, dilation, mode="constant"):
    """Returns (x, torch padding) for TF `same` padding, padding `x` when asymmetric."""
    from kerastorch.layers.convolutional import conv_utils  # at call time: importing ops imports no layer
    pads = [conv_utils.same_padding(x.shape[2 + i], window[i], strides[i], dilation[i])
            for i in range(len(window))]
    if builtins.all(a == b for a, b in pads):
        return x, [a for a, _ in pads]
    return F.pad(x, conv_utils.torch_pad_arg(pads), mode=mode), 0


_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAXPOOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVGPOOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _spatial_dims(x, what):
    n = x.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError(f"Inputs to {what} should have ndim=3, 4, or 5, corresponding to 1D, "
                         f"2D and 3D inputs. Received input shape: {tuple(x.shape)}.")
    return n


@op("tf.nn.convolution")
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution of `inputs` with a Keras-layout `kernel` `(*window, in, out)`.

    Args:
        inputs: `(batch, *spatial, channels)` (channels_last) or `(batch, channels, *spatial)`.
        kernel: `(*window, in_channels // groups, out_channels)`.
        strides, dilation_rate: int or tuple per spatial dimension.
        padding: 'valid' or 'same'.
    """
    from kerastorch.layers.convolutional import conv_utils  # at call time: importing ops imports no layer
    x, kernel = _t(inputs), _t(kernel)
    n = _spatial_dims(x, "conv operation")
    strides = conv_utils.normalize_tuple(strides, n, "strides")
    dilation = conv_utils.normalize_tuple(dilation_rate, n, "dilation_rate")
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    if channels_last:
        x = _to_channels_first(x)
    w = kernel.permute(n + 1, n, *range(n))
    if x.shape[1] % w.shape[1]:
        raise ValueError(f"Input channels ({x.shape[1]}) must be divisible by kernel input "
                         f"channels ({w.shape[1]})")
    groups = x.shape[1] // w.shape[1]
    pad = 0
    if str(padding).lower() == "same":
        x, pad = _same_pad(x, tuple(w.shape[2:]), strides, dilation)
    out = _CONV[n](x, w, None, strides, pad, dilation, groups)
    return _to_channels_last(out) if channels_last else out


@op("tf.nn.depthwise_conv2d")
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Depthwise convolution: `kernel` `(*window, in_channels, multiplier)`."""
    kernel = _t(kernel)
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    x = _t(inputs)
    in_ch = x.shape[-1] if channels_last else x.shape[1]
    if in_ch != kernel.shape[-2]:
        raise ValueError(f"The number of input channels must match the number of channels "
                         f"of the kernel. Received: inputs.shape={tuple(x.shape)}, "
                         f"kernel.shape={tuple(kernel.shape)}")
    kernel = kernel.reshape(tuple(kernel.shape[:-2]) + (1, kernel.shape[-2] * kernel.shape[-1]))
    return conv._raw(x, kernel, strides, padding, data_format, dilation_rate)


@op("tf.nn.separable_conv2d")
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Depthwise convolution followed by a 1x1 pointwise convolution."""
    y = depthwise_conv._raw(inputs, depthwise_kernel, strides, padding, data_format,
                            dilation_rate)
    return conv._raw(y, pointwise_kernel, 1, "valid", data_format, dilation_rate)


@op("tf.nn.conv_transpose")
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution; `kernel` is `(*window, out_channels, in_channels)` (Keras)."""
    from kerastorch.layers.convolutional import conv_utils  # at call time: importing ops imports no layer
    x, kernel = _t(inputs), _t(kernel)
    n = _spatial_dims(x, "conv transpose operation")
    strides = conv_utils.normalize_tuple(strides, n, "strides")
    dilation = conv_utils.normalize_tuple(dilation_rate, n, "dilation_rate")
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    if channels_last:
        x = _to_channels_first(x)
    w = kernel.permute(n + 1, n, *range(n))
    if output_padding is not None:
        output_padding = conv_utils.normalize_tuple(output_padding, n, "output_padding",
                                                    allow_zero=True)
    crops = []
    for i in range(n):
        k = (w.shape[2 + i] - 1) * dilation[i] + 1
        length = x.shape[2 + i]
        full = (length - 1) * strides[i] + k
        if output_padding is None:
            target = length * strides[i] if padding == "same" else \
                length * strides[i] + builtins.max(k - strides[i], 0)
        else:
            pad = k // 2 if padding == "same" else 0
            target = (length - 1) * strides[i] + k - 2 * pad + output_padding[i]
        total = full - target
        left = total // 2 if padding == "same" else 0
        crops.append((left, total - left))
    out = _CONV_T[n](x, w, None, strides, 0, 0, 1, dilation)
    key = [slice(None), slice(None)]
    pads = []
    for left, right in crops:
        key.append(slice(builtins.max(left, 0), -right if right > 0 else None))
    out = out[tuple(key)]
    if builtins.any(l < 0 or r < 0 for l, r in crops):
        for left, right in reversed(crops):
            pads += [builtins.max(-left, 0), builtins.max(-right, 0)]
        out = F.pad(out, pads)
    return _to_channels_last(out) if channels_last else out


def _pool(table, x, pool_size, strides, padding, data_format, what, **extra):
    from kerastorch.layers.convolutional import conv_utils  # at call time: importing ops imports no layer
    x = _t(x)
    n = _spatial_dims(x, what)
    pool_size = conv_utils.normalize_tuple(pool_size, n, "pool_size")
    strides = pool_size if strides is None else conv_utils.normalize_tuple(strides, n, "strides")
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    if channels_last:
        x = _to_channels_first(x)
    pad = 0
    if str(padding).lower() == "same":
        x, pad = _same_pad(x, pool_size, strides, (1,) * n, mode="replicate")
    out = table[n](x, pool_size, strides, pad, **extra)
    return _to_channels_last(out) if channels_last else out


@op("tf.nn.max_pool")
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over windows of `pool_size` (strides default to `pool_size`)."""
    return _pool(_MAXPOOL, inputs, pool_size, strides, padding, data_format, "pooling op")


@op("tf.nn.avg_pool")
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; `same` padding does not count the padded cells."""
    return _pool(_AVGPOOL, inputs, pool_size, strides, padding, data_format, "pooling op",
                 count_include_pad=False)


def _adaptive(fns, inputs, output_size, data_format):
    from kerastorch.layers.convolutional import conv_utils  # at call time: importing ops imports no layer
    x = _t(inputs)
    n = x.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError("Inputs to adaptive pooling must have ndim=3, 4 or 5, Received input "
                         f"shape: {tuple(x.shape)}.")
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    if channels_last:
        x = _to_channels_first(x)
    size = output_size if (isinstance(output_size, int) and n == 1) else \
        conv_utils.normalize_tuple(output_size, n, "output_size")
    out = fns[n](x, size)
    out = out[0] if isinstance(out, tuple) else out
    return _to_channels_last(out) if channels_last else out


@op("tf.nn.adaptive_avg_pool")
def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive({1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d,
                      3: F.adaptive_avg_pool3d}, inputs, output_size, data_format)


@op("tf.nn.adaptive_max_pool")
def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive({1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d,
                      3: F.adaptive_max_pool3d}, inputs, output_size, data_format)


# ------------------------------------------------------------------ encodings
@op("tf.one_hot")
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encoding of int `x` with `num_classes` (negative ids give zeros); floatx."""
    if sparse:
        raise ValueError("Unsupported value `sparse=True` with torch backend")
    x = _t(x, "int64").unsqueeze(-1)
    dt = _torch_dtype(_std(dtype))
    # one scatter into the output dtype; negative ids scatter a zero
    out = torch.zeros(tuple(x.shape[:-1]) + (num_classes,), dtype=dt, device=x.device)
    out.scatter_(-1, x.clamp(min=0), (x >= 0).to(dt))
    if axis != -1 and axis != out.ndim:
        out = torch.movedim(out, -1, axis)
    return out


@op("tf.multi_hot")
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encoding: ones at each class present in the last axis of `inputs`."""
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("Argument `num_classes` must be specified.")
    if sparse:
        raise ValueError("Unsupported value `sparse=True` with torch backend")
    x = _t(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    out = one_hot._raw(x, num_classes, axis=axis, dtype=dtype)
    return torch.amax(out, dim=reduction_axis)


# ------------------------------------------------------------------ losses
@op("tf.keras.backend.binary_crossentropy")
def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy (probabilities clipped to `[eps, 1 - eps]`)."""
    target, output = _t(target), _t(output)
    if target.shape != output.shape:
        raise ValueError("Arguments `target` and `output` must have the same shape. Received: "
                         f"target.shape={target.shape}, output.shape={output.shape}")
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = backend.epsilon()
    return F.binary_cross_entropy(torch.clip(output, eps, 1.0 - eps), target, reduction="none")


@op("tf.keras.backend.categorical_crossentropy")
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot/probability `target` and `output` along `axis`."""
    target, output = _t(target), _t(output)
    if target.shape != output.shape:
        raise ValueError("Arguments `target` and `output` must have the same shape. Received: "
                         f"target.shape={target.shape}, output.shape={output.shape}")
    if target.ndim < 1:
        raise ValueError("Arguments `target` and `output` must be at least rank 1. Received: "
                         f"target.shape={target.shape}, output.shape={output.shape}")
    if from_logits:
        log_prob = torch.log_softmax(output, dim=axis)
    else:
        eps = backend.epsilon()
        output = output / torch.sum(output, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clip(output, eps, 1.0 - eps))
    return -torch.sum(target * log_prob, dim=axis)


@op("tf.keras.backend.sparse_categorical_crossentropy")
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between integer `target` class ids and `output` along `axis`."""
    target, output = _t(target, "int64"), _t(output)
    if target.ndim == output.ndim and target.shape[axis] == 1:
        target = torch.squeeze(target, dim=axis)
    if output.ndim < 1:
        raise ValueError("Argument `output` must be at least rank 1. Received: "
                         f"output.shape={output.shape}")
    expected = list(output.shape)
    del expected[axis]
    if list(target.shape) != expected:
        raise ValueError("Arguments `target` and `output` must have the same shape up until "
                         f"the last dimension: target.shape={target.shape}, "
                         f"output.shape={output.shape}")
    squeeze = output.ndim == 1
    if squeeze:
        output, target = output.unsqueeze(0), target.unsqueeze(0)
    elif axis % output.ndim != 1:
        output = output.movedim(axis % output.ndim, 1)
    if from_logits:
        out = F.cross_entropy(output, target, reduction="none")
    else:
        eps = backend.epsilon()
        output = output / torch.sum(output, dim=1, keepdim=True)
        out = F.nll_loss(torch.log(torch.clip(output, eps, 1.0 - eps)), target, reduction="none")
    return out.squeeze(0) if squeeze else out


# ------------------------------------------------------------------ normalization
@op("tf.nn.moments")
def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance of `x` over `axes`."""
    if synchronized:
        raise NotImplementedError("Argument synchronized=True is not supported with PyTorch.")
    x = _t(x)
    dt = x.dtype
    if dt == torch.float16:
        x = x.float()
    axes = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    mean = torch.mean(x, dim=axes, keepdim=True)
    variance = torch.mean(torch.square(x), dim=axes, keepdim=True) - torch.square(mean)
    if not keepdims:
        mean, variance = torch.squeeze(mean, axes), torch.squeeze(variance, axes)
    if dt == torch.float16:
        info = torch.finfo(torch.float16)
        mean = torch.clip(mean, info.min, info.max).to(dt)
        variance = torch.clip(variance, info.min, info.max).to(dt)
    return mean, variance


@op("tf.nn.batch_normalization")
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, statistics along `axis`."""
    x, mean, variance = _t(x), _t(mean), _t(variance)
    shape = [1] * x.ndim
    shape[axis] = mean.shape[0]
    mean, variance = mean.reshape(shape), variance.reshape(shape)
    inv = torch.rsqrt(variance + epsilon)
    if scale is not None:
        inv = inv * _t(scale).reshape(shape)
    out = (x - mean) * inv
    if offset is not None:
        out = out + _t(offset).reshape(shape)
    return out


def _is_continuous(axis):
    if isinstance(axis, int):
        return True
    axis = sorted(axis)
    return builtins.all(b - a == 1 for a, b in zip(axis, axis[1:]))


@op("tf.nn.layer_normalization")
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Normalizes `x` over `axis` to zero mean and unit variance, then scales and shifts."""
    kwargs.pop("rms_scaling", None)
    eps = backend.epsilon() if epsilon is None else epsilon
    x = _t(x)
    dt = x.dtype
    x = x.to(_torch_dtype(result_type(x.dtype, "float32")))
    gamma = None if gamma is None else _t(gamma, x.dtype)
    beta = None if beta is None else _t(beta, x.dtype)
    axes = sorted([axis] if isinstance(axis, int) else list(axis))
    axes = [a % x.ndim for a in axes]
    if _is_continuous(axes) and axes[-1] == x.ndim - 1:
        return F.layer_norm(x, tuple(x.shape[a] for a in axes), gamma, beta, eps).to(dt)
    shape = [1] * x.ndim
    for a in axes:
        shape[a] = x.shape[a]
    mean, variance = moments._raw(x, axes, keepdims=True)
    inv = torch.rsqrt(variance + eps)
    if gamma is not None:
        inv = inv * gamma.reshape(shape)
    out = (x - mean) * inv
    if beta is not None:
        out = out + beta.reshape(shape)
    return out.to(dt)


@op("tf.nn.rms_normalization")
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """`x * rsqrt(mean(square(x)) + epsilon) * scale` over `axis`."""
    eps = backend.epsilon() if epsilon is None else epsilon
    x = _t(x)
    dt = x.dtype
    x = x.to(_torch_dtype(result_type(x.dtype, "float32")))
    scale = None if scale is None else _t(scale, x.dtype)
    axes = [axis] if isinstance(axis, int) else sorted(axis)
    axes = [a % x.ndim for a in axes]
    if _is_continuous(axes) and axes[-1] == x.ndim - 1:
        return F.rms_norm(x, tuple(x.shape[a] for a in axes), scale, eps).to(dt)
    out = x * torch.rsqrt(torch.mean(torch.square(x), dim=axes, keepdim=True) + eps)
    return (out if scale is None else out * scale).to(dt)


@op("tf.math.l2_normalize")
def normalize(x, axis=-1, order=2, epsilon=None):
    """`x / max(norm(x, order), epsilon)` over `axis`."""
    if not isinstance(order, int) or not order >= 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = _t(x)
    if x.ndim == 0:
        x = x.unsqueeze(0)
    eps = backend.epsilon() if epsilon is None else epsilon
    if order == 2:
        if not x.is_floating_point():
            x = x.to(_torch_dtype(backend.floatx()))
        inv = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
        return x * torch.clamp(inv, max=1.0 / eps)
    if not x.is_floating_point():
        x = x.to(_torch_dtype(backend.floatx()))
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=eps)


@op("tf.image.psnr")
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio between `x1` and `x2`."""
    x1, x2 = _t(x1), _t(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"Input shapes {tuple(x1.shape)} and {tuple(x2.shape)} must match for "
                         "PSNR calculation. ")
    mse = torch.mean((x1 - x2) ** 2)
    return 20 * torch.log10(_t(max_val, x1.dtype)) - 10 * torch.log10(mse)


@op("tf.nn.dot_product_attention")
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention; inputs `(batch, seq, heads, dim)` as in Keras."""
    q, k, v = _t(query), _t(key), _t(value)
    if q.ndim != 4:
        raise ValueError("`dot_product_attention` only supports 4D inputs. Received: "
                         f"query.shape={tuple(q.shape)}, key.shape={tuple(k.shape)}, "
                         f"value.shape={tuple(v.shape)}.")
    q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
    scale = 1.0 / _math.sqrt(q.shape[-1]) if scale is None else scale
    logits = torch.matmul(q, k.transpose(-1, -2)) * scale
    if attn_logits_soft_cap is not None:
        logits = torch.tanh(logits / attn_logits_soft_cap) * attn_logits_soft_cap
    if bias is not None:
        logits = logits + _t(bias)
    neg = torch.finfo(logits.dtype).min * 0.7
    if mask is not None:
        logits = torch.where(_t(mask, "bool"), logits, neg)
    if is_causal:
        t, s = logits.shape[-2], logits.shape[-1]
        causal = torch.ones((t, s), dtype=torch.bool).tril()
        logits = torch.where(causal, logits, neg)
    probs = torch.softmax(logits.float(), dim=-1).to(q.dtype)
    return torch.matmul(probs, v).transpose(1, 2)


@op("tf.nn.depth_to_space")
def depth_to_space(x, block_size, data_format="channels_last"):
    x = _t(x)
    if backend.standardize_data_format(data_format) == "channels_last":  # TF's channel order
        n, h, w, c = x.shape
        b = block_size
        x = x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    return F.pixel_shuffle(x, block_size)


@op("tf.nn.space_to_depth")
def space_to_depth(x, block_size, data_format="channels_last"):
    x = _t(x)
    if backend.standardize_data_format(data_format) == "channels_last":
        n, h, w, c = x.shape
        b = block_size
        x = x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    return F.pixel_unshuffle(x, block_size)


@op("tf.nn.polar")
def polar(abs_, angle):
    return torch.polar(_t(abs_), _t(angle))


@op("tf.image.extract_patches")
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    return F.unfold(_t(x), kernel_size, dilation, padding, stride)


@op("tf.nn.fold")
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    return F.fold(_t(x), output_size, kernel_size, dilation, padding, stride)


@op("tf.nn.ctc_loss")
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """CTC loss per sample; `output` `(batch, time, classes)` logits."""
    target, output = _t(target, "int32"), _t(output)
    log_probs = torch.log_softmax(output, dim=-1).transpose(0, 1)
    return F.ctc_loss(log_probs, target, _t(output_length, "int32"), _t(target_length, "int32"),
                      blank=mask_index, reduction="none")


@op("tf.nn.ctc_greedy_decoder")
def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decodes CTC scores `(batch, steps, classes)`: returns `(decoded, scores)`.

    Greedy: `decoded` is `(1, batch, steps)` class indices with blanks (`mask_index`) and,
    with `merge_repeated`, repeats removed, left-aligned and padded with -1; `scores` is
    `(batch, 1)`, minus the sum of each step's best score.

    Beam search (CTC prefix beam search over log-softmax scores, `beam_width` prefixes kept
    per step): `decoded` is `(top_paths, batch, steps)`, best first, padded with -1;
    `scores` is `(batch, top_paths)` log-probabilities of the decoded label sequences.
    """
    if strategy not in ("greedy", "beam_search"):
        raise ValueError(f"Invalid strategy {strategy}. Supported values are 'greedy' and "
                         "'beam_search'.")
    x = _t(inputs)
    x = x.to(backend.to_torch_dtype(result_type(x.dtype, "float32")))
    if strategy == "beam_search":
        return _ctc_beam_search(x, _t(sequence_lengths, "int32"), beam_width, top_paths,
                                x.shape[-1] - 1 if mask_index is None else mask_index)
    lengths = _t(sequence_lengths, "int32")
    batch, steps, classes = x.shape
    blank = classes - 1 if mask_index is None else mask_index
    scores, best = x.max(dim=-1)
    beyond = torch.arange(steps, device=x.device)[None, :] >= lengths[:, None]
    best = best.to(torch.int32).masked_fill(beyond, blank)
    scores = scores.masked_fill(beyond, 0.0)
    if merge_repeated:
        repeat = F.pad(best[:, 1:] == best[:, :-1], (1, 0))
        best = best.masked_fill(repeat, blank)
    dropped = best == blank
    # Stable left-alignment of the kept labels: sort positions, dropped ones last.
    position = torch.arange(steps, device=x.device).expand(batch, steps)
    order = torch.argsort(position.masked_fill(dropped, steps), dim=-1)
    decoded = torch.take_along_dim(best.masked_fill(dropped, -1), order, dim=-1)
    return decoded.unsqueeze(0), -scores.sum(dim=1, keepdim=True)


def _log_merge(groups, count, scores):
    """Log of the summed probabilities of `scores` falling in each of `count` groups."""
    top = scores.max()
    total = torch.zeros(count, dtype=scores.dtype, device=scores.device)
    total.scatter_add_(0, groups, torch.exp(scores - top))
    return torch.log(total) + top


def _ctc_beam_search(x, lengths, beam_width, top_paths, blank):
    """CTC prefix beam search; `x` `(batch, steps, classes)` raw scores."""
    logp = torch.log_softmax(x, dim=-1)
    batch, steps, classes = logp.shape
    device = logp.device
    neg_inf = float("-inf")
    class_ids = torch.arange(classes, device=device)
    all_paths, all_scores = [], []
    for b, length in enumerate(lengths.tolist()):
        lp = logp[b]
        # Start: the best min(classes, beam_width) first labels (ties: lower class first).
        first = torch.argsort(-lp[0], stable=True)[:min(classes, beam_width)]
        paths = torch.full((first.numel(), steps), -1, dtype=torch.int64, device=device)
        paths[:, 0] = torch.where(first == blank, -1, first)
        sizes = (first != blank).long()
        scores = lp[0, first]
        on_blank = first == blank  # which track (ends in blank / ends in a label) each row is
        for t in range(1, length):
            rows = paths.shape[0]
            last = paths.gather(1, (sizes - 1).clamp(min=0)[:, None])[:, 0]
            last = torch.where(sizes > 0, last, -1)
            cand = class_ids.expand(rows, classes)
            is_blank = (cand == blank).expand(rows, classes)
            merged = (~on_blank)[:, None] & (last[:, None] == cand)
            grows = ~is_blank & ~merged
            new_paths = paths.repeat_interleave(classes, dim=0)
            new_sizes = sizes.repeat_interleave(classes)
            grow = grows.reshape(-1)
            idx = torch.nonzero(grow)[:, 0]
            new_paths[idx, new_sizes[idx]] = cand.reshape(-1)[idx]
            new_sizes = new_sizes + grow.long()
            new_scores = (scores[:, None] + lp[t][None, :]).reshape(-1)
            new_blank = is_blank.reshape(-1)
            uniq, groups = torch.unique(new_paths, dim=0, return_inverse=True)
            n = uniq.shape[0]
            emit = _log_merge(groups, n, new_scores.masked_fill(new_blank, neg_inf))
            blanks = _log_merge(groups, n, new_scores.masked_fill(~new_blank, neg_inf))
            if n < beam_width:  # keep the beam full, as Keras does, with impossible empty rows
                pad = beam_width - n
                uniq = torch.cat((uniq, uniq.new_full((pad, steps), -1)))
                emit = torch.cat((emit, emit.new_full((pad,), neg_inf)))
                blanks = torch.cat((blanks, blanks.new_full((pad,), neg_inf)))
            keep = torch.argsort(torch.logaddexp(emit, blanks), descending=True,
                                 stable=True)[:beam_width]
            paths = uniq[keep].repeat(2, 1)
            sizes = (paths != -1).sum(dim=1)
            scores = torch.cat((emit[keep], blanks[keep]))
            on_blank = torch.arange(paths.shape[0], device=device) >= keep.numel()
        uniq, groups = torch.unique(paths, dim=0, return_inverse=True)
        total = _log_merge(groups, uniq.shape[0], scores)
        # Candidates are padded to 2 * classes * beam_width impossible empty paths as in Keras
        # (which also caps the number of paths returned).
        if uniq.shape[0] < min(top_paths, 2 * classes * beam_width):
            pad = min(top_paths, 2 * classes * beam_width) - uniq.shape[0]
            uniq = torch.cat((uniq, uniq.new_full((pad, steps), -1)))
            total = torch.cat((total, total.new_full((pad,), neg_inf)))
        best = torch.argsort(total, descending=True, stable=True)[:top_paths]
        all_paths.append(uniq[best])
        all_scores.append(total[best])
    decoded = torch.stack(all_paths, dim=1).to(torch.int32)
    return decoded, torch.stack(all_scores)
