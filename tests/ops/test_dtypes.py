"""ops/dtypes.py: Keras's type promotion (result_type) over every pair of dtypes, with Python
int/float as weak types, and dtype names, compared with Keras 3's `keras.backend.result_type`
/ `standardize_dtype`."""

import itertools

import numpy as np
import pytest
import torch

from kerastorch import backend
from kerastorch.ops import dtypes
from tests.keras3 import import_keras3

DTYPES = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", "bfloat16",
          "float16", "float32", "float64", "complex64", "complex128"]


def _outcome(fn, *args):
    try:
        return fn(*args)
    except ValueError:
        return "ValueError"


def test_pairwise_promotion_matches_keras3():
    keras3 = import_keras3()
    theirs_fn = keras3.backend.result_type
    pairs = list(itertools.product(DTYPES + [int, float, bool], repeat=2))
    mismatched = [(a, b, _outcome(dtypes.result_type, a, b), _outcome(theirs_fn, a, b))
                  for a, b in pairs
                  if _outcome(dtypes.result_type, a, b) != _outcome(theirs_fn, a, b)]
    assert not mismatched


def test_three_way_and_single_promotion_matches_keras3():
    keras3 = import_keras3()
    for combo in [("int8", "uint8", "float16"), ("bool", int, float), ("int32", int, "bfloat16"),
                  ("uint8",), (float,), (int, int), ("float16", "bfloat16", "int64")]:
        assert dtypes.result_type(*combo) == keras3.backend.result_type(*combo), combo


def test_weak_python_types_follow_floatx():
    assert dtypes.result_type("bfloat16", int) == "bfloat16"
    assert dtypes.result_type("int8", int) == "int8"
    assert dtypes.result_type("int8", float) == "float32"
    assert dtypes.result_type(int, float) == "float32"
    backend.set_floatx("float16")
    try:
        assert dtypes.result_type("int8", float) == "float16"
        assert dtypes.result_type() == "float16"
    finally:
        backend.set_floatx("float32")


@pytest.mark.parametrize("value, expected", [
    (torch.int16, "int16"), (np.float64, "float64"), (np.dtype("uint8"), "uint8"),
    (int, "int32"), (float, "float32"), (bool, "bool"), ("double", "float64"),
    ("half", "float16"), (None, "float32"), (torch.bfloat16, "bfloat16"),
])
def test_standardize_dtype(value, expected):
    assert dtypes.standardize_dtype(value) == expected


def test_standardize_dtype_matches_keras3():
    import_keras3()
    from keras.src.backend import standardize_dtype
    for value in (torch.int16, np.float64, np.dtype("uint8"), int, float, bool, "float16",
                  torch.complex64, "bfloat16"):
        assert dtypes.standardize_dtype(value) == standardize_dtype(value), value


def test_invalid_dtype_name_is_a_value_error():
    with pytest.raises(ValueError, match="Invalid dtype: nonsense"):
        dtypes.standardize_dtype("nonsense")
