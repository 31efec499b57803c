"""ops.rearrange against Keras 3's, on arrays and on symbolic tensors."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch import ops
from tests.keras3 import import_keras3

PATTERNS = [
    ("b h w c -> b c h w", {}),
    ("b h w c -> (b h) w c", {}),
    ("b h w c -> h (b w) c", {}),
    ("b h w c -> b (c h w)", {}),
    ("b (h1 h) (w1 w) c -> (b h1 w1) h w c", {"h1": 2, "w1": 2}),
    ("b (h h1) (w w1) c -> b h w (c h1 w1)", {"h1": 2, "w1": 2}),
]


@pytest.mark.parametrize("pattern,lengths", PATTERNS)
def test_rearrange_matches_keras3(pattern, lengths):
    keras3 = import_keras3()
    x = np.random.default_rng(0).normal(size=(3, 4, 6, 2)).astype("float32")
    expected = keras3.ops.convert_to_numpy(keras3.ops.rearrange(x, pattern, **lengths))
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.rearrange(x, pattern, **lengths)),
                                  expected)
    inputs = keras.Input(shape=(4, 6, 2))
    symbolic = ops.rearrange(inputs, pattern, **lengths)
    # Known sizes are the real ones; those that depend on the batch are None. (Keras 3.15's own
    # symbolic rearrange fails on a None batch, so it cannot be the oracle here.)
    assert len(symbolic.shape) == expected.ndim
    assert all(d is None or d == e for d, e in zip(symbolic.shape, expected.shape))
    assert symbolic.shape[-1] == expected.shape[-1]
    model = keras.Model(inputs, symbolic)
    np.testing.assert_array_equal(ops.convert_to_numpy(model(x)), expected)


def test_rearrange_bad_pattern_raises():
    with pytest.raises(Exception, match="(?i)shape|pattern|dimension|length"):
        ops.rearrange(np.ones((2, 3)), "a b -> a b c")
