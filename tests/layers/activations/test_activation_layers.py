import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.keras3 import import_keras3
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = (np.random.RandomState(0).randn(2, 4, 5, 3) * 4).astype("float32")


@pytest.mark.parametrize("cls,kwargs", [
    ("ReLU", {}), ("ReLU", {"max_value": 6.0}), ("ReLU", {"negative_slope": 0.1, "threshold": 0.5}),
    ("ReLU", {"max_value": 2.0, "negative_slope": 0.2, "threshold": 1.0}),
    ("LeakyReLU", {}), ("LeakyReLU", {"negative_slope": 0.01}), ("ELU", {}), ("ELU", {"alpha": 0.5}),
    ("Softmax", {}), ("Softmax", {"axis": 1}), ("Softmax", {"axis": (1, 2)}),
    ("PReLU", {"alpha_initializer": "ones"}), ("PReLU", {"shared_axes": [1, 2]}),
])
def test_matches_keras(cls, kwargs):
    def make_k3(k):
        layer = getattr(k.layers, cls)(**kwargs)
        return layer
    kt, k3 = check_parity(lambda: getattr(layers, cls)(**kwargs), make_k3, X)
    if cls == "PReLU":
        kt.set_weights([np.random.RandomState(1).rand(*w.shape).astype("float32")
                        for w in kt.weights])
        k3.set_weights(kt.get_weights())
        np.testing.assert_allclose(kt(torch.tensor(X)).detach().numpy(),
                                   k3(torch.tensor(X)).detach().numpy(), atol=1e-5)


def test_softmax_mask_matches_keras():
    keras3 = import_keras3()
    x = torch.tensor(X[:, 0, 0])
    mask = torch.tensor([[True, False, True], [False, True, True]])
    np.testing.assert_allclose(layers.Softmax()(x, mask=mask).numpy(),
                               keras3.layers.Softmax()(x, mask=mask).numpy(), atol=1e-6)


def test_shapes_params_and_errors():
    check_symbolic(layers.ReLU(), (4, 5), (None, 4, 5))
    prelu = layers.PReLU(shared_axes=[1, 2])
    check_symbolic(prelu, (4, 5, 3), (None, 4, 5, 3))
    assert prelu.count_params() == 3
    with pytest.raises(ValueError, match="max_value"):
        layers.ReLU(max_value=-1)
    with pytest.raises(ValueError, match="negative_slope"):
        layers.LeakyReLU(negative_slope=-0.1)
    with pytest.warns(UserWarning, match="alpha"):
        assert layers.LeakyReLU(alpha=0.2).negative_slope == 0.2
