import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader
from torch.utils.data import TensorDataset

from kerastorch import layers
from tests.keras3 import import_keras3
from tests.layers.parity import check_symbolic

X = (np.random.RandomState(0).randn(40, 3, 4) * [1.0, 2.0, 3.0, 4.0] + 5).astype("float32")


@pytest.mark.parametrize("axis", [-1, (1, 2), None, 1])
def test_adapt_on_array_matches_keras(axis):
    keras3 = import_keras3()
    k3 = keras3.layers.Normalization(axis=axis)
    k3.adapt(X)
    kt = layers.Normalization(axis=axis)
    kt.adapt(X)
    assert [w.name for w in kt.weights] == [w.name for w in k3.weights]
    assert kt.count_params() == k3.count_params()
    for a, b in zip(kt.get_weights(), k3.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(kt(torch.tensor(X[:5])).numpy(),
                               keras3.ops.convert_to_numpy(k3(X[:5])), atol=1e-5)


def test_adapt_on_batches_equals_adapt_on_whole_array():
    whole = layers.Normalization()
    whole.adapt(X)
    batched = layers.Normalization()
    batched.adapt(DataLoader(TensorDataset(torch.tensor(X), torch.zeros(40)), batch_size=7))
    listed = layers.Normalization()
    listed.adapt([X[:13], X[13:]])
    for other in (batched, listed):
        for a, b in zip(other.get_weights()[:2], whole.get_weights()[:2], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_given_mean_variance_and_invert_match_keras():
    keras3 = import_keras3()
    for invert in (False, True):
        k3 = keras3.layers.Normalization(mean=[1.0, 2.0, 3.0, 4.0], variance=[1.0, 4.0, 9.0, 0.0],
                                         invert=invert)
        kt = layers.Normalization(mean=[1.0, 2.0, 3.0, 4.0], variance=[1.0, 4.0, 9.0, 0.0],
                                  invert=invert)
        np.testing.assert_allclose(kt(torch.tensor(X[:3])).numpy(),
                                   keras3.ops.convert_to_numpy(k3(X[:3])), rtol=1e-5, atol=1e-5)
        assert kt.count_params() == 0


def test_errors_and_shape():
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        layers.Normalization(mean=1.0)
    layer = layers.Normalization()
    layer.adapt(X)
    with pytest.raises(ValueError, match="incompatible"):
        layer.adapt(np.zeros((4, 3, 5), "float32"))
    with pytest.raises(ValueError, match="empty iterable"):
        layers.Normalization().adapt([])
    check_symbolic(layers.Normalization(), (3, 4), (None, 3, 4))
