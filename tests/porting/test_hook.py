"""The import hook: inside it `keras`, `tf_keras`, `tensorflow.keras`, Keras 2's moved modules
and `keras_preprocessing` give kerastorch's modules (Keras 2 defaults for Keras 2 roots); missing
names raise NotSupported errors with the full Keras path; everything is restored afterwards."""

import importlib
import sys

import pytest

from kerastorch import backend
from kerastorch.porting import hook
from kerastorch.porting.errors import NotSupportedAttributeError, NotSupportedError


def test_keras_relative():
    assert hook.keras_relative("keras.layers.experimental") == "layers.experimental"
    assert hook.keras_relative("tensorflow.keras.optimizers.legacy") == "optimizers.legacy"
    assert hook.keras_relative("tf_keras.layers") == "layers"
    assert hook.keras_relative("keras") is None and hook.keras_relative("numpy.linalg") is None


def test_imports_resolve_to_kerastorch_and_are_restored():
    before = {n: m for n, m in sys.modules.items() if n.split(".")[0] in ("keras", "tf_keras")}
    defaults = backend.keras_defaults()
    with hook.keras_import_hook():
        keras = importlib.import_module("keras")
        assert keras.layers.Dense.__module__.startswith("kerastorch")
        merge = importlib.import_module("keras.layers.merge")  # Keras 2's layer module
        assert merge.concatenate is keras.layers.concatenate
        legacy = importlib.import_module("tf_keras.optimizers.legacy")
        assert legacy.SGD.__module__.startswith("kerastorch")
        assert backend.keras_defaults() == 2  # a Keras 2 root was imported
        with pytest.raises(NotSupportedAttributeError, match="keras.layers.NoSuchLayer"):
            keras.layers.NoSuchLayer  # noqa: B018
        assert not hasattr(keras, "no_such_api")
        with pytest.raises(ImportError) as info:
            importlib.import_module("keras.no_such_module")
        assert isinstance(info.value, NotSupportedError)
    after = {n: m for n, m in sys.modules.items() if n.split(".")[0] in ("keras", "tf_keras")}
    assert after == before
    assert backend.keras_defaults() == defaults
    assert not any(isinstance(f, hook.KerasFinder) for f in sys.meta_path)
