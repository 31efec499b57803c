"""callbacks/model_checkpoint.py."""

import numpy as np
import torch

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


def test_model_checkpoint_save_best_only_and_weights_only(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "ckpt-{epoch:02d}.pt")
    ckpt = keras.callbacks.ModelCheckpoint(path, monitor="loss", save_best_only=True,
                                           save_weights_only=True)
    model.fit(x, y, epochs=3, verbose=0, callbacks=[ckpt])
    saved = sorted(p.name for p in tmp_path.iterdir())
    assert saved and saved[0] == "ckpt-01.pt"
    state = torch.load(tmp_path / saved[-1])
    fresh = _model()
    fresh.load_state_dict(state)
    if saved[-1] == "ckpt-03.pt":
        for a, b in zip(fresh.get_weights(), model.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)


def test_model_checkpoint_every_epoch_writes_each_file(tmp_path):
    x, y = _data()
    path = str(tmp_path / "w-{epoch}-{loss:.3f}.pt")
    _model().fit(x, y, epochs=2, verbose=0,
                 callbacks=[keras.callbacks.ModelCheckpoint(path, save_weights_only=True)])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and names[0].startswith("w-1-") and names[1].startswith("w-2-")


def test_model_checkpoint_uses_keras_weight_files_when_saving_is_available(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "best.weights.h5")
    model.fit(x, y, epochs=2, verbose=0, callbacks=[
        keras.callbacks.ModelCheckpoint(path, monitor="loss", save_weights_only=True)])
    fresh = _model()
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
