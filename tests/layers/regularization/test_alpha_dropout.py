import torch

from kerastorch import layers
from tests.layers.parity import check_symbolic


def test_keeps_mean_and_variance_of_standardized_inputs():
    layer = layers.AlphaDropout(0.2, seed=123)
    x = torch.randn(400, 250)
    assert torch.equal(layer(x), x)
    y = layer(x, training=True)
    assert abs(float(y.mean())) < 0.02 and abs(float(y.std()) - 1.0) < 0.03
    # Dropped units all take the same value, a * alpha_p + b; about `rate` of them.
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - 0.2) * (1 + 0.2 * alpha_p ** 2)) ** -0.5
    value = a * alpha_p - a * alpha_p * 0.2
    dropped = float(((y - value).abs() < 1e-5).float().mean())
    assert 0.18 < dropped < 0.22


def test_shape():
    check_symbolic(layers.AlphaDropout(0.1), (3,), (None, 3))
