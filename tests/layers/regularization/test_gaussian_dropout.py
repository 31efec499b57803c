import math

import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_symbolic


def test_multiplicative_noise_only_in_training():
    layer = layers.GaussianDropout(0.2)
    x = torch.ones(300, 100)
    assert torch.equal(layer(x), x)
    y = layer(x, training=True)
    assert abs(float(y.mean()) - 1.0) < 0.02
    assert abs(float(y.std()) - math.sqrt(0.2 / 0.8)) < 0.02


def test_shape_and_errors():
    check_symbolic(layers.GaussianDropout(0.2), (3,), (None, 3))
    with pytest.raises(ValueError, match="between 0 and 1"):
        layers.GaussianDropout(2.0)
