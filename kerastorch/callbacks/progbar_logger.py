"""`ProgbarLogger`: prints the progress bar of `fit` / `evaluate` / `predict`."""

import sys

from kerastorch.callbacks.callback import Callback
from kerastorch.utils.progbar import Progbar


class ProgbarLogger(Callback):
    """Prints `Epoch i/n` and the progress bar of `fit`, `evaluate` and `predict`."""

    def __init__(self, count_mode="steps", stateful_metrics=None):
        super().__init__()
        self.verbose, self.epochs, self.target = 1, 1, None
        self.progbar = None
        self._in_fit = False

    def set_params(self, params):
        super().set_params(params)
        self.verbose = params.get("verbose", 1)
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose and self.epochs > 1:
            sys.stdout.write(f"Epoch {epoch + 1}/{self.epochs}\n")
            sys.stdout.flush()
        self.start(self.target)

    def start(self, target):
        self.progbar = Progbar(target, verbose=self.verbose) if self.verbose else None

    def on_test_begin(self, logs=None):
        if not self._in_fit:
            self.start(self.params.get("steps"))

    def on_predict_begin(self, logs=None):
        self.start(self.params.get("steps"))

    def batch(self, step, logs_fn):
        """Redraws the bar after batch `step` (0-based) when due; `logs_fn()` gives the logs."""
        bar = self.progbar
        if bar is not None and bar.due(step + 1):
            bar.update(step + 1, list((logs_fn() if logs_fn else {}).items()), finalize=False)

    def finish(self, seen, logs=None):
        if self.progbar is not None:
            if self.progbar.target is None:
                self.progbar.target = seen
            self.progbar.update(seen, list((logs or {}).items()), finalize=True)

    def on_epoch_end(self, epoch, logs=None):
        pass  # the trainer calls finish() with the epoch's logs (validation included)

    def on_test_end(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass
