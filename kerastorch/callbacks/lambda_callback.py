"""`LambdaCallback`: a callback made of plain functions."""

from kerastorch.callbacks.callback import Callback


class LambdaCallback(Callback):
    """A callback from plain functions, e.g. `LambdaCallback(on_epoch_end=lambda e, logs: ...)`.

    Args:
        on_epoch_begin, on_epoch_end: `f(epoch, logs)`.
        on_train_batch_begin, on_train_batch_end (or on_batch_begin, on_batch_end): `f(batch, logs)`.
        on_train_begin, on_train_end: `f(logs)`.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        given = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end, **kwargs)
        self._hooks = set()
        for hook, fn in given.items():
            if fn is None:
                continue
            if not hasattr(Callback, hook):
                raise TypeError(f"LambdaCallback got an unexpected hook {hook!r}")
            setattr(self, hook, fn)
            self._hooks.add(hook)
            if hook in ("on_batch_begin", "on_batch_end"):
                self._hooks.add(hook.replace("on_", "on_train_"))
                setattr(self, hook.replace("on_", "on_train_"), fn)

    def _overrides(self, hook):
        return hook in self._hooks
