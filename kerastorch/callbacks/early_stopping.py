"""`EarlyStopping`: stops training when a monitored metric stops improving."""

import warnings

from kerastorch.callbacks.callback import Callback
from kerastorch.callbacks.monitor_callback import MonitorMixin


def _state_copy(model):
    """A detached copy of the model's state_dict (the best weights so far)."""
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


class EarlyStopping(MonitorMixin, Callback):
    """Stops training when `monitor` has stopped improving for `patience` epochs.

    Args:
        monitor: the quantity to watch, e.g. `"val_loss"`.
        min_delta: smallest change that counts as an improvement.
        patience: epochs without improvement before stopping.
        verbose: 1 prints when stopping and restoring.
        mode: `"auto"`, `"min"` or `"max"`.
        baseline: a value the monitor must beat.
        restore_best_weights: restore the weights of the best epoch at the end.
        start_from_epoch: epochs to wait before watching.

    Example:
        >>> model.fit(x, y, validation_split=0.2,
        ...           callbacks=[keras.callbacks.EarlyStopping(patience=3)])
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        self._init_monitor(monitor, mode, min_delta)
        self.patience, self.verbose, self.baseline = patience, verbose, baseline
        self.restore_best_weights, self.start_from_epoch = restore_best_weights, start_from_epoch
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best = None
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best = None
        self.best_weights = None

    def get_monitor_value(self, logs):
        value = (logs or {}).get(self.monitor)
        if value is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join((logs or {}).keys())}",
                          stacklevel=2)
        return value

    def on_epoch_end(self, epoch, logs=None):
        self._resolve_mode()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights, self.best_epoch = _state_copy(self.model), epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = _state_copy(self.model)
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.load_state_dict(self.best_weights)
