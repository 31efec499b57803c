"""callbacks/lambda_callback.py."""

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


def test_lambda_callback_batch_hooks():
    x, y = _data(n=32)
    batches = []
    cb = keras.callbacks.LambdaCallback(on_batch_end=lambda b, logs: batches.append(b))
    _model().fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[cb])
    assert batches == [0, 1, 2, 3]
    with pytest.raises(TypeError):
        keras.callbacks.LambdaCallback(on_nothing=print)
