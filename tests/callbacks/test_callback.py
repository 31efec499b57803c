"""callbacks/callback.py and callback_list.py: hook order, stop_training, evaluate/predict hooks."""

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
