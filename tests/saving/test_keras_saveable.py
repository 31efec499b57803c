"""saving/keras_saveable.py: the saving methods of a Model (save, save_weights, load_weights,
get_config / from_config, to_json, build configs), and that under torchrun only rank 0 writes."""

import json

import numpy as np
import pytest

import kerastorch as keras
from kerastorch.distribution import ddp
from kerastorch.saving import serialization_lib
from tests.keras3 import import_keras3


def _model():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((3,), name="x")
    return keras.Model(inputs, keras.layers.Dense(2, name="d")(inputs), name="m")


def test_to_json_is_the_serialized_config():
    model = _model()
    assert json.loads(model.to_json()) == json.loads(
        json.dumps(serialization_lib.serialize_keras_object(model)))
    assert json.loads(model.to_json(indent=2))["class_name"] == "Functional"


def test_keras3_reads_the_json_and_computes_the_same():
    keras3 = import_keras3()
    model = _model()
    theirs = keras3.models.model_from_json(model.to_json())
    theirs.set_weights(model.get_weights())
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(keras3.ops.convert_to_numpy(theirs(x)),
                               model.predict(x, verbose=0), atol=1e-6)


def test_save_and_weights_methods_round_trip(tmp_path):
    model = _model()
    model.save(tmp_path / "m.keras")
    model.save_weights(tmp_path / "m.weights.h5")
    other = keras.models.load_model(tmp_path / "m.keras")
    fresh = _model()
    fresh.layers[1].set_weights([np.zeros((3, 2)), np.zeros(2)])
    fresh.load_weights(tmp_path / "m.weights.h5")
    for a, b, c in zip(model.get_weights(), other.get_weights(), fresh.get_weights(),
                       strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


def test_only_rank_0_writes_under_torchrun(tmp_path, monkeypatch):
    model = _model()
    monkeypatch.setattr(ddp, "active", lambda: True)
    monkeypatch.setattr(ddp, "is_chief", lambda: False)
    assert model.save(tmp_path / "r1.keras") is None
    assert model.save_weights(tmp_path / "r1.weights.h5") is None
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(ddp, "is_chief", lambda: True)
    model.save(tmp_path / "r0.keras")
    assert (tmp_path / "r0.keras").exists()


def test_from_config_finds_custom_objects_for_nested_layers():
    class Twice(keras.layers.Layer):
        def call(self, x):
            return x * 2

    inputs = keras.Input((2,))
    model = keras.Model(inputs, Twice(name="twice")(inputs))
    config = model.get_config()
    with pytest.raises(ValueError, match="Could not locate class 'Twice'"):
        keras.Model.from_config(config)
    rebuilt = keras.Model.from_config(config, custom_objects={"Twice": Twice})
    assert type(rebuilt.get_layer("twice")) is Twice
    np.testing.assert_array_equal(rebuilt.predict(np.ones((1, 2)), verbose=0), [[2.0, 2.0]])


def test_sequential_and_subclassed_configs():
    seq = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)], name="s")
    assert [entry["class_name"] for entry in seq.get_config()["layers"]] == ["InputLayer",
                                                                           "Dense"]

    class Sub(keras.Model):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.dense = keras.layers.Dense(units)

        def call(self, x):
            return self.dense(x)

        def get_config(self):
            return {"units": self.units}

    rebuilt = Sub.from_config(Sub(units=5).get_config())
    assert type(rebuilt) is Sub and rebuilt.units == 5


def test_build_config_round_trip():
    seq = keras.Sequential([keras.layers.Dense(2)])
    seq.build((None, 4))
    config = seq.get_build_config()
    assert config == {"input_shape": [None, 4]}
    other = keras.Sequential([keras.layers.Dense(2)])
    other.build_from_config(config)
    assert other.built and [w.shape for w in other.weights] == [(4, 2), (2,)]
