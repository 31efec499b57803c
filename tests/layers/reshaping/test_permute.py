import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = np.random.RandomState(0).randn(2, 3, 4, 5).astype("float32")


@pytest.mark.parametrize("dims", [(2, 1, 3), (3, 1, 2), (1, 2, 3)])
def test_matches_keras(dims):
    check_parity(lambda: layers.Permute(dims), lambda k: k.layers.Permute(dims), X)


def test_shapes_and_errors():
    check_symbolic(layers.Permute((2, 1)), (10, 64), (None, 64, 10))
    with pytest.raises(ValueError, match="must be consecutive and start from 1"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match="expected ndim=3"):
        layers.Permute((2, 1))(torch.ones(2, 3, 4, 5))
    y = layers.Permute((2, 1))(torch.ones(2, 3, 4))
    assert y.shape == (2, 4, 3)
