"""callbacks/history.py."""

import numpy as np

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


def test_history_records_epochs_and_initial_epoch():
    x, y = _data()
    model = _model()
    h = model.fit(x, y, epochs=4, initial_epoch=2, verbose=0)
    assert h.epoch == [2, 3] and len(h.history["loss"]) == 2
    assert model.history is h
