"""`LearningRateScheduler`: sets the learning rate at the start of each epoch."""

import numpy as np
import torch

from kerastorch import backend
from kerastorch.callbacks.callback import Callback


def get_learning_rate(optimizer):
    """The optimizer's current learning rate as a Python float (also from a tensor)."""
    lr = optimizer.learning_rate
    if isinstance(lr, torch.Tensor):
        return float(lr.detach().cpu())
    return float(lr)


def set_learning_rate(optimizer, value):
    """Sets the optimizer's learning rate to the float `value`."""
    optimizer.learning_rate = float(value)


class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch to `schedule(epoch, lr)`.

    Args:
        schedule: a function `(epoch, lr) -> new_lr` (or `(epoch) -> new_lr`), epochs from 0.
        verbose: 1 prints each update.

    Example:
        >>> cb = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.9)
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            lr = self.schedule(epoch, get_learning_rate(optimizer))
        except TypeError:
            lr = self.schedule(epoch)
        if isinstance(lr, torch.Tensor):
            lr = float(lr)
        if not isinstance(lr, (float, int, np.floating, np.integer)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {lr}")
        set_learning_rate(optimizer, float(lr))
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            lr_key = "lr" if backend.keras2_defaults() else "learning_rate"  # tf.keras 2's: "lr"
            logs[lr_key] = get_learning_rate(self.model.optimizer)
