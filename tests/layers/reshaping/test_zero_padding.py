import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

RNG = np.random.RandomState(0)


@pytest.mark.parametrize("cls,shape,kwargs", [
    ("ZeroPadding1D", (2, 5, 3), {}), ("ZeroPadding1D", (2, 5, 3), {"padding": (1, 3)}),
    ("ZeroPadding2D", (2, 4, 5, 3), {}), ("ZeroPadding2D", (2, 4, 5, 3), {"padding": (2, 1)}),
    ("ZeroPadding2D", (2, 4, 5, 3), {"padding": ((1, 2), (3, 0))}),
    ("ZeroPadding2D", (2, 3, 4, 5), {"padding": ((1, 2), (3, 0)), "data_format": "channels_first"}),
    ("ZeroPadding3D", (2, 3, 4, 5, 2), {"padding": ((1, 0), (0, 2), (1, 1))}),
    ("ZeroPadding3D", (2, 2, 3, 4, 5), {"padding": 1, "data_format": "channels_first"}),
])
def test_matches_keras(cls, shape, kwargs):
    x = RNG.randn(*shape).astype("float32")
    check_parity(lambda: getattr(layers, cls)(**kwargs), lambda k: getattr(k.layers, cls)(**kwargs), x)


def test_shapes_and_errors():
    check_symbolic(layers.ZeroPadding2D(((1, 2), (3, 4))), (5, None, 3), (None, 8, None, 3))
    check_symbolic(layers.ZeroPadding1D(2), (5, 3), (None, 9, 3))
    with pytest.raises(ValueError, match="expected ndim=4"):
        layers.ZeroPadding2D()(torch.ones(2, 3, 4))
    with pytest.raises(ValueError, match="padding"):
        layers.ZeroPadding2D((1, 2, 3))
