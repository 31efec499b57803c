"""CallbackList: History/ProgbarLogger added once, model and params passed on, batch hooks only
to the callbacks that override them, logs as a dict, and the order fit calls hooks in."""

import numpy as np

import kerastorch as keras
from kerastorch.callbacks.callback_list import CallbackList
from tests.keras3 import import_keras3


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append(("train_begin", dict(logs)))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, sorted(logs)))

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("train_batch_end", batch))


class OldStyle(keras.callbacks.Callback):
    """Overrides the Keras 2 `on_batch_end`: it must still hear train batches."""

    def __init__(self):
        super().__init__()
        self.batches = []

    def on_batch_end(self, batch, logs=None):
        self.batches.append(batch)


def test_adds_history_and_progbar_once():
    cl = CallbackList(add_history=True, add_progbar=True)
    kinds = [type(c).__name__ for c in cl]
    assert kinds == ["ProgbarLogger", "History"]
    assert cl.progbar is cl.callbacks[0]
    history = keras.callbacks.History()
    cl = CallbackList([history], add_history=True, add_progbar=False)
    assert cl.callbacks == [history] and cl.progbar is None
    assert CallbackList().callbacks == []


def test_model_and_params_reach_every_callback():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    rec = Recorder()
    cl = CallbackList([rec], model=model, epochs=3, steps=7, verbose=0)
    assert rec.model is model
    assert rec.params == {"epochs": 3, "steps": 7, "verbose": 0}
    other = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    cl.set_model(other)
    assert rec.model is other


def test_batch_hooks_go_only_to_overriders_and_logs_are_lazy():
    rec, old, plain = Recorder(), OldStyle(), keras.callbacks.Callback()
    cl = CallbackList([rec, old, plain])
    assert cl.has("on_train_batch_end")
    assert not cl.has("on_test_batch_end") and not cl.has("on_predict_batch_begin")
    asked = []
    cl.batch_hook("on_test_batch_end", 0, lambda: asked.append(1) or {})
    assert asked == []  # nobody listens: the logs are never computed
    cl.batch_hook("on_train_batch_end", 4, lambda: asked.append(1) or {"loss": 1.0})
    assert asked == [1]
    assert rec.calls == [("train_batch_end", 4)]
    assert old.batches == [4]  # on_batch_end hears train batches too
    cl.on_train_batch_end(5)
    assert old.batches == [4, 5]


def test_epoch_hooks_pass_a_dict_for_none_logs():
    rec = Recorder()
    cl = CallbackList([rec])
    cl.on_train_begin()
    cl.on_epoch_end(0, None)
    cl.on_epoch_end(1, {"loss": 0.5, "acc": 1.0})
    assert rec.calls == [("train_begin", {}), ("epoch_end", 0, []),
                         ("epoch_end", 1, ["acc", "loss"])]


def _fit_with(k, callback):
    model = k.Sequential([k.Input((3,)), k.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((8, 3), "float32")
    y = np.zeros((8, 1), "float32")
    return model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[callback])


def _order_recorder(base):
    class Order(base):
        def __init__(self):
            super().__init__()
            self.events = []

    for hook in ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
                 "on_train_batch_begin", "on_train_batch_end"):
        def make(h):
            def method(self, *args, logs=None):
                self.events.append((h,) + tuple(a for a in args if isinstance(a, int)))
            return method
        setattr(Order, hook, make(hook))
    return Order


def test_fit_hook_order():
    rec = _order_recorder(keras.callbacks.Callback)()
    history = _fit_with(keras, rec)
    assert rec.events[0] == ("on_train_begin",) and rec.events[-1] == ("on_train_end",)
    per_epoch = [("on_epoch_begin", 0), ("on_train_batch_begin", 0), ("on_train_batch_end", 0),
                 ("on_train_batch_begin", 1), ("on_train_batch_end", 1), ("on_epoch_end", 0)]
    assert rec.events[1:7] == per_epoch
    assert len(history.history["loss"]) == 2


def test_fit_hook_order_matches_keras3():
    k3 = import_keras3()
    ours = _order_recorder(keras.callbacks.Callback)()
    theirs = _order_recorder(k3.callbacks.Callback)()
    _fit_with(keras, ours)
    _fit_with(k3, theirs)
    assert ours.events == theirs.events
