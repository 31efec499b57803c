import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = np.random.RandomState(0).rand(2, 9, 12, 3).astype("float32")


@pytest.mark.parametrize("size", [(5, 8), (9, 12), (4, 11), (12, 6), (20, 30)])
def test_matches_keras_including_smaller_inputs(size):
    check_parity(lambda: layers.CenterCrop(*size), lambda k: k.layers.CenterCrop(*size), X)


def test_channels_first_single_image_and_shapes():
    xc = np.ascontiguousarray(X.transpose(0, 3, 1, 2))
    check_parity(lambda: layers.CenterCrop(4, 4, data_format="channels_first"),
                 lambda k: k.layers.CenterCrop(4, 4, data_format="channels_first"), xc)
    check_parity(lambda: layers.CenterCrop(4, 6), lambda k: k.layers.CenterCrop(4, 6), X[0])
    check_symbolic(layers.CenterCrop(4, 6), (9, 12, 3), (None, 4, 6, 3))
    assert set(layers.CenterCrop(4, 6).get_config()) >= {"height", "width", "data_format"}
    with pytest.raises(ValueError, match="rank 3 or 4"):
        layers.CenterCrop(2, 2).compute_output_shape((None, 4))
    assert layers.CenterCrop(2, 2)(torch.ones(1, 4, 4, 1)).shape == (1, 2, 2, 1)
