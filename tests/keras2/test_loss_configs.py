"""Keras 2 loss configs: a model.h5 compiled by tf.keras 2.21 with each loss spec a
`training_config` can hold (class configs with `fn` and `reduction: "auto"`, function names and
aliases, per-output dicts and lists with loss weights) loads compiled in kerastorch, and
evaluate() gives tf.keras's loss on the same data (one batch; atol 1e-5, float32)."""

import json
import warnings

import numpy as np
import pytest

import kerastorch as keras
from kerastorch.saving import saving_lib
from tests.keras2.oracle import run_tf


@pytest.fixture(scope="module")
def tf_cases(tmp_path_factory):
    out = tmp_path_factory.mktemp("loss_configs")
    rng = np.random.default_rng(0)
    np.savez(out / "data.npz", x=rng.normal(size=(8, 4)).astype("float32"),
             y_sparse=rng.integers(0, 3, size=(8,)).astype("int32"),
             y_onehot=np.eye(3, dtype="float32")[rng.integers(0, 3, size=8)],
             y_binary=rng.integers(0, 2, size=(8, 3)).astype("float32"),
             y_positive=rng.uniform(0.5, 2.0, size=(8, 3)).astype("float32"))
    return out, json.loads(run_tf("tf_loss_configs.py", out).strip().splitlines()[-1])


CASES = ["scce_logits_class", "scce_class", "scce_sum", "cce_class", "bce_class",
         "bce_logits_class", "binary_focal_class", "categorical_focal_class", "mse_class",
         "mae_class", "mape_class", "msle_class", "huber_class", "logcosh_class",
         "poisson_class", "kld_class", "cosine_class", "hinge_class", "squared_hinge_class",
         "categorical_hinge_class", "fn_name", "fn_alias_mse", "fn_alias_kld", "fn_logcosh",
         "fn_kullback_leibler", "fn_huber", "fn_object", "per_output_dict", "per_output_list"]


def test_the_oracle_writes_every_case(tf_cases):
    assert sorted(tf_cases[1]["losses"]) == sorted(CASES)


@pytest.mark.parametrize("case", CASES)
def test_keras2_loss_config_compiles_and_gives_tf_keras_loss(tf_cases, case):
    out, expected = tf_cases
    data = np.load(out / "data.npz")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "could not be compiled" must not be a warning
        model = keras.models.load_model(out / f"{case}.h5")
    assert model.compiled
    y = [data[f"y_{k}"] for k in expected["kinds"][case]]
    result = model.evaluate(data["x"], y if len(y) > 1 else y[0], batch_size=len(data["x"]),
                            verbose=0, return_dict=True)
    np.testing.assert_allclose(result["loss"], expected["losses"][case], rtol=0, atol=1e-5)


def test_keras2_auto_reduction_compiles_as_sum_over_batch_size():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3)])
    saving_lib.compile_from_config(model, {"optimizer": "sgd", "loss": {
        "class_name": "MeanSquaredError",
        "config": {"reduction": "auto", "name": "mean_squared_error",
                   "fn": "mean_squared_error"}}})
    assert model.loss.reduction == "sum_over_batch_size"
    assert float(model.loss(np.zeros((2, 3)), np.ones((2, 3)))) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        keras.losses.MeanSquaredError(reduction="auto")  # Keras 3's surface has no "auto"


def test_fn_of_a_loss_subclass_config_is_the_class_own_function():
    loss = keras.losses.SparseCategoricalCrossentropy.from_config(
        {"reduction": "sum_over_batch_size", "name": "scce", "from_logits": True,
         "ignore_class": None, "fn": "sparse_categorical_crossentropy"})
    assert loss.from_logits is True and loss.name == "scce"
    wrapper = keras.losses.LossFunctionWrapper.from_config(
        {"reduction": "sum", "name": "w", "fn": "mean_absolute_error"})
    assert wrapper.fn is keras.losses.mean_absolute_error and wrapper.reduction == "sum"
    with pytest.raises(ValueError, match="'no_such_loss'"):
        keras.losses.LossFunctionWrapper.from_config({"name": "w", "fn": "no_such_loss"})


def test_invalid_reduction_still_raises():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        keras.losses.MeanSquaredError(reduction="avg")
