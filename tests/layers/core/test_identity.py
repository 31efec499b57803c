import numpy as np
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic


def test_identity_passes_inputs_masks_and_shapes_through():
    layer = layers.Identity()
    x = torch.randn(2, 5)
    assert layer(x) is x
    mask = torch.tensor([True, False])
    assert layer.compute_mask(torch.ones(2), mask) is mask
    check_symbolic(layers.Identity(), (3, 4), (None, 3, 4))


def test_identity_matches_keras():
    x = np.random.RandomState(0).randn(2, 5).astype("float32")
    check_parity(lambda: layers.Identity(), lambda k: k.layers.Identity(), x)
