"""keras.callbacks: each built-in callback, in a real fit."""

import csv

import numpy as np
import pytest
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


def test_callback_hooks_are_called_in_keras_order():
    calls = []

    class Recorder(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            calls.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            calls.append(f"epoch_begin{epoch}")

        def on_train_batch_begin(self, batch, logs=None):
            calls.append(f"batch_begin{batch}")

        def on_train_batch_end(self, batch, logs=None):
            assert set(logs) == {"loss", "accuracy"}
            calls.append(f"batch_end{batch}")

        def on_test_begin(self, logs=None):
            calls.append("test_begin")

        def on_test_end(self, logs=None):
            calls.append("test_end")

        def on_epoch_end(self, epoch, logs=None):
            assert set(logs) == {"loss", "accuracy", "val_loss", "val_accuracy"}
            calls.append(f"epoch_end{epoch}")

        def on_train_end(self, logs=None):
            calls.append("train_end")

    x, y = _data(n=32)
    model = _model()
    rec = Recorder()
    model.fit(x, y, batch_size=16, epochs=2, verbose=0, validation_data=(x, y), callbacks=[rec])
    assert rec.model is model and rec.params["epochs"] == 2 and rec.params["steps"] == 2
    assert calls == ["train_begin",
                     "epoch_begin0", "batch_begin0", "batch_end0", "batch_begin1", "batch_end1",
                     "test_begin", "test_end", "epoch_end0",
                     "epoch_begin1", "batch_begin0", "batch_end0", "batch_begin1", "batch_end1",
                     "test_begin", "test_end", "epoch_end1", "train_end"]


def test_stop_training_from_a_callback():
    class StopAtOne(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    x, y = _data()
    h = _model().fit(x, y, epochs=10, verbose=0, callbacks=[StopAtOne()])
    assert h.epoch == [0, 1]


def test_history_records_epochs_and_initial_epoch():
    x, y = _data()
    model = _model()
    h = model.fit(x, y, epochs=4, initial_epoch=2, verbose=0)
    assert h.epoch == [2, 3] and len(h.history["loss"]) == 2
    assert model.history is h


def test_validation_freq():
    x, y = _data()
    h = _model().fit(x, y, epochs=4, verbose=0, validation_data=(x, y), validation_freq=2)
    assert len(h.history["val_loss"]) == 2 and len(h.history["loss"]) == 4
    h = _model().fit(x, y, epochs=3, verbose=0, validation_data=(x, y), validation_freq=[1, 3])
    assert len(h.history["val_loss"]) == 2


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
    for a, b in zip(model.get_weights(), weights[1]):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_mode_auto_needs_known_direction():
    x, y = _data()
    es = keras.callbacks.EarlyStopping(monitor="weird_metric")
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        _model().fit(x, y, epochs=1, verbose=0, callbacks=[es])


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
        for a, b in zip(fresh.get_weights(), model.get_weights()):
            np.testing.assert_array_equal(a, b)


def test_model_checkpoint_every_epoch_writes_each_file(tmp_path):
    x, y = _data()
    path = str(tmp_path / "w-{epoch}-{loss:.3f}.pt")
    _model().fit(x, y, epochs=2, verbose=0,
                 callbacks=[keras.callbacks.ModelCheckpoint(path, save_weights_only=True)])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and names[0].startswith("w-1-") and names[1].startswith("w-2-")


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


def test_terminate_on_nan_raise_error():
    x, y = _data()
    x[0] = np.inf
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 0"):
        _model().fit(x, y, shuffle=False, verbose=0,
                     callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)])


def test_lambda_callback_batch_hooks():
    x, y = _data(n=32)
    batches = []
    cb = keras.callbacks.LambdaCallback(on_batch_end=lambda b, logs: batches.append(b))
    _model().fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[cb])
    assert batches == [0, 1, 2, 3]
    with pytest.raises(TypeError):
        keras.callbacks.LambdaCallback(on_nothing=print)


def test_evaluate_and_predict_callbacks():
    x, y = _data(n=20)
    calls = []

    class Rec(keras.callbacks.Callback):
        def on_test_batch_end(self, batch, logs=None):
            calls.append(("test", batch))

        def on_predict_batch_end(self, batch, logs=None):
            calls.append(("predict", batch, logs["outputs"].shape[0]))

    model = _model()
    model.evaluate(x, y, batch_size=10, verbose=0, callbacks=[Rec()])
    model.predict(x, batch_size=16, verbose=0, callbacks=[Rec()])
    assert calls == [("test", 0), ("test", 1), ("predict", 0, 16), ("predict", 1, 4)]


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


def test_progbar_logger_can_be_passed_explicitly(capsys):
    x, y = _data(n=16)
    _model().fit(x, y, batch_size=8, epochs=1, verbose=1,
                 callbacks=[keras.callbacks.ProgbarLogger()])
    out = capsys.readouterr().out
    assert out.count("2/2 [") == 1


def test_model_checkpoint_uses_keras_weight_files_when_saving_is_available(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "best.weights.h5")
    model.fit(x, y, epochs=2, verbose=0, callbacks=[
        keras.callbacks.ModelCheckpoint(path, monitor="loss", save_weights_only=True)])
    fresh = _model()
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
