"""keras.callbacks: hooks into `fit` / `evaluate` / `predict`, with Keras's built-in callbacks.

A callback receives `logs` dicts of Python floats. Batch-level logs are computed only when some
callback overrides a batch hook, so a plain `fit` does no per-batch host work.
"""

import csv
import os
import sys
import time
import warnings

import numpy as np
import torch

_BATCH_HOOKS = ("on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end",
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
                         for h in _BATCH_HOOKS}

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


class History(Callback):
    """Records each epoch's logs: `history.history["loss"]`, `history.epoch`; `fit` returns it."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
        self.model.history = self


class Progbar:
    """Keras 2's progress bar: `12/100 [==>...........] - ETA: 3s - loss: 0.5`.

    On a terminal the line is redrawn in place; elsewhere (logs, pipes) only the final line of
    each run is written, with no control characters.

    Args:
        target: total number of steps (None if unknown).
        width: bar width in characters.
        verbose: 1 (bar), 2 (one line at the end), 0 (silent).
        interval: minimum seconds between redraws.
        unit_name: `step` or `sample`.
    """

    def __init__(self, target, width=30, verbose=1, interval=0.05, unit_name="step",
                 stream=None):
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stream = stream
        out = stream or sys.stdout
        self._dynamic = (hasattr(out, "isatty") and out.isatty()) or "ipykernel" in sys.modules
        self._total_width = 0
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._seen_first = False

    def _write(self, text):
        out = self.stream or sys.stdout
        out.write(text)
        out.flush()

    @staticmethod
    def _format_time(seconds, unit):
        if seconds >= 1 or seconds == 0:
            return f" {seconds:.0f}s/{unit}"
        if seconds >= 1e-3:
            return f" {seconds * 1e3:.0f}ms/{unit}"
        return f" {seconds * 1e6:.0f}us/{unit}"

    @staticmethod
    def _format_values(values):
        info = ""
        for k, v in values:
            v = float(v)
            info += f" - {k}: {v:.4f}" if abs(v) > 1e-3 else f" - {k}: {v:.4e}"
        return info

    def _step_time(self, current, now):
        if current == 0:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            return (now - self._time_after_first_step) / (current - 1)
        return (now - self._start) / current

    def due(self, current):
        """Whether `update(current)` would draw now (only ever on a terminal with verbose=1)."""
        if not self._seen_first:
            self._seen_first = True
            self._time_after_first_step = time.time()
        return (self.verbose == 1 and self._dynamic
                and time.time() - self._last_update >= self.interval
                and (self.target is None or current < self.target))

    def update(self, current, values=(), finalize=None):
        """Draws the bar at step `current` with `values` (a list of (name, float))."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        now = time.time()
        if self.verbose == 1:
            if not finalize and (not self._dynamic or now - self._last_update < self.interval):
                return
            if self.target is not None:
                digits = int(np.log10(self.target)) + 1 if self.target > 0 else 1
                bar = f"{current:{digits}d}/{self.target} ["
                prog = current / self.target if self.target else 1.0
                prog_width = int(self.width * prog)
                if prog_width > 0:
                    bar += "=" * (prog_width - 1)
                    bar += ">" if current < self.target else "="
                bar += "." * (self.width - prog_width) + "]"
            else:
                bar = f"{current:7d}/Unknown"
            step_time = self._step_time(current, now)
            if self.target is None or finalize:
                info = f" - {now - self._start:.0f}s" + self._format_time(step_time, self.unit_name)
            else:
                eta = step_time * (self.target - current)
                if eta > 3600:
                    eta_text = f"{int(eta // 3600)}:{int((eta % 3600) // 60):02d}:{int(eta % 60):02d}"
                elif eta > 60:
                    eta_text = f"{int(eta // 60)}:{int(eta % 60):02d}"
                else:
                    eta_text = f"{int(eta)}s"
                info = f" - ETA: {eta_text}"
            line = bar + info + self._format_values(values)
            if self._dynamic:
                prev = self._total_width
                self._total_width = len(line)
                pad = " " * max(prev - len(line), 0)
                self._write("\r" + line + pad + ("\n" if finalize else ""))
            elif finalize:
                self._write(line + "\n")
            self._last_update = now
        elif self.verbose == 2 and finalize:
            target = self.target if self.target is not None else current
            digits = int(np.log10(target)) + 1 if target > 0 else 1
            line = f"{current:{digits}d}/{target} - {now - self._start:.0f}s"
            line += self._format_values(values)
            elapsed = now - self._start
            line += " -" + self._format_time(elapsed, "epoch")
            line += " -" + self._format_time(elapsed / max(current, 1), self.unit_name)
            self._write(line + "\n")


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


class _MonitorMixin:
    """Shared by callbacks that watch a metric: min/max mode and improvement test."""

    def _init_monitor(self, monitor, mode, min_delta):
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto "
                          "mode.", stacklevel=3)
            mode = "auto"
        self.monitor, self.mode, self.min_delta = monitor, mode, abs(min_delta)
        self._maximize = None

    def _resolve_mode(self):
        if self._maximize is not None:
            return
        if self.mode != "auto":
            self._maximize = self.mode == "max"
            return
        name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
        direction = None
        for m in getattr(self.model, "metrics", None) or []:
            if getattr(m, "name", None) == name and getattr(m, "_direction", None):
                direction = m._direction
        if direction is None:
            if name == "loss" or name.endswith("loss") or name in ("mse", "mae", "mape", "msle") \
                    or "error" in name:
                direction = "down"
            elif any(s in name for s in ("acc", "auc", "precision", "recall", "f1", "iou")):
                direction = "up"
        if direction is None:
            raise ValueError(f"{type(self).__name__} callback received monitor={self.monitor}, "
                             "but Keras isn't able to automatically determine whether that metric "
                             "should be maximized or minimized. Pass `mode='max'` in order to "
                             "monitor based on the highest metric value, or pass `mode='min'` in "
                             "order to use the lowest value.")
        self._maximize = direction == "up"

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        if self._maximize:
            return value - self.min_delta > reference
        return value + self.min_delta < reference


def _state_copy(model):
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


class EarlyStopping(_MonitorMixin, Callback):
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


class ModelCheckpoint(_MonitorMixin, Callback):
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


class ReduceLROnPlateau(_MonitorMixin, Callback):
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
        logs["learning_rate"] = float(np.asarray(_get_lr(optimizer)))
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
                old_lr = logs["learning_rate"]
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    _set_lr(optimizer, new_lr)
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate "
                              f"to {new_lr}.")
                    self.cooldown_counter, self.wait = self.cooldown, 0


def _get_lr(optimizer):
    lr = optimizer.learning_rate
    if isinstance(lr, torch.Tensor):
        return float(lr.detach().cpu())
    return float(lr)


def _set_lr(optimizer, value):
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
            lr = self.schedule(epoch, _get_lr(optimizer))
        except TypeError:
            lr = self.schedule(epoch)
        if isinstance(lr, torch.Tensor):
            lr = float(lr)
        if not isinstance(lr, (float, int, np.floating, np.integer)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {lr}")
        _set_lr(optimizer, float(lr))
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = _get_lr(self.model.optimizer)


class CSVLogger(Callback):
    """Streams each epoch's logs to a CSV file (`epoch` then the log names, sorted).

    Args:
        filename: the CSV file.
        separator: the column separator.
        append: append to an existing file instead of overwriting it.
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.sep, self.append = os.fspath(filename), separator, append
        self.keys = None
        self.writer = None
        self.csv_file = None
        self._append_header = True

    def on_train_begin(self, logs=None):
        mode = "a" if self.append else "w"
        if self.append and os.path.exists(self.filename):
            with open(self.filename) as f:
                self._append_header = not bool(len(f.readline()))
        self.csv_file = open(self.filename, mode, newline="")
        self.keys, self.writer = None, None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}

        def handle(v):
            is_zero_dim = isinstance(v, (np.ndarray, torch.Tensor)) and v.ndim == 0
            if isinstance(v, str):
                return v
            if hasattr(v, "__iter__") and not is_zero_dim:
                return f"\"[{', '.join(map(str, v))}]\""
            return v

        if self.keys is None:
            self.keys = sorted(logs.keys())
        if self.writer is None:
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         delimiter=self.sep)
            if self._append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((k, handle(logs.get(k, "NA"))) for k in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
        self.writer = None


class TerminateOnNaN(Callback):
    """Stops training as soon as the loss is NaN or infinite.

    Args:
        raise_error: raise a RuntimeError instead of stopping gracefully.
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: "
                                   f"{loss}. Terminating training immediately.")
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


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


class TensorBoard(Callback):
    """Writes epoch logs (and optionally batch logs) for TensorBoard with torch's `SummaryWriter`.

    Scalars are `epoch_loss`, `epoch_accuracy`, ... under `log_dir/train` and
    `log_dir/validation`, as Keras writes them.

    Args:
        log_dir: where to write.
        update_freq: `"epoch"`, `"batch"` or an integer number of batches.
        histogram_freq: every how many epochs to write weight histograms (0: never).
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError as err:
            raise ImportError("The TensorBoard callback needs the `tensorboard` package: "
                              "`pip install tensorboard`.") from err
        self._writer_cls = SummaryWriter
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq, self.update_freq = histogram_freq, update_freq
        if update_freq == "batch":
            self.update_freq = 1
        self._writers = {}
        self._step = 0

    def _writer(self, name):
        if name not in self._writers:
            self._writers[name] = self._writer_cls(os.path.join(self.log_dir, name))
        return self._writers[name]

    def _overrides(self, hook):
        if hook == "on_train_batch_end":
            return isinstance(self.update_freq, int)
        return super()._overrides(hook)

    def on_train_batch_end(self, batch, logs=None):
        self._step += 1
        if isinstance(self.update_freq, int) and self._step % self.update_freq == 0:
            for k, v in (logs or {}).items():
                self._writer("train").add_scalar(f"batch_{k}", float(v), self._step)

    def on_epoch_end(self, epoch, logs=None):
        for k, v in (logs or {}).items():
            if k.startswith("val_"):
                self._writer("validation").add_scalar(f"epoch_{k[4:]}", float(v), epoch)
            else:
                self._writer("train").add_scalar(f"epoch_{k}", float(v), epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            for w in self.model.weights:
                self._writer("train").add_histogram(w.path, w.numpy(), epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
