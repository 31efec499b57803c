"""Resuming a tf.keras 2.21 training run: load a fixture's model.h5 with compile=True, fit one
more epoch (same batch size, shuffle=False) and land on the weights tf.keras reached from the
same file (data.npz `resumed_<k>`). atol 1e-4: one epoch of float32 updates in another order.

Models with dropout (DROPOUT): the random masks cannot match TensorFlow's RNG, so the generator
also records the resume with every dropout rate set to 0 on the loaded model
(resumed_no_dropout.npz); kerastorch, zeroing the same rates, lands there. With dropout active
the resumed epoch is checked for what can be: a finite loss and the same weights changing."""

import json

import numpy as np
import pytest

import kerastorch as keras
from tests.keras2.oracle import fixture_dir
from tests.keras2.test_tf_checkpoint import load_kwargs

MATCHING = ["timeseries", "normalization_l2_auc", "multi_output_loss_weights", "tfoplambda",
            "custom_layer", "optimizers_adam", "optimizers_sgd_nesterov", "optimizers_rmsprop",
            "optimizers_adagrad", "lambda_layer", "text_two_input", "resnet_block",
            "optimizers_legacy_adam_decay", "optimizers_legacy_sgd_momentum", "legacy_tf1",
            "functional_shared", "unet_small"]
# frozen_nested's gap (~2e-3 after one epoch) was its head Dropout(0.2): with the rate at 0 it
# matches tf.keras to 1e-8, frozen BatchNormalization statistics included.
DROPOUT = ["cnn_bn_dropout", "frozen_nested", "transformer_block"]


def zero_dropout(model):
    """Sets every dropout rate of `model` (nested models included) to 0, as make_files.py's
    `zero_dropout` does on the tf.keras side; the layer paths it changed."""
    names = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            names += [f"{layer.name}/{n}" for n in zero_dropout(layer)]
        elif isinstance(layer, keras.layers.Dropout):
            if layer.rate:
                layer.rate = 0.0
                names.append(layer.name)
        elif isinstance(layer, keras.layers.MultiHeadAttention):
            if layer.dropout:
                layer._dropout = 0.0
                if layer._dropout_layer is not None:
                    layer._dropout_layer.rate = 0.0
                names.append(layer.name)
    return names


def fit_data(root):
    meta = json.loads((root / "meta.json").read_text())
    data = np.load(root / "data.npz")
    inputs, outputs = meta["inputs"], meta["outputs"]
    x = [data[f"x_{n}"] for n in inputs] if len(inputs) > 1 else data["x"]
    y = [data[f"y_{n}"] for n in outputs] if len(outputs) > 1 else data["y"]
    return meta, data, x, y


def assert_weights(got, expected, prefix, atol=1e-4):
    assert f"{prefix}_{len(got)}" not in expected.files
    for k, a in enumerate(got):
        np.testing.assert_allclose(a, expected[f"{prefix}_{k}"], rtol=0, atol=atol,
                                   err_msg=f"weight {k}")


@pytest.mark.parametrize("name", MATCHING)
def test_fit_resumed_from_h5_lands_on_tf_keras_weights(name):
    root = fixture_dir(name)
    meta, data, x, y = fit_data(root)
    assert not meta.get("dropout_layers")
    model = keras.models.load_model(root / "model.h5", **load_kwargs(root))
    model.fit(x, y, verbose=0, **meta["fit_kwargs"])
    assert_weights(model.get_weights(), data, "resumed")


@pytest.mark.parametrize("name", DROPOUT)
def test_fit_resumed_from_h5_without_dropout_lands_on_tf_keras_weights(name):
    root = fixture_dir(name)
    meta, _, x, y = fit_data(root)
    model = keras.models.load_model(root / "model.h5", **load_kwargs(root))
    assert zero_dropout(model) == meta["dropout_layers"] != []
    model.fit(x, y, verbose=0, **meta["fit_kwargs"])
    assert_weights(model.get_weights(), np.load(root / "resumed_no_dropout.npz"), "resumed")


@pytest.mark.parametrize("name", DROPOUT)
def test_fit_resumed_from_h5_with_dropout_changes_the_weights_tf_keras_changes(name):
    root = fixture_dir(name)
    meta, data, x, y = fit_data(root)
    model = keras.models.load_model(root / "model.h5", **load_kwargs(root))
    before = model.get_weights()
    history = model.fit(x, y, verbose=0, **meta["fit_kwargs"])
    assert np.isfinite(history.history["loss"]).all(), history.history
    after = model.get_weights()
    changed = [not np.array_equal(a, b) for a, b in zip(before, after, strict=True)]
    tf_changed = [not np.array_equal(b, data[f"resumed_{k}"]) for k, b in enumerate(before)]
    assert changed == tf_changed and any(changed)
    assert all(np.isfinite(w).all() for w in after)
