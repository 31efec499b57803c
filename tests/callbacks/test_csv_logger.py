"""callbacks/csv_logger.py."""

import csv

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


def test_csv_logger(tmp_path):
    x, y = _data()
    path = tmp_path / "log.csv"
    h = _model().fit(x, y, epochs=2, verbose=0, validation_data=(x, y),
                     callbacks=[keras.callbacks.CSVLogger(str(path))])
    rows = list(csv.DictReader(open(path)))
    assert list(rows[0]) == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert [int(r["epoch"]) for r in rows] == [0, 1]
    assert float(rows[1]["loss"]) == pytest.approx(h.history["loss"][1])
    _model().fit(x, y, epochs=1, verbose=0, validation_data=(x, y),
                 callbacks=[keras.callbacks.CSVLogger(str(path), append=True)])
    assert len(list(csv.DictReader(open(path)))) == 3
