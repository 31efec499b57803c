"""callbacks/learning_rate_scheduler.py."""

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


def test_learning_rate_scheduler():
    x, y = _data()
    model = _model()
    seen = []
    cb = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    spy = keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda e, logs: seen.append(float(model.optimizer.learning_rate)))
    h = model.fit(x, y, epochs=3, verbose=0, callbacks=[cb, spy])
    assert seen == pytest.approx([0.1, 0.05, 0.1 / 3])
    assert h.history["learning_rate"] == pytest.approx(seen)
    one_arg = keras.callbacks.LearningRateScheduler(lambda epoch: 0.01)
    model.fit(x, y, epochs=1, verbose=0, callbacks=[one_arg])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
