import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_symbolic


def test_noise_only_in_training_with_requested_stddev():
    layer = layers.GaussianNoise(0.5)
    x = torch.zeros(200, 100)
    assert torch.equal(layer(x), x)
    y = layer(x, training=True)
    assert abs(float(y.std()) - 0.5) < 0.02 and abs(float(y.mean())) < 0.02


def test_seed_shape_and_errors():
    a = layers.GaussianNoise(0.1, seed=4)(torch.zeros(5, 5), training=True)
    b = layers.GaussianNoise(0.1, seed=4)(torch.zeros(5, 5), training=True)
    assert torch.equal(a, b)
    check_symbolic(layers.GaussianNoise(0.1), (3,), (None, 3))
    with pytest.raises(ValueError, match="stddev"):
        layers.GaussianNoise(-1.0)
