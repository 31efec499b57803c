import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = np.random.RandomState(0).rand(2, 9, 12, 3).astype("float32")


@pytest.mark.parametrize("kwargs", [
    {}, {"interpolation": "nearest"}, {"interpolation": "bicubic"},
    {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True, "fill_value": 0.5},
    {"antialias": True}, {"height": 20, "width": 7, "interpolation": "nearest"},
])
def test_matches_keras(kwargs):
    kwargs = {"height": 5, "width": 8, **kwargs}
    check_parity(lambda: layers.Resizing(**kwargs), lambda k: k.layers.Resizing(**kwargs), X)


def test_channels_first_and_single_image():
    xc = np.ascontiguousarray(X.transpose(0, 3, 1, 2))
    check_parity(lambda: layers.Resizing(4, 4, data_format="channels_first"),
                 lambda k: k.layers.Resizing(4, 4, data_format="channels_first"), xc)
    check_parity(lambda: layers.Resizing(4, 6), lambda k: k.layers.Resizing(4, 6), X[0])


def test_shapes_errors_and_int_input():
    check_symbolic(layers.Resizing(4, 6), (None, None, 3), (None, 4, 6, 3))
    assert layers.Resizing(2, 2)(torch.ones(1, 4, 4, 1, dtype=torch.uint8)).dtype == torch.float32
    with pytest.raises(ValueError, match="Only one of"):
        layers.Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="interpolation"):
        layers.Resizing(2, 2, interpolation="lanczos7")
    with pytest.raises(ValueError, match="rank 3 or 4"):
        layers.Resizing(2, 2)(torch.ones(4, 4))
