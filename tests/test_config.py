"""config.py: keras.config's settings. Those that change behaviour are checked by the behaviour
(unsafe deserialization loads lambdas, max epochs and steps cap fit/evaluate), compared with
Keras 3 where it runs the same script."""

import warnings

import numpy as np
import pytest

import kerastorch as keras
from kerastorch import config
from tests.keras3 import import_keras3


@pytest.fixture
def restore_config():
    saved = dict(config._STATE)
    yield
    config._STATE.clear()
    config._STATE.update(saved)


def test_backend_is_torch_and_cannot_be_changed():
    assert config.backend() == "torch"
    config.set_backend("torch")
    with pytest.raises(ValueError, match="kerastorch runs on torch only. Received: "
                                         "backend='jax'"):
        config.set_backend("jax")


def test_floatx_epsilon_and_data_format_are_the_backends():
    assert config.floatx is keras.backend.floatx
    assert config.set_image_data_format is keras.backend.set_image_data_format
    assert config.epsilon() == 1e-7


@pytest.mark.parametrize("name", ["traceback_filtering", "interactive_logging",
                                  "flash_attention"])
def test_switches_report_what_was_set(restore_config, name):
    getattr(config, f"disable_{name}")()
    assert getattr(config, f"is_{name}_enabled")() is False
    getattr(config, f"enable_{name}")()
    assert getattr(config, f"is_{name}_enabled")() is True


def test_dtype_policy_is_mixed_precisions():
    config.set_dtype_policy("mixed_bfloat16")
    try:
        assert config.dtype_policy().name == "mixed_bfloat16"
        assert keras.mixed_precision.dtype_policy().compute_dtype == "bfloat16"
    finally:
        config.set_dtype_policy("float32")


def _lambda_model_file(k, path):
    model = k.Sequential([k.Input((2,)), k.layers.Lambda(lambda x: x * 2)])
    model.save(path)


def test_enable_unsafe_deserialization_lets_load_model_read_lambdas(tmp_path, restore_config):
    path = tmp_path / "lambda.keras"
    _lambda_model_file(keras, path)
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(path)
    assert not config.is_unsafe_deserialization_enabled()
    config.enable_unsafe_deserialization()
    assert config.is_unsafe_deserialization_enabled()
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(np.ones((1, 2), "float32"), verbose=0),
                                  [[2.0, 2.0]])


def _capped_fit(k):
    k.utils.set_random_seed(0)
    model = k.Sequential([k.Input((2,)), k.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((40, 2), "float32"), np.ones((40, 1), "float32")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y, batch_size=4, epochs=5, verbose=0)
    messages = sorted({str(w.message) for w in caught if "Limiting" in str(w.message)})
    return len(history.history["loss"]), int(model.optimizer.iterations), messages


def test_max_epochs_and_steps_per_epoch_cap_fit(restore_config):
    assert config.max_epochs() is None and config.max_steps_per_epoch() is None
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    assert _capped_fit(keras) == (2, 6, ["Limiting epochs to 2", "Limiting steps_per_epoch to 3"])
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)
    assert _capped_fit(keras) == (5, 50, [])


def test_max_steps_per_epoch_caps_evaluate_and_predict_batches(restore_config):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    seen = []

    class Count(keras.callbacks.Callback):
        def on_test_batch_end(self, batch, logs=None):
            seen.append(batch)

    config.set_max_steps_per_epoch(2)
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 2"):
        model.evaluate(np.ones((40, 2)), np.ones((40, 1)), batch_size=4, verbose=0,
                       callbacks=[Count()])
    assert seen == [0, 1]
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 2"):
        assert model.predict(np.ones((40, 2)), batch_size=4, verbose=0).shape == (8, 1)


def test_caps_match_keras3(restore_config):
    keras3 = import_keras3()
    keras3.config.set_max_epochs(2)
    keras3.config.set_max_steps_per_epoch(3)
    try:
        theirs = _capped_fit(keras3)
    finally:
        keras3.config.set_max_epochs(None)
        keras3.config.set_max_steps_per_epoch(None)
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    assert _capped_fit(keras) == theirs
