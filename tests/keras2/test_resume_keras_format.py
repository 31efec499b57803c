"""Resuming a tf.keras 2.21 training run from its `.keras` file (tf.keras 2.13+ writes them):
load a fixture's model.keras with compile=True, fit one more epoch and land on the weights
tf.keras reached from the same file (data.npz `resumed_keras_<k>`). The optimizer state in the
file is tf.keras 2.11+'s (`iteration`, then the slots; no learning rate), and tf.keras writes
none for its legacy optimizers (both restart from iteration 0). atol 1e-4, as
test_resume_training.py.

The models with dropout (test_resume_training.py DROPOUT) resume with every dropout rate at 0,
against resumed_no_dropout.npz."""

import json

import numpy as np
import pytest

import kerastorch as keras
from tests.keras2.oracle import fixture_dir
from tests.keras2.test_resume_training import DROPOUT
from tests.keras2.test_resume_training import assert_weights
from tests.keras2.test_resume_training import fit_data
from tests.keras2.test_resume_training import zero_dropout
from tests.keras2.test_tf_checkpoint import load_kwargs

MATCHING = {  # name: the optimizer's iterations once loaded
    "custom_layer": 4, "functional_shared": 4, "lambda_layer": 4, "legacy_tf1": 0,
    "multi_output_loss_weights": 4, "normalization_l2_auc": 4, "optimizers_adagrad": 4,
    "optimizers_adam": 4, "optimizers_legacy_adam_decay": 0, "optimizers_legacy_sgd_momentum": 0,
    "optimizers_rmsprop": 4, "optimizers_sgd_nesterov": 4, "resnet_block": 4,
    "text_two_input": 4, "tfoplambda": 4, "timeseries": 8, "unet_small": 4}


@pytest.mark.parametrize("name", sorted(MATCHING))
def test_fit_resumed_from_keras_file_lands_on_tf_keras_weights(name):
    root = fixture_dir(name)
    meta = json.loads((root / "meta.json").read_text())
    data = np.load(root / "data.npz")
    model = keras.models.load_model(root / "model.keras", **load_kwargs(root))
    assert int(model.optimizer.iterations) == MATCHING[name]
    if name.startswith("optimizers_legacy"):
        assert type(model.optimizer).__module__.startswith("kerastorch.optimizers.legacy.")
    inputs, outputs = meta["inputs"], meta["outputs"]
    x = [data[f"x_{n}"] for n in inputs] if len(inputs) > 1 else data["x"]
    y = [data[f"y_{n}"] for n in outputs] if len(outputs) > 1 else data["y"]
    model.fit(x, y, verbose=0, **meta["fit_kwargs"])
    got = model.get_weights()
    assert f"resumed_keras_{len(got)}" not in data.files
    for k, a in enumerate(got):
        np.testing.assert_allclose(a, data[f"resumed_keras_{k}"], rtol=0, atol=1e-4,
                                   err_msg=f"weight {k}")


@pytest.mark.parametrize("name", DROPOUT)
def test_fit_resumed_from_keras_file_without_dropout_lands_on_tf_keras_weights(name):
    root = fixture_dir(name)
    meta, _, x, y = fit_data(root)
    model = keras.models.load_model(root / "model.keras", **load_kwargs(root))
    assert int(model.optimizer.iterations) == 4
    assert zero_dropout(model) == meta["dropout_layers"] != []
    model.fit(x, y, verbose=0, **meta["fit_kwargs"])
    assert_weights(model.get_weights(), np.load(root / "resumed_no_dropout.npz"),
                   "resumed_keras")
