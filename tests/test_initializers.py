"""initializers.py: statistics of every initializer on large shapes, against Keras's formulas and
Keras itself; orthogonality, constants, seeds, argument errors."""

import math

import numpy as np
import pytest
import torch

from kerastorch import initializers
from tests.keras3 import import_keras3

SHAPE = (3, 3, 64, 128)  # fan_in = 576, fan_out = 1152
FAN_IN, FAN_OUT = 3 * 3 * 64, 3 * 3 * 128
TRUNC_STD = 0.87962566103423978  # std of a unit normal truncated to (-2, 2)


def _expected(name):
    """(mean, std, bound) from Keras's documented formulas; bound None for unbounded."""
    avg = (FAN_IN + FAN_OUT) / 2
    uniform = lambda var: (0.0, math.sqrt(var), math.sqrt(3 * var))  # noqa: E731
    normal = lambda var: (0.0, math.sqrt(var), 2 * math.sqrt(var) / TRUNC_STD)  # noqa: E731
    return {
        "glorot_uniform": uniform(1 / avg), "glorot_normal": normal(1 / avg),
        "he_uniform": uniform(2 / FAN_IN), "he_normal": normal(2 / FAN_IN),
        "lecun_uniform": uniform(1 / FAN_IN), "lecun_normal": normal(1 / FAN_IN),
        "random_normal": (0.0, 0.05, None), "random_uniform": (0.0, 0.1 / math.sqrt(12), 0.05),
        "truncated_normal": (0.0, 0.05 * TRUNC_STD, 0.1),
        "variance_scaling": normal(1 / FAN_IN),
        "zeros": (0.0, 0.0, 0.0), "ones": (1.0, 0.0, 1.0),
    }[name]


NAMES = ["glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform",
         "lecun_normal", "random_normal", "random_uniform", "truncated_normal",
         "variance_scaling", "zeros", "ones"]


@pytest.mark.parametrize("name", NAMES)
def test_statistics_follow_keras_formulas_and_keras(name):
    keras3 = import_keras3()
    ours = initializers.get(name)(SHAPE, dtype="float32").numpy()
    theirs = keras3.ops.convert_to_numpy(keras3.initializers.get(name)(SHAPE, dtype="float32"))
    mean, std, bound = _expected(name)
    assert ours.shape == SHAPE
    for values in (ours, theirs):
        assert abs(values.mean() - mean) < 0.1 * max(std, 1e-3)
        assert values.std() == pytest.approx(std, rel=0.02, abs=1e-6)
    # Keras's torch backend truncates approximately (4 draws, then gives up), so only our
    # values are held to the exact bound.
    if bound is not None:
        assert np.abs(ours - mean).max() <= bound * (1 + 1e-6)
    if bound and name not in ("ones", "zeros"):
        assert np.abs(ours).max() > 0.9 * bound  # the whole range is used


@pytest.mark.parametrize("shape", [(64, 32), (32, 64), (4, 5, 16)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    w = initializers.get("orthogonal")(shape).numpy().reshape(-1, shape[-1])
    small = min(w.shape)
    gram = w.T @ w if w.shape[0] >= w.shape[1] else w @ w.T
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-5)
    w2 = initializers.Orthogonal(gain=2.0)((16, 16)).numpy()
    np.testing.assert_allclose(w2.T @ w2, 4 * np.eye(16), atol=1e-4)


def test_constant_identity_and_objects():
    np.testing.assert_array_equal(initializers.Constant(3.0)((2, 2)).numpy(), 3.0)
    np.testing.assert_array_equal(initializers.get("identity")((3, 3)).numpy(), np.eye(3))
    init = initializers.VarianceScaling(scale=2.0, mode="fan_out", distribution="uniform")
    values = init((200, 300)).numpy()
    assert np.abs(values).max() <= math.sqrt(3 * 2.0 / 300)
    assert values.std() == pytest.approx(math.sqrt(2.0 / 300), rel=0.02)


def test_seeded_initializers_repeat():
    a = initializers.GlorotUniform(seed=1)((5, 5))
    b = initializers.GlorotUniform(seed=1)((5, 5))
    assert torch.equal(a, b)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan")
    with pytest.raises(ValueError, match="two-dimensional"):
        initializers.Orthogonal()((4,))
    with pytest.raises(ValueError):
        initializers.get("glorot")
