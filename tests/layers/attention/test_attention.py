import numpy as np
import pytest
import torch

from kerastorch import Input
from kerastorch import layers
from tests.keras3 import import_keras3

RNG = np.random.RandomState(0)
Q = RNG.randn(2, 4, 5).astype("float32")
V = RNG.randn(2, 6, 5).astype("float32")
K = RNG.randn(2, 6, 5).astype("float32")


def _pair(keras3, cls, **kwargs):
    k3 = getattr(keras3.layers, cls)(**kwargs)
    kt = getattr(layers, cls)(**kwargs)
    inputs = [torch.tensor(Q), torch.tensor(V), torch.tensor(K)]
    k3(inputs)
    kt(inputs)
    assert [w.name for w in kt.weights] == [w.name for w in k3.weights]
    assert [tuple(w.shape) for w in kt.weights] == [tuple(w.shape) for w in k3.weights]
    weights = [np.asarray(w) + 0.3 for w in k3.get_weights()]  # non-trivial values
    k3.set_weights(weights)
    kt.set_weights(weights)
    return k3, kt, inputs


@pytest.mark.parametrize("cls,kwargs", [
    ("Attention", {}), ("Attention", {"use_scale": True}),
    ("Attention", {"score_mode": "concat"}), ("Attention", {"score_mode": "concat", "use_scale": True}),
    ("AdditiveAttention", {}), ("AdditiveAttention", {"use_scale": False}),
])
@pytest.mark.parametrize("causal", [False, True])
def test_matches_keras_with_masks_and_scores(cls, kwargs, causal):
    keras3 = import_keras3()
    k3, kt, inputs = _pair(keras3, cls, **kwargs)
    mask = [torch.tensor(RNG.rand(2, 4) > 0.3), torch.tensor(RNG.rand(2, 6) > 0.3)]
    mask[1][:, 0] = True
    for call in ({}, {"mask": mask}):
        y3, s3 = k3(inputs, return_attention_scores=True, use_causal_mask=causal, **call)
        yt, st = kt(inputs, return_attention_scores=True, use_causal_mask=causal, **call)
        np.testing.assert_allclose(yt.detach().numpy(), y3.detach().numpy(), atol=1e-5)
        np.testing.assert_allclose(st.detach().numpy(), s3.detach().numpy(), atol=1e-5)


def test_two_inputs_use_value_as_key_and_shapes():
    layer = layers.Attention()
    out = layer([torch.tensor(Q), torch.tensor(V)])
    assert out.shape == (2, 4, 5)
    sym = layers.Attention()([Input((4, 5)), Input((6, 5))])
    assert sym.shape == (None, 4, 5)
    layer = layers.AdditiveAttention()
    layer([torch.tensor(Q), torch.tensor(V)])
    assert layer.count_params() == 5


def test_dropout_training_only_and_errors():
    layer = layers.Attention(dropout=0.5)
    inputs = [torch.tensor(Q), torch.tensor(V)]
    assert torch.equal(layer(inputs), layer(inputs))
    assert not torch.equal(layer(inputs, training=True), layer(inputs, training=True))
    with pytest.raises(ValueError, match="must be called on a list of inputs"):
        layers.Attention()(torch.tensor(Q))
    with pytest.raises(ValueError, match="length 2 or 3"):
        layers.Attention()([torch.tensor(Q)])
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="add")
