"""saving/model_config.py: Sequential and functional configs in Keras 3's format (layers, their
inbound nodes as keras_history triples, input/output endpoints) and models rebuilt from them.
The graph parts of the configs are compared with what Keras 3 writes for the same model."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch.saving import model_config
from kerastorch.saving.serialization_lib import serialize_keras_object
from tests.keras3 import import_keras3


def _functional(k):
    """Two inputs, a shared Dense, a nested functional model, two outputs (one a dict key)."""
    a, b = k.Input((4,), name="a"), k.Input((4,), name="b")
    shared = k.layers.Dense(3, name="shared")
    inner_in = k.Input((3,), name="inner_in")
    inner = k.Model(inner_in, k.layers.Dense(2, name="inner_dense")(inner_in), name="inner")
    xa, xb = shared(a), shared(b)
    added = k.layers.Add(name="add")([xa, xb])
    out1 = inner(added)
    out2 = k.layers.Dense(1, name="head")(xb)
    return k.Model([a, b], [out1, out2], name="two_towers")


def _graph(config):
    """What connects the layers: names, classes and every node's keras_history triples."""
    def histories(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            return [tuple(value["config"]["keras_history"])]
        if isinstance(value, dict):
            return [h for v in value.values() for h in histories(v)]
        if isinstance(value, (list, tuple)):
            return [h for v in value for h in histories(v)]
        return []
    layers = [(entry["name"], entry["class_name"],
               [histories(node["args"]) for node in entry["inbound_nodes"]])
              for entry in config["layers"]]
    return layers, config["input_layers"], config["output_layers"]


def test_functional_config_graph_matches_keras3():
    keras3 = import_keras3()
    theirs = keras3.saving.serialize_keras_object(_functional(keras3))["config"]
    ours = serialize_keras_object(_functional(keras))["config"]
    assert _graph(ours) == _graph(theirs)
    assert len(_graph(ours)[0]) == 6 and ours["name"] == "two_towers" and ours["trainable"]


def test_shared_layer_has_one_node_per_call():
    config = serialize_keras_object(_functional(keras))["config"]
    shared = next(e for e in config["layers"] if e["name"] == "shared")
    assert len(shared["inbound_nodes"]) == 2
    head = next(e for e in config["layers"] if e["name"] == "head")
    assert _graph({"layers": [head], "input_layers": [], "output_layers": []})[0][0][2] == \
        [[("shared", 1, 0)]]  # the second call of the shared layer


def _copy_and_compare(source, target, inputs):
    target.set_weights(source.get_weights())
    for a, b in zip(source.predict(inputs, verbose=0), target.predict(inputs, verbose=0),
                    strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=1e-5)


def test_functional_from_config_rebuilds_the_same_graph_and_outputs():
    model = _functional(keras)
    rebuilt = keras.Model.from_config(model.get_config())
    assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in model.layers]
    assert _graph(serialize_keras_object(rebuilt)["config"]) == \
        _graph(serialize_keras_object(model)["config"])
    x = [np.random.default_rng(0).normal(size=(3, 4)).astype("float32")] * 2
    _copy_and_compare(model, rebuilt, x)


def test_keras3_functional_config_loads_and_computes_the_same():
    keras3 = import_keras3()
    theirs = _functional(keras3)
    ours = keras.models.model_from_json(theirs.to_json())
    x = [np.random.default_rng(1).normal(size=(3, 4)).astype("float32") for _ in range(2)]
    _copy_and_compare(theirs, ours, x)


def test_sequential_config_with_input_and_build_shape():
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2, name="d")], name="seq")
    config = model_config.sequential_config(model)
    assert [layer["class_name"] for layer in config["layers"]] == ["InputLayer", "Dense"]
    assert config["build_input_shape"] == [None, 5] and config["name"] == "seq"
    assert "batch_input_shape" not in config["layers"][1]["config"]
    rebuilt = keras.Sequential.from_config(config)
    assert rebuilt.built and [w.shape for w in rebuilt.weights] == [(5, 2), (2,)]


def test_sequential_config_layers_match_keras3():
    keras3 = import_keras3()
    make = lambda k: k.Sequential([k.Input((5,)), k.layers.Dense(2, name="d"),  # noqa: E731
                                   k.layers.Dropout(0.1, name="drop")], name="seq")
    ours, theirs = make(keras).get_config(), make(keras3).get_config()
    # (the InputLayer's own name is Keras 2's `input_1`, Keras 3.15 says `input_layer`)
    assert [e["class_name"] for e in ours["layers"]] == [e["class_name"] for e in theirs["layers"]]
    assert [e["config"]["name"] for e in ours["layers"][1:]] == \
        [e["config"]["name"] for e in theirs["layers"][1:]]
    assert list(ours["build_input_shape"]) == list(theirs["build_input_shape"])


def test_keras2_list_sequential_config_loads():
    layers = [{"class_name": "Dense", "config": {"name": "d", "units": 2,
                                                  "batch_input_shape": [None, 3]}}]
    model = model_config.model_from_config(keras.Sequential, layers)
    assert [layer.name for layer in model.layers] == ["d"]
    assert model.layers[0].units == 2


def test_a_non_layer_in_a_model_config_is_a_value_error():
    with pytest.raises(ValueError, match="Expected a layer when deserializing L2, got L2"):
        model_config.deserialize_layer({"class_name": "L2", "config": {"l2": 0.1},
                                        "module": "keras.regularizers"}, None)


def test_subclassed_model_without_config_support_names_the_class():
    class Bare(keras.Model):
        def __init__(self):
            super().__init__()

    with pytest.raises(TypeError, match="Unable to revive model Bare from its config"):
        model_config.model_from_config(Bare, {"units": 3})
