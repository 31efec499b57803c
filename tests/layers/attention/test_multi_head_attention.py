import numpy as np
import pytest
import torch

from kerastorch import Input
from kerastorch import Model
from kerastorch import layers
from tests.keras3 import import_keras3

RNG = np.random.RandomState(0)


def _build_pair(keras3, q, v, k=None, **kwargs):
    k3 = keras3.layers.MultiHeadAttention(**kwargs)
    kt = layers.MultiHeadAttention(**kwargs)
    args = (torch.tensor(q), torch.tensor(v)) + ((torch.tensor(k),) if k is not None else ())
    k3(*args)
    kt(*args)
    assert [w.name for w in kt.weights] == [w.name for w in k3.weights]
    assert [tuple(w.shape) for w in kt.weights] == [tuple(w.shape) for w in k3.weights]
    assert kt.count_params() == k3.count_params()
    kt.set_weights(k3.get_weights())
    return k3, kt, args


def _close(a, b, atol=1e-5):
    np.testing.assert_allclose(a.detach().cpu().numpy(), b.detach().cpu().numpy(), atol=atol)


@pytest.mark.parametrize("kwargs", [
    {"num_heads": 2, "key_dim": 3},
    {"num_heads": 3, "key_dim": 4, "value_dim": 5, "output_shape": 7},
    {"num_heads": 2, "key_dim": 3, "use_bias": False},
    {"num_heads": 2, "key_dim": 3, "output_shape": (2, 3)},
])
def test_cross_attention_matches_keras_with_scores_and_mask(kwargs):
    keras3 = import_keras3()
    q = RNG.randn(2, 5, 8).astype("float32")
    v = RNG.randn(2, 7, 6).astype("float32")
    k = RNG.randn(2, 7, 4).astype("float32")
    k3, kt, args = _build_pair(keras3, q, v, k, **kwargs)
    mask = torch.tensor(RNG.rand(2, 5, 7) > 0.3)
    y3, s3 = k3(*args, attention_mask=mask, return_attention_scores=True)
    yt, st = kt(*args, attention_mask=mask, return_attention_scores=True)
    _close(yt, y3)
    _close(st, s3)
    # Without scores kerastorch takes torch's fused attention: same numbers, fully masked
    # query rows included (uniform attention, as Keras).
    mask[0, 1] = False
    _close(kt(*args, attention_mask=mask), k3(*args, attention_mask=mask))
    _close(kt(*args, use_causal_mask=True), k3(*args, use_causal_mask=True))
    _close(kt(*args, attention_mask=mask, use_causal_mask=True),
           k3(*args, attention_mask=mask, use_causal_mask=True))


def test_self_attention_with_causal_mask_matches_keras():
    keras3 = import_keras3()
    x = RNG.randn(3, 6, 8).astype("float32")
    k3, kt, args = _build_pair(keras3, x, x, num_heads=4, key_dim=2)
    _close(kt(args[0], args[0], use_causal_mask=True), k3(args[0], args[0], use_causal_mask=True))
    _close(kt(args[0], args[0]), k3(args[0], args[0]))


def test_attention_axes_on_4d_input_match_keras():
    keras3 = import_keras3()
    x = RNG.randn(2, 3, 4, 8).astype("float32")
    for axes in [(2,), (1, 2)]:
        k3, kt, args = _build_pair(keras3, x, x, num_heads=2, key_dim=3, attention_axes=axes)
        y3, s3 = k3(*args, return_attention_scores=True)
        yt, st = kt(*args, return_attention_scores=True)
        assert st.shape == s3.shape
        _close(yt, y3)
        _close(st, s3)


def test_dropout_only_in_training():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5)
    x = torch.randn(2, 5, 8)
    assert torch.equal(layer(x, x), layer(x, x))
    _, scores = layer(x, x, return_attention_scores=True, training=True)
    assert scores.shape == (2, 2, 5, 5)
    assert not torch.equal(layer(x, x, training=True), layer(x, x, training=True))


def test_symbolic_call_in_functional_model_and_summary_counts():
    q = Input((5, 8))
    v = Input((7, 6))
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    out, scores = mha(q, v, return_attention_scores=True)
    assert out.shape == (None, 5, 8) and scores.shape == (None, 2, 5, 7)
    model = Model([q, v], out)
    assert model.count_params() == (8 * 6 + 6) + (6 * 6 + 6) * 2 + (6 * 8 + 8)
    y = model([torch.randn(2, 5, 8), torch.randn(2, 7, 6)])
    assert y.shape == (2, 5, 8)


def test_invalid_arguments_and_shapes():
    with pytest.raises(ValueError, match="num_heads"):
        layers.MultiHeadAttention(num_heads=0, key_dim=2)
    with pytest.raises(ValueError, match="key_dim"):
        layers.MultiHeadAttention(num_heads=2, key_dim=None)
    with pytest.raises(ValueError, match="All dimensions of `value` and `key`"):
        layers.MultiHeadAttention(2, 2)(torch.ones(1, 3, 4), torch.ones(1, 5, 4),
                                        torch.ones(1, 6, 4))
    cfg = layers.MultiHeadAttention(2, 3, value_dim=4, dropout=0.1).get_config()
    assert (cfg["num_heads"], cfg["key_dim"], cfg["value_dim"], cfg["dropout"]) == (2, 3, 4, 0.1)
