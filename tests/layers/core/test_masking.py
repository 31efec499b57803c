import numpy as np
import torch

from kerastorch import layers
from tests.keras3 import import_keras3
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic


def _data():
    x = np.random.RandomState(0).randn(2, 4, 3).astype("float32")
    x[0, 1] = 0.0
    x[1, 3] = 0.0
    return x


def test_output_and_mask_match_keras():
    keras3 = import_keras3()
    x = _data()
    kt, k3 = check_parity(lambda: layers.Masking(), lambda k: k.layers.Masking(), x)
    theirs = keras3.ops.convert_to_numpy(k3.compute_mask(torch.tensor(x)))
    np.testing.assert_array_equal(kt.compute_mask(torch.tensor(x)).numpy(), theirs)
    assert theirs.tolist() == [[True, False, True, True], [True, True, True, False]]


def test_custom_mask_value_zeroes_masked_steps():
    x = torch.tensor([[[5.0, 5.0], [1.0, 5.0]]])
    layer = layers.Masking(mask_value=5.0)
    assert layer.compute_mask(x).tolist() == [[False, True]]
    assert layer(x).tolist() == [[[0.0, 0.0], [1.0, 5.0]]]
    assert layer.supports_masking
    check_symbolic(layers.Masking(), (4, 3), (None, 4, 3))
