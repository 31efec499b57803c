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


_EPOCHLESS_HOOKS = ("on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
                    "on_predict_begin", "on_predict_end")
_INDEXED_HOOKS = ("on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
                  "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
                  "on_predict_batch_begin", "on_predict_batch_end")


def _logs_recorder(k):
    """A callback recording, for every hook, the keys of its logs (None when logs is None)."""
    def plain(hook):
        def f(self, logs=None):
            self.calls.append((hook, None if logs is None else sorted(logs.keys())))
        return f

    def indexed(hook):
        def f(self, index, logs=None):
            self.calls.append((hook, index, None if logs is None else sorted(logs.keys())))
        return f

    attrs = {h: plain(h) for h in _EPOCHLESS_HOOKS}
    attrs.update({h: indexed(h) for h in _INDEXED_HOOKS})
    return type("LogsRecorder", (k.callbacks.Callback,), attrs)


def _record_every_hook(k, custom_step):
    k.utils.set_random_seed(0)
    x, y = _data(16)
    if custom_step:
        class M(k.Model):
            def test_step(self, data):
                xb, yb = data
                return {"score": k.ops.mean(self(xb))}
        inputs = k.Input((5,))
        model = M(inputs, k.layers.Dense(2, activation="softmax")(inputs))
    else:
        model = k.Sequential([k.Input((5,)), k.layers.Dense(2, activation="softmax")])
    model.compile(k.optimizers.SGD(0.05), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    recorder = _logs_recorder(k)()
    out = {}
    for what, run in (
            ("fit", lambda cb: model.fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=cb,
                                         validation_data=(x, y))),
            ("evaluate", lambda cb: model.evaluate(x, y, batch_size=8, verbose=0, callbacks=cb)),
            ("predict", lambda cb: model.predict(x, batch_size=8, verbose=0, callbacks=cb)),
            ("predict_small", lambda cb: model.predict(x[:3], verbose=0, callbacks=cb))):
        recorder.calls = []
        run([recorder])
        out[what] = recorder.calls
    return out


import pytest  # noqa: E402


@pytest.mark.parametrize("custom_step", [False, True])
def test_every_hook_gets_a_dict_with_keras3_keys(custom_step):
    from tests.keras3 import import_keras3
    keras3 = import_keras3()
    theirs = _record_every_hook(keras3, custom_step)
    ours = _record_every_hook(keras, custom_step)
    for what in theirs:
        assert ours[what] == theirs[what], what
        assert all(call[-1] is not None for call in ours[what]), what
    # on_train_end sees the last epoch's logs, validation included, as in Keras 3
    assert ours["fit"][-1][0] == "on_train_end"
    assert any(key.startswith("val_") for key in ours["fit"][-1][-1])


def test_begin_hooks_get_an_empty_dict_without_keras3():
    begins = []

    class Begins(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            begins.append(("train", logs))

        def on_epoch_begin(self, epoch, logs=None):
            begins.append(("epoch", logs))

        def on_test_begin(self, logs=None):
            begins.append(("test", logs))

        def on_predict_begin(self, logs=None):
            begins.append(("predict", logs))

        def on_predict_end(self, logs=None):
            begins.append(("predict_end", logs))

    model = _model()
    x, y = _data(16)
    model.fit(x, y, epochs=1, verbose=0, callbacks=[Begins()], validation_data=(x, y))
    model.evaluate(x, y, verbose=0, callbacks=[Begins()])
    model.predict(x, verbose=0, callbacks=[Begins()])
    assert [name for name, _ in begins] == ["train", "epoch", "test", "test", "predict",
                                            "predict_end"]
    assert all(logs == {} and isinstance(logs, dict) for _, logs in begins)
