import numpy as np
import pytest

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = np.random.RandomState(0).randn(3, 4, 5).astype("float32")


@pytest.mark.parametrize("act", ["relu", "softmax", "tanh", "gelu", "sigmoid", "selu", "elu"])
def test_matches_keras(act):
    check_parity(lambda: layers.Activation(act), lambda k: k.layers.Activation(act), X)


def test_shape_config_params_and_bad_name():
    layer = layers.Activation("relu")
    check_symbolic(layer, (4, 5), (None, 4, 5))
    assert layer.count_params() == 0
    assert layer.get_config()["activation"] == "relu"
    with pytest.raises(ValueError):
        layers.Activation("not_an_activation")
