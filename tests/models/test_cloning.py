"""clone_model: Sequential and functional clones have new layers, fresh weights, the same graph."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch import layers
from tests.keras3 import import_keras3


def _functional(k):
    a = k.Input((4,), name="a")
    b = k.Input((3,), name="b")
    x = k.layers.Dense(5, activation="relu", name="d1")(a)
    y = k.layers.Dense(5, name="d2")(b)
    shared = k.layers.Dense(2, name="shared")
    out = k.layers.Add(name="add")([shared(x), shared(y)])
    return k.Model([a, b], out, name="two_in")


def _sequential(k):
    return k.Sequential([k.Input((4,)), k.layers.Dense(3, name="s1"),
                         k.layers.Dense(2, name="s2")], name="seq")


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(6, 4)).astype("float32"), rng.normal(size=(6, 3)).astype("float32")


def test_sequential_clone_has_new_layers_and_same_outputs_after_set_weights():
    model = _sequential(keras)
    clone = keras.models.clone_model(model)
    assert isinstance(clone, keras.Sequential) and clone.name == "seq"
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    assert all(a is not b for a, b in zip(clone.layers, model.layers))
    assert clone.layers[0].kernel is not model.layers[0].kernel
    x, _ = _data()
    assert not np.allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0))
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    # changing the clone leaves the original alone
    clone.layers[0].set_weights([np.zeros((4, 3), "float32"), np.zeros(3, "float32")])
    assert np.abs(model.layers[0].get_weights()[0]).sum() > 0


def test_functional_clone_keeps_shared_layers_shared():
    model = _functional(keras)
    clone = keras.models.clone_model(model)
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    assert len(clone.weights) == len(model.weights)
    clone.set_weights(model.get_weights())
    x, y = _data()
    np.testing.assert_allclose(clone.predict([x, y], verbose=0), model.predict([x, y], verbose=0),
                               atol=1e-6)
    # one new layer for the shared one: zeroing it changes both branches
    clone.get_layer("shared").set_weights([np.zeros((5, 2), "float32"), np.zeros(2, "float32")])
    np.testing.assert_allclose(clone.predict([x, y], verbose=0), 0.0)


def test_clone_on_new_input_tensors_and_clone_function():
    model = _sequential(keras)
    new_in = keras.Input((4,), name="fresh")
    clone = keras.models.clone_model(model, input_tensors=new_in)
    assert clone.inputs[0] is new_in or clone.inputs[0].name == new_in.name
    seen = []

    def rename(layer):
        seen.append(layer.name)
        config = layer.get_config()
        config["name"] = "c_" + config["name"]
        return type(layer).from_config(config)

    renamed = keras.models.clone_model(model, clone_function=rename)
    assert seen == ["s1", "s2"]
    assert [l.name for l in renamed.layers] == ["c_s1", "c_s2"]


def test_recursive_clones_nested_models():
    inner = _sequential(keras)
    inp = keras.Input((4,))
    outer = keras.Model(inp, layers.Dense(1)(inner(inp)))
    shallow = keras.models.clone_model(outer)
    deep = keras.models.clone_model(outer, recursive=True)
    inner_of = lambda m: next(l for l in m.layers if isinstance(l, keras.Sequential))  # noqa: E731
    assert inner_of(deep) is not inner
    assert all(a is not b for a, b in zip(inner_of(deep).layers, inner.layers))
    assert inner_of(shallow) is not inner  # rebuilt from its config either way
    x, _ = _data()
    deep.set_weights(outer.get_weights())
    np.testing.assert_allclose(deep.predict(x, verbose=0), outer.predict(x, verbose=0), atol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="Model"):
        keras.models.clone_model(layers.Dense(2))

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(2)

        def call(self, x):
            return self.d(x)

    with pytest.raises(ValueError, match="Sub"):
        keras.models.clone_model(Sub())
    with pytest.raises(TypeError, match="bogus"):
        keras.models.clone_model(_sequential(keras), bogus=1)
    with pytest.raises(ValueError, match="input_tensors"):
        keras.models.clone_model(_functional(keras), input_tensors=[keras.Input((4,))])


def test_clone_matches_keras3():
    k3 = import_keras3()
    for build in (_sequential, _functional):
        ours, theirs = build(keras), build(k3)
        c_ours, c_theirs = keras.models.clone_model(ours), k3.models.clone_model(theirs)
        assert [l.name for l in c_ours.layers] == [l.name for l in c_theirs.layers]
        shapes = [[tuple(w.shape) for w in m.weights] for m in (c_ours, c_theirs)]
        assert shapes[0] == shapes[1]
        assert c_ours.name == c_theirs.name
        c_ours.set_weights([w.numpy() if hasattr(w, "numpy") else np.asarray(w)
                            for w in c_theirs.get_weights()])
        x, y = _data()
        inputs = x if build is _sequential else [x, y]
        np.testing.assert_allclose(c_ours.predict(inputs, verbose=0),
                                   c_theirs.predict(inputs, verbose=0), atol=1e-5)
