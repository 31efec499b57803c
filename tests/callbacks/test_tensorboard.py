"""callbacks/tensorboard.py."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch import layers


def _data(n=48, d=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)).astype("float32"), rng.integers(0, 2, size=(n,))


def _model(lr=0.05):
    model = keras.Sequential([keras.Input((5,)), layers.Dense(6, activation="relu"),
                              layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.SGD(lr), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_tensorboard_without_the_package_explains_what_to_install(tmp_path, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    with pytest.raises(ImportError, match="pip install tensorboard"):
        keras.callbacks.TensorBoard(log_dir=str(tmp_path))


def test_tensorboard_writes_keras_scalar_tags(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    x, y = _data()
    h = _model().fit(x, y, epochs=2, verbose=0, validation_data=(x, y),
                     callbacks=[keras.callbacks.TensorBoard(log_dir=str(tmp_path))])
    train = EventAccumulator(str(tmp_path / "train"))
    train.Reload()
    val = EventAccumulator(str(tmp_path / "validation"))
    val.Reload()
    assert {"epoch_loss", "epoch_accuracy"} <= set(train.Tags()["scalars"])
    assert {"epoch_loss", "epoch_accuracy"} <= set(val.Tags()["scalars"])
    losses = [e.value for e in train.Scalars("epoch_loss")]
    np.testing.assert_allclose(losses, h.history["loss"], rtol=1e-6)
    assert [e.step for e in val.Scalars("epoch_loss")] == [0, 1]
