"""callbacks/early_stopping.py."""

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


def test_early_stopping_with_restore_best_weights(capsys):
    x, y = _data()
    model = _model(lr=0.0)  # nothing improves
    snapshots = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(model.get_weights()))
    es = keras.callbacks.EarlyStopping(monitor="loss", patience=2, restore_best_weights=True,
                                       verbose=1)
    h = model.fit(x, y, epochs=20, verbose=0, shuffle=False, callbacks=[record, es])
    assert len(h.epoch) == 3 and es.stopped_epoch == 2
    out = capsys.readouterr().out
    assert "Epoch 3: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 1." in out


def test_early_stopping_restores_the_best_epoch_weights():
    x, y = _data()
    model = _model()
    weights = []
    losses = iter([0.5, 0.3, 0.4, 0.45, 0.6])

    class Fake(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["fake"] = next(losses)
            weights.append(model.get_weights())

    es = keras.callbacks.EarlyStopping(monitor="fake", mode="min", patience=2,
                                       restore_best_weights=True)
    model.fit(x, y, epochs=5, verbose=0, callbacks=[Fake(), es])
    assert es.best == 0.3 and es.best_epoch == 1
    for a, b in zip(model.get_weights(), weights[1], strict=True):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_mode_auto_needs_known_direction():
    x, y = _data()
    es = keras.callbacks.EarlyStopping(monitor="weird_metric")
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        _model().fit(x, y, epochs=1, verbose=0, callbacks=[es])
