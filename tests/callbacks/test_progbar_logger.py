"""callbacks/progbar_logger.py: the progress lines of fit."""

import re

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


def test_progbar_logger_can_be_passed_explicitly(capsys):
    x, y = _data(n=16)
    _model().fit(x, y, batch_size=8, epochs=1, verbose=1,
                 callbacks=[keras.callbacks.ProgbarLogger()])
    out = capsys.readouterr().out
    assert out.count("2/2 [") == 1


def _data_t(n=64, d=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)).astype("float32"), rng.integers(0, classes, size=(n,))


def _model_t(d=6, classes=3):
    return keras.Sequential([keras.Input((d,)), layers.Dense(8, activation="relu"),
                             layers.Dense(classes, activation="softmax")])


def _compiled_t(**kwargs):
    model = _model_t()
    model.compile(optimizer=kwargs.pop("optimizer", "adam"),
                  loss=kwargs.pop("loss", "sparse_categorical_crossentropy"),
                  metrics=kwargs.pop("metrics", ["accuracy"]), **kwargs)
    return model


def test_progress_bar_lines_verbose_1_and_2_without_control_characters(capsys):
    x, y = _data_t()
    model = _compiled_t()
    model.fit(x, y, batch_size=16, epochs=2, verbose=1, validation_data=(x, y))
    out = capsys.readouterr().out
    assert "\r" not in out and "\b" not in out
    lines = out.strip().splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert re.fullmatch(r"4/4 \[==============================\] - \d+s \d+(us|ms|s)/step - "
                        r"loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - "
                        r"val_accuracy: \d\.\d{4}", lines[1]), lines[1]
    model.fit(x, y, batch_size=16, epochs=2, verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    assert re.fullmatch(r"4/4 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - "
                        r"\d+(us|ms|s)/epoch - \d+(us|ms|s)/step", lines[1]), lines[1]
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert capsys.readouterr().out == ""
