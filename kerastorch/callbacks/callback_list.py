"""`CallbackList`: the callbacks of one `fit`/`evaluate`/`predict` call, batch hooks on demand."""

from kerastorch.callbacks.callback import BATCH_HOOKS
from kerastorch.callbacks.history import History
from kerastorch.callbacks.progbar_logger import ProgbarLogger


class CallbackList:
    """Calls a list of callbacks; adds `History` and `ProgbarLogger` as `fit` does.

    Batch hooks go only to callbacks that override them, and their logs are computed on demand
    by `logs_fn` (a function returning the current logs), so plain training pays nothing.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        self.callbacks = list(callbacks or [])
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.append(History())
        self.progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        if model is not None:
            self.set_model(model)
        self.set_params(params)
        self._by_hook = {h: [c for c in self.callbacks if c._overrides(h) or
                             (h in ("on_train_batch_begin", "on_train_batch_end") and
                              c._overrides(h.replace("train_", "")))]
                         for h in BATCH_HOOKS}

    def set_model(self, model):
        self.model = model
        for c in self.callbacks:
            c.set_model(model)

    def set_params(self, params):
        self.params = params
        for c in self.callbacks:
            c.set_params(params)

    def has(self, hook):
        """True when some callback (the progress bar apart) wants this batch hook."""
        return bool(self._by_hook[hook])

    def batch_hook(self, hook, batch, logs_fn):
        cbs = self._by_hook[hook]
        if cbs:
            logs = logs_fn() if logs_fn is not None else {}
            for c in cbs:
                getattr(c, hook)(batch, logs)

    def _call(self, hook, *args):
        """Calls `hook` on every callback; `logs` (the last argument) is a dict, `{}` where
        there is nothing yet (as in Keras: user callbacks call `logs.keys()`)."""
        if args[-1] is None:
            args = args[:-1] + ({},)
        for c in self.callbacks:
            getattr(c, hook)(*args)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)

    def on_train_batch_begin(self, batch, logs=None):
        self.batch_hook("on_train_batch_begin", batch, lambda: logs or {})

    def on_train_batch_end(self, batch, logs=None):
        self.batch_hook("on_train_batch_end", batch, lambda: logs or {})

    def __iter__(self):
        return iter(self.callbacks)
