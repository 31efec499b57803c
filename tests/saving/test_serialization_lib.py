"""saving/serialization_lib.py: objects to Keras 3's `{module, class_name, config,
registered_name}` configs and back, plain data, custom and unknown classes, safe mode, build
configs. Where Keras 3 writes the same config, the two are compared as written."""

import codecs
import json
import marshal

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.saving import serialization_lib
from kerastorch.saving.serialization_lib import deserialize_keras_object
from kerastorch.saving.serialization_lib import serialize_keras_object
from tests.keras3 import import_keras3


def _objects(k):
    """Objects whose Keras 3 config kerastorch writes identically."""
    return [k.initializers.Constant(2.0), k.initializers.Zeros(),
            k.regularizers.L1L2(l1=0.1, l2=0.2), k.constraints.MaxNorm(3),
            k.losses.MeanSquaredError(), k.losses.SparseCategoricalCrossentropy(from_logits=True),
            k.metrics.Mean(name="m"), (1, 2), np.float32(3.0), b"ab",
            np.arange(3, dtype="int32"), {"a": [1, None, "x"]}]


def test_builtin_configs_are_written_as_keras3_writes_them():
    keras3 = import_keras3()
    ours = [serialize_keras_object(o) for o in _objects(keras)]
    theirs = [keras3.saving.serialize_keras_object(o) for o in _objects(keras3)]
    for a, b in zip(ours, theirs, strict=True):
        assert json.loads(json.dumps(a)) == json.loads(json.dumps(b))  # as the file holds it


def test_layer_configs_use_keras_public_modules():
    config = serialize_keras_object(keras.layers.Dense(3, activation="relu", name="d"))
    assert (config["module"], config["class_name"], config["registered_name"]) == \
        ("keras.layers", "Dense", None)
    assert config["config"]["kernel_initializer"]["class_name"] == "GlorotUniform"
    assert "batch_input_shape" not in config["config"]


@pytest.mark.parametrize("make", [
    lambda k: k.initializers.GlorotUniform(seed=1),
    lambda k: k.optimizers.SGD(0.1, momentum=0.9, name="opt"),
    lambda k: k.layers.Dense(3, activation="relu", kernel_regularizer=k.regularizers.L2(0.01),
                               name="d"),
    lambda k: k.layers.Dropout(0.5, name="dr"),
    lambda k: k.losses.Huber(delta=2.0),
])
def test_keras3_configs_deserialize_to_the_same_objects(make):
    keras3 = import_keras3()
    config = keras3.saving.serialize_keras_object(make(keras3))
    obj = deserialize_keras_object(config)
    expected = make(keras)
    assert type(obj) is type(expected)
    ours, theirs = obj.get_config(), expected.get_config()
    assert serialize_keras_object(ours) == serialize_keras_object(theirs)


def test_plain_data_round_trips():
    values = [None, True, 3, 2.5, "s", [1, [2, 3]], {"k": {"n": 1}}, b"bytes",
              np.arange(4, dtype="int16").reshape(2, 2), torch.tensor([1.5, 2.0])]
    for value in values:
        back = deserialize_keras_object(serialize_keras_object(value))
        if isinstance(value, (np.ndarray, torch.Tensor)):
            assert type(back) is type(value) and back.dtype == value.dtype
            np.testing.assert_array_equal(np.asarray(back), np.asarray(value))
        else:
            assert back == value
    assert serialize_keras_object((1, 2)) == [1, 2]
    assert serialize_keras_object(torch.float16) == "float16"
    assert deserialize_keras_object({"class_name": "__ellipsis__", "config": {}}) is Ellipsis
    assert deserialize_keras_object({"class_name": "__slice__", "config": {
        "start": 1, "stop": None, "step": 2}}) == slice(1, None, 2)


def test_functions_by_name_and_registered_custom_functions():
    assert deserialize_keras_object({"class_name": "function", "config": "relu",
                                     "module": "keras.activations",
                                     "registered_name": None}) is keras.activations.relu

    def double(x):
        return x * 2

    found = deserialize_keras_object({"class_name": "function", "config": "double",
                                      "module": "builtins", "registered_name": "function"},
                                     custom_objects={"double": double})
    assert found is double


def test_serializing_a_class_or_an_object_without_config_is_a_type_error():
    with pytest.raises(TypeError, match="Cannot serialize the class .*Dense.*pass an instance"):
        serialize_keras_object(keras.layers.Dense)
    with pytest.raises(TypeError, match="Cannot serialize <object object .* of type object: it "
                                        r"has no get_config\(\) method"):
        serialize_keras_object(object())


def test_unknown_classes_name_the_class_and_how_to_provide_it():
    with pytest.raises(ValueError, match="Could not locate class 'NotALayer' .*Keras module "
                                         "'keras.layers'.*kerastorch does not implement it"):
        deserialize_keras_object({"class_name": "NotALayer", "config": {},
                                  "module": "keras.layers", "registered_name": None})
    with pytest.raises(ValueError, match="Could not locate class 'Mine'.*custom_objects="
                                         r"\{'Mine': Mine\}"):
        deserialize_keras_object({"class_name": "Mine", "config": {}, "module": "my_pkg",
                                  "registered_name": "Custom>Mine"})


def test_custom_layers_through_custom_objects_and_registration():
    class Scale(keras.layers.Layer):
        def __init__(self, factor=1.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    config = serialize_keras_object(Scale(3.0, name="scale"))
    assert config["class_name"] == "Scale" and config["registered_name"] == "Scale"
    back = deserialize_keras_object(config, custom_objects={"Scale": Scale})
    assert type(back) is Scale and back.factor == 3.0 and back.name == "scale"
    registered = keras.saving.register_keras_serializable(package="T")(Scale)
    config = serialize_keras_object(registered(2.0))
    assert config["registered_name"] == "T>Scale"
    assert deserialize_keras_object(config).factor == 2.0


def test_unknown_keras3_keys_holding_defaults_are_dropped_others_fail_loudly():
    config = serialize_keras_object(keras.layers.Dense(2, name="d"))
    config["config"]["quantization_config"] = None
    assert deserialize_keras_object(config).units == 2
    config["config"]["mystery"] = 5
    with pytest.raises(TypeError, match="Keyword argument not understood: 'mystery'"):
        deserialize_keras_object(config)


def _lambda_config():
    fn = lambda x: x + 1  # noqa: E731
    code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
    return {"class_name": "__lambda__", "config": {"code": code, "defaults": None,
                                                   "closure": None}}


def test_lambdas_load_only_outside_safe_mode():
    assert serialization_lib.in_safe_mode() is None
    with pytest.raises(ValueError, match="deserialization of a Python lambda"):
        deserialize_keras_object(_lambda_config())
    with serialization_lib.SafeModeScope(False):
        assert serialization_lib.in_safe_mode() is False
        with serialization_lib.SafeModeScope(True):
            assert serialization_lib.in_safe_mode() is True
            with pytest.raises(ValueError, match="safe_mode=False"):
                deserialize_keras_object(_lambda_config())
        assert deserialize_keras_object(_lambda_config())(2) == 3
    assert serialization_lib.in_safe_mode() is None


def test_build_config_is_written_and_rebuilds_the_layer():
    layer = keras.layers.Dense(4, name="d")
    layer(keras.Input((3,)))
    config = serialize_keras_object(layer)
    assert config["build_config"] == {"input_shape": [None, 3]}
    back = deserialize_keras_object(config)
    assert back.built and [w.shape for w in back.weights] == [(3, 4), (4,)]
    unbuilt = serialize_keras_object(keras.layers.Dense(4))
    assert "build_config" not in unbuilt and not deserialize_keras_object(unbuilt).built


def test_to_shape_turns_json_lists_into_tuples():
    assert serialization_lib.to_shape([None, 3]) == (None, 3)
    assert serialization_lib.to_shape([[None, 2], [None, 5]]) == [(None, 2), (None, 5)]
    assert serialization_lib.to_shape({"a": [1, 2]}) == {"a": (1, 2)}


def test_accepted_arguments_follow_kwargs_up_to_layer():
    names = serialization_lib.accepted_arguments(keras.layers.Dense)
    assert {"units", "activation", "name", "trainable", "dtype", "input_shape"} <= names
    assert "kwargs" not in names
