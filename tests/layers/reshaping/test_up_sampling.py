import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

RNG = np.random.RandomState(0)


@pytest.mark.parametrize("cls,shape,kwargs", [
    ("UpSampling1D", (2, 5, 3), {}), ("UpSampling1D", (2, 5, 3), {"size": 3}),
    ("UpSampling2D", (2, 4, 5, 3), {}), ("UpSampling2D", (2, 4, 5, 3), {"size": (2, 3)}),
    ("UpSampling2D", (2, 4, 5, 3), {"size": (2, 3), "interpolation": "bilinear"}),
    ("UpSampling2D", (2, 4, 5, 3), {"size": 3, "interpolation": "bicubic"}),
    ("UpSampling2D", (2, 3, 4, 5), {"size": 2, "interpolation": "bilinear",
                                    "data_format": "channels_first"}),
    ("UpSampling3D", (2, 2, 3, 4, 2), {"size": (1, 2, 3)}),
    ("UpSampling3D", (2, 2, 2, 3, 4), {"data_format": "channels_first"}),
])
def test_matches_keras(cls, shape, kwargs):
    x = RNG.randn(*shape).astype("float32")
    check_parity(lambda: getattr(layers, cls)(**kwargs), lambda k: getattr(k.layers, cls)(**kwargs), x)


def test_bilinear_is_half_pixel_interpolation():
    y = layers.UpSampling2D((1, 2), interpolation="bilinear")(torch.tensor([[[[0.0], [4.0]]]]))
    assert y[0, 0, :, 0].tolist() == [0.0, 1.0, 3.0, 4.0]


def test_shapes_and_errors():
    check_symbolic(layers.UpSampling2D((2, 3)), (4, None, 3), (None, 8, None, 3))
    check_symbolic(layers.UpSampling1D(4), (5, 3), (None, 20, 3))
    with pytest.raises(ValueError, match="interpolation"):
        layers.UpSampling2D(interpolation="area")
    with pytest.raises(ValueError, match="expected ndim=4"):
        layers.UpSampling2D()(torch.ones(2, 3, 4))
