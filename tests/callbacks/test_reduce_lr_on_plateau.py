"""callbacks/reduce_lr_on_plateau.py."""

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


def test_reduce_lr_on_plateau(capsys):
    x, y = _data()
    model = _model(lr=0.0)
    cb = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, verbose=1,
                                           min_lr=0.0)
    model.optimizer.learning_rate = 0.1
    # with lr 0.1 the loss keeps changing; force a plateau with a huge min_delta
    cb.min_delta = 100.0
    h = model.fit(x, y, epochs=3, verbose=0, callbacks=[cb])
    assert h.history["learning_rate"] == pytest.approx([0.1, 0.1, 0.05])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.025)
    assert "ReduceLROnPlateau reducing learning rate to 0.05" in capsys.readouterr().out
