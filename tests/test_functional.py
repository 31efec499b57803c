"""Functional API, subclassed models, custom layers, feature extraction, and Keras 3 parity."""

import weakref

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from tests.keras3 import import_keras3

ATOL = 1e-5


class RecordTraining(layers.Layer):
    """Identity layer that records the mode (`training` or, when None, its own) of each call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.modes = []

    def call(self, inputs, training=None):
        self.modes.append(self.training if training is None else training)
        return inputs


class CountCalls(layers.Layer):
    """Identity layer counting real calls; symbolic calls must not reach `call`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def call(self, inputs):
        self.calls += 1
        return inputs * 2

    def compute_output_shape(self, input_shape):
        return input_shape


def summary_text(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ symbolic tensors
def test_input_is_symbolic_with_batch_none_and_dtype():
    x = keras.Input(shape=(784,))
    assert x.shape == (None, 784) and x.dtype == "float32"
    assert keras.Input((3,), dtype="int32").dtype == "int32"
    assert keras.Input(batch_shape=(8, 3)).shape == (8, 3)


def test_layer_on_symbolic_tensor_records_a_node_without_compute():
    x = keras.Input((4,))
    layer = CountCalls()
    y = layer(x)
    assert isinstance(y, layers.KerasTensor) and y.shape == (None, 4)
    assert layer.calls == 0
    assert y._keras_history[0] is layer and len(layer._inbound_nodes) == 1
    assert layer.input is x and layer.output is y
    assert layer.input_shape == (None, 4) and layer.output_shape == (None, 4)


def test_dense_shape_inference_builds_weights():
    y = layers.Dense(3, name="d")(keras.Input((5,)))
    layer = y._keras_history[0]
    assert y.shape == (None, 3) and layer.built
    assert [w.shape for w in layer.weights] == [(5, 3), (3,)]


# ------------------------------------------------------------------ Model(inputs, outputs)
def two_branch():
    inputs = keras.Input((6,), name="x")
    h = layers.Dense(5, activation="relu", name="h")(inputs)
    a = layers.Dense(4, name="a")(h)
    b = layers.Dense(4, name="b")(h)
    out = layers.Add(name="sum")([a, b])
    return keras.Model(inputs, out, name="branchy")


def test_single_tensor_model_runs_layers_in_graph_order():
    model = two_branch()
    x = torch.randn(3, 6)
    h = model.get_layer("h")(x)
    expected = model.get_layer("a")(h) + model.get_layer("b")(h)
    torch.testing.assert_close(model(x), expected)
    assert [layer.name for layer in model.layers] == ["x", "h", "a", "b", "sum"]
    assert isinstance(model.layers[0], layers.InputLayer)
    assert model.input is model.inputs[0] and model.output is model.outputs[0]
    assert model.input_shape == (None, 6) and model.output_shape == (None, 4)


def test_list_inputs_and_outputs():
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    merged = layers.concatenate([a, b])
    o1 = layers.Dense(4, name="o1")(merged)
    o2 = layers.Dense(1, name="o2")(b)
    model = keras.Model([a, b], [o1, o2])
    assert model.inputs == [a, b] and model.outputs == [o1, o2]
    assert model.input == [a, b] and model.output == [o1, o2]
    xa, xb = torch.randn(2, 3), torch.randn(2, 2)
    out = model([xa, xb])
    assert isinstance(out, list) and [tuple(t.shape) for t in out] == [(2, 4), (2, 1)]
    torch.testing.assert_close(out[0], model.get_layer("o1")(torch.cat([xa, xb], -1)))
    torch.testing.assert_close(out[1], model.get_layer("o2")(xb))
    # A dict keyed by the Input names works for list inputs too.
    out_dict = model({"b": xb, "a": xa})
    torch.testing.assert_close(out_dict[0], out[0])


def test_dict_inputs_and_outputs():
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    o1 = layers.Dense(4)(a)
    o2 = layers.Dense(1)(b)
    model = keras.Model({"a": a, "b": b}, {"first": o1, "second": o2})
    xa, xb = torch.randn(2, 3), torch.randn(2, 2)
    out = model({"a": xa, "b": xb, "unused": xa})
    assert isinstance(out, dict) and list(out) == ["first", "second"]
    assert tuple(out["first"].shape) == (2, 4) and tuple(out["second"].shape) == (2, 1)
    torch.testing.assert_close(out["second"], o2._keras_history[0](xb))
    with pytest.raises(ValueError, match="missing"):
        model({"a": xa})


def test_outputs_list_of_one_returns_a_tensor_as_keras_does():
    x = keras.Input((3,))
    model = keras.Model([x], [layers.Dense(2)(x)])
    out = model(torch.ones(1, 3))
    assert isinstance(out, torch.Tensor) and tuple(out.shape) == (1, 2)
    assert isinstance(model.output, list)


def test_wrong_number_of_inputs_is_a_value_error():
    a, b = keras.Input((3,)), keras.Input((3,))
    model = keras.Model([a, b], layers.add([a, b]))
    with pytest.raises(ValueError, match="expects 2 input"):
        model([torch.ones(1, 3)] * 3)


def test_get_layer_by_name_and_index():
    model = two_branch()
    assert model.get_layer("a") is model.layers[2]
    assert model.get_layer(index=4).name == "sum"
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="at index 9"):
        model.get_layer(index=9)


def test_model_is_a_torch_module_with_structural_state_dict_keys():
    model = two_branch()
    assert isinstance(model, torch.nn.Module)
    assert sorted(model.state_dict()) == ["1.bias", "1.weight", "2.bias", "2.weight",
                                          "3.bias", "3.weight"]
    assert model.count_params() == 6 * 5 + 5 + 2 * (5 * 4 + 4)


# ------------------------------------------------------------------ shared layers
def test_shared_layer_one_set_of_weights_two_nodes():
    a, b = keras.Input((4,), name="left"), keras.Input((4,), name="right")
    shared = layers.Dense(3, name="shared")
    sa, sb = shared(a), shared(b)
    model = keras.Model([a, b], layers.subtract([sa, sb]))
    assert len(shared._inbound_nodes) == 2
    assert shared.input is a and shared.output is sa
    assert sb._keras_history[:2] == (shared, 1)
    assert model.count_params() == 4 * 3 + 3
    assert len(list(model.parameters())) == 2
    xa, xb = torch.randn(2, 4), torch.randn(2, 4)
    torch.testing.assert_close(model([xa, xb]), (xa - xb) @ shared.kernel.value)
    text = summary_text(model)
    assert " shared (Dense)                 (None, 3)            15          ['left[0][0]',  " \
        in text
    assert "'right[0][0]']" in text
    assert "['shared[0][0]'," in text and "'shared[1][0]']" in text


def test_shared_layer_with_different_shapes_has_no_single_input_shape():
    shared = layers.Conv2D(2, 1)
    shared(keras.Input((4, 4, 3)))
    shared(keras.Input((8, 8, 3)))
    # Keras 2 raises AttributeError here (torch's Module.__getattr__ rewrites its message).
    with pytest.raises(AttributeError):
        shared.input_shape
    assert [n.input_shapes for n in shared._inbound_nodes] == [(None, 4, 4, 3), (None, 8, 8, 3)]


# ------------------------------------------------------------------ nesting
def test_sequential_inside_functional_shares_weights_and_runs():
    head = keras.Sequential([layers.Dense(3), layers.Dense(2)], name="head")
    inputs = keras.Input((5,))
    outputs = head(layers.Dense(4, name="pre")(inputs))
    model = keras.Model(inputs, outputs)
    assert [layer.name for layer in model.layers] == ["input_1", "pre", "head"]
    x = torch.randn(2, 5)
    torch.testing.assert_close(model(x), head(model.get_layer("pre")(x)))
    ids = {id(p) for p in model.parameters()}
    assert all(id(p) in ids for p in head.parameters())
    assert model.count_params() == 5 * 4 + 4 + 4 * 3 + 3 + 3 * 2 + 2


def test_sequential_inside_sequential_and_expand_nested_summary():
    inner = keras.Sequential([layers.Dense(4), layers.Dense(3)], name="inner")
    outer = keras.Sequential([keras.Input((5,)), inner, layers.Dense(2)], name="outer")
    x = torch.randn(2, 5)
    torch.testing.assert_close(outer(x), outer.layers[1](inner(x)))
    expected = (
        'Model: "outer"\n'
        "_________________________________________________________________\n"
        " Layer (type)                Output Shape              Param #   \n"
        "=================================================================\n"
        " inner (Sequential)          (None, 3)                 39        \n"
        "|\u00af\u00af" + "\u00af" * 59 + "\u00af\u00af|\n"
        "| dense (Dense)             (None, 4)                 24        |\n"
        "|                                                               |\n"
        "| dense_1 (Dense)           (None, 3)                 15        |\n"
        + "\u00af" * 65 + "\n"
        " dense_2 (Dense)             (None, 2)                 8         \n"
        "                                                                 \n"
        "=================================================================\n"
        "Total params: 47\n"
        "Trainable params: 47\n"
        "Non-trainable params: 0\n"
        "_________________________________________________________________\n")
    assert summary_text(outer, expand_nested=True) == expected


class BatchNormalization(layers.Layer):
    """Stand-in with Keras's BatchNormalization weights (2 trainable, 2 not) for the summary."""

    def build(self, input_shape):
        n = input_shape[-1]
        for name, trainable in [("gamma", True), ("beta", True), ("moving_mean", False),
                                ("moving_variance", False)]:
            self.add_weight(shape=(n,), initializer="ones", trainable=trainable, name=name)

    def call(self, inputs):
        return inputs


def test_expand_nested_summary_matches_keras2_test_suite():
    """The model and expected text of tf.keras 2's `test_print_summary_expand_nested`."""
    shape = (None, None, 3)

    def make_model():
        x = inputs = keras.Input(shape)
        x = layers.Conv2D(3, 1)(x)
        x = BatchNormalization()(x)
        return keras.Model(inputs, x)

    x = inner_inputs = keras.Input(shape)
    x = make_model()(x)
    inner_model = keras.Model(inner_inputs, x)
    inputs = keras.Input(shape)
    model = keras.Model(inputs, inner_model(inputs))
    bar = "\u00af"
    expected = (
        'Model: "model_2"\n'
        "_________________________________________________________________\n"
        " Layer (type)                Output Shape              Param #   \n"
        "=================================================================\n"
        " input_3 (InputLayer)        [(None, None, None, 3)]   0         \n"
        "                                                                 \n"
        " model_1 (Functional)        (None, None, None, 3)     24        \n"
        "|" + bar * 63 + "|\n"
        "| input_1 (InputLayer)      [(None, None, None, 3)]   0         |\n"
        "|                                                               |\n"
        "| model (Functional)        (None, None, None, 3)     24        |\n"
        "||" + bar * 61 + "||\n"
        "|| input_2 (InputLayer)    [(None, None, None, 3)]   0         ||\n"
        "||                                                             ||\n"
        "|| conv2d (Conv2D)         (None, None, None, 3)     12        ||\n"
        "||                                                             ||\n"
        "|| batch_normalization (BatchN  (None, None, None, 3)  12      ||\n"
        "|| ormalization)                                               ||\n"
        "|" + bar * 63 + "|\n"
        + bar * 65 + "\n"
        "=================================================================\n"
        "Total params: 24\n"
        "Trainable params: 18\n"
        "Non-trainable params: 6\n"
        "_________________________________________________________________\n")
    assert summary_text(model, expand_nested=True) == expected


def test_functional_summary_connected_to_column():
    inputs = keras.Input((32,))
    x = layers.Dense(16, activation="relu")(inputs)
    y = layers.Dense(16)(x)
    out = layers.Dense(4)(layers.Add()([x, y]))
    model = keras.Model(inputs, out)
    expected = (
        'Model: "model"\n'
        + "_" * 98 + "\n"
        " Layer (type)                   Output Shape         Param #     Connected to"
        "                     \n"
        + "=" * 98 + "\n"
        " input_1 (InputLayer)           [(None, 32)]         0           []"
        "                               \n"
        + " " * 98 + "\n"
        " dense (Dense)                  (None, 16)           528         ['input_1[0][0]']"
        "                \n"
        + " " * 98 + "\n"
        " dense_1 (Dense)                (None, 16)           272         ['dense[0][0]']"
        "                  \n"
        + " " * 98 + "\n"
        " add (Add)                      (None, 16)           0           ['dense[0][0]',"
        "                  \n"
        "                                                                  'dense_1[0][0]']"
        "                \n"
        + " " * 98 + "\n"
        " dense_2 (Dense)                (None, 4)            68          ['add[0][0]']"
        "                    \n"
        + " " * 98 + "\n"
        + "=" * 98 + "\n"
        "Total params: 868\n"
        "Trainable params: 868\n"
        "Non-trainable params: 0\n"
        + "_" * 98 + "\n")
    assert summary_text(model) == expected


def test_linear_functional_model_uses_sequential_layout():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Dense(2)(layers.Dense(4)(inputs)))
    text = summary_text(model)
    assert "Connected to" not in text and text.splitlines()[1] == "_" * 65
    assert " input_1 (InputLayer)        [(None, 3)]               0         " in text


# ------------------------------------------------------------------ training mode
def test_training_flag_reaches_layers_in_functional_and_sequential():
    rec = RecordTraining()
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Dense(2)(rec(inputs)))
    rec.modes.clear()  # shape inference ran the layer on `meta` tensors
    x = torch.ones(1, 3)
    model(x)
    model(x, training=True)
    model(x, training=False)
    model.train()
    model(x)
    model.eval()
    model(x)
    assert rec.modes == [False, True, False, True, False]

    rec2 = RecordTraining()
    seq = keras.Sequential([keras.Input((3,)), rec2, layers.Dense(2)])
    rec2.modes.clear()
    seq(x)
    seq(x, training=True)
    assert rec2.modes == [False, True]


def test_dropout_follows_training_in_functional_model():
    inputs = keras.Input((1000,))
    model = keras.Model(inputs, layers.Dropout(0.5)(inputs))
    x = torch.ones(2, 1000)
    torch.testing.assert_close(model(x), x)
    dropped = model(x, training=True)
    assert 0.3 < float((dropped == 0).float().mean()) < 0.7


# ------------------------------------------------------------------ subclassing
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense1 = layers.Dense(8, activation="relu")
        self.record = RecordTraining()
        self.dense2 = layers.Dense(2)

    def call(self, inputs, training=None):
        return self.dense2(self.record(self.dense1(inputs), training=training))


def test_subclassed_model_runs_and_passes_training():
    model = MyModel()
    x = torch.randn(3, 4)
    y = model(x)
    torch.testing.assert_close(y, model.dense2(model.dense1(x)))
    model(x, training=True)
    assert model.record.modes[-1] is True and model.record.modes[-2] is False
    assert [layer.name for layer in model.layers] == ["dense", "record_training", "dense_1"]
    assert model.count_params() == 4 * 8 + 8 + 8 * 2 + 2
    assert sorted(model.state_dict()) == ["dense1.bias", "dense1.weight", "dense2.bias",
                                          "dense2.weight"]
    text = summary_text(model)
    assert 'Model: "my_model"' in text and " dense (Dense)               multiple" in text


def test_subclassed_model_trains_with_torch_optimizer():
    model = MyModel()
    x, target = torch.randn(16, 4), torch.randn(16, 2)
    model(x)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    first = None
    for _ in range(20):
        loss = torch.nn.functional.mse_loss(model(x, training=True), target)
        first = first if first is not None else float(loss.detach())
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(loss.detach()) < first


# ------------------------------------------------------------------ custom layers
class Keras3Linear(layers.Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True, name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True,
                                 name="b")
        self.scale = self.add_weight(shape=(self.units,), initializer="ones", trainable=False,
                                     name="scale")

    def call(self, inputs):
        return (inputs @ self.w + self.b) * self.scale


class Keras2Linear(layers.Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=[int(input_shape[-1]), self.units])
        self.bias = self.add_weight("bias", (self.units,), "float32", "zeros")
        self.scale = self.add_weight("scale", (self.units,), None, "ones", None, False)

    def call(self, inputs):
        return (inputs @ self.kernel + self.bias) * self.scale


@pytest.mark.parametrize("cls", [Keras3Linear, Keras2Linear])
def test_custom_layer_weights_are_torch_parameters(cls):
    layer = cls(3)
    x = torch.randn(2, 5)
    y = layer(x)
    assert tuple(y.shape) == (2, 3)
    names = [w.name for w in layer.weights]
    assert [w.trainable for w in layer.weights] == [True, True, False]
    assert [w.shape for w in layer.weights] == [(5, 3), (3,), (3,)]
    params = dict(layer.named_parameters())
    assert set(params) == set(names)
    assert params[names[0]].requires_grad and not params[names[2]].requires_grad
    assert len(layer.trainable_weights) == 2 and len(layer.non_trainable_weights) == 1
    torch.testing.assert_close(y, x @ params[names[0]] + params[names[1]])
    state = layer.state_dict()
    assert list(state) == names
    twin = cls(3)
    twin(x)
    twin.load_state_dict(state)
    torch.testing.assert_close(twin(x), y)
    layer.trainable = False
    assert not any(p.requires_grad for p in layer.parameters())
    layer.trainable = True
    assert [p.requires_grad for p in layer.parameters()] == [True, True, False]


def test_custom_layer_in_functional_model_gets_gradients():
    inputs = keras.Input((5,))
    layer = Keras3Linear(3)
    model = keras.Model(inputs, layer(inputs))
    assert model.count_params() == 5 * 3 + 3 + 3
    model(torch.randn(4, 5)).sum().backward()
    assert layer.w.torch_tensor.grad is not None and layer.scale.torch_tensor.grad is None


def test_add_weight_rejects_a_doubled_argument():
    class Bad(layers.Layer):
        def build(self, input_shape):
            self.add_weight("w", (2,), shape=(2,))

    with pytest.raises(TypeError, match="multiple values for argument 'shape'"):
        Bad()(torch.ones(1, 2))


# ------------------------------------------------------------------ errors
def test_graph_disconnected_error():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    out = layers.Dense(2)(b)
    with pytest.raises(ValueError, match=r'Graph disconnected: cannot obtain value for tensor .* '
                                         r'at layer "b"'):
        keras.Model(a, out)


@pytest.mark.parametrize("bad", [np.ones((2, 3), "float32"), torch.ones(2, 3), "input"])
def test_inputs_must_be_keras_inputs(bad):
    out = layers.Dense(2)(keras.Input((3,)))
    with pytest.raises(ValueError, match="All `inputs` values must be KerasTensors"):
        keras.Model(bad, out)


def test_outputs_must_be_keras_tensors():
    with pytest.raises(ValueError, match="All `outputs` values must be KerasTensors"):
        keras.Model(keras.Input((3,)), torch.ones(2))


def test_incompatible_symbolic_shape_names_layer_and_shapes():
    dense = layers.Dense(2, name="proj")
    dense(keras.Input((4,)))
    with pytest.raises(ValueError, match=r'Input 0 of layer "proj" is incompatible with the '
                                         r"layer: expected axis -1 of input shape to have value "
                                         r"4, but received input with shape \(None, 3\)"):
        dense(keras.Input((3,)))
    with pytest.raises(ValueError, match=r'layer "conv".*expected ndim=4, found ndim=2. Full '
                                         r"shape received: \(None, 3\)"):
        layers.Conv2D(2, 3, name="conv")(keras.Input((3,)))


def test_model_called_on_wrong_shape_names_model_and_shapes():
    model = two_branch()
    with pytest.raises(ValueError, match=r'"branchy" is incompatible.*expected shape=\(None, 6\), '
                                         r"found shape=\(2, 5\)"):
        model(torch.ones(2, 5))
    outer_input = keras.Input((6,))
    outer = keras.Model(outer_input, model(outer_input), name="outer")
    with pytest.raises(ValueError, match=r'"outer" is incompatible.*found shape=\(2, 6, 1\)'):
        outer(torch.ones(2, 6, 1))


# ------------------------------------------------------------------ feature extraction
def small_cnn():
    return keras.Sequential([
        keras.Input(shape=(20, 20, 3)),
        layers.Conv2D(4, 5, strides=2, activation="relu"),
        layers.Conv2D(4, 3, activation="relu", name="my_intermediate_layer"),
        layers.Conv2D(4, 3, activation="relu"),
    ])


def test_feature_extractor_all_layers_shares_weights():
    initial_model = small_cnn()
    extractor = keras.Model(inputs=initial_model.inputs,
                            outputs=[layer.output for layer in initial_model.layers])
    x = torch.randn(2, 20, 20, 3)
    features = extractor(x)
    h = x
    for layer, feature in zip(initial_model.layers, features, strict=True):
        h = layer(h)
        torch.testing.assert_close(feature, h)
    torch.testing.assert_close(features[-1], initial_model(x))
    assert {id(p) for p in extractor.parameters()} == {id(p) for p in initial_model.parameters()}
    # Training the original changes the extractor: same Parameter objects, not copies.
    with torch.no_grad():
        initial_model.layers[0].bias.add_(1.0)
    torch.testing.assert_close(extractor(x)[0], initial_model.layers[0](x))


def test_feature_extractor_one_layer_by_name():
    initial_model = small_cnn()
    extractor = keras.Model(
        inputs=initial_model.inputs,
        outputs=initial_model.get_layer(name="my_intermediate_layer").output)
    x = torch.randn(1, 20, 20, 3)
    features = extractor(x)
    assert tuple(features.shape) == (1, 6, 6, 4)
    torch.testing.assert_close(features, initial_model.layers[1](initial_model.layers[0](x)))
    assert [layer.name for layer in extractor.layers] == \
        [initial_model.inputs[0]._keras_history[0].name, "conv2d", "my_intermediate_layer"]


# ------------------------------------------------------------------ Keras 3 parity
def build_resnet_block(lib):
    L = lib.layers
    inputs = lib.Input(shape=(8, 8, 3), name="img")
    x = L.Conv2D(8, 3, padding="same", activation="relu", name="stem")(inputs)
    block_input = x
    x = L.Conv2D(8, 3, padding="same", activation="relu", name="c1")(x)
    x = L.Conv2D(8, 3, padding="same", name="c2")(x)
    x = L.Add(name="residual")([x, block_input])
    x = L.Conv2D(4, 1, name="proj")(x)
    x = L.MaxPooling2D(2, name="pool")(x)
    x = L.GlobalMaxPooling2D(name="gpool")(x)
    outputs = L.Dense(5, name="logits")(x)
    return lib.Model(inputs, outputs, name="toy_resnet")


def build_two_in_two_out(lib):
    L = lib.layers
    title = lib.Input(shape=(12,), name="title")
    body = lib.Input(shape=(20,), name="body")
    shared = L.Dense(8, activation="relu", name="shared")
    t, b = shared(L.Dense(12, name="t_proj")(title)), shared(L.Dense(12, name="b_proj")(body))
    merged = L.Concatenate(name="merge")([t, b])
    priority = L.Dense(1, name="priority")(merged)
    department = L.Dense(4, name="department")(L.Multiply(name="gate")([t, b]))
    return lib.Model([title, body], [priority, department], name="ticket")


@pytest.mark.parametrize("builder,input_shapes", [
    (build_resnet_block, [(2, 8, 8, 3)]),
    (build_two_in_two_out, [(3, 12), (3, 20)]),
])
def test_keras3_parity_counts_shapes_outputs(builder, input_shapes):
    keras3 = import_keras3()
    ours, theirs = builder(keras), builder(keras3)
    assert ours.count_params() == theirs.count_params()
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    for a, b in zip(ours.layers, theirs.layers, strict=True):
        assert a.count_params() == b.count_params(), a.name
        if not isinstance(a, layers.InputLayer):
            assert tuple(a.output.shape) == tuple(b.output.shape), a.name
    assert [tuple(t.shape) for t in ours.outputs] == [tuple(t.shape) for t in theirs.outputs]
    ours.set_weights(theirs.get_weights())
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(s).astype("float32") for s in input_shapes]
    out = ours([torch.from_numpy(a) for a in arrays] if len(arrays) > 1 else
               torch.from_numpy(arrays[0]))
    ref = theirs([keras3.ops.convert_to_tensor(a) for a in arrays] if len(arrays) > 1 else
                 keras3.ops.convert_to_tensor(arrays[0]))
    out, ref = (out, ref) if isinstance(out, list) else ([out], [ref])
    assert len(out) == len(ref)
    for o, r in zip(out, ref, strict=True):
        np.testing.assert_allclose(o.detach().numpy(), keras3.ops.convert_to_numpy(r),
                                   atol=ATOL)


# ------------------------------------------------------------------ the graph plan
class KeepWeakRef(layers.Layer):
    """Identity-like layer remembering a weak reference to each output it makes."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.refs = []

    def call(self, inputs):
        out = inputs * 1.0
        self.refs.append(weakref.ref(out))
        return out

    def compute_output_shape(self, input_shape):
        return input_shape


class ProbeAlive(layers.Layer):
    """Identity layer recording whether `other`'s latest output is still alive when it runs."""

    def __init__(self, other, **kwargs):
        super().__init__(**kwargs)
        self.other = [other]  # a list: not registered as a sublayer
        self.alive = []

    def call(self, inputs):
        self.alive.append(self.other[0].refs[-1]() is not None)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


def test_plan_is_built_once_and_frees_intermediates(monkeypatch):
    inputs = keras.Input((4,))
    keep = KeepWeakRef()
    x = layers.Dense(4)(keep(inputs))
    probe = ProbeAlive(keep)
    model = keras.Model(inputs, probe(layers.Add()([x, layers.Dense(4)(x)])))
    calls = []
    monkeypatch.setattr(type(model), "_compile_plan",
                        lambda self, nodes: calls.append(nodes), raising=True)
    with torch.no_grad():
        for _ in range(3):
            out = model(torch.ones(2, 4))
    assert calls == []  # no re-planning per call
    assert tuple(out.shape) == (2, 4)
    # The graph holds no activation after its last use (a hand-written forward would not).
    assert len(keep.refs) == 3 and probe.alive == [False, False, False]


def test_model_from_intermediate_tensors_shares_layers():
    """As in Keras, `Model(h, out)` with `h` an intermediate tensor gets a new Input for it."""
    inputs = keras.Input((8,))
    h1 = layers.Dense(6, name="d1")(inputs)
    h2 = layers.Dense(5, name="d2")(h1)
    out = layers.Add(name="add")([layers.Dense(5, name="d3")(h2), h2])
    full = keras.Model(inputs, out)
    head = keras.Model(h1, out, name="head")
    assert [layer.name for layer in head.layers][1:] == ["d2", "d3", "add"]
    assert isinstance(head.layers[0], layers.InputLayer) and head.inputs[0].shape == (None, 6)
    assert head.count_params() == 6 * 5 + 5 + 5 * 5 + 5
    x = torch.randn(2, 8)
    torch.testing.assert_close(head(full.get_layer("d1")(x)), full(x))
    assert {id(p) for p in head.parameters()} <= {id(p) for p in full.parameters()}
    assert "['d2[1][0]']" in summary_text(head)
    assert "['d1[0][0]']" in summary_text(full)  # the original graph is unchanged
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(h2, layers.Dense(1)(h1))


def test_subclassed_model_tracks_lists_of_layers():
    """`self.blocks = [Dense(), Dense()]` is tracked as in Keras: weights, layers, state_dict."""
    class Stack(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [layers.Dense(4, activation="relu"), layers.Dense(3)]
            self.named = {"head": layers.Dense(2)}

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return self.named["head"](x)

    model = Stack()
    y = model(torch.ones(2, 5))
    assert tuple(y.shape) == (2, 2)
    assert len(model.weights) == 6 and model.count_params() == 24 + 15 + 8
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "dense_2"]
    assert "blocks.1.weight" in model.state_dict() and "named.head.bias" in model.state_dict()
    assert len(list(model.parameters())) == 6


# ------------------------------------------------------------ tensors given as keywords only
def _endpoint_model(K):
    """Keras's endpoint-layer pattern: the layer takes its tensors as keywords only (given in
    another order than `call` declares them) and adds its loss in `call`."""

    class Endpoint(K.layers.Layer):
        def call(self, logits, targets, sample_weight=None):
            self.add_loss(K.ops.mean(K.ops.square(targets - K.ops.sigmoid(logits))))
            return K.ops.concatenate([K.ops.sigmoid(logits), targets * 0.5], axis=-1)

    features = K.Input((4,), name="features")
    targets = K.Input((2,), name="targets")
    logits = K.layers.Dense(2, name="logits")(features)
    out = Endpoint(name="predictions")(targets=targets, logits=logits)
    return K.Model([features, targets], out), Endpoint


def test_keyword_only_tensor_inputs_are_node_inputs_and_train_on_add_loss_like_keras3():
    keras3 = import_keras3()
    ours, _ = _endpoint_model(keras)
    theirs, _ = _endpoint_model(keras3)
    assert ours.output.shape == tuple(theirs.output.shape) == (None, 4)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    node = ours.get_layer("predictions")._inbound_nodes[0]
    assert {t._keras_history[0].name for t in node.input_tensors} == {"logits", "targets"}
    ours.set_weights(theirs.get_weights())
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8, 4)).astype("float32")
    y = rng.integers(0, 2, (8, 2)).astype("float32")
    np.testing.assert_allclose(ours.predict([x, y], verbose=0),
                               theirs.predict([x, y], verbose=0), atol=ATOL)
    for model in (ours, theirs):
        model.compile(optimizer="sgd")  # no loss: the add_loss term is trained
    ours_loss = ours.fit([x, y], epochs=2, batch_size=4, shuffle=False, verbose=0)
    theirs_loss = theirs.fit([x, y], epochs=2, batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_allclose(ours_loss.history["loss"], theirs_loss.history["loss"], atol=ATOL)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=ATOL)


def test_keyword_only_tensor_inputs_survive_clone_and_keras_file(tmp_path):
    model, endpoint = _endpoint_model(keras)
    x = np.ones((3, 4), "float32")
    y = np.array([[0, 1], [1, 0], [1, 1]], "float32")
    expected = keras.ops.convert_to_numpy(model([x, y]))
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(keras.ops.convert_to_numpy(clone([x, y])), expected, atol=ATOL)
    path = str(tmp_path / "endpoint.keras")
    model.save(path)
    loaded = keras.models.load_model(path, custom_objects={"Endpoint": endpoint})
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded([x, y])), expected, atol=ATOL)


def test_keyword_only_call_of_a_layer_on_tensors_passes_each_by_name():
    model, endpoint = _endpoint_model(keras)
    logits = torch.zeros(2, 2)
    targets = torch.ones(2, 2)
    out = endpoint()(targets=targets, logits=logits)
    np.testing.assert_allclose(out.numpy(), [[0.5, 0.5, 0.5, 0.5]] * 2)


# ------------------------------------------------- shape inference of calls that make tensors
CREATORS = {
    "ops.arange": lambda K, x: x + K.ops.cast(K.ops.arange(3), "float32")[:, None],
    "ops.convert_to_tensor(constant)": lambda K, x: x * K.ops.convert_to_tensor(
        np.full((3, 1), 2.0, "float32")),
    "ops.convert_to_tensor(scalar)": lambda K, x: x * K.ops.convert_to_tensor(2.0),
    "random.normal": lambda K, x: x + 0.0 * K.random.normal((3, 1)),
    "random.uniform(like input)": lambda K, x: x + 0.0 * K.random.uniform(K.ops.shape(x)),
    "ops.zeros/ones/eye": lambda K, x: x + K.ops.zeros((3, 1)) + K.ops.eye(3)[:, :1],
    "torch.tensor": lambda K, x: x + torch.tensor([1.0, 2.0, 3.0])[:, None],
    "torch.zeros/arange/randn": lambda K, x: x + torch.zeros(3, 1) + torch.arange(3.0)[:, None]
    + 0.0 * torch.randn(3, 1),
    "torch.from_numpy": lambda K, x: x + torch.from_numpy(np.ones((3, 1), "float32")),
    ".item()": lambda K, x: x * float(K.ops.convert_to_numpy(K.ops.max(x))) * 0.0,
}


@pytest.mark.parametrize("name", sorted(CREATORS))
def test_layer_whose_call_creates_tensors_gets_its_output_shape_like_keras3(name):
    keras3 = import_keras3()
    fn = CREATORS[name]

    def build(K):
        class Creates(K.layers.Layer):
            def call(self, inputs):
                return fn(K, inputs)

        inputs = K.Input((3, 2))
        outputs = K.layers.Dense(5)(Creates()(inputs))
        return K.Model(inputs, outputs)

    ours, theirs = build(keras), build(keras3)
    assert ours.output.shape == tuple(theirs.output.shape) == (None, 3, 5)
    assert all(p.device.type != "meta" for p in ours.parameters())
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(0).normal(size=(2, 3, 2)).astype("float32")
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               atol=ATOL)


def test_sublayer_built_during_shape_inference_of_creating_call_has_real_weights():
    class Positions(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.table = layers.Embedding(4, 2)

        def call(self, inputs):
            return inputs + self.table(torch.arange(4)) + torch.ones(4, 2)

    layer = Positions()
    out = layer(keras.Input((4, 2)))
    assert out.shape == (None, 4, 2)
    assert [p.device.type != "meta" for p in layer.parameters()] == [True]
    assert np.abs(layer.table.get_weights()[0]).sum() > 0  # initialised, not a meta shell


# ------------------------------------------------------------------ string inputs
def _string_model():
    lookup = layers.StringLookup(vocabulary=["cat", "dog", "fish"])
    words = keras.Input((2,), dtype="string", name="words")
    ids = lookup(words)
    vectors = layers.Embedding(4, 3, name="embedding")(ids)
    outputs = layers.Dense(1, name="score")(layers.GlobalAveragePooling1D()(vectors))
    return keras.Model(words, outputs), lookup, ids


def test_string_input_builds_a_functional_model_of_string_layers():
    model, lookup, ids = _string_model()
    assert model.input.dtype == "string" and model.input.shape == (None, 2)
    assert ids.dtype == "int64" and ids.shape == (None, 2)
    words = np.array([["cat", "bird"], ["fish", "dog"], ["dog", "dog"]])
    expected_ids = [[1, 0], [3, 2], [2, 2]]
    assert lookup(words).tolist() == expected_ids
    table = model.get_layer("embedding").get_weights()[0]
    kernel, bias = model.get_layer("score").get_weights()
    expected = table[np.array(expected_ids)].mean(1) @ kernel + bias
    for got in (model.predict(words, verbose=0), model.predict(words, batch_size=2, verbose=0),
                keras.ops.convert_to_numpy(model(words)), model.predict_on_batch(words),
                model.predict(words.tolist(), verbose=0)):
        np.testing.assert_allclose(got, expected, atol=ATOL)
    text = keras.Input((1,), dtype="string")
    vectorize = layers.TextVectorization(max_tokens=8, output_sequence_length=3)
    vectorize.adapt(["the cat sat", "the dog ran"])
    tokens = vectorize(text)
    assert tokens.dtype == "int64" and tokens.shape == (None, 3)
    sentences = np.array([["the cat"], ["a dog ran far"]])
    np.testing.assert_array_equal(keras.Model(text, tokens).predict(sentences, verbose=0),
                                  keras.ops.convert_to_numpy(vectorize(sentences)))


def test_string_input_model_trains_and_evaluates_on_arrays_of_str():
    model, _, _ = _string_model()
    words = np.array([["cat", "dog"], ["fish", "fish"], ["dog", "bird"], ["cat", "cat"]] * 4)
    y = np.array([[1.0], [0.0], [1.0], [0.0]] * 4, "float32")
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    before = model.evaluate(words, y, verbose=0)
    history = model.fit(words, y, batch_size=4, epochs=3, shuffle=True, verbose=0)
    assert history.history["loss"][-1] < before
    assert model.train_on_batch(words, y) < before
    assert np.isfinite(model.test_on_batch(words, y))


def test_string_data_for_a_numeric_model_is_still_rejected():
    inputs = keras.Input((2,))
    model = keras.Model(inputs, layers.Dense(1)(inputs))
    with pytest.raises(TypeError, match="string data"):
        model.predict(np.array([["a", "b"]] * 40), verbose=0)


def test_string_input_model_round_trips_through_a_keras_file(tmp_path):
    model, _, _ = _string_model()
    words = np.array([["cat", "dog"], ["fish", "bird"]])
    model.save(tmp_path / "strings.keras")
    loaded = keras.models.load_model(tmp_path / "strings.keras")
    assert loaded.input.dtype == "string"
    np.testing.assert_allclose(loaded.predict(words, verbose=0), model.predict(words, verbose=0),
                               atol=ATOL)
