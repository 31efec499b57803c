import numpy as np
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic


def test_identity_matches_keras_and_passes_masks():
    x = np.random.RandomState(0).randn(2, 5).astype("float32")
    check_parity(lambda: layers.Identity(), lambda k: k.layers.Identity(), x)
    layer = layers.Identity()
    mask = torch.tensor([True, False])
    assert layer.compute_mask(torch.ones(2), mask) is mask
    check_symbolic(layers.Identity(), (3, 4), (None, 3, 4))
