import numpy as np
import pytest
import torch

from kerastorch import Input
from kerastorch import Model
from kerastorch import layers
from tests.layers.parity import check_parity


def test_matches_keras():
    x = np.random.RandomState(0).randn(2, 5).astype("float32")
    check_parity(lambda: layers.Lambda(lambda t: t * 2 + 1),
                 lambda k: k.layers.Lambda(lambda t: t * 2 + 1), x)


def test_inferred_and_declared_output_shapes():
    out = layers.Lambda(lambda t: t[:, :2])(Input((5,)))
    assert out.shape == (None, 2)
    assert layers.Lambda(lambda t: t, output_shape=(7,)).compute_output_shape((None, 3)) == (None, 7)
    fn = layers.Lambda(lambda t: t, output_shape=lambda s: s[:1] + (9,))
    assert fn.compute_output_shape((None, 3)) == (None, 9)


def test_arguments_and_model():
    inp = Input((3,))
    out = layers.Lambda(lambda t, scale: t * scale, arguments={"scale": 3.0})(inp)
    model = Model(inp, out)
    np.testing.assert_allclose(model(torch.ones(2, 3)).numpy(), 3.0)


def test_mask_argument_and_non_callable():
    layer = layers.Lambda(lambda t: t, mask=lambda x, m: x > 0)
    assert layer.compute_mask(torch.tensor([1.0, -1.0])).tolist() == [True, False]
    with pytest.raises(TypeError):
        layers.Lambda(3)
