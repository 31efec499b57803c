"""Sequential, Layer basics, weights, naming, trainable, summary options, devices."""

import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import kerastorch as keras
from kerastorch import layers
from kerastorch import ops


def mlp(input_shape=None):
    stack = [keras.Input(shape=input_shape)] if input_shape else []
    return keras.Sequential(stack + [layers.Dense(2, activation="relu"), layers.Dense(3)])


# ----------------------------------------------------------------------------- names
def test_auto_names_count_per_class_and_named_layers_do_not_consume():
    a, named, b = layers.Dense(1), layers.Dense(1, name="x"), layers.Dense(1)
    assert (a.name, named.name, b.name) == ("dense", "x", "dense_1")
    assert layers.Conv2D(1, 1).name == "conv2d"
    assert layers.MaxPooling2D().name == "max_pooling2d"
    assert layers.GlobalMaxPool2D().name == "global_max_pooling2d"
    assert keras.Sequential().name == "sequential"
    assert keras.Sequential().name == "sequential_1"


def test_clear_session_resets_counters():
    layers.Dense(1), layers.Dense(1)
    keras.backend.clear_session()
    assert layers.Dense(1).name == "dense"


def test_duplicate_names_in_sequential_raise():
    model = keras.Sequential([layers.Dense(2, name="a")])
    with pytest.raises(ValueError, match='Name "a" is already the name of a layer'):
        model.add(layers.Dense(2, name="a"))


def test_unknown_constructor_argument_raises_type_error():
    with pytest.raises(TypeError, match="'units_typo'"):
        layers.Dense(2, units_typo=3)
    with pytest.raises(TypeError, match="foo"):
        layers.Conv2D(2, 3, foo=1)


def test_invalid_argument_values_raise_value_error():
    with pytest.raises(ValueError, match="units"):
        layers.Dense(0)
    with pytest.raises(ValueError, match="padding"):
        layers.Conv2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="kernel_size"):
        layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="Could not interpret activation"):
        layers.Dense(2, activation="nope")


def test_add_non_layer_raises_type_error():
    with pytest.raises(TypeError, match="must be an instance of class Layer"):
        keras.Sequential().add("dense")


# ----------------------------------------------------------------------------- structure
def test_add_pop_layers_and_get_layer():
    model = keras.Sequential(name="my_sequential")
    model.add(layers.Dense(2, name="layer1"))
    model.add(layers.Dense(3, name="layer2"))
    assert model.name == "my_sequential"
    assert model.get_layer(name="layer2") is model.layers[1]
    assert model.get_layer(index=0) is model.layers[0]
    model.pop()
    assert [layer.name for layer in model.layers] == ["layer1"]
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="index 5 but model only has 1 layers"):
        model.get_layer(index=5)
    model.pop()
    with pytest.raises(TypeError, match="no layers"):
        model.pop()


def test_pop_on_built_model_updates_outputs():
    model = mlp((4,))
    model.pop()
    assert model.outputs[0].shape == (None, 2)
    assert tuple(model(ops.ones((5, 4))).shape) == (5, 2)
    assert model.count_params() == 10


def test_build_with_input_shape():
    model = mlp()
    model.build((None, 4))
    assert model.built and len(model.weights) == 4
    assert [layer.output_shape for layer in model.layers] == [(None, 2), (None, 3)]


def test_input_shape_argument_and_input_layer_excluded():
    model = keras.Sequential([layers.Dense(2, input_shape=(4,)), layers.Dense(1)])
    assert model.built and len(model.layers) == 2
    assert model.inputs[0].shape == (None, 4)
    assert model.layers[0].input_shape == (None, 4)
    assert model.layers[1].output_shape == (None, 1)


def test_layer_input_output_attributes_when_built():
    model = mlp((4,))
    first, second = model.layers
    assert first.input is model.inputs[0]
    assert second.input is first.output
    assert model.outputs[0] is second.output


def test_call_on_numpy_float64_uses_floatx():
    model = mlp((4,))
    y = model(np.ones((2, 4)))
    assert y.dtype == torch.float32
    layer = layers.Dense(3)
    assert layer(np.ones((1, 4), dtype="float64")).dtype == torch.float32


def test_training_argument_is_passed_down():
    seen = []

    class Probe(layers.Layer):
        def call(self, inputs, training=None):
            if inputs.device.type != "meta":  # shape inference runs call() on meta tensors
                seen.append(self.training if training is None else training)
            return inputs

    model = keras.Sequential([layers.Dense(2), Probe()])
    x = ops.ones((1, 3))
    model(x)
    model(x, training=True)
    model(x, training=False)
    assert seen == [False, True, False]


# ----------------------------------------------------------------------------- weights
def test_weights_are_views_of_parameters():
    layer = layers.Dense(3)
    layer(ops.ones((1, 4)))
    kernel, bias = layer.weights
    assert kernel.shape == (4, 3) and tuple(layer.weight.shape) == (3, 4)
    kernel.assign(np.arange(12, dtype="float32").reshape(4, 3))
    np.testing.assert_array_equal(layer.weight.detach().numpy(),
                                  np.arange(12, dtype="float32").reshape(4, 3).T)
    with torch.no_grad():
        layer.bias.fill_(7.0)
    np.testing.assert_array_equal(bias.numpy(), [7, 7, 7])
    assert kernel.trainable and kernel.name == "kernel" and kernel.path == "dense/kernel"


def test_assign_wrong_shape_raises():
    layer = layers.Dense(3)
    layer(ops.ones((1, 4)))
    with pytest.raises(ValueError, match=r"\(4, 3\)"):
        layer.weights[0].assign(np.zeros((3, 4)))


def test_get_set_weights_keras_layout_and_errors():
    model = mlp((4,))
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(4, 2), (2,), (2, 3), (3,)]
    new = [np.full(s, i, dtype="float32") for i, s in enumerate(shapes)]
    model.set_weights(new)
    for got, want in zip(model.get_weights(), new, strict=True):
        np.testing.assert_array_equal(got, want)
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"sequential.*length 3.*expecting 4"):
        model.set_weights(new[:3])
    bad = list(new)
    bad[3] = np.zeros((4,), dtype="float32")
    with pytest.raises(ValueError, match=r"weight shape \(3,\).*\(4,\).*dense_1/bias"):
        model.set_weights(bad)
    # Nothing changed: the shape check happens before any assignment.
    for got, want in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(got, want)


def test_conv_kernel_keras_layout():
    conv = layers.Conv2D(4, (3, 2))
    conv(ops.ones((1, 8, 8, 5)))
    assert conv.weights[0].shape == (3, 2, 5, 4)
    assert tuple(conv.weight.shape) == (4, 5, 3, 2)
    k = np.random.default_rng(0).normal(size=(3, 2, 5, 4)).astype("float32")
    conv.set_weights([k, np.zeros(4, dtype="float32")])
    np.testing.assert_array_equal(conv.get_weights()[0], k)


def test_count_params_unbuilt_raises():
    with pytest.raises(ValueError, match="isn't built"):
        layers.Dense(2).count_params()


def test_glorot_uniform_and_zeros_initialisation():
    layer = layers.Dense(300)
    layer(ops.ones((1, 200)))
    kernel = layer.get_weights()[0]
    limit = np.sqrt(6 / 500)
    assert np.abs(kernel).max() <= limit
    assert abs(kernel.std() - limit / np.sqrt(3)) < 0.01 * limit
    assert not layer.get_weights()[1].any()


# ----------------------------------------------------------------------------- trainable
def test_trainable_flag_sets_requires_grad_and_summary_counts():
    model = mlp((4,))
    model.layers[0].trainable = False
    assert [p.requires_grad for p in model.parameters()] == [False, False, True, True]
    assert [w.path for w in model.trainable_weights] == ["dense_1/kernel", "dense_1/bias"]
    lines = []
    model.summary(print_fn=lines.append)
    assert "Trainable params: 9" in lines and "Non-trainable params: 10" in lines
    model.trainable = False
    assert not any(p.requires_grad for p in model.parameters())
    model.trainable = True
    assert all(p.requires_grad for p in model.parameters())
    assert model.layers[0].trainable


# ----------------------------------------------------------------------------- errors
def test_wrong_last_dimension_raises_value_error_naming_layer_and_shapes():
    model = mlp((4,))
    with pytest.raises(ValueError) as err:
        model(ops.ones((2, 5)))
    message = str(err.value)
    assert "(2, 5)" in message and ("sequential" in message or "dense" in message)


def test_wrong_rank_raises_value_error():
    model = mlp((4,))
    with pytest.raises(ValueError, match=r"expected shape=\(None, 4\), found shape=\(4,\)"):
        model(ops.ones((4,)))
    conv = layers.Conv2D(2, 3)
    with pytest.raises(ValueError, match=r'"conv2d".*expected ndim=4, found ndim=3'):
        conv(ops.ones((8, 8, 3)))


def test_symbolic_incompatible_shape_raises_at_add():
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])
    model.layers[0]  # built
    dense = layers.Dense(3)
    dense(ops.ones((1, 7)))
    with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 7"):
        model.add(dense)


def test_conv_output_would_be_negative():
    model = keras.Sequential([keras.Input(shape=(4, 4, 1))])
    with pytest.raises(ValueError, match="negative"):
        model.add(layers.Conv2D(1, 5))


# ----------------------------------------------------------------------------- summary options
def test_summary_show_trainable_and_line_length():
    model = mlp((4,))
    model.layers[0].trainable = False
    lines = []
    model.summary(print_fn=lines.append, show_trainable=True)
    assert len(lines[1]) == 76
    assert lines[2].rstrip().endswith("Trainable")
    assert lines[4].rstrip().endswith("N") and lines[6].rstrip().endswith("Y")
    lines = []
    model.summary(print_fn=lines.append, line_length=80, positions=[0.5, 0.8, 1.0])
    assert all(len(line) == 80 for line in lines if line.startswith((" ", "_", "=")))
    assert lines[4].index("(None, 2)") == 40


def test_summary_of_nested_sequential_expand_nested():
    inner = keras.Sequential([layers.Dense(3, name="inner_dense")], name="inner")
    outer = keras.Sequential([keras.Input(shape=(2,)), inner, layers.Dense(1)])
    lines = []
    outer.summary(print_fn=lines.append)
    assert any(line.startswith(" inner (Sequential)") and "(None, 3)" in line for line in lines)
    lines = []
    outer.summary(print_fn=lines.append, expand_nested=True)
    assert any(line.startswith("| inner_dense (Dense)") for line in lines)
    assert tuple(outer(ops.ones((5, 2))).shape) == (5, 1)
    assert outer.count_params() == 9 + 4


# ----------------------------------------------------------------------------- torch world
def test_state_dict_round_trip_into_a_fresh_model():
    model = mlp((4,))
    state = model.state_dict()
    assert list(state) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    keras.backend.clear_session()
    layers.Dense(1)  # different counters in the new "process"
    other = mlp((4,))
    other.load_state_dict(state)
    x = torch.randn(3, 4)
    torch.testing.assert_close(other(x), model(x))


def test_state_dict_matches_nn_sequential_of_linear():
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2), layers.Dense(3)])
    twin = torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Linear(2, 3))
    twin.load_state_dict(model.state_dict())
    x = torch.randn(3, 4)
    torch.testing.assert_close(twin(x), model(x))


def test_model_to_device_moves_parameters_and_views():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = mlp((4,)).to(device)
    assert all(p.device.type == device for p in model.parameters())
    assert model(torch.ones(2, 4, device=device)).device.type == device
    assert model.weights[0].numpy().shape == (4, 2)
    model.to(torch.float64)
    assert model.weights[0].dtype == "float64"


def test_lazy_build_on_input_device():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    layer = layers.Dense(2)
    layer(torch.ones(1, 3, device=device))
    assert layer.weight.device.type == device


def test_parameters_and_optimizer_see_all_weights():
    model = mlp((4,))
    assert sum(p.numel() for p in model.parameters()) == model.count_params() == 19
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    before = model.get_weights()
    model(torch.randn(8, 4)).sum().backward()
    opt.step()
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


# ----------------------------------------------------------------------------- NHWC numerics
@pytest.mark.parametrize("kernel,strides,padding,dilation", [
    (3, 1, "valid", 1), (5, 2, "valid", 1), (3, 1, "same", 1), (4, 2, "same", 1),
    (2, 1, "same", 1), (3, 1, "same", 2), ((3, 1), (2, 1), "same", 1),
])
def test_conv_nhwc_equals_torch_nchw(kernel, strides, padding, dilation):
    x = torch.randn(2, 11, 10, 3)
    conv = layers.Conv2D(4, kernel, strides=strides, padding=padding, dilation_rate=dilation)
    y = conv(x)
    xc = x.permute(0, 3, 1, 2)
    if padding == "same" and strides != 1:
        # TensorFlow's asymmetric padding, written out by hand.
        kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
        sh, sw = (strides, strides) if isinstance(strides, int) else strides
        def pads(n, k, s):
            total = max((-(-n // s) - 1) * s + k - n, 0)
            return total // 2, total - total // 2
        (t, b), (l, r) = pads(11, kh, sh), pads(10, kw, sw)
        expected = F.conv2d(F.pad(xc, [l, r, t, b]), conv.weight, conv.bias, strides)
    else:
        expected = F.conv2d(xc, conv.weight, conv.bias, strides,
                            padding if padding == "same" else 0, dilation)
    torch.testing.assert_close(y, expected.permute(0, 2, 3, 1), atol=1e-5, rtol=0)
    assert tuple(y.shape) == conv.compute_output_shape((2, 11, 10, 3))


@pytest.mark.parametrize("pool,strides,padding", [(3, None, "valid"), (2, 1, "valid"),
                                                  (3, 2, "same"), (2, 2, "same")])
def test_max_pool_nhwc_equals_torch_nchw(pool, strides, padding):
    x = torch.randn(2, 9, 8, 3)
    layer = layers.MaxPooling2D(pool, strides=strides, padding=padding)
    y = layer(x)
    s = strides or pool
    xc = x.permute(0, 3, 1, 2)
    if padding == "same":
        def pads(n):
            total = max((-(-n // s) - 1) * s + pool - n, 0)
            return total // 2, total - total // 2
        (t, b), (l, r) = pads(9), pads(8)
        xc = F.pad(xc, [l, r, t, b], value=float("-inf"))
    expected = F.max_pool2d(xc, pool, s)
    torch.testing.assert_close(y, expected.permute(0, 2, 3, 1))
    assert tuple(y.shape) == layer.compute_output_shape((2, 9, 8, 3))


def test_channels_first_data_format():
    x = torch.randn(2, 3, 12, 12)
    conv = layers.Conv2D(4, 3, data_format="channels_first")
    pool = layers.MaxPooling2D(2, data_format="channels_first")
    gmp = layers.GlobalMaxPooling2D(data_format="channels_first")
    y = gmp(pool(conv(x)))
    expected = F.max_pool2d(F.conv2d(x, conv.weight, conv.bias), 2).amax(dim=(2, 3))
    torch.testing.assert_close(y, expected)
    assert keras.backend.image_data_format() == "channels_last"


def test_global_max_pooling_keepdims():
    x = torch.randn(2, 5, 4, 3)
    assert tuple(layers.GlobalMaxPooling2D(keepdims=True)(x).shape) == (2, 1, 1, 3)
    torch.testing.assert_close(layers.GlobalMaxPooling2D()(x), x.amax(dim=(1, 2)))


def test_conv_output_is_contiguous_nhwc_without_copy_of_input():
    """The NCHW view of an NHWC input is channels_last: torch's conv returns channels_last,
    so the NHWC output is contiguous."""
    conv = layers.Conv2D(8, 3, padding="same")
    y = conv(torch.randn(2, 16, 16, 3))
    assert y.is_contiguous()


# ----------------------------------------------------------------------------- activations
@pytest.mark.parametrize("name,fn", [
    ("relu", torch.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh),
    ("softmax", lambda x: torch.softmax(x, -1)), ("linear", lambda x: x), ("elu", F.elu),
    ("selu", F.selu), ("gelu", F.gelu), ("swish", F.silu), ("softplus", F.softplus),
])
def test_activations_by_name(name, fn):
    layer = layers.Dense(4, activation=name)
    x = torch.randn(3, 2)
    torch.testing.assert_close(layer(x), fn(F.linear(x, layer.weight, layer.bias)))


def test_activation_by_callable():
    layer = layers.Dense(4, activation=lambda t: t * 2)
    x = torch.randn(3, 2)
    torch.testing.assert_close(layer(x), 2 * F.linear(x, layer.weight, layer.bias))


def test_summary_prints_to_stdout_by_default(capsys):
    mlp((4,)).summary()
    out = capsys.readouterr().out
    assert out.startswith('Model: "sequential"\n' + "_" * 65 + "\n")
    assert out.endswith("Non-trainable params: 0\n" + "_" * 65 + "\n")


def test_model_call_on_list_input_numpy():
    model = mlp((4,))
    assert tuple(model([[1.0, 2.0, 3.0, 4.0]]).shape) == (1, 3)
    buf = io.StringIO()
    print(model.layers, file=buf)
    assert "Dense" in buf.getvalue()
