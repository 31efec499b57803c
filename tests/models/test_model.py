"""Model: get_layer, the layers a subclassed model tracks, build(input_shape), the graph's
input/output attributes, sub-models from intermediate tensors sharing weights, the Keras 2
error for weights of an unbuilt model; against Keras 3 where it agrees."""

import numpy as np
import pytest

import kerastorch as keras
from tests.keras3 import import_keras3


def _subclass(k):
    class Net(k.Model):
        def __init__(self):
            super().__init__(name="net")
            self.first = k.layers.Dense(4, name="first")
            self.blocks = [k.layers.Dense(3, name="b0"), k.layers.Dense(3, name="b1")]
            self.last = k.layers.Dense(1, name="last")

        def call(self, x):
            x = self.first(x)
            for block in self.blocks:
                x = block(x)
            return self.last(x)
    return Net()


def _functional(k):
    i = k.Input((5,), name="inp")
    h = k.layers.Dense(4, name="hidden")(i)
    o = k.layers.Dense(2, name="out")(h)
    return k.Model(i, o, name="fn")


def test_get_layer():
    model = _functional(keras)
    assert model.get_layer("hidden") is model.layers[1]
    assert model.get_layer(index=2).name == "out"
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="index 7"):
        model.get_layer(index=7)
    with pytest.raises(ValueError, match="only a layer name or a layer index"):
        model.get_layer("hidden", 1)
    with pytest.raises(ValueError, match="either a layer name or layer index"):
        model.get_layer()


def test_subclassed_layers_build_and_weights_match_keras3():
    k3 = import_keras3()
    ours, theirs = _subclass(keras), _subclass(k3)
    assert [l.name for l in ours.layers] == [l.name for l in theirs.layers] == \
        ["first", "b0", "b1", "last"]
    with pytest.raises(ValueError, match="input_shape"):
        ours.build()
    ours.build((None, 6))  # builds every layer, as tf.keras 2's build does
    assert ours.built and [tuple(w.shape) for w in ours.weights] == \
        [(6, 4), (4,), (4, 3), (3,), (3, 3), (3,), (3, 1), (1,)]
    x = np.random.default_rng(0).normal(size=(3, 6)).astype("float32")
    theirs(x)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours.set_weights([k3.ops.convert_to_numpy(w) for w in theirs.get_weights()])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ours(x)),
                               k3.ops.convert_to_numpy(theirs(x)), atol=1e-6)
    assert ours.count_params() == theirs.count_params() == 28 + 15 + 12 + 4


def test_unbuilt_weights_raise_as_keras2():
    with pytest.raises(ValueError, match="have not yet been created"):
        _subclass(keras).get_weights()


def test_graph_attributes():
    model = _functional(keras)
    assert model.input is model.inputs[0] and model.output is model.outputs[0]
    assert tuple(model.input_shape) == (None, 5) and tuple(model.output_shape) == (None, 2)
    assert tuple(model.compute_output_shape((7, 5))) == (7, 2)


def test_sub_model_from_an_intermediate_tensor_shares_weights():
    model = _functional(keras)
    tail = keras.Model(model.get_layer("hidden").output, model.output)
    x = np.random.default_rng(1).normal(size=(2, 5)).astype("float32")
    h = keras.ops.convert_to_numpy(model.get_layer("hidden")(x))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(tail(h)),
                               keras.ops.convert_to_numpy(model(x)), atol=1e-6)
    assert tail.get_layer("out") is model.get_layer("out")
    model.get_layer("out").set_weights([np.zeros((4, 2), "float32"), np.ones(2, "float32")])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(tail(h)), np.ones((2, 2)))


def test_functional_matches_keras3():
    k3 = import_keras3()
    ours, theirs = _functional(keras), _functional(k3)
    assert [l.name for l in ours.layers] == [l.name for l in theirs.layers]
    ours.set_weights([k3.ops.convert_to_numpy(w) for w in theirs.get_weights()])
    x = np.random.default_rng(2).normal(size=(4, 5)).astype("float32")
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=1e-6)
