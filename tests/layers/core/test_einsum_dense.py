import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

RNG = np.random.RandomState(0)


@pytest.mark.parametrize("equation,output_shape,bias_axes,shape", [
    ("ab,bc->ac", 4, "c", (3, 5)),
    ("abc,cd->abd", (None, 4), "d", (2, 3, 5)),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 3, 5)),
    ("abc,cde->abde", (None, 2, 4), "e", (2, 3, 5)),
    ("...b,bc->...c", 4, "c", (2, 3, 5)),
    ("abc...,cd->abd...", (3, 4), "d", (2, 3, 5, 6)),
    ("abcd,cde->abe", (3, 7), None, (2, 3, 5, 4)),
])
def test_matches_keras(equation, output_shape, bias_axes, shape):
    x = RNG.randn(*shape).astype("float32")
    kwargs = dict(output_shape=output_shape, bias_axes=bias_axes, activation="tanh",
                  bias_initializer="random_normal")
    kt, k3 = check_parity(lambda: layers.EinsumDense(equation, **kwargs),
                          lambda k: k.layers.EinsumDense(equation, **kwargs), x)
    symbolic = (None,) + shape[1:]
    assert kt.compute_output_shape(symbolic) == tuple(k3.compute_output_shape(symbolic))
    full = kt.compute_output_shape(shape)
    assert all(d is None or d == n for d, n in zip(full, kt(torch.tensor(x)).shape, strict=True))


def test_symbolic_params_and_errors():
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 4, 8), bias_axes="de")
    check_symbolic(layer, (5, 16), (None, None, 4, 8))  # Keras leaves the free axis unknown
    assert layer.count_params() == 16 * 4 * 8 + 4 * 8
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        layers.EinsumDense("ab->b", output_shape=3)
    with pytest.raises(ValueError, match="Bias dimension 'x'"):
        layers.EinsumDense("ab,bc->ac", output_shape=3, bias_axes="x").build((None, 4))
    with pytest.raises(ValueError, match="do not match at shared dimension"):
        layers.EinsumDense("abc,cd->abd", output_shape=(7, 4)).build((None, 3, 5))
