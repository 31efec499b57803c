"""Convolution layers against Keras 3: values, shapes, parameter counts and errors."""

import itertools

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import layers
from tests.keras3 import import_keras3

ATOL = 1e-4  # sums of up to ~100 float32 products of N(0, 1) values (outputs ~10): 1e-5 relative


def _rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _parity(keras_layer, kt_layer, x):
    """Builds both on `x`, gives both the same random weights, compares outputs and counts."""
    keras_layer(x)
    kt_layer(torch.tensor(x))
    weights = [_rand(w.shape, seed=i + 1) for i, w in enumerate(keras_layer.get_weights())]
    assert [w.shape for w in kt_layer.get_weights()] == [w.shape for w in weights]
    keras_layer.set_weights(weights)
    kt_layer.set_weights(weights)
    expected = np.asarray(keras_layer(x).detach().cpu())
    got = kt_layer(torch.tensor(x)).detach().numpy()
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=ATOL, rtol=1e-5)
    assert kt_layer.count_params() == keras_layer.count_params()
    for kw, tw in zip(keras_layer.weights, kt_layer.weights, strict=True):
        assert kw.name == tw.name
    return got


def _same_stride_cases():
    # 'same' with odd and even kernels at strides 1, 2, 3, and dilation at stride 1.
    for k, s, d in itertools.product([1, 2, 3, 4, 5], [1, 2, 3], [1, 2]):
        if s > 1 and d > 1:
            continue
        yield k, s, "same", d
    for k, s in itertools.product([2, 3], [1, 2]):
        yield k, s, "valid", 1


SAME_CASES = list(_same_stride_cases())
CASE_IDS = [f"k{k}-s{s}-{p}-d{d}" for k, s, p, d in SAME_CASES]


@pytest.mark.parametrize("k,s,padding,d", SAME_CASES, ids=CASE_IDS)
def test_conv2d_padding_matches_keras(k, s, padding, d):
    keras3 = import_keras3()
    args = dict(kernel_size=(k, k + 1 if k < 5 else k), strides=s, padding=padding,
                dilation_rate=d)
    _parity(keras3.layers.Conv2D(4, **args), layers.Conv2D(4, **args), _rand((2, 11, 10, 3)))


@pytest.mark.parametrize("k,s,padding,d", SAME_CASES, ids=CASE_IDS)
def test_conv1d_padding_matches_keras(k, s, padding, d):
    keras3 = import_keras3()
    args = dict(kernel_size=k, strides=s, padding=padding, dilation_rate=d)
    _parity(keras3.layers.Conv1D(4, **args), layers.Conv1D(4, **args), _rand((2, 11, 3)))


@pytest.mark.parametrize("k,s,d", [(2, 1, 1), (3, 1, 2), (4, 2, 1), (3, 3, 1)])
def test_conv1d_causal_matches_keras(k, s, d):
    keras3 = import_keras3()
    args = dict(kernel_size=k, strides=s, padding="causal", dilation_rate=d)
    out = _parity(keras3.layers.Conv1D(4, **args), layers.Conv1D(4, **args), _rand((2, 11, 3)))
    assert out.shape[1] == (11 - 1) // s + 1


def test_conv1d_causal_output_ignores_the_future():
    layer = layers.Conv1D(2, 3, padding="causal")
    x = torch.tensor(_rand((1, 8, 3)))
    y = layer(x)
    x2 = x.clone()
    x2[:, 5:] = 0.0
    torch.testing.assert_close(layer(x2)[:, :5], y[:, :5])


@pytest.mark.parametrize("groups", [1, 2, 4])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_groups_matches_keras(groups, padding):
    keras3 = import_keras3()
    args = dict(kernel_size=3, padding=padding, groups=groups, strides=2)
    _parity(keras3.layers.Conv2D(8, **args), layers.Conv2D(8, **args), _rand((2, 9, 9, 4)))
    layer = layers.Conv2D(8, 3, groups=groups)
    layer.build((None, 9, 9, 4))
    assert layer.kernel.shape == (3, 3, 4 // groups, 8)


def test_conv3d_same_stride_two_matches_keras():
    keras3 = import_keras3()
    args = dict(kernel_size=(2, 3, 4), strides=2, padding="same")
    _parity(keras3.layers.Conv3D(3, **args), layers.Conv3D(3, **args), _rand((2, 5, 6, 7, 2)))


def test_conv2d_channels_first_matches_keras():
    keras3 = import_keras3()
    args = dict(kernel_size=4, strides=3, padding="same", data_format="channels_first")
    _parity(keras3.layers.Conv2D(5, **args), layers.Conv2D(5, **args), _rand((2, 3, 10, 11)))


# ------------------------------------------------------------------------ transposed
def _transpose_cases():
    for k, s, padding, op in itertools.product([1, 2, 3, 4, 5], [1, 2, 3], ["same", "valid"],
                                               [None, 0, 1, 2]):
        if op is None or op < s:
            yield k, s, padding, op, 1
    for k, padding in itertools.product([2, 3], ["same", "valid"]):
        yield k, 1, padding, None, 2


TRANSPOSE_CASES = list(_transpose_cases())
TRANSPOSE_IDS = [f"k{k}-s{s}-{p}-op{op}-d{d}" for k, s, p, op, d in TRANSPOSE_CASES]


def _tf_rejects(k, padding, op, d):
    """tf.keras 2.21 raises for 'same' with an even dilated kernel and output_padding=0."""
    return padding == "same" and op == 0 and ((k - 1) * d + 1) % 2 == 0


@pytest.mark.parametrize("k,s,padding,op,d", TRANSPOSE_CASES, ids=TRANSPOSE_IDS)
def test_conv2d_transpose_matches_keras(k, s, padding, op, d):
    args = dict(kernel_size=k, strides=s, padding=padding, output_padding=op, dilation_rate=d)
    x = _rand((2, 5, 4, 3))
    if _tf_rejects(k, padding, op, d):  # Keras 3 on torch returns a tensor; TensorFlow is right
        layer = layers.Conv2DTranspose(4, **args)
        with pytest.raises(ValueError, match=f'"{layer.name}".*output_padding.*at least 1'):
            layer(torch.tensor(x))
        return
    keras3 = import_keras3()
    _parity(keras3.layers.Conv2DTranspose(4, **args), layers.Conv2DTranspose(4, **args), x)
    k_shape = keras3.layers.Conv2DTranspose(4, **args).compute_output_shape((None, 5, None, 3))
    t_shape = layers.Conv2DTranspose(4, **args).compute_output_shape((None, 5, None, 3))
    assert tuple(k_shape) == t_shape


@pytest.mark.parametrize("k,s,padding,op", [(3, 2, "same", None), (4, 2, "same", None),
                                            (3, 3, "valid", 1), (5, 2, "same", 1)])
def test_conv1d_and_conv3d_transpose_match_keras(k, s, padding, op):
    keras3 = import_keras3()
    args = dict(kernel_size=k, strides=s, padding=padding, output_padding=op)
    _parity(keras3.layers.Conv1DTranspose(4, **args), layers.Conv1DTranspose(4, **args),
            _rand((2, 6, 3)))
    _parity(keras3.layers.Conv3DTranspose(2, **args), layers.Conv3DTranspose(2, **args),
            _rand((1, 3, 4, 2, 3)))


@pytest.mark.parametrize("k,s", [(3, 2), (4, 2), (5, 3), (2, 3), (1, 2)])
def test_conv_transpose_same_is_the_gradient_of_tf_same_conv(k, s):
    """TensorFlow defines conv_transpose('same') as the input gradient of conv('same'); check it
    against autograd through our Conv2D, independently of Keras."""
    n = 5
    deconv = layers.Conv2DTranspose(3, k, strides=s, padding="same", use_bias=False)
    g = torch.tensor(_rand((1, n, n, 2)))
    y = deconv(g)
    assert y.shape == (1, n * s, n * s, 3)
    conv = layers.Conv2D(2, k, strides=s, padding="same", use_bias=False)
    conv.build((None, n * s, n * s, 3))
    conv.set_weights([deconv.get_weights()[0]])  # (k, k, 3, 2): conv in=3, out=2
    x = torch.zeros((1, n * s, n * s, 3), requires_grad=True)
    (conv(x) * g).sum().backward()
    torch.testing.assert_close(y, x.grad, atol=1e-5, rtol=1e-5)


def test_conv2d_transpose_channels_first_matches_keras():
    keras3 = import_keras3()
    args = dict(kernel_size=3, strides=2, padding="same", data_format="channels_first")
    _parity(keras3.layers.Conv2DTranspose(4, **args), layers.Conv2DTranspose(4, **args),
            _rand((2, 3, 5, 4)))


def test_conv_transpose_rejects_bad_arguments():
    with pytest.raises(ValueError, match="`output_padding` must be strictly less than"):
        layers.Conv2DTranspose(4, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="strides > 1"):
        layers.Conv2DTranspose(4, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="padding"):
        layers.Conv1DTranspose(4, 3, padding="causal")


# ------------------------------------------------------------------------ depthwise, separable
DW_CASES = [(k, s, p, m, d) for k, s, p, m, d in
            itertools.product([1, 2, 3, 4], [1, 2, 3], ["same", "valid"], [1, 3], [1, 2])
            if not (s > 1 and d > 1)]
DW_IDS = [f"k{k}-s{s}-{p}-m{m}-d{d}" for k, s, p, m, d in DW_CASES]


@pytest.mark.parametrize("k,s,padding,m,d", DW_CASES, ids=DW_IDS)
def test_depthwise_conv2d_matches_keras(k, s, padding, m, d):
    keras3 = import_keras3()
    args = dict(kernel_size=k, strides=s, padding=padding, depth_multiplier=m, dilation_rate=d)
    _parity(keras3.layers.DepthwiseConv2D(**args), layers.DepthwiseConv2D(**args),
            _rand((2, 9, 8, 3)))


@pytest.mark.parametrize("k,s,padding,m", [(3, 1, "same", 2), (4, 2, "same", 1),
                                           (3, 3, "valid", 2), (2, 2, "same", 3)])
def test_depthwise_conv1d_and_separable_match_keras(k, s, padding, m):
    keras3 = import_keras3()
    args = dict(kernel_size=k, strides=s, padding=padding, depth_multiplier=m)
    _parity(keras3.layers.DepthwiseConv1D(**args), layers.DepthwiseConv1D(**args),
            _rand((2, 9, 3)))
    _parity(keras3.layers.SeparableConv1D(5, **args), layers.SeparableConv1D(5, **args),
            _rand((2, 9, 3)))
    _parity(keras3.layers.SeparableConv2D(5, **args), layers.SeparableConv2D(5, **args),
            _rand((2, 9, 8, 3)))


def test_separable_conv2d_dilated_channels_first_matches_keras():
    keras3 = import_keras3()
    args = dict(kernel_size=3, dilation_rate=2, padding="same", data_format="channels_first",
                depth_multiplier=2, activation="relu")
    _parity(keras3.layers.SeparableConv2D(4, **args), layers.SeparableConv2D(4, **args),
            _rand((2, 3, 9, 8)))


def test_depthwise_kernel_layout_is_keras_and_round_trips():
    layer = layers.DepthwiseConv2D(2, depth_multiplier=2, use_bias=False)
    layer.build((None, 5, 5, 3))
    kernel = np.arange(2 * 2 * 3 * 2, dtype="float32").reshape(2, 2, 3, 2)
    layer.set_weights([kernel])
    np.testing.assert_array_equal(layer.get_weights()[0], kernel)
    # torch output channel c * mult + m holds input channel c's filter m.
    np.testing.assert_array_equal(layer.weight.detach().numpy()[1 * 2 + 1, 0], kernel[:, :, 1, 1])


def test_separable_weights_names_and_shapes():
    layer = layers.SeparableConv2D(4, 3, depth_multiplier=2)
    layer.build((None, 8, 8, 3))
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("depthwise_kernel", (3, 3, 3, 2)), ("pointwise_kernel", (1, 1, 6, 4)),
        ("bias", (4,))]


def test_depthwise_rejects_bad_arguments():
    with pytest.raises(ValueError, match="depth_multiplier"):
        layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="padding"):
        layers.DepthwiseConv1D(3, padding="causal")
    with pytest.raises(ValueError, match="filters"):
        layers.SeparableConv2D(0, 3)


# ------------------------------------------------------------------------ shapes and errors
SYMBOLIC = [
    ("Conv2D", (8, 3), dict(strides=2, padding="same"), (None, 9, 7, 3)),
    ("Conv1D", (8, 4), dict(padding="causal", dilation_rate=2), (None, 10, 3)),
    ("Conv3D", (2, 3), dict(strides=(1, 2, 3)), (None, 6, 7, 8, 2)),
    ("Conv1DTranspose", (4, 3), dict(strides=2), (None, 7, 3)),
    ("Conv2DTranspose", (4, 3), dict(strides=2, padding="same", output_padding=1),
     (None, 5, None, 3)),
    ("Conv3DTranspose", (4, 2), dict(strides=2), (None, 3, 4, 5, 2)),
    ("DepthwiseConv1D", (3,), dict(depth_multiplier=2), (None, 10, 3)),
    ("DepthwiseConv2D", (3,), dict(strides=2, padding="same"), (None, 9, 8, 3)),
    ("SeparableConv1D", (5, 3), dict(), (None, 10, 3)),
    ("SeparableConv2D", (5, 3), dict(strides=2, padding="same"), (None, 9, 8, 3)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_symbolic_shape_and_param_count_match_keras(name, args, kwargs, shape):
    keras3 = import_keras3()
    keras3.backend.clear_session()
    k_layer = getattr(keras3.layers, name)(*args, **kwargs)
    t_layer = getattr(layers, name)(*args, **kwargs)
    k_out = k_layer(keras3.Input(batch_shape=shape))
    t_out = t_layer(kerastorch.Input(batch_shape=shape))
    assert t_out.shape == tuple(k_out.shape)
    assert t_layer.count_params() == k_layer.count_params()
    assert t_layer.name == k_layer.name


@pytest.mark.parametrize("name,args", [("Conv2D", (4, 3)), ("Conv2DTranspose", (4, 3)),
                                       ("DepthwiseConv2D", (3,)), ("SeparableConv2D", (4, 3))])
def test_wrong_rank_or_channels_raise_value_error(name, args):
    layer = getattr(layers, name)(*args)
    with pytest.raises(ValueError, match="ndim"):
        layer(torch.zeros(2, 8, 3))
    layer(torch.zeros(1, 8, 8, 3))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(torch.zeros(1, 8, 8, 5))


def test_conv_output_too_small_raises():
    with pytest.raises(ValueError, match="negative"):
        layers.Conv2D(4, 5)(kerastorch.Input((3, 3, 1)))


def test_conv2d_groups_must_divide_channels():
    with pytest.raises(ValueError, match="groups"):
        layers.Conv2D(4, 3, groups=2)(torch.zeros(1, 5, 5, 3))
    with pytest.raises(ValueError, match="groups"):
        layers.Conv2D(3, 3, groups=2)


@pytest.mark.parametrize("name,args", [("Conv2DTranspose", (4, 3)), ("DepthwiseConv2D", (3,)),
                                       ("SeparableConv2D", (4, 3))])
def test_config_round_trip(name, args):
    layer = getattr(layers, name)(*args, strides=2, padding="same")
    clone = type(layer).from_config(layer.get_config())
    x = torch.tensor(_rand((1, 6, 6, 2)))
    layer(x)
    clone(x)
    clone.set_weights(layer.get_weights())
    torch.testing.assert_close(clone(x), layer(x))


@pytest.mark.parametrize("name", ["Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose",
                                  "Conv2DTranspose", "Conv3DTranspose"])
def test_conv_and_transpose_config_match_keras3(name):
    keras3 = import_keras3()
    kwargs = dict(strides=2, padding="same", activation="relu", use_bias=False,
                  kernel_initializer="he_normal", name="c")
    if "Transpose" in name:
        kwargs["output_padding"] = 1
    ours = getattr(layers, name)(4, 3, **kwargs).get_config()
    theirs = getattr(keras3.layers, name)(4, 3, **kwargs).get_config()
    assert list(ours) == list(theirs)  # the same keys in the same order
    for key in ("filters", "kernel_size", "strides", "padding", "dilation_rate", "use_bias",
                "activation", "output_padding", "groups"):
        if key in theirs:
            assert tuple(np.ravel(ours[key])) == tuple(np.ravel(theirs[key])), key
    assert ours["kernel_initializer"]["class_name"] == theirs["kernel_initializer"]["class_name"]


def test_gradients_reach_keras_views():
    layer = layers.SeparableConv2D(3, 3, padding="same", depthwise_regularizer=None)
    y = layer(torch.tensor(_rand((1, 6, 6, 2))))
    y.sum().backward()
    assert layer.weight.grad is not None and layer.pointwise_weight.grad is not None
    assert layer.depthwise_kernel.value.requires_grad


def test_two_sgd_epochs_match_keras():
    """Gradients through the depthwise/separable/transposed kernel views equal Keras's."""
    keras3 = import_keras3()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 8, 8, 3)).astype("float32")
    y = rng.standard_normal((4, 2)).astype("float32")

    def build(k):
        layers_ = k.layers
        return k.Sequential([k.Input((8, 8, 3)),
                             layers_.SeparableConv2D(4, 3, padding="same", depth_multiplier=2),
                             layers_.DepthwiseConv2D(3, strides=2, padding="same"),
                             layers_.Conv2DTranspose(3, 3, strides=2, padding="same"),
                             layers_.Conv2D(4, 4, strides=3, padding="same", groups=1),
                             layers_.GlobalAveragePooling2D(), layers_.Dense(2)])
    km, tm = build(keras3), build(kerastorch)
    tm.set_weights(km.get_weights())
    km.compile(optimizer=keras3.optimizers.SGD(0.05), loss="mse")
    tm.compile(optimizer=kerastorch.optimizers.SGD(0.05), loss="mse")
    hk = km.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    ht = tm.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(ht.history["loss"], hk.history["loss"], rtol=1e-5)
    for a, b in zip(km.get_weights(), tm.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, atol=ATOL)


# ------------------------------------------------------------------ activation layout
# The kernels run on an NCHW view; an activation that reduces over an axis must still see the
# user's layout (issue 14: a per-pixel softmax Conv2D reduced over the wrong axis).
def _axis_reducing_cases():
    import kerastorch
    L = kerastorch.layers
    return [(L.Conv1D, dict(filters=3, kernel_size=2), (2, 5, 4)),
            (L.Conv2D, dict(filters=3, kernel_size=1), (2, 4, 5, 4)),
            (L.Conv3D, dict(filters=3, kernel_size=2), (1, 3, 4, 3, 2)),
            (L.Conv1DTranspose, dict(filters=3, kernel_size=2), (2, 5, 4)),
            (L.Conv2DTranspose, dict(filters=3, kernel_size=2, strides=2), (2, 3, 4, 4)),
            (L.Conv3DTranspose, dict(filters=3, kernel_size=2), (1, 3, 3, 2, 2)),
            (L.SeparableConv1D, dict(filters=3, kernel_size=2), (2, 5, 4)),
            (L.SeparableConv2D, dict(filters=3, kernel_size=2), (2, 4, 5, 4)),
            (L.DepthwiseConv1D, dict(kernel_size=2, depth_multiplier=2), (2, 5, 4)),
            (L.DepthwiseConv2D, dict(kernel_size=2, depth_multiplier=2), (2, 4, 5, 4))]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("activation", ["softmax", "log_softmax", "callable"])
@pytest.mark.parametrize("case", range(10))
def test_conv_activation_reducing_over_last_axis_sees_the_users_layout(case, activation,
                                                                       data_format):
    cls, kwargs, shape = _axis_reducing_cases()[case]
    if data_format == "channels_first":
        shape = (shape[0], shape[-1]) + shape[1:-1]

    def last_axis_softmax(x):
        return torch.softmax(x, dim=-1)

    act = last_axis_softmax if activation == "callable" else activation
    torch.manual_seed(case)
    x = torch.randn(shape)
    with_act = cls(activation=act, data_format=data_format, **kwargs)
    linear = cls(data_format=data_format, **kwargs)
    y = with_act(x)
    linear(x)
    linear.set_weights(with_act.get_weights())
    pre = linear(x)
    expected = (torch.log_softmax(pre, dim=-1) if activation == "log_softmax"
                else torch.softmax(pre, dim=-1))
    torch.testing.assert_close(y, expected, atol=1e-6, rtol=1e-6)
