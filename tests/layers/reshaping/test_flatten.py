import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = np.random.RandomState(0).randn(2, 3, 4, 5).astype("float32")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_matches_keras_element_order(data_format):
    check_parity(lambda: layers.Flatten(data_format=data_format),
                 lambda k: k.layers.Flatten(data_format=data_format), X)


def test_dense_after_flatten_takes_keras_weights_unchanged():
    from tests.keras3 import import_keras3
    keras3 = import_keras3()
    k3 = keras3.Sequential([keras3.Input((3, 4, 5)), keras3.layers.Flatten(),
                            keras3.layers.Dense(2)])
    from kerastorch import Sequential, Input
    kt = Sequential([Input((3, 4, 5)), layers.Flatten(), layers.Dense(2)])
    kt.set_weights(k3.get_weights())
    np.testing.assert_allclose(kt(torch.tensor(X)).detach().numpy(),
                               keras3.ops.convert_to_numpy(k3(X)), atol=1e-5)


def test_shapes():
    check_symbolic(layers.Flatten(), (3, 4, 5), (None, 60))
    assert layers.Flatten().compute_output_shape((None, 3, None)) == (None, None)
    assert layers.Flatten().compute_output_shape((None,)) == (None, 1)
    assert layers.Flatten()(torch.ones(4)).shape == (4, 1)
    with pytest.raises(ValueError, match="min_ndim=1"):
        layers.Flatten()(torch.tensor(1.0))
