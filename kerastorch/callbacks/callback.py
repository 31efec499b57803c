"""The `Callback` base class: hooks into `fit` / `evaluate` / `predict`."""


# The per-batch hooks: CallbackList calls one only when some callback overrides it.
BATCH_HOOKS = ("on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end",
               "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
               "on_predict_batch_end")


class Callback:
    """Base class of callbacks: override the hooks you need.

    `self.model` is the model being trained and `self.params` holds `verbose`, `epochs` and
    `steps`. Hooks: `on_train_begin/end`, `on_epoch_begin/end`, `on_{train,test,predict}_begin/end`,
    `on_{train,test,predict}_batch_begin/end` (and Keras 2's `on_batch_begin/end`).

    Example:
        >>> class Stop(keras.callbacks.Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         if logs["loss"] < 0.1:
        ...             self.model.stop_training = True
    """

    def __init__(self):
        self.params = {}
        self.model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    def on_batch_begin(self, batch, logs=None):
        """Called at the start of a training batch (Keras 2 alias of on_train_batch_begin)."""

    def on_batch_end(self, batch, logs=None):
        """Called at the end of a training batch (Keras 2 alias of on_train_batch_end)."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch with its training and validation logs."""

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass

    def _overrides(self, hook):
        return getattr(type(self), hook) is not getattr(Callback, hook)
