import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = (np.random.RandomState(0).randn(3, 4, 5, 6) * 2 + 1).astype("float32")


@pytest.mark.parametrize("kwargs", [{}, {"axis": [2, 3]}, {"axis": [1, 3]},
                                    {"center": False}, {"scale": False}, {"epsilon": 1e-6},
                                    {"rms_scaling": True}])
def test_matches_keras(kwargs):
    check_parity(lambda: layers.LayerNormalization(**kwargs),
                 lambda k: k.layers.LayerNormalization(**kwargs), X, atol=2e-5)


def test_single_inner_axis_matches_formula():
    # Keras 3.15 on torch fails for one non-trailing axis (it passes it to F.layer_norm), so
    # this case is checked against the formula instead.
    layer = layers.LayerNormalization(axis=1)
    x = torch.tensor(X)
    layer(x)
    layer.set_weights([np.arange(4, dtype="float32"), np.ones(4, "float32")])
    mean = X.mean(axis=1, keepdims=True)
    var = X.var(axis=1, keepdims=True)
    expected = (X - mean) / np.sqrt(var + 1e-3) * np.arange(4).reshape(1, 4, 1, 1) + 1
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, atol=2e-5)


def test_weights_shapes_and_symbolic():
    layer = layers.LayerNormalization(axis=[1, 3])
    layer.build((None, 4, 5, 6))
    assert [w.shape for w in layer.weights] == [(4, 6), (4, 6)]
    assert layer.count_params() == 48
    check_symbolic(layers.LayerNormalization(), (5, 6), (None, 5, 6))
    with pytest.raises(ValueError, match="out of bounds"):
        layers.LayerNormalization(axis=3).build((None, 4))


def test_normalizes_each_sample():
    y = layers.LayerNormalization(epsilon=0.0)(torch.randn(4, 16) * 3 + 2)
    np.testing.assert_allclose(y.mean(-1).detach().numpy(), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(-1, unbiased=False).detach().numpy(), 1, atol=1e-4)
