import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

RNG = np.random.RandomState(0)


@pytest.mark.parametrize("cls,shape,kwargs", [
    ("Cropping1D", (2, 6, 3), {}), ("Cropping1D", (2, 6, 3), {"cropping": (0, 2)}),
    ("Cropping2D", (2, 6, 7, 3), {"cropping": ((1, 2), (3, 0))}),
    ("Cropping2D", (2, 6, 7, 3), {"cropping": 2}),
    ("Cropping2D", (2, 3, 6, 7), {"cropping": ((1, 2), (0, 3)), "data_format": "channels_first"}),
    ("Cropping3D", (2, 4, 5, 6, 2), {}),
    ("Cropping3D", (2, 2, 4, 5, 6), {"cropping": (1, 0, 2), "data_format": "channels_first"}),
])
def test_matches_keras(cls, shape, kwargs):
    x = RNG.randn(*shape).astype("float32")
    check_parity(lambda: getattr(layers, cls)(**kwargs), lambda k: getattr(k.layers, cls)(**kwargs), x)


def test_shapes_and_errors():
    check_symbolic(layers.Cropping2D(((1, 1), (2, 2))), (6, 8, 3), (None, 4, 4, 3))
    with pytest.raises(ValueError, match="must be smaller than the input size"):
        layers.Cropping2D(((3, 3), (0, 0)))(torch.ones(1, 6, 6, 1))
    with pytest.raises(ValueError, match="expected ndim=3"):
        layers.Cropping1D()(torch.ones(2, 3))
