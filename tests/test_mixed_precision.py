"""keras.mixed_precision: policy names and errors."""

import pytest

import kerastorch as keras


def test_policy_names_and_errors():
    policy = keras.mixed_precision.Policy("mixed_float16")
    assert (policy.compute_dtype, policy.variable_dtype) == ("float16", "float32")
    with pytest.raises(ValueError, match="mixed precision"):
        keras.mixed_precision.set_global_policy("mixed_int8")
    assert keras.mixed_precision.global_policy().name == "float32"
