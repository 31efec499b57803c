"""`ReduceLROnPlateau`: lowers the learning rate when a monitored metric stops improving."""

import warnings

import numpy as np

from kerastorch import backend
from kerastorch.callbacks.callback import Callback
from kerastorch.callbacks.learning_rate_scheduler import get_learning_rate
from kerastorch.callbacks.learning_rate_scheduler import set_learning_rate
from kerastorch.callbacks.monitor_callback import MonitorMixin


class ReduceLROnPlateau(MonitorMixin, Callback):
    """Multiplies the learning rate by `factor` when `monitor` stopped improving.

    Args:
        monitor: quantity to watch.
        factor: multiplier of the learning rate (< 1).
        patience: epochs without improvement before reducing.
        verbose: 1 prints each reduction.
        mode: `"auto"`, `"min"` or `"max"`.
        min_delta: smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction.
        min_lr: lower bound of the learning rate.
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        super().__init__()
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0. Received "
                             f"factor={factor}")
        self._init_monitor(monitor, mode, min_delta)
        self.factor, self.patience, self.verbose = float(factor), patience, verbose
        self.cooldown, self.min_lr = cooldown, min_lr
        self.wait = self.cooldown_counter = 0
        self.best = None

    def on_train_begin(self, logs=None):
        self.wait = self.cooldown_counter = 0
        self.best = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        lr_key = "lr" if backend.keras2_defaults() else "learning_rate"  # tf.keras 2's: "lr"
        logs[lr_key] = float(np.asarray(get_learning_rate(optimizer)))
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` "
                          "which is not available. Available metrics are: "
                          f"{','.join(logs.keys())}.", stacklevel=2)
            return
        self._resolve_mode()
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = logs[lr_key]
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    set_learning_rate(optimizer, new_lr)
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate "
                              f"to {new_lr}.")
                    self.cooldown_counter, self.wait = self.cooldown, 0
