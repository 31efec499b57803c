"""utils/rng_utils.py: set_random_seed repeats Python, numpy, torch and unseeded keras.random
draws, and weight initialisation, after each call."""

import random

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.utils import rng_utils


def _draws():
    layer = keras.layers.Dense(3)
    layer.build((None, 2))
    return (random.random(), float(np.random.rand()), float(torch.rand(())),
            keras.ops.convert_to_numpy(keras.random.normal((4,))).tolist(),
            keras.ops.convert_to_numpy(keras.random.uniform((2,))).tolist(),
            layer.get_weights()[0].tolist())


def test_same_seed_same_draws_other_seed_other_draws():
    rng_utils.set_random_seed(5)
    first = _draws()
    rng_utils.set_random_seed(5)
    assert _draws() == first
    rng_utils.set_random_seed(6)
    other = _draws()
    assert all(a != b for a, b in zip(first, other, strict=True))


def test_unseeded_keras_random_continues_between_seedings():
    rng_utils.set_random_seed(1)
    a = keras.ops.convert_to_numpy(keras.random.normal((3,)))
    b = keras.ops.convert_to_numpy(keras.random.normal((3,)))
    assert not np.array_equal(a, b)


def test_seed_must_be_an_int():
    with pytest.raises(ValueError, match="Expected `seed` argument to be an integer"):
        rng_utils.set_random_seed("1")
    assert keras.utils.set_random_seed is rng_utils.set_random_seed
