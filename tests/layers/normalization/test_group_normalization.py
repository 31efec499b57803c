import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = (np.random.RandomState(0).randn(2, 4, 5, 8) * 2 + 1).astype("float32")


@pytest.mark.parametrize("kwargs", [{"groups": 4}, {"groups": 1}, {"groups": -1},
                                    {"groups": 2, "center": False, "scale": False},
                                    {"groups": 2, "axis": 1}])
def test_matches_keras(kwargs):
    check_parity(lambda: layers.GroupNormalization(**kwargs),
                 lambda k: k.layers.GroupNormalization(**kwargs), X, atol=2e-5)


def test_sequence_input_and_symbolic():
    x = np.random.RandomState(1).randn(2, 7, 6).astype("float32")
    check_parity(lambda: layers.GroupNormalization(groups=3),
                 lambda k: k.layers.GroupNormalization(groups=3), x, atol=2e-5)
    check_symbolic(layers.GroupNormalization(groups=2), (4, 4, 8), (None, 4, 4, 8))


def test_errors():
    with pytest.raises(ValueError, match="cannot be more than the number of channels"):
        layers.GroupNormalization(groups=32)(torch.ones(2, 8))
    with pytest.raises(ValueError, match="must be a multiple"):
        layers.GroupNormalization(groups=3)(torch.ones(2, 8))
    layer = layers.GroupNormalization(groups=2)
    layer(torch.ones(2, 8))
    assert layer.count_params() == 16
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 8"):
        layer(torch.ones(2, 4))
