import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.keras3 import import_keras3
from tests.layers.parity import check_symbolic


def test_penalty_matches_keras_and_output_is_input():
    keras3 = import_keras3()
    x = np.random.RandomState(0).randn(4, 3).astype("float32")
    k3 = keras3.layers.ActivityRegularization(l1=0.1, l2=0.2)
    kt = layers.ActivityRegularization(l1=0.1, l2=0.2)
    k3(x)
    y = kt(torch.tensor(x))
    np.testing.assert_array_equal(y.numpy(), x)
    assert len(kt.losses) == 1
    assert float(kt.losses[0]) == pytest.approx(float(keras3.ops.convert_to_numpy(k3.losses[0])),
                                                rel=1e-5)


def test_config_and_shape():
    layer = layers.ActivityRegularization(l2=0.5)
    assert layer.get_config()["l2"] == 0.5
    check_symbolic(layer, (3,), (None, 3))
    assert layer.losses == []
