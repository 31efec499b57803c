"""layers/layer.py: the Layer base class (lazy build, add_weight, trainable, naming, errors,
config, losses, dtype). Each behaviour is asserted on kerastorch alone; the `*_like_keras3` tests
run the same user layer under Keras 3 (torch backend) and compare."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.layers.layer import Layer
from tests.keras3 import import_keras3


def _make_classes(k):
    """The same user layers written against `k` (kerastorch or Keras 3)."""

    class MyCustomLayer2D(k.layers.Layer):
        pass

    class HTTPHandler(k.layers.Layer):
        pass

    class Affine(k.layers.Layer):
        def build(self, input_shape):
            self.seen_shape = input_shape
            self.kernel = self.add_weight((input_shape[-1], 2), "ones", None, name="kernel")
            self.offset = self.add_weight(shape=(2,), initializer="zeros", trainable=False,
                                          name="offset")

        def call(self, x):
            return x @ self.kernel + self.offset

    class Penalised(k.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(2, 2), initializer="ones",
                                     regularizer=k.regularizers.L2(0.1), name="w")

        def call(self, x):
            self.add_loss(k.ops.sum(x))
            return x

    class Stack(k.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.subs = [k.layers.Dense(2), k.layers.Dense(3)]

        def call(self, x):
            for sub in self.subs:
                x = sub(x)
            return x

    return MyCustomLayer2D, HTTPHandler, Affine, Penalised, Stack


MyCustomLayer2D, HTTPHandler, Affine, Penalised, Stack = _make_classes(keras)


class Echo(Layer):
    def call(self, x):
        return x


def _floats(values):
    return sorted(round(float(torch.as_tensor(np.asarray(v.detach() if hasattr(v, "detach")
                                                          else v)).sum()), 6) for v in values)


# ---------------------------------------------------------------- lazy build
def test_layer_builds_on_first_call_from_the_input_shape():
    layer = Affine()
    assert not layer.built and layer.weights == []
    with pytest.raises(ValueError, match="call `count_params` on layer 'affine'.*isn't built"):
        layer.count_params()
    y = layer(np.ones((4, 3), "float32"))
    assert layer.built and layer.seen_shape == (4, 3)
    assert [w.name for w in layer.weights] == ["kernel", "offset"]
    assert [w.shape for w in layer.weights] == [(3, 2), (2,)]
    assert layer.count_params() == 8
    assert isinstance(y, torch.Tensor) and tuple(y.shape) == (4, 2)
    np.testing.assert_allclose(y.detach().numpy(), np.full((4, 2), 3.0), atol=1e-6)


def test_build_runs_once_and_symbolic_call_builds_without_compute():
    layer = Affine()
    out = layer(keras.Input((5,)))
    assert layer.built and layer.seen_shape == (None, 5)
    assert tuple(out.shape) == (None, 2)
    kernel = layer.kernel.torch_tensor
    layer(np.ones((2, 5), "float32"))
    assert layer.kernel.torch_tensor is kernel  # not rebuilt


def test_weights_given_to_the_constructor_are_set_at_build():
    kernel, offset = np.arange(6, dtype="float32").reshape(3, 2), np.array([1, 2], "float32")
    layer = Affine(weights=[kernel, offset])
    layer(np.zeros((1, 3), "float32"))
    np.testing.assert_array_equal(layer.get_weights()[0], kernel)
    np.testing.assert_array_equal(layer.get_weights()[1], offset)


def test_input_shape_argument_is_kept_as_batch_input_shape():
    assert Layer(input_shape=(3, 4)).get_config()["batch_input_shape"] == (None, 3, 4)
    assert Layer(input_dim=7, batch_size=2).get_config()["batch_input_shape"] == (2, 7)
    assert "batch_input_shape" not in Layer().get_config()


# ---------------------------------------------------------------- add_weight
def test_add_weight_takes_keras3_and_keras2_argument_orders():
    layer = Layer()
    k3 = layer.add_weight((2, 3), "ones", "float64")  # shape, initializer, dtype
    k2 = layer.add_weight("bias", (4,), "float32", "zeros", None, False)  # Keras 2's order
    kw = layer.add_weight(shape=(1,), initializer="ones", name="scale", trainable=False)
    assert k3.shape == (2, 3) and k3.dtype == "float64" and np.all(k3.numpy() == 1.0)
    assert (k2.name, k2.shape, k2.dtype, k2.trainable) == ("bias", (4,), "float32", False)
    assert np.all(k2.numpy() == 0.0)
    assert (kw.name, kw.trainable) == ("scale", False)
    assert [w.name for w in layer.weights] == ["variable", "bias", "scale"]
    # the tensors are registered on the module: torch sees them
    assert len(list(layer.parameters())) == 3
    assert [p.requires_grad for p in layer.parameters()] == [True, False, False]


def test_add_weight_default_initializers_follow_the_dtype():
    layer = Layer()
    torch.manual_seed(0)
    f = layer.add_weight(shape=(20, 30))
    i = layer.add_weight(shape=(3,), dtype="int32", trainable=False)
    limit = np.sqrt(6.0 / (20 + 30))  # glorot_uniform
    assert np.abs(f.numpy()).max() <= limit and f.numpy().std() > limit / 4
    assert i.dtype == "int32" and np.all(i.numpy() == 0)


def test_add_weight_argument_errors():
    layer = Layer()
    with pytest.raises(TypeError, match="multiple values for argument 'shape'"):
        layer.add_weight((2,), shape=(3,))
    with pytest.raises(TypeError, match="at most 10 positional arguments but 11 were given"):
        layer.add_weight(*([None] * 11))
    with pytest.raises(TypeError, match="at most 7 positional arguments but 8 were given"):
        layer.add_weight("w", *([None] * 7))


def test_add_variable_is_add_weight():
    layer = Layer()
    var = layer.add_variable((2,), "ones", name="v")
    assert var.name == "v" and np.all(var.numpy() == 1.0) and layer.weights == [var]


def test_regularizer_and_constraint_of_add_weight_are_kept():
    layer = Layer()
    var = layer.add_weight(shape=(2,), initializer="ones", regularizer="l2",
                           constraint="non_neg")
    assert isinstance(var.regularizer, keras.regularizers.L2)
    assert isinstance(var.constraint, keras.constraints.NonNeg)


# ---------------------------------------------------------------- trainable
def test_trainable_sets_requires_grad_below_and_keeps_non_trainable_weights_frozen():
    layer = Stack()
    layer(np.ones((1, 4), "float32"))
    affine = Affine()
    affine(np.ones((1, 3), "float32"))
    assert len(layer.trainable_weights) == 4 and layer.non_trainable_weights == []
    layer.trainable = False
    assert not any(p.requires_grad for p in layer.parameters())
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4
    assert all(not sub.trainable for sub in layer.subs)
    layer.trainable = True
    assert all(p.requires_grad for p in layer.parameters())
    affine.trainable = False
    affine.trainable = True
    # a weight created with trainable=False stays frozen when its layer is unfrozen
    assert affine.kernel.torch_tensor.requires_grad
    assert not affine.offset.torch_tensor.requires_grad
    assert [w.name for w in affine.non_trainable_weights] == ["offset"]


def test_layer_created_untrainable_makes_frozen_parameters():
    layer = Affine(trainable=False)
    layer(np.ones((1, 3), "float32"))
    assert not layer.kernel.torch_tensor.requires_grad
    assert layer.get_config()["trainable"] is False


def test_lists_of_sublayers_are_tracked():
    layer = Stack()
    layer(np.ones((1, 4), "float32"))
    assert isinstance(layer.subs, torch.nn.ModuleList)
    assert [w.shape for w in layer.weights] == [(4, 2), (2,), (2, 3), (3,)]
    assert sorted(layer.state_dict()) == ["subs.0.bias", "subs.0.weight", "subs.1.bias",
                                          "subs.1.weight"]


# ---------------------------------------------------------------- naming
def test_names_are_snake_cased_class_names_with_a_counter():
    assert MyCustomLayer2D().name == "my_custom_layer2d"
    assert HTTPHandler().name == "http_handler"
    assert [keras.layers.Dense(1).name for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert keras.layers.Dense(1, name="head").name == "head"
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match=r"Argument `name` must be a string. Received: name=3"):
        Layer(name=3)


def test_unknown_keyword_argument_is_rejected_naming_it_and_the_class():
    with pytest.raises(TypeError, match=r"Keyword argument not understood: 'foo' \(passed to "
                                        r"Affine\)"):
        Affine(foo=1)


# ---------------------------------------------------------------- errors
def test_set_weights_checks_count_and_shapes_and_changes_nothing_on_error():
    layer = Affine()
    layer(np.ones((1, 3), "float32"))
    before = layer.get_weights()
    with pytest.raises(ValueError, match='layer "affine" with a weight list of length 1, but '
                                         "the layer was expecting 2 weights"):
        layer.set_weights([np.ones((3, 2))])
    with pytest.raises(ValueError, match=r"weight shape \(2,\) is not compatible with provided "
                                         r"weight shape \(3,\) \(weight affine/offset\)"):
        layer.set_weights([np.full((3, 2), 5.0), np.ones(3)])
    for a, b in zip(before, layer.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # the valid first array was not applied either


def test_graph_attributes_of_an_uncalled_layer_raise_attribute_error():
    layer = Layer()
    for attr in ("input", "output", "input_shape", "output_shape"):
        with pytest.raises(AttributeError):
            getattr(layer, attr)


def test_input_spec_mismatch_is_a_value_error_naming_the_layer():
    layer = keras.layers.Dense(2)
    layer(np.ones((1, 4), "float32"))
    with pytest.raises(ValueError, match='layer "dense".*expected axis -1 of input shape to '
                                         r"have value 4.*\(1, 3\)"):
        layer(np.ones((1, 3), "float32"))


# ---------------------------------------------------------------- config
def test_get_config_and_from_config_round_trip():
    layer = Affine(name="aff", trainable=False, dtype="float64")
    config = layer.get_config()
    assert config == {"name": "aff", "trainable": False, "dtype": "float64"}
    clone = Affine.from_config(config)
    assert (clone.name, clone.trainable, clone.dtype) == ("aff", False, "float64")
    assert type(clone) is Affine and not clone.built


def test_dtype_policy_config_dict_is_accepted():
    layer = Layer(dtype={"class_name": "DTypePolicy", "config": {"name": "float64"}})
    assert layer.dtype == "float64"


# ---------------------------------------------------------------- losses
def test_losses_hold_weight_penalties_from_current_weights_and_the_last_calls_add_loss():
    layer = Penalised()
    assert layer.losses == []
    layer(np.ones((1, 2), "float32"))
    assert _floats(layer.losses) == [0.4, 2.0]
    layer(np.full((1, 2), 2.0, "float32"))  # the add_loss term of the first call is dropped
    assert _floats(layer.losses) == [0.4, 4.0]
    layer.w.assign(np.full((2, 2), 2.0, "float32"))
    assert _floats(layer.losses) == [1.6, 4.0]


def test_losses_of_sublayers_are_collected():
    outer = Stack()
    outer.subs[0].add_loss(torch.tensor(3.0))
    assert _floats(outer.losses) == [3.0]


# ---------------------------------------------------------------- dtype
def test_layer_dtype_sets_its_weights_and_casts_float_inputs():
    layer = Affine(dtype="float64")
    out = layer(np.ones((1, 3), "float32"))
    assert layer.kernel.dtype == "float64" and out.dtype == torch.float64
    assert (layer.dtype, layer.compute_dtype, layer.variable_dtype) == ("float64",) * 3
    assert Echo(dtype="float64")(torch.ones(2, dtype=torch.float32)).dtype == torch.float64
    assert Echo(dtype="float64")(torch.ones(2, dtype=torch.int64)).dtype == torch.int64


@pytest.mark.xfail(strict=True, reason="the built fast path of Layer.__call__ hands a torch "
                   "tensor to call() without casting it to the layer's dtype (Keras 3 casts "
                   "float inputs on every call); layers/ is being reorganised this session")
def test_built_layer_still_casts_float_tensor_inputs_to_its_dtype():
    echo = Echo(dtype="float64")
    echo(torch.ones(2))
    assert echo(torch.ones(2)).dtype == torch.float64


def test_default_dtype_is_floatx():
    keras.backend.set_floatx("float64")
    try:
        assert Layer().dtype == "float64"
    finally:
        keras.backend.set_floatx("float32")
    assert Layer().dtype == "float32"


# ---------------------------------------------------------------- against Keras 3
def _summary(k, classes):
    MyCustom, Http, Aff, Pen, St = classes
    names = [MyCustom().name, Http().name, k.layers.Dense(2).name, k.layers.Dense(2).name]
    affine = Aff()
    unbuilt = (affine.built, len(affine.weights))
    y = affine(np.ones((4, 3), "float32"))
    built = (affine.built, tuple(affine.seen_shape), [w.name for w in affine.weights],
             [tuple(w.shape) for w in affine.weights], affine.count_params(),
             [w.name for w in affine.trainable_weights],
             [w.name for w in affine.non_trainable_weights], y.detach().cpu().numpy().tolist())
    affine.trainable = False
    frozen = (len(affine.trainable_weights), len(affine.non_trainable_weights))
    affine.trainable = True
    unfrozen = (len(affine.trainable_weights), len(affine.non_trainable_weights))
    penalised = Pen()
    penalised(np.ones((1, 2), "float32"))
    first = _floats(penalised.losses)
    penalised(np.full((1, 2), 2.0, "float32"))
    second = _floats(penalised.losses)
    double = Aff(dtype="float64")
    out = double(np.ones((1, 3), "float32"))
    dtypes = (str(double.kernel.dtype), double.dtype, double.compute_dtype, str(out.dtype))
    stack = St()
    stack(np.ones((1, 4), "float32"))
    nested = [tuple(w.shape) for w in stack.weights]
    stack.trainable = False
    nested_frozen = (stack.subs[0].trainable, len(stack.trainable_weights))
    errors = []
    for bad in ([np.ones((3, 2))], [np.ones((3, 3)), np.ones(2)]):
        try:
            affine.set_weights(bad)
        except ValueError as err:
            errors.append(type(err).__name__)
    return dict(names=names, unbuilt=unbuilt, built=built, frozen=frozen, unfrozen=unfrozen,
                losses=(first, second), dtypes=dtypes, nested=nested,
                nested_frozen=nested_frozen, errors=errors)


def test_user_layer_behaves_like_keras3():
    keras3 = import_keras3()
    keras3.backend.clear_session()
    theirs = _summary(keras3, _make_classes(keras3))
    keras.backend.clear_session()
    ours = _summary(keras, (MyCustomLayer2D, HTTPHandler, Affine, Penalised, Stack))
    for key in theirs:
        assert ours[key] == theirs[key], key


def test_unbuilt_count_params_error_matches_keras3():
    keras3 = import_keras3()
    messages = []
    for k in (keras3, keras):
        with pytest.raises(ValueError) as info:
            k.layers.Dense(2, name="head").count_params()
        messages.append(str(info.value))
    assert messages[0] == messages[1]
