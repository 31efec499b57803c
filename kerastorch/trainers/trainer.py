"""compile / fit / evaluate / predict: Keras's training API on a plain torch training step.

The step is what a hand-written loop does: `model.train()`, forward, loss, `backward()`,
`optimizer.step()`, then weight constraints. Metrics accumulate on the device; a value is read
back (`.item()`) only when a line is printed or a callback asks for batch logs.

`fit`, `evaluate` and `predict` share one batch loop (`_run_batches`). Before it runs, the step
function is chosen once (`_step_function`: the built-in step, or the model's own
`train_step`/`test_step` given the batch as Keras 3 gives it), and the model is initialised on
the first batch (`_initialize`: build, optimizer, compiled losses and metrics, label checks,
`torch.compile`). The loop itself only calls callbacks, the step and the progress bar.
"""

import functools
import inspect
import itertools
import time
import warnings

import numpy as np
import torch

from kerastorch import backend
from kerastorch import config
from kerastorch import mixed_precision
from kerastorch import tree
from kerastorch.distribution import ddp
from kerastorch.trainers import data_adapters
from kerastorch.trainers.compile_utils import CompileLossAndMetrics
from kerastorch.trainers.compile_utils import LossTracker
from kerastorch.trainers.compile_utils import pythonify_logs
from kerastorch.trainers.data_adapters.data_adapter_utils import accept_strings
from kerastorch.trainers.epoch_iterator import EpochIterator
from kerastorch.trainers.epoch_iterator import current_device
from kerastorch.trainers.epoch_iterator import to_device

_TRAIN_HOOKS = ("on_train_batch_begin", "on_train_batch_end")
_TEST_HOOKS = ("on_test_batch_begin", "on_test_batch_end")
_PREDICT_HOOKS = ("on_predict_batch_begin", "on_predict_batch_end")


class NotCompiledError(RuntimeError, ValueError):
    """Raised by `fit`/`evaluate`/`train_on_batch` before `compile()`.

    A RuntimeError as in Keras 2 and a ValueError as in Keras 3, so either `except` catches it.
    """


def _batch_size(x):
    if isinstance(x, torch.Tensor):
        return x.shape[0]
    for t in tree.flatten(x):
        if isinstance(t, (torch.Tensor, np.ndarray)):  # numpy: the strings of a string input
            return t.shape[0]
    return 0


def _explain_step_error(err, epoch, step):
    """Turns torch's index errors on bad labels into Keras's ValueError (naming the batch)."""
    text = str(err)
    if "out of bounds" in text or "out of range" in text or "index" in text.lower() and \
            "label" in text.lower():
        raise ValueError(f"Invalid labels in epoch {epoch + 1}, batch {step}: a label value is "
                         f"outside the valid range of the model's output classes ({text})") \
            from err


_COMPILE_KEYS = frozenset(inspect.signature(torch.compile).parameters) - {"model"}
_COMPILE_MODES = ("default", "reduce-overhead", "max-autotune", "max-autotune-no-cudagraphs")


def _compile_options(jit_compile):
    """`(compile?, torch.compile kwargs)` for `compile(jit_compile=...)`."""
    if isinstance(jit_compile, dict):
        accepted = _COMPILE_KEYS
        unknown = sorted(set(jit_compile) - accepted)
        if unknown:
            raise ValueError(f"`jit_compile` got torch.compile options it does not take: "
                             f"{unknown}. Accepted: {sorted(accepted)}.")
        return True, dict(jit_compile)
    if isinstance(jit_compile, str):
        if jit_compile == "auto":
            return False, {}
        if jit_compile not in _COMPILE_MODES:
            raise ValueError(f"Invalid value for `jit_compile`: {jit_compile!r}. Expected True, "
                             f"False, \"auto\", one of torch.compile's modes {_COMPILE_MODES} "
                             "or a dict of torch.compile options.")
        return True, {"mode": jit_compile}
    return bool(jit_compile), {}


def _loading_arguments(kwargs):
    """Keras 2's `workers`, `use_multiprocessing` and `max_queue_size`, taken out of `kwargs`."""
    return (kwargs.pop("workers", None), kwargs.pop("use_multiprocessing", False),
            kwargs.pop("max_queue_size", 10))


def _deprecated(name, replacement):
    warnings.warn(f"`Model.{name}` is deprecated and will be removed in a future version. "
                  f"Please use `Model.{replacement}`, which supports generators.", stacklevel=3)


def _overrides(model, method):
    """True when the model's class defines its own `train_step`/`test_step`/`predict_step`."""
    return getattr(type(model), method) is not getattr(Trainer, method)


def _keras_data(batch):
    """The batch as Keras 3 hands it to an overridden step: `x`, `(x,)`, `(x, y)`, `(x, y, sw)`."""
    x, y, sample_weight = batch
    if y is None and sample_weight is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)



def _string_data(method):
    """The data of a model with an `Input(dtype="string")` may hold arrays of str: they stay
    numpy arrays for its string layers (elsewhere the adapters reject them)."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        for t in self.__dict__.get("inputs") or ():
            if getattr(t, "dtype", None) == "string":
                with accept_strings(True):
                    return method(self, *args, **kwargs)
        return method(self, *args, **kwargs)
    return wrapper

class Trainer(CompileLossAndMetrics):
    """Mixed into `Model`: training, evaluation and inference."""

    compiled = False
    optimizer = None
    loss = None
    stop_training = False
    history = None
    _jit_compile = False

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile=False, auto_scale_loss=True, **kwargs):
        """Configures the model for training.

        Args:
            optimizer: name (`"adam"`, `"sgd"`, `"rmsprop"`, ...) or optimizer instance.
            loss: name, loss object or function `f(y_true, y_pred)`; a list or dict (by output
                name) for a multi-output model.
            loss_weights: list or dict of scalars weighting each output's loss.
            metrics: list of metric names or objects (`"accuracy"` is resolved by the loss as
                Keras does); a list of lists or a dict for a multi-output model.
            weighted_metrics: metrics that also take `sample_weight` / `class_weight`.
            jit_compile: compile the training step with `torch.compile` (forward and loss, and
                through AOTAutograd their backward; falls back to eager with a warning where
                that fails). `True`, `False` or `"auto"` (eager) as in Keras; also one of
                torch.compile's modes (`"reduce-overhead"`, `"max-autotune"`, ...) or a dict
                of `torch.compile` keyword arguments (`{"mode": "max-autotune",
                "fullgraph": True}`).
            auto_scale_loss: scale the loss under the `mixed_float16` policy.

        Example:
            >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
            ...               metrics=["accuracy"])
        """
        from kerastorch import optimizers as optimizers_module
        for key in kwargs:
            if key not in ("sample_weight_mode", "target_tensors", "distribute",
                           "experimental_run_tf_function", "pss_evaluation_shards"):
                raise TypeError(f"Invalid keyword argument(s) in `compile()`: ({key!r},). "
                                "Valid keyword arguments include \"cloning\", "
                                "\"experimental_run_tf_function\", \"distribute\", "
                                "\"target_tensors\", or \"sample_weight_mode\".")
        opt = optimizers_module.get(optimizer)
        object.__setattr__(self, "optimizer", opt)
        object.__setattr__(self, "loss", loss)
        self._loss_weights_arg = loss_weights
        self._metrics_arg = metrics
        self._weighted_metrics_arg = weighted_metrics
        self._loss_spec = loss
        self._jit_compile, self._compile_options = _compile_options(jit_compile)
        self._compiled_step = None
        self._amp_dtype = mixed_precision.autocast_dtype()
        self._scaler = (mixed_precision.LossScaler()
                        if self._amp_dtype == torch.float16 and auto_scale_loss else None)
        self._loss_tracker = LossTracker("loss")
        self._outputs_resolved = False
        self._optimizer_ready = False
        self.compiled = True
        self.stop_training = False
        if self.built:
            self._prepare_optimizer()

    # ------------------------------------------------------------------ the step
    def _prepare_optimizer(self):
        """Builds the optimizer on the trainable parameters (frozen ones are left out)."""
        if self._optimizer_ready:
            return
        variables = list(self.trainable_weights)
        seen = {id(v.torch_tensor) for v in variables}
        extra = [p for p in self.parameters() if p.requires_grad and id(p) not in seen]
        variables = [v for v in variables if v.torch_tensor.requires_grad] + extra
        params = [v.torch_tensor if hasattr(v, "torch_tensor") else v for v in variables]
        if not self.optimizer.built:
            self.optimizer.build(variables)
        elif {id(p) for p in self.optimizer._params} != {id(p) for p in params}:
            warnings.warn("The optimizer passed to `compile()` was already built on other "
                          "variables; it keeps its state and its variable list. Pass a new "
                          "optimizer instance when re-compiling after changing `trainable`.",
                          stacklevel=3)
        self._train_params = list(self.optimizer._params)
        from kerastorch.layers.layer import Layer
        self._loss_layers = [m for m in self.modules() if isinstance(m, Layer)]
        self._regularized = [v for m in self._loss_layers for v in m._keras_weights
                             if getattr(v, "regularizer", None) is not None]
        from kerastorch import constraints as constraints_module
        self._constrained = [(v, constraints_module.get(v.constraint))
                             for m in self._loss_layers for v in m._keras_weights
                             if getattr(v, "constraint", None) is not None and v.trainable]
        call = type(self).__dict__.get("call") or getattr(type(self), "call", None)
        from kerastorch.models.model import Model
        self._pass_training = (self._call_has_training and call is not None and
                               call is not Model.call and
                               not getattr(self, "_is_graph_network", False))
        self._optimizer_ready = True

    def _forward_loss(self, x, y, sample_weight):
        model = self.__dict__.get("_kt_ddp") or self  # DistributedDataParallel under torchrun
        y_pred = model(x, training=True) if self._pass_training else model(x)
        return y_pred, self._compute_loss(y, y_pred, sample_weight)

    def _autocast(self):
        return torch.autocast(self._device.type, dtype=self._amp_dtype)

    def train_step(self, data):
        """One training step on a batch `(x, y, sample_weight)`: returns the loss tensor."""
        x, y, sample_weight = data
        self.optimizer.zero_grad()
        fwd = self._compiled_step or self._forward_loss
        if self._amp_dtype is None:
            y_pred, loss = fwd(x, y, sample_weight)
        else:
            with self._autocast():
                y_pred, loss = fwd(x, y, sample_weight)
        try:
            if self._scaler is None:
                loss.backward()
                self.optimizer.step()
            else:
                (loss.float() * self._scaler.scale).backward()
                if self._scaler.unscale_and_check(self._train_params):
                    self.optimizer.step()
        except RuntimeError:
            if loss.requires_grad:
                raise
            self._warn_nothing_to_differentiate()
        if self._constrained:
            with torch.no_grad():
                for var, constraint in self._constrained:
                    var.assign(constraint(var.value))
        with torch.no_grad():
            self._loss_tracker.update_state(loss, _batch_size(x))
            # Under no_grad the metrics record no graph: y_pred needs no detached copy.
            self._update_metrics(y, y_pred, sample_weight)
        return loss

    def _warn_nothing_to_differentiate(self):
        """A loss with no autograd graph (no trainable weights, all frozen, or a loss that does
        not depend on them): the step reports the loss and updates nothing, as Keras 3 does.
        Reached only through `backward()`'s error, so the normal step pays nothing."""
        if not self._train_params:
            warnings.warn("The model does not have any trainable weights.", stacklevel=4)
        else:
            warnings.warn("The loss does not depend on any trainable weight of the model: "
                          "there is nothing to differentiate, the weights are left unchanged.",
                          stacklevel=4)

    def test_step(self, data):
        """One evaluation step (inference mode, no gradients): returns the loss tensor."""
        x, y, sample_weight = data
        if self._amp_dtype is None:
            y_pred = self(x)
            loss = self._compute_loss(y, y_pred, sample_weight)
        else:
            with self._autocast():
                y_pred = self(x)
                loss = self._compute_loss(y, y_pred, sample_weight)
        self._loss_tracker.update_state(loss, _batch_size(x))
        self._update_metrics(y, y_pred, sample_weight)
        return loss

    def predict_step(self, data):
        """The model's output for a batch `x` (or `(x,)`), under the mixed-precision policy."""
        x = data[0] if isinstance(data, tuple) else data
        amp = mixed_precision.autocast_dtype()
        if amp is None:
            return self(x)
        with torch.autocast(current_device().type, dtype=amp):
            return self(x)

    # ------------------------------------------------------------------ helpers
    def _assert_compiled(self, method):
        if not self.compiled:
            raise NotCompiledError("You must call `compile()` before using the model.")

    def _setup_device(self):
        device = ddp.device() if ddp.active() else backend.device()
        self._device = device
        for p in self.parameters():
            if p.device != device:
                self.to(device)
                break
        else:
            for b in self.buffers():
                if b.device != device:
                    self.to(device)
                    break
        self._move = device.type != "cpu"
        self._pin = device.type == "cuda"

    def _batch_to_device(self, batch):
        if not self._move:
            return batch
        x, y, sw = batch
        return (to_device(x, self._device, self._pin), to_device(y, self._device, self._pin),
                to_device(sw, self._device, self._pin))

    def _ensure_built(self, x):
        if not self.built:
            was_training = self.training
            self.eval()
            with torch.no_grad():
                self(x)
            self.train(was_training)
            self._clear_added_losses()
        if not self._optimizer_ready:
            self._prepare_optimizer()

    def _check_first_batch(self, x, y, sample_weight, adapter=None):
        """First batch: resolve outputs, check labels and shapes (before anything is updated)."""
        if self._outputs_resolved:
            return
        with torch.no_grad():
            was_training = self.training
            self.eval()
            if self._amp_dtype is None:
                y_pred = self(x)
            else:
                with self._autocast():
                    y_pred = self(x)
            self.train(was_training)
        self._resolve_outputs(y_pred, y)
        full_y = getattr(adapter, "y", None) if adapter is not None else None
        self._check_labels(full_y if full_y is not None else y, y_pred)
        self._clear_added_losses()
        if all(fn is None for fn in self._loss_fns):
            return  # only `add_loss` terms (or none: the first step raises Keras's error)
        with torch.no_grad():
            try:
                self._compute_loss(y, y_pred, sample_weight, track=False)
            except (RuntimeError, IndexError) as err:
                pred_shapes = tree.map_structure(lambda t: tuple(t.shape), y_pred)
                y_shapes = tree.map_structure(
                    lambda t: tuple(t.shape) if isinstance(t, torch.Tensor) else t, y)
                raise ValueError(f"The loss could not be computed for the model's output of "
                                 f"shape {pred_shapes} and the target of shape {y_shapes}: "
                                 f"{err}") from err
        self._clear_added_losses()

    def _maybe_compile_step(self, batch):
        """With `jit_compile=True`: the step's forward and loss go through `torch.compile`; if
        compiling fails on the first batch, a warning is given and that batch runs eagerly."""
        if not self._jit_compile or self._compiled_step is not None:
            return
        compiled = torch.compile(self._forward_loss, **self._compile_options)

        def first_call(x, y, sample_weight):
            try:
                out = compiled(x, y, sample_weight)
            except Exception as err:  # noqa: BLE001 - any compile failure means eager
                warnings.warn(f"`jit_compile=True`: torch.compile failed ({type(err).__name__}: "
                              f"{err}); training runs eagerly instead.", stacklevel=5)
                self._jit_compile = False
                self._compiled_step = None
                self._clear_added_losses()
                self.optimizer.zero_grad()
                return self._forward_loss(x, y, sample_weight)
            self._compiled_step = compiled
            return out

        self._compiled_step = first_call

    def _warn_if_trainable_changed(self):
        if not self._optimizer_ready:
            return
        current = {id(p) for p in self.parameters() if p.requires_grad}
        if {id(p) for p in self._train_params} != current:
            warnings.warn("The `trainable` attribute of some layers changed since the model was "
                          "compiled: the optimizer still updates the weights that were trainable "
                          "at `compile()`, frozen ones stay unchanged. Re-compile the model "
                          "(e.g. `model.compile(...)`) so the change takes effect.", stacklevel=3)

    # ------------------------------------------------------------------ the loop
    def _step_function(self, kind):
        """The function one batch goes through in `kind` ("train", "test", "predict"), chosen
        once before the loop: the built-in step, or the model's override called with the batch
        as Keras 3 hands it (`x`, `(x, y)` or `(x, y, sample_weight)`), its logs kept."""
        if kind == "predict":
            predict_step = self.predict_step

            def predict(batch):
                out = predict_step(batch[0])
                self._clear_added_losses()
                return out
            return predict
        method = getattr(self, f"{kind}_step")
        if not _overrides(self, f"{kind}_step"):
            return method

        def custom_step(batch):
            self._clear_added_losses()
            self._kt_step_logs = method(_keras_data(batch))
        return custom_step

    def _logs_function(self, kind):
        """What a batch's logs are: the metrics, or what an overridden step returned."""
        return self._step_logs if _overrides(self, f"{kind}_step") else self._logs

    def _final_logs(self, kind):
        """The logs of a whole epoch: the metrics over every rank's samples, or what an
        overridden step returned last."""
        if _overrides(self, f"{kind}_step"):
            return self._step_logs()
        if not self._outputs_resolved:
            return {}
        return ddp.global_logs(self) if ddp.active() else self._logs()

    def _initialized(self, kind):
        if kind == "test" and not _overrides(self, "test_step"):
            return self._outputs_resolved
        return self._outputs_resolved and self._optimizer_ready

    def _initialize(self, kind, batch, adapter=None, jit=False):
        """Lazy initialisation on the first batch: build the model and the optimizer, match the
        compiled losses and metrics to the outputs and check the labels (or, for an overridden
        step, `_prepare_custom_step`); with `jit`, set up `torch.compile`."""
        if _overrides(self, f"{kind}_step"):
            self._prepare_custom_step(batch)
            return
        self._ensure_built(batch[0])
        self._check_first_batch(*batch, adapter=adapter)
        if jit:
            self._maybe_compile_step(batch)

    @staticmethod
    def _first_batch_then(batches, prepare):
        """Runs `prepare(first_batch)` before the loop; the batches, the first one included."""
        batches = iter(batches)
        first = next(batches, None)
        if first is None:
            return batches
        prepare(first)
        return itertools.chain((first,), batches)

    def _run_batches(self, batches, step_fn, cbs, hooks, logs_fn, progbar, outputs=None,
                     epoch=None):
        """The batch loop of fit (`epoch` given), evaluate and predict (`outputs` given):
        callbacks, one step, the progress bar. Returns the number of batches run."""
        begin, end = hooks
        want_begin, want_end = cbs.has(begin), cbs.has(end)
        training = epoch is not None
        seen = 0
        for step, batch in enumerate(batches):
            if want_begin:
                cbs.batch_hook(begin, step, None)
            try:
                out = step_fn(batch)
            except (RuntimeError, IndexError) as err:
                if training:
                    _explain_step_error(err, epoch, step)
                raise
            seen = step + 1
            if outputs is not None:
                outputs.append(out)
                if want_end:
                    cbs.batch_hook(end, step, lambda o=out: {"outputs": o})
            elif want_end:
                cbs.batch_hook(end, step, logs_fn)
            if progbar is not None:
                progbar.batch(step, logs_fn)
            if training and self.stop_training:
                break
        return seen

    # ------------------------------------------------------------------ fit
    @_string_data
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Trains the model for `epochs` epochs; returns a `History`.

        Args:
            x: inputs: numpy array / tensor (or a list or dict of them), a torch `Dataset` or
                `DataLoader`, or a generator yielding `(x, y)` or `(x, y, sample_weight)`.
            y: targets, when `x` is in memory.
            batch_size: samples per step (default 32) for in-memory data.
            epochs: index of the last epoch (training starts at `initial_epoch`).
            verbose: `"auto"` or 1 (progress bar), 2 (one line per epoch), 0 (silent).
            callbacks: list of `keras.callbacks.Callback`.
            validation_split: fraction of the in-memory data (taken from the end) held out.
            validation_data: `(x_val, y_val)`, `(x_val, y_val, sw)` or a dataset.
            shuffle: reshuffle in-memory data before each epoch.
            class_weight: `{class: weight}` scaling each sample's loss by its class.
            sample_weight: per-sample weights for in-memory data.
            steps_per_epoch: batches per epoch (default: the whole data).
            validation_freq: validate every this many epochs, or at the listed epochs.
            workers, use_multiprocessing, max_queue_size: Keras 2's: a `Sequence` /
                `PyDataset` (or an `ImageDataGenerator` iterator) is read by `workers` threads,
                or DataLoader processes with `use_multiprocessing`, at most `max_queue_size`
                batches ahead.

        Example:
            >>> history = model.fit(x, y, batch_size=32, epochs=5, validation_split=0.1)
            >>> history.history["val_loss"]
        """
        from kerastorch import callbacks as callbacks_module
        workers, use_multiprocessing, max_queue_size = _loading_arguments(kwargs)
        if kwargs:
            raise TypeError(f"fit() got unexpected keyword argument(s): {sorted(kwargs)}")
        self._assert_compiled("fit")
        if config.max_epochs() and config.max_epochs() < epochs:  # keras.config.set_max_epochs
            warnings.warn(f"Limiting epochs to {config.max_epochs()}", stacklevel=2)
            epochs = config.max_epochs()
        verbose = 1 if verbose == "auto" else int(verbose)
        dist_on = ddp.active()
        if dist_on:  # under torchrun: this rank's share of the data; rank 0 prints and writes
            ddp.ensure_initialized()
            verbose = verbose if ddp.is_chief() else 0
            callbacks = ddp.chief_callbacks(callbacks)
        iterator, val_iterator = self._fit_iterators(
            x, y, sample_weight, batch_size, shuffle, class_weight, steps_per_epoch,
            validation_split, validation_data, validation_steps, validation_batch_size, dist_on,
            (workers, use_multiprocessing, max_queue_size))
        cbs = callbacks if isinstance(callbacks, callbacks_module.CallbackList) else \
            callbacks_module.CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                          model=self, verbose=verbose, epochs=epochs,
                                          steps=iterator.num_batches)
        progbar = cbs.progbar
        self._setup_device()
        iterator.to(self._device)
        if val_iterator is not None:
            val_iterator.to(self._device)
        self._warn_if_trainable_changed()
        self._clear_added_losses()
        self.stop_training = False
        step_fn = self._step_function("train")
        logs_fn = self._logs_function("train")

        def prepare(batch):  # before the first epoch's loop (and again after a re-compile)
            if not self._initialized("train"):
                self._initialize("train", batch, iterator.adapter, jit=True)
            if dist_on and self.__dict__.get("_kt_ddp") is None:
                self.__dict__["_kt_ddp"] = ddp.wrap(self)

        epoch_logs = {}
        training_logs = None
        loading = [data_adapters.with_workers(d, workers, use_multiprocessing)
                   for d in (x, validation_data)]
        for source in loading:
            source.__enter__()
        cbs.on_train_begin()
        try:
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                cbs.on_epoch_begin(epoch)
                self.train()
                batches = iterator.epoch()
                if not self._initialized("train") or (
                        dist_on and self.__dict__.get("_kt_ddp") is None):
                    batches = self._first_batch_then(batches, prepare)
                seen = self._run_batches(batches, step_fn, cbs, _TRAIN_HOOKS, logs_fn, progbar,
                                         epoch=epoch)
                if seen == 0 and iterator.exhausted:
                    warnings.warn("Your input ran out of data; interrupting training. Make sure "
                                  "that your dataset or generator can generate at least "
                                  "`steps_per_epoch * epochs` batches.", stacklevel=2)
                    break
                epoch_logs = self._final_logs("train")
                if val_iterator is not None and self._should_eval(epoch, validation_freq):
                    val_logs = self._evaluate_loop(val_iterator, cbs, in_fit=True)
                    epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
                if progbar is not None:
                    progbar.finish(seen, epoch_logs)
                cbs.on_epoch_end(epoch, epoch_logs)
                training_logs = epoch_logs
                if self.stop_training or iterator.exhausted:
                    break
        finally:
            self.eval()
            self.__dict__.pop("_kt_ddp", None)
            for source in loading:
                source.__exit__(None, None, None)
        cbs.on_train_end(training_logs)
        history = next((c for c in cbs if isinstance(c, callbacks_module.History)), None)
        if history is not None:
            self.history = history
        return self.history

    def _fit_iterators(self, x, y, sample_weight, batch_size, shuffle, class_weight,
                       steps_per_epoch, validation_split, validation_data, validation_steps,
                       validation_batch_size, dist_on, loading=(None, False, 10)):
        """The epoch iterators of `fit`'s training data and validation data (or None);
        `loading` is `(workers, use_multiprocessing, max_queue_size)`."""
        workers, use_multiprocessing, max_queue_size = loading
        workers = dict(workers=workers or 1, use_multiprocessing=use_multiprocessing,
                       max_queue_size=max_queue_size)
        if validation_split and validation_data is None:
            if not data_adapters.is_array_structure(x):
                raise ValueError("`validation_split` is only supported for Tensors or NumPy "
                                 f"arrays. Received: x={type(x)}")
            xs, ys, sws = (data_adapters.to_tensor_structure(x),
                           data_adapters.to_tensor_structure(y),
                           data_adapters.to_tensor_structure(sample_weight))
            data_adapters.check_cardinality(xs, ys, sws)
            (x, y, sample_weight), validation_data = data_adapters.train_validation_split(
                (xs, ys, sws), validation_split)
        adapter = data_adapters.get_adapter(x, y, sample_weight, batch_size=batch_size,
                                            shuffle=shuffle, class_weight=class_weight,
                                            **workers)
        val_adapter = None
        if validation_data is not None:
            if isinstance(validation_data, (tuple, list)) and len(validation_data) in (2, 3) \
                    and data_adapters.is_array_structure(validation_data[0]):
                vx, vy, vsw = data_adapters.unpack_x_y_sample_weight(tuple(validation_data))
                val_adapter = data_adapters.get_adapter(
                    vx, vy, vsw, batch_size=validation_batch_size or batch_size)
            else:
                val_adapter = data_adapters.get_adapter(validation_data,
                                                        batch_size=validation_batch_size
                                                        or batch_size, **workers)
        iterator = EpochIterator(adapter, steps_per_epoch, distribute=dist_on, training=True,
                                 source=x, batch_size=batch_size, shuffle=shuffle)
        val_iterator = None if val_adapter is None else EpochIterator(
            val_adapter, validation_steps, distribute=dist_on)
        return iterator, val_iterator

    @staticmethod
    def _should_eval(epoch, freq):
        if isinstance(freq, int):
            return (epoch + 1) % freq == 0
        return (epoch + 1) in freq

    # ------------------------------------------------------------------ evaluate
    def _evaluate_loop(self, iterator, cbs, in_fit=False):
        self.reset_metrics()
        self.eval()
        cbs.on_test_begin()
        progbar = cbs.progbar if not in_fit else None
        step_fn = self._step_function("test")
        logs_fn = self._logs_function("test")
        self._kt_step_logs = None
        with torch.no_grad():
            batches = iterator.epoch()
            if not self._initialized("test"):
                batches = self._first_batch_then(
                    batches, lambda batch: self._initialize("test", batch, iterator.adapter))
            seen = self._run_batches(batches, step_fn, cbs, _TEST_HOOKS, logs_fn, progbar)
        logs = self._final_logs("test")
        if progbar is not None:
            progbar.finish(seen, logs)
        cbs.on_test_end(logs)
        return logs

    @_string_data
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """Returns the loss and metric values on `x`, `y` (in inference mode).

        Returns a scalar (loss only), a list `[loss, metric, ...]` in `metrics_names` order, or
        a dict with `return_dict=True`.

        Example:
            >>> loss, acc = model.evaluate(x_test, y_test, verbose=0)
        """
        from kerastorch import callbacks as callbacks_module
        workers, use_multiprocessing, max_queue_size = _loading_arguments(kwargs)
        if kwargs:
            raise TypeError(f"evaluate() got unexpected keyword argument(s): {sorted(kwargs)}")
        self._assert_compiled("evaluate")
        verbose = 1 if verbose == "auto" else int(verbose)
        adapter = data_adapters.get_adapter(x, y, sample_weight, batch_size=batch_size,
                                            workers=workers or 1,
                                            use_multiprocessing=use_multiprocessing,
                                            max_queue_size=max_queue_size)
        dist_on = ddp.active()
        if dist_on:
            ddp.ensure_initialized()
            verbose = verbose if ddp.is_chief() else 0
        iterator = EpochIterator(adapter, steps, distribute=dist_on)
        cbs = callbacks_module.CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                            verbose=verbose, epochs=1, steps=iterator.num_batches)
        self._setup_device()
        iterator.to(self._device)
        self._clear_added_losses()
        with data_adapters.with_workers(x, workers, use_multiprocessing):
            logs = self._evaluate_loop(iterator, cbs)
        return self._format_logs(logs, return_dict)

    def _format_logs(self, logs, return_dict):
        if return_dict:
            return logs
        names = self.metrics_names
        values = [logs[name] for name in names if name in logs]
        # keys an overridden step returned beyond the metrics follow, sorted (as in Keras 3)
        values += [logs[key] for key in sorted(logs) if key not in names]
        return values[0] if len(values) == 1 else values

    # ------------------------------------------------------------------ predict
    @_string_data
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """Runs the model in inference mode on `x` by batches; returns numpy array(s).

        Example:
            >>> probs = model.predict(x_test, batch_size=64, verbose=0)
        """
        workers, use_multiprocessing, max_queue_size = _loading_arguments(kwargs)
        if kwargs:
            raise TypeError(f"predict() got unexpected keyword argument(s): {sorted(kwargs)}")
        verbose = 1 if verbose == "auto" else int(verbose)
        bs = batch_size or 32
        # One small in-memory batch: a single no_grad forward.
        if callbacks is None and steps is None and type(x) in (np.ndarray, torch.Tensor) \
                and 0 < len(x) <= bs and not _overrides(self, "predict_step") \
                and not (type(x) is np.ndarray and x.dtype.kind in "USO"):
            return self._predict_one_batch(x, verbose)
        from kerastorch import callbacks as callbacks_module
        if isinstance(x, (tuple, list)) and not data_adapters.is_array_structure(x):
            raise ValueError(f"Unrecognized data type for `predict`: {type(x)}")
        adapter = data_adapters.get_adapter(x, batch_size=bs, workers=workers or 1,
                                            use_multiprocessing=use_multiprocessing,
                                            max_queue_size=max_queue_size)
        dist_on = ddp.active()
        if dist_on:  # each rank predicts its part of every batch; all parts come back in order
            ddp.ensure_initialized()
            verbose = verbose if ddp.is_chief() else 0
        iterator = EpochIterator(adapter, steps, distribute=dist_on)
        cbs = callbacks_module.CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                            verbose=verbose, epochs=1, steps=iterator.num_batches)
        self._setup_device()
        iterator.to(self._device)
        self.eval()
        cbs.on_predict_begin()
        outputs = []
        with torch.no_grad(), data_adapters.with_workers(x, workers, use_multiprocessing):
            seen = self._run_batches(iterator.epoch(), self._step_function("predict"), cbs,
                                     _PREDICT_HOOKS, None, cbs.progbar, outputs=outputs)
        if cbs.progbar is not None:
            cbs.progbar.finish(seen)
        if dist_on:
            outputs = ddp.gather_batches(outputs)
        if not outputs:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). "
                             "Please use `Model.compile(..., run_eagerly=True)`, or "
                             "`tf.config.run_functions_eagerly(True)` for more information of "
                             "where went wrong, or file a issue/bug to `tf.keras`.")
        first = outputs[0]
        if isinstance(first, torch.Tensor):
            result = torch.cat(outputs).cpu().numpy()
        else:
            flat = [tree.flatten(o) for o in outputs]
            cat = [torch.cat([f[i] for f in flat]).cpu().numpy() for i in range(len(flat[0]))]
            result = tree.pack_sequence_as(first, cat)
        cbs.on_predict_end()
        return result

    # ------------------------------------------------------------------ Keras 2's names
    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1, callbacks=None,
                      validation_data=None, validation_steps=None, validation_freq=1,
                      class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """Keras 2's `fit` for generators and Sequences (deprecated there too): `fit`."""
        _deprecated("fit_generator", "fit")
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs,
                        verbose=verbose, callbacks=callbacks, validation_data=validation_data,
                        validation_steps=validation_steps, validation_freq=validation_freq,
                        class_weight=class_weight, max_queue_size=max_queue_size,
                        workers=workers, use_multiprocessing=use_multiprocessing,
                        shuffle=shuffle, initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                           workers=1, use_multiprocessing=False, verbose=0):
        """Keras 2's `evaluate` for generators and Sequences: `evaluate`."""
        _deprecated("evaluate_generator", "evaluate")
        return self.evaluate(generator, steps=steps, callbacks=callbacks, verbose=verbose,
                             max_queue_size=max_queue_size, workers=workers,
                             use_multiprocessing=use_multiprocessing)

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                          workers=1, use_multiprocessing=False, verbose=0):
        """Keras 2's `predict` for generators and Sequences: `predict`."""
        _deprecated("predict_generator", "predict")
        return self.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose,
                            max_queue_size=max_queue_size, workers=workers,
                            use_multiprocessing=use_multiprocessing)

    def _predict_one_batch(self, x, verbose):
        """`predict` on one small array: the forward and the conversions, nothing else."""
        start = time.time() if verbose else None
        t = torch.from_numpy(x) if type(x) is np.ndarray else x.detach()
        if t.dtype == torch.float64:
            t = t.float()
        device = current_device()
        if t.device != device:
            t = t.to(device)
        first = self.__dict__.get("_kt_first_param")
        if first is None:
            first = next(self.parameters(), None)
            object.__setattr__(self, "_kt_first_param", first)
        if first is not None and first.device != device:
            self.to(device)
        if self.training:
            self.eval()
        amp = mixed_precision.autocast_dtype()
        with torch.no_grad():
            if amp is None:
                out = self(t)
            else:
                with torch.autocast(device.type, dtype=amp):
                    out = self(t)
        if self.__dict__.get("_loss_layers"):
            self._clear_added_losses()
        if start is not None:
            from kerastorch.utils.progbar import Progbar
            bar = Progbar(1, verbose=verbose)
            bar._start = start
            bar.update(1, finalize=True)
        if type(out) is torch.Tensor:
            return out.cpu().numpy()
        return tree.map_structure(lambda o: o.cpu().numpy(), out)

    # ------------------------------------------------------------------ *_on_batch
    def _one_batch_setup(self, x, y, sample_weight, class_weight=None):
        adapter = data_adapters.get_adapter(x, y, sample_weight, batch_size=None,
                                            class_weight=class_weight)
        adapter.batch_size = max(adapter.num_samples, 1)
        adapter.num_batches = 1
        self._setup_device()
        batch = self._batch_to_device(next(iter(adapter.epoch())))
        return adapter, batch

    @_string_data
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """Runs one optimizer step on one batch; returns the (running) loss and metrics."""
        self._assert_compiled("train_on_batch")
        adapter, batch = self._one_batch_setup(x, y, sample_weight, class_weight)
        self._initialize("train", batch, adapter)
        self.train()
        try:
            self._step_function("train")(batch)
        finally:
            self.eval()
        return self._format_logs(self._logs_function("train")(), return_dict)

    @_string_data
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Evaluates one batch (inference mode); returns the loss and metrics."""
        self._assert_compiled("test_on_batch")
        adapter, batch = self._one_batch_setup(x, y, sample_weight)
        self._initialize("test", batch, adapter)
        self.reset_metrics()
        self.eval()
        with torch.no_grad():
            self._step_function("test")(batch)
        return self._format_logs(self._logs_function("test")(), return_dict)

    @_string_data
    def predict_on_batch(self, x):
        """The model's output for one batch, as numpy (inference mode)."""
        x = data_adapters.to_tensor_structure(x)
        self._setup_device()
        self.eval()
        with torch.no_grad():
            out = self.predict_step(to_device(x, self._device, False) if self._move else x)
        self._clear_added_losses()
        return tree.map_structure(lambda o: o.detach().cpu().numpy(), out)

    # ------------------------------------------------------------------ Keras 3 step API
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss of a batch: the compiled loss(es) plus `model.losses`.

        For use inside an overridden `train_step`, as in Keras 3.

        Example:
            >>> loss = self.compute_loss(y=y, y_pred=y_pred)
        """
        if not self.compiled:
            losses = self.losses
            self._clear_losses()
            if not losses:
                raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
            return losses[0] if len(losses) == 1 else torch.stack(
                [torch.as_tensor(v).float().sum() for v in losses]).sum()
        if not self._optimizer_ready:
            self._prepare_optimizer()
        if not self._outputs_resolved:
            self._resolve_outputs(y_pred, y)
        return self._compute_loss(y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics with a batch; returns `get_metrics_result()`."""
        if self.compiled and not self._outputs_resolved:
            self._resolve_outputs(y_pred, y)
        if self.compiled:
            self._update_metrics(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """`{name: float}` for every metric in `model.metrics` (dict results merged)."""
        out = {}
        for m in self.metrics:
            value = m.result()
            if isinstance(value, dict):
                out.update(value)
            else:
                out[m.name] = value
        return pythonify_logs(out)

    def _prepare_custom_step(self, batch):
        """Before the first overridden step: build the model, the optimizer and the compiled
        losses/metrics (a model without `call`, such as a GAN of sub-models, is not run)."""
        from kerastorch.layers.layer import Layer
        x, y, _ = batch
        if not self.built:
            subs = [m for m in self.modules() if isinstance(m, Layer) and m is not self]
            if subs and all(m.built for m in subs):
                self.built = True
            else:
                was_training = self.training
                self.eval()
                with torch.no_grad():
                    self(x)
                self.train(was_training)
        if not self._optimizer_ready:
            self._prepare_optimizer()
        if self._outputs_resolved:
            return
        if (self._loss_spec is None and not self._metrics_arg
                and not self._weighted_metrics_arg):
            self._single_loss, self._loss_fns, self._loss_weights = None, [None], [1.0]
            self._output_metrics, self._output_weighted_metrics = [[]], [[]]
            self._output_loss_trackers = []
            self._single_metrics, self._single_weighted = [], []
            self._multi_output = False
            self._flat_output_names = ["output_1"]
            self._outputs_resolved = True
            return
        with torch.no_grad():
            was_training = self.training
            self.eval()
            y_pred = self(x)
            self.train(was_training)
        self._resolve_outputs(y_pred, y)
        self._clear_added_losses()
