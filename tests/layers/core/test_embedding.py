import numpy as np
import pytest
import torch

from kerastorch import Input
from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

IDS = np.random.RandomState(0).randint(0, 10, size=(3, 7)).astype("int64")


def test_matches_keras_and_weight_layout():
    kt, _ = check_parity(lambda: layers.Embedding(10, 4), lambda k: k.layers.Embedding(10, 4), IDS)
    assert kt.embeddings.shape == (10, 4) and kt.weight.shape == (10, 4)
    assert kt.weights[0].name == "embeddings"
    assert kt.count_params() == 40


def test_default_initializer_is_uniform_005():
    layer = layers.Embedding(1000, 64)
    layer.build((None, 3))
    values = layer.embeddings.numpy()
    assert values.min() >= -0.05 and values.max() <= 0.05 and values.std() > 0.025


def test_mask_zero_and_float_indices():
    layer = layers.Embedding(5, 2, mask_zero=True)
    ids = torch.tensor([[0, 3, 0]])
    assert layer.compute_mask(ids).tolist() == [[False, True, False]]
    assert layers.Embedding(5, 2).compute_mask(ids) is None
    out = layer(torch.tensor([[1.0, 2.0]]))
    np.testing.assert_allclose(out.detach().numpy()[0], layer.embeddings.numpy()[[1, 2]])


def test_shapes_errors_and_deprecated_input_length():
    check_symbolic(layers.Embedding(10, 4), (7,), (None, 7, 4))
    with pytest.raises(ValueError, match="input_dim"):
        layers.Embedding(0, 4)
    with pytest.warns(UserWarning, match="input_length"):
        layers.Embedding(10, 4, input_length=7)
    out = layers.Embedding(10, 4)(Input((7,), dtype="int32"))
    assert out.dtype == "float32"


def test_gradient_reaches_table():
    layer = layers.Embedding(5, 2)
    layer(torch.tensor([[1, 2]])).sum().backward()
    assert layer.weight.grad[1].abs().sum() > 0 and layer.weight.grad[0].abs().sum() == 0


def test_keras2_style_pretrained_weights_argument():
    table = np.arange(12, dtype="float32").reshape(6, 2)
    layer = layers.Embedding(6, 2, weights=[table], trainable=False)
    assert layer.built and layer.trainable_weights == [] and layer.count_params() == 12
    out = layer(torch.tensor([[1, 5]]))
    np.testing.assert_array_equal(out.numpy()[0], table[[1, 5]])
    with pytest.raises(ValueError):
        layers.Embedding(6, 3, weights=[table])
