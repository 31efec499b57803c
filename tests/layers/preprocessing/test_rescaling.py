import numpy as np
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = (np.random.RandomState(0).rand(2, 4, 4, 3) * 255).astype("float32")


def test_matches_keras_scalar_and_per_channel():
    check_parity(lambda: layers.Rescaling(1 / 127.5, offset=-1),
                 lambda k: k.layers.Rescaling(1 / 127.5, offset=-1), X)
    check_parity(lambda: layers.Rescaling([0.1, 0.2, 0.3], offset=[1.0, 2.0, 3.0]),
                 lambda k: k.layers.Rescaling([0.1, 0.2, 0.3], offset=[1.0, 2.0, 3.0]), X)


def test_integer_input_becomes_float_and_shape():
    y = layers.Rescaling(0.5)(torch.tensor([[2, 4]]))
    assert y.dtype == torch.float32 and y.tolist() == [[1.0, 2.0]]
    check_symbolic(layers.Rescaling(0.5), (4, 4, 3), (None, 4, 4, 3))
    assert layers.Rescaling(0.5).get_config()["scale"] == 0.5
