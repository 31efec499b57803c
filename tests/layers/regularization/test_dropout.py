import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_symbolic


def test_inference_is_identity_and_training_drops_and_rescales():
    layer = layers.Dropout(0.5)
    x = torch.ones(200, 100)
    assert torch.equal(layer(x), x)
    y = layer(x, training=True)
    values = set(np.unique(y.numpy()).tolist())
    assert values == {0.0, 2.0}
    assert 0.45 < float((y == 0).float().mean()) < 0.55


def test_model_train_mode_turns_dropout_on():
    layer = layers.Dropout(0.5)
    layer.train()
    assert (layer(torch.ones(100, 10)) == 0).any()
    assert not (layer(torch.ones(100, 10), training=False) == 0).any()


def test_noise_shape_broadcasts_the_mask():
    layer = layers.Dropout(0.5, noise_shape=(None, 1, 8))
    y = layer(torch.ones(16, 5, 8), training=True)
    assert torch.equal(y, y[:, :1, :].expand_as(y))


def test_seed_makes_masks_reproducible():
    a = layers.Dropout(0.5, seed=3)(torch.ones(50, 20), training=True)
    b = layers.Dropout(0.5, seed=3)(torch.ones(50, 20), training=True)
    assert torch.equal(a, b)


def test_rate_one_and_zero():
    x = torch.ones(4, 4)
    assert torch.equal(layers.Dropout(1.0)(x, training=True), torch.zeros(4, 4))
    assert torch.equal(layers.Dropout(0.0)(x, training=True), x)


def test_invalid_rate_raises_and_shape_inference():
    with pytest.raises(ValueError, match="between 0 and 1"):
        layers.Dropout(1.5)
    check_symbolic(layers.Dropout(0.2), (7,), (None, 7))
    layer = layers.Dropout(0.2, noise_shape=(None, 1), seed=1)
    assert layer.get_config()["noise_shape"] == (None, 1)
    assert layers.Dropout.from_config(layer.get_config()).seed == 1
