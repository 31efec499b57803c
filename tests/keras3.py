"""Import real Keras 3 on its torch backend for parity tests (skips the test where it is absent)."""

import os

import pytest


def import_keras3():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    if not keras.__version__.startswith("3") or keras.backend.backend() != "torch":
        pytest.skip("parity tests need Keras 3 on the torch backend")
    return keras
