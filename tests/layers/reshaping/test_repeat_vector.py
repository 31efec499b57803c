import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic


def test_matches_keras():
    x = np.random.RandomState(0).randn(2, 5).astype("float32")
    check_parity(lambda: layers.RepeatVector(3), lambda k: k.layers.RepeatVector(3), x)


def test_shapes_and_errors():
    check_symbolic(layers.RepeatVector(3), (32,), (None, 3, 32))
    with pytest.raises(ValueError, match="expected ndim=2"):
        layers.RepeatVector(3)(torch.ones(2, 3, 4))
    with pytest.raises(TypeError):
        layers.RepeatVector(2.5)
