"""`ModelCheckpoint`: saves the model or its weights during training."""

import os
import warnings

import torch

from kerastorch.callbacks.callback import Callback
from kerastorch.callbacks.monitor_callback import MonitorMixin


class ModelCheckpoint(MonitorMixin, Callback):
    """Saves the model or its weights at the end of each epoch (or only when it improved).

    `filepath` may contain `{epoch}` and log names (`"ckpt-{epoch:02d}-{val_loss:.2f}.pt"`).
    Weights are written by `model.save_weights` / `model.save` where the model has them, else as
    a torch `state_dict` (`torch.save`).

    Args:
        filepath: where to save.
        monitor: quantity compared when `save_best_only`.
        verbose: 1 prints a line on each save.
        save_best_only: only save when `monitor` improved.
        save_weights_only: save the weights only.
        mode: `"auto"`, `"min"` or `"max"`.
        save_freq: `"epoch"` or an integer number of batches.
        initial_value_threshold: the value to beat first.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__()
        self._init_monitor(monitor, mode, 0)
        self.filepath = os.fspath(filepath)
        self.verbose, self.save_best_only = verbose, save_best_only
        self.save_weights_only, self.save_freq = save_weights_only, save_freq
        self.best = initial_value_threshold
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(f"Unrecognized save_freq: {save_freq}. Expected save_freq are "
                             "'epoch' or integer values")
        self._batches_seen = 0
        self._current_epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if isinstance(self.save_freq, int):
            self._batches_seen += 1
            if self._batches_seen % self.save_freq == 0:
                self._save(self._current_epoch, logs, batch=batch)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, logs)

    def _path(self, epoch, logs, batch=None):
        try:
            if batch is None:
                return self.filepath.format(epoch=epoch + 1, **(logs or {}))
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **(logs or {}))
        except KeyError as err:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". '
                           f"Reason: {err}") from err

    def _save(self, epoch, logs, batch=None):
        logs = logs or {}
        path = self._path(epoch, logs, batch)
        if self.save_best_only:
            self._resolve_mode()
            current = logs.get(self.monitor)
            if current is None:
                warnings.warn(f"Can save best model only with {self.monitor} available, "
                              "skipping.", stacklevel=2)
                return
            if not self._is_improvement(current, self.best):
                if self.verbose > 0:
                    best = "None" if self.best is None else f"{self.best:.5f}"
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
                return
            if self.verbose > 0:
                best = "None" if self.best is None else f"{self.best:.5f}"
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                      f"{current:.5f}, saving model to {path}")
            self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        dirname = os.path.dirname(path)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        model = self.model
        if self.save_weights_only:
            if hasattr(model, "save_weights") and not path.endswith((".pt", ".pth")):
                model.save_weights(path, overwrite=True)
            else:
                torch.save(model.state_dict(), path)
        else:
            if hasattr(model, "save") and not path.endswith((".pt", ".pth")):
                model.save(path, overwrite=True)
            else:
                torch.save(model.state_dict(), path)
