"""backend.py: the global state (name counters, floatx, epsilon, image data format, device,
seeds), dtype names and the tensor conversion layers use; compared with Keras 3 where it has
the same function."""

import random

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import backend
from tests.keras3 import import_keras3


@pytest.fixture
def restore_globals():
    saved = (backend.floatx(), backend.epsilon(), backend.image_data_format(),
             backend.device_override())
    yield
    backend.set_floatx(saved[0])
    backend.set_epsilon(saved[1])
    backend.set_image_data_format(saved[2])
    backend.set_device(saved[3])


def test_uids_count_per_prefix_and_clear_session_resets_them():
    assert [backend.get_uid("foo"), backend.get_uid("foo"), backend.get_uid("bar")] == [1, 2, 1]
    assert [backend.unique_object_name("dense") for _ in range(3)] == ["dense", "dense_1",
                                                                     "dense_2"]
    backend.clear_session()
    assert backend.get_uid("foo") == 1 and backend.unique_object_name("dense") == "dense"


def test_get_uid_counts_like_keras3():
    keras3 = import_keras3()
    keras3.backend.clear_session()
    theirs = [keras3.backend.get_uid(p) for p in ("foo", "foo", "bar", "foo")]
    assert [backend.get_uid(p) for p in ("foo", "foo", "bar", "foo")] == theirs


@pytest.mark.parametrize("value", ["float16", "bfloat16", "float32", "float64"])
def test_set_floatx_accepts_float_dtypes_and_new_weights_follow(restore_globals, value):
    backend.set_floatx(value)
    assert backend.floatx() == value == keras.config.floatx()
    assert keras.layers.Dense(2).dtype == value
    assert backend.to_torch_dtype(None) == getattr(torch, value)


def test_set_floatx_rejects_other_values_with_keras3s_error_type(restore_globals):
    keras3 = import_keras3()
    with pytest.raises(ValueError):
        keras3.config.set_floatx("int8")
    with pytest.raises(ValueError, match=r"Unknown `floatx` value: 'int8'"):
        backend.set_floatx("int8")
    assert backend.floatx() == "float32"


def test_epsilon_and_image_data_format(restore_globals):
    assert backend.epsilon() == 1e-7 and backend.image_data_format() == "channels_last"
    backend.set_epsilon(1e-3)
    assert backend.epsilon() == 1e-3
    backend.set_image_data_format("Channels_First")
    assert backend.image_data_format() == "channels_first"
    assert backend.standardize_data_format(None) == "channels_first"
    with pytest.raises(ValueError, match=r"must be one of \{'channels_first', 'channels_last'\}"
                                         r"\. Received: data_format=nhwc"):
        backend.set_image_data_format("nhwc")
    assert backend.image_data_format() == "channels_first"


def test_data_format_errors_match_keras3():
    keras3 = import_keras3()
    from keras.src.backend import standardize_data_format
    for bad in ("nhwc", "x"):
        with pytest.raises(ValueError) as theirs:
            standardize_data_format(bad)
        with pytest.raises(ValueError) as ours:
            backend.standardize_data_format(bad)
        assert str(ours.value) == str(theirs.value)
    assert keras3 is not None


@pytest.mark.parametrize("dtype, expected", [
    ("float32", torch.float32), ("float", torch.float32), ("double", torch.float64),
    ("half", torch.float16), (np.float64, torch.float64), (np.dtype("int16"), torch.int16),
    (torch.bfloat16, torch.bfloat16), ("uint8", torch.uint8), ("bool", torch.bool),
    ("complex64", torch.complex64),
])
def test_to_torch_dtype_reads_keras_numpy_and_torch_names(dtype, expected):
    assert backend.to_torch_dtype(dtype) == expected


def test_unknown_dtype_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="Unsupported dtype: 'float8'"):
        backend.to_torch_dtype("float8")


def test_standardize_dtype_matches_keras3():
    keras3 = import_keras3()
    from keras.src.backend import standardize_dtype
    for dtype in (np.float64, torch.int16, "float16", "bfloat16", "uint8", np.dtype("bool")):
        assert backend.standardize_dtype(dtype) == standardize_dtype(dtype)
    assert backend.standardize_dtype(None) == keras3.config.floatx()


def test_dtype_predicates_and_result_type_match_keras3():
    keras3 = import_keras3()
    for dtype in ("bfloat16", "float64", "uint8", "int32", "bool", "complex64"):
        assert backend.is_float_dtype(dtype) == keras3.backend.is_float_dtype(dtype), dtype
        assert backend.is_int_dtype(dtype) == keras3.backend.is_int_dtype(dtype), dtype
    for pair in (("int32", "float16"), ("uint8", "int8"), ("bool", "int64"),
                 ("float16", "bfloat16"), ("int64", "float32")):
        assert backend.result_type(*pair) == keras3.backend.result_type(*pair), pair


def test_convert_to_tensor_gives_floatx_floats_and_int32_python_ints(restore_globals):
    assert backend.convert_to_tensor(np.ones(2)).dtype == torch.float32
    assert backend.convert_to_tensor(np.ones(2, "float16")).dtype == torch.float32
    assert backend.convert_to_tensor([1, 2]).dtype == torch.int32
    assert backend.convert_to_tensor(np.array([1, 2])).dtype == torch.int64  # numpy's own
    assert backend.convert_to_tensor([True]).dtype == torch.bool
    assert backend.convert_to_tensor(1.5, dtype="float64").dtype == torch.float64
    t = torch.ones(3)
    assert backend.convert_to_tensor(t) is t
    assert backend.convert_to_tensor(t, "int32").dtype == torch.int32
    backend.set_floatx("float64")
    assert backend.convert_to_tensor(np.ones(2, "float32")).dtype == torch.float64


def test_device_is_cuda_when_present_and_set_device_overrides_it(restore_globals):
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    backend.set_device(None)
    assert backend.device_override() is None and backend.device().type == expected
    backend.set_device("meta")
    assert backend.device_override() == torch.device("meta") == backend.device()
    backend.set_device(None)
    assert backend.device().type == expected


def test_set_random_seed_repeats_python_numpy_and_torch_draws():
    draws = []
    for _ in range(2):
        backend.set_random_seed(7)
        draws.append((random.random(), np.random.rand(), torch.rand(1).item()))
    assert draws[0] == draws[1]
    with pytest.raises(ValueError, match=r"Expected `seed` argument to be an integer. "
                                         r"Received: seed=1.5"):
        backend.set_random_seed(1.5)


def test_keras_masks_are_set_read_and_removed():
    x = torch.ones(2, 3)
    assert backend.get_keras_mask(x) is None
    mask = torch.tensor([True, False])
    backend.set_keras_mask(x, mask)
    assert backend.get_keras_mask(x) is mask
    backend.set_keras_mask(x, None)
    assert backend.get_keras_mask(x) is None
    backend.set_keras_mask(x, None)  # removing an absent mask is fine


def test_is_keras_tensor_and_lazy_attributes():
    assert backend.is_keras_tensor(keras.Input((2,)))
    assert not backend.is_keras_tensor(torch.ones(2))
    assert backend.KerasTensor is keras.KerasTensor
    assert backend.numpy is keras.ops.numpy and backend.cast is keras.ops.cast
    with pytest.raises(AttributeError, match="has no attribute 'not_a_name'"):
        backend.not_a_name  # noqa: B018
