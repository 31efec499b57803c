import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = np.random.RandomState(0).randn(2, 12).astype("float32")


@pytest.mark.parametrize("target", [(3, 4), (-1, 2), (2, 2, 3), (12,)])
def test_matches_keras(target):
    check_parity(lambda: layers.Reshape(target), lambda k: k.layers.Reshape(target), X)


def test_shapes_and_errors():
    check_symbolic(layers.Reshape((-1, 3)), (12,), (None, 4, 3))
    assert layers.Reshape((-1, 3)).compute_output_shape((None, None)) == (None, None, 3)
    with pytest.raises(ValueError, match="total size of the new array must be unchanged"):
        layers.Reshape((5, 5))(torch.ones(2, 12))
    with pytest.raises(ValueError, match="at most one unknown"):
        layers.Reshape((-1, -1))
    assert layers.Reshape.from_config(layers.Reshape((3, 4)).get_config()).target_shape == (3, 4)
