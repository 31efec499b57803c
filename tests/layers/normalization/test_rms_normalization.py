import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = (np.random.RandomState(0).randn(3, 4, 5, 6) * 2 + 1).astype("float32")


@pytest.mark.parametrize("kwargs", [{}, {"axis": [2, 3]}, {"epsilon": 1e-3}])
def test_matches_keras(kwargs):
    kt, k3 = check_parity(lambda: layers.RMSNormalization(**kwargs),
                          lambda k: k.layers.RMSNormalization(**kwargs), X)
    kt.set_weights([np.random.RandomState(2).rand(*w.shape).astype("float32")
                    for w in kt.weights])
    k3.set_weights(kt.get_weights())
    x = torch.tensor(X)
    np.testing.assert_allclose(kt(x).detach().numpy(), k3(x).detach().numpy(), atol=1e-5)


def test_inner_axis_formula_and_shape():
    layer = layers.RMSNormalization(axis=1)
    y = layer(torch.tensor(X)).detach().numpy()
    expected = X / np.sqrt((X ** 2).mean(axis=1, keepdims=True) + 1e-6)
    np.testing.assert_allclose(y, expected, atol=1e-5)
    check_symbolic(layers.RMSNormalization(), (5, 6), (None, 5, 6))
    with pytest.raises(ValueError, match="out of bounds"):
        layers.RMSNormalization(axis=2).build((None, 3))
