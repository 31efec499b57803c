"""kerastorch/layers' subpackages (Keras 3's layout): each re-exports its layers, which are the
public `kerastorch.layers` classes, and a layer's config still names the public module."""

import importlib
import inspect

import pytest

from kerastorch import layers
from kerastorch.saving import serialization_lib

SUBPACKAGES = ("core", "convolutional", "pooling", "normalization", "merging", "reshaping",
               "regularization", "activations", "attention", "preprocessing", "rnn")


def _exported(sub):
    module = importlib.import_module(f"kerastorch.layers.{sub}")
    return {n: v for n, v in vars(module).items()
            if not n.startswith("_") and not inspect.ismodule(v)}


@pytest.mark.parametrize("sub", SUBPACKAGES)
def test_subpackage_exports_are_the_public_layers_defined_inside_it(sub):
    exported = _exported(sub)
    assert exported, f"kerastorch.layers.{sub} exports nothing"
    for name, value in exported.items():
        if name in ("TFOpLambda",):  # not a keras.layers name
            continue
        assert getattr(layers, name) is value, f"kerastorch.layers.{sub}.{name}"
        assert value.__module__.startswith(f"kerastorch.layers.{sub}."), (name, value.__module__)


def test_every_public_layer_class_is_exported_by_its_subpackage():
    for name in dir(layers):
        value = getattr(layers, name)
        if not (inspect.isclass(value) and issubclass(value, layers.Layer)) or \
                value is layers.Layer:
            continue
        parts = value.__module__.split(".")
        assert parts[:2] == ["kerastorch", "layers"] and len(parts) == 4, (name, value.__module__)
        assert _exported(parts[2]).get(value.__name__) is value, f"{name} in {parts[2]}"


def test_paths_that_were_modules_before_the_move_keep_their_classes():
    # Spelled `layers.core...`: tools/layout_move.py takes the full dotted path for the old module.
    assert layers.core.Dense is layers.Dense
    assert layers.convolutional.Conv2D is layers.Conv2D
    assert layers.pooling.MaxPooling2D is layers.MaxPooling2D
    assert layers.merging.concatenate is layers.concatenate
    assert layers.attention.AdditiveAttention is layers.AdditiveAttention


@pytest.mark.parametrize("layer", [layers.Dense(2), layers.Dropout(0.5), layers.Conv2D(2, 3),
                                   layers.Rescaling(0.5), layers.Add()])
def test_config_module_is_keras_layers_whatever_the_subpackage(layer):
    config = serialization_lib.serialize_keras_object(layer)
    assert config["module"] == "keras.layers"
    assert config["class_name"] == type(layer).__name__
    assert config["registered_name"] is None
