"""Resuming a tf.keras 2.21 training run: load a fixture's model.h5 with compile=True, fit one
more epoch (same batch size, shuffle=False) and land on the weights tf.keras reached from the
same file (data.npz `resumed_<k>`). atol 1e-4: one epoch of float32 updates in another order."""

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
# Known gaps, each failing today for the reason given (strict: a fix must remove the entry).
GAPS = {
    "cnn_bn_dropout": "Dropout(rate>0) during the resumed epoch: random, cannot match",
    "frozen_nested": "off by ~2e-3 after one epoch (cause not yet found)",
    "transformer_block": "Dropout(rate>0) in MultiHeadAttention and drop1 during the resumed "
                         "epoch: random, cannot match",
}


@pytest.mark.parametrize("name", MATCHING + [
    pytest.param(n, marks=pytest.mark.xfail(reason=r, strict=True)) for n, r in GAPS.items()])
def test_fit_resumed_from_h5_lands_on_tf_keras_weights(name):
    root = fixture_dir(name)
    meta = json.loads((root / "meta.json").read_text())
    data = np.load(root / "data.npz")
    model = keras.models.load_model(root / "model.h5", **load_kwargs(root))
    inputs, outputs = meta["inputs"], meta["outputs"]
    x = [data[f"x_{n}"] for n in inputs] if len(inputs) > 1 else data["x"]
    y = [data[f"y_{n}"] for n in outputs] if len(outputs) > 1 else data["y"]
    model.fit(x, y, verbose=0, **meta["fit_kwargs"])
    got = model.get_weights()
    expected = [data[f"resumed_{k}"] for k in range(len(got))]
    assert f"resumed_{len(got)}" not in data.files
    for k, (a, b) in enumerate(zip(got, expected, strict=True)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-4, err_msg=f"weight {k}")
