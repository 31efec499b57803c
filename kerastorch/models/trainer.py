"""compile / fit / evaluate / predict: Keras's training API on a plain torch training step.

The step is what a hand-written loop does: `model.train()`, forward, loss, `backward()`,
`optimizer.step()`, then weight constraints. Metrics accumulate on the device; a value is read
back (`.item()`) only when a line is printed or a callback asks for batch logs.
"""

import time
import warnings

import numpy as np
import torch

from kerastorch import distribute
from kerastorch import backend
from kerastorch import mixed_precision
from kerastorch import tree
from kerastorch.models import data_adapter


class NotCompiledError(RuntimeError, ValueError):
    """Raised by `fit`/`evaluate`/`train_on_batch` before `compile()`.

    A RuntimeError as in Keras 2 and a ValueError as in Keras 3, so either `except` catches it.
    """


class _LossTracker:
    """The running mean of the loss over an epoch, kept on the device (Keras's `Mean("loss")`)."""

    def __init__(self, name="loss"):
        self.name = name
        self._direction = "down"
        self.reset_state()

    def reset_state(self):
        self.total = None
        self.count = 0

    def update_state(self, value, sample_weight=1):
        if self.total is None:
            self.total = value.detach().float() * sample_weight
        else:
            self.total.add_(value.detach(), alpha=sample_weight)
        self.count += sample_weight

    def result(self):
        if self.total is None:
            return torch.tensor(0.0)
        return self.total / self.count


_CUDA = None


def _current_device():
    """`backend.device()`, without asking CUDA for its availability on every call."""
    global _CUDA
    if backend._DEVICE is not None:
        return backend._DEVICE
    if _CUDA is None:
        _CUDA = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return _CUDA


def _to_device(structure, device, pin):
    if structure is None:
        return None
    if isinstance(structure, torch.Tensor):
        if pin:
            structure = structure.pin_memory()
        return structure.to(device, non_blocking=pin)
    return tree.map_structure(lambda t: _to_device(t, device, pin), structure)


def _batch_size(x):
    if isinstance(x, torch.Tensor):
        return x.shape[0]
    for t in tree.flatten(x):
        if isinstance(t, torch.Tensor):
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


def _as_loss(losses_module, spec):
    """A loss object reducing to a scalar: functions are wrapped as Keras's compile does."""
    fn = losses_module.get(spec)
    base = getattr(losses_module, "Loss", None)
    if base is not None and not isinstance(fn, base):
        name = spec if isinstance(spec, str) else getattr(fn, "__name__", None)
        fn = losses_module.LossFunctionWrapper(fn, name=name)
    return fn


def _loss_name(fn):
    return getattr(fn, "name", None) or getattr(fn, "__name__", None) or type(fn).__name__


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


def _pythonify_logs(logs):
    """Keras's logs from a step's returned dict: sorted keys, nested dicts merged, floats."""
    out = {}
    if not isinstance(logs, dict):
        return out
    for key, value in sorted(logs.items()):
        if isinstance(value, dict):
            out.update(_pythonify_logs(value))
            continue
        try:
            value = float(value.detach() if isinstance(value, torch.Tensor) else value)
        except (TypeError, ValueError, RuntimeError):
            pass
        out[key] = value
    return out


class Trainer:
    """Mixed into `Model`: training, evaluation and inference."""

    compiled = False
    optimizer = None
    loss = None
    stop_training = False
    history = None
    _jit_compile = False

    # ------------------------------------------------------------------ compile
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
            jit_compile: compile the training step with `torch.compile` (falls back to eager
                with a warning where that fails).
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
        self._jit_compile = bool(jit_compile) and jit_compile != "auto"
        self._compiled_step = None
        self._amp_dtype = mixed_precision.autocast_dtype()
        self._scaler = (mixed_precision.LossScaler()
                        if self._amp_dtype == torch.float16 and auto_scale_loss else None)
        self._loss_tracker = _LossTracker("loss")
        self._outputs_resolved = False
        self._optimizer_ready = False
        self.compiled = True
        self.stop_training = False
        if self.built:
            self._prepare_optimizer()

    def _output_names(self):
        outputs = getattr(self, "_outputs_struct", None)
        if isinstance(outputs, dict):
            return list(outputs.keys())
        if getattr(self, "_is_graph_network", False):
            return [t._keras_history[0].name for t in self.outputs]
        return None

    def _resolve_outputs(self, y_pred, y=None):
        """Matches losses and metrics to the model's outputs (once, from the first output)."""
        from kerastorch import losses as losses_module
        from kerastorch import metrics as metrics_module
        multi = not isinstance(y_pred, torch.Tensor)
        flat_pred = tree.flatten(y_pred) if multi else [y_pred]
        n = len(flat_pred)
        names = self._output_names()
        if isinstance(y_pred, dict):
            names = sorted(y_pred)  # tree.flatten order
        if names is None or len(names) != n:
            names = [f"output_{i + 1}" for i in range(n)]
        self._flat_output_names = names
        try:
            flat_y = self._flatten_y(y) if y is not None else [None] * n
        except ValueError:
            flat_y = [None] * n
        if len(flat_y) != n:
            flat_y = [None] * n

        def per_output(spec, what):
            if isinstance(spec, dict):
                unknown = [k for k in spec if k not in names]
                if unknown:
                    raise ValueError(f"In the dict argument `{what}`, key '{unknown[0]}' does not "
                                     f"correspond to any model output. Received:\n{what}={spec}")
                return [spec.get(k) for k in names]
            if isinstance(spec, (list, tuple)) and multi:
                if len(spec) != n:
                    raise ValueError(f"For a model with multiple outputs, when providing the "
                                     f"`{what}` argument as a list, it should have as many "
                                     f"entries as the model has outputs. Received:\n{what}={spec}"
                                     f"\nof length {len(spec)} whereas the model has {n} outputs.")
                return list(spec)
            return [spec] * n

        loss_spec = self._loss_spec
        if not multi and isinstance(loss_spec, (list, tuple)) and len(loss_spec) == 1:
            loss_spec = loss_spec[0]
        if not multi and isinstance(loss_spec, dict):
            loss_spec = loss_spec.get(names[0], next(iter(loss_spec.values()), None)) \
                if len(loss_spec) == 1 else loss_spec
        raw_losses = per_output(loss_spec, "loss")
        self._loss_fns = [None if spec is None else _as_loss(losses_module, spec)
                          for spec in raw_losses]
        weights = self._loss_weights_arg
        self._loss_weights = ([1.0] * n if weights is None else
                              [1.0 if w is None else float(w) for w in
                               per_output(weights if multi or not isinstance(weights, (list, tuple))
                                          else weights[0], "loss_weights")])
        if all(f is None for f in self._loss_fns) and not self._loss_spec_optional():
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")

        def build_metrics(spec, what):
            if spec is None:
                return [[] for _ in range(n)]
            if isinstance(spec, dict) or (multi and isinstance(spec, (list, tuple)) and spec
                                          and all(isinstance(s, (list, tuple)) or s is None
                                                  for s in spec)):
                groups = per_output(spec, what)
            else:
                if not isinstance(spec, (list, tuple)):
                    raise TypeError(f"Type of `{what}` argument not understood. Expected a list "
                                    f"or dictionary, found: {spec}")
                groups = [spec] * n
            out = []
            for i, group in enumerate(groups):
                group = [] if group is None else group
                group = group if isinstance(group, (list, tuple)) else [group]
                objs = []
                for m in group:
                    y_shape = (tuple(flat_y[i].shape) if isinstance(flat_y[i], torch.Tensor)
                               else None)
                    obj = metrics_module.get(m, loss=self._loss_fns[i],
                                             output_shape=tuple(flat_pred[i].shape),
                                             **({"y_true_shape": y_shape} if y_shape else {}))
                    if multi:
                        obj = _Prefixed(obj, names[i])
                    objs.append(obj)
                out.append(objs)
            return out

        self._output_metrics = build_metrics(self._metrics_arg, "metrics")
        self._output_weighted_metrics = build_metrics(self._weighted_metrics_arg,
                                                      "weighted_metrics")
        self._output_loss_trackers = ([_LossTracker(f"{name}_loss") for name in names]
                                      if multi else [])
        self._multi_output = multi
        self._single_loss = self._loss_fns[0] if not multi else None
        self._single_metrics = self._output_metrics[0] if not multi else None
        self._single_weighted = self._output_weighted_metrics[0] if not multi else None
        self._outputs_resolved = True

    def _loss_spec_optional(self):
        return bool(self.losses) or _overrides(self, "train_step")

    @property
    def metrics(self):
        """The metric objects: the loss tracker first, then the compiled metrics."""
        if not self.compiled:
            return self._attribute_metrics()
        out = [self._loss_tracker]
        if self._outputs_resolved:
            out += self._output_loss_trackers
            for group in self._output_metrics + self._output_weighted_metrics:
                out += group
        return out + self._attribute_metrics()

    def _attribute_metrics(self):
        """Metric objects the model holds as attributes (`self.loss_tracker = Mean(...)`)."""
        from kerastorch.metrics.metric import Metric
        return [v for v in self.__dict__.values() if isinstance(v, Metric)]

    @property
    def metrics_names(self):
        """`["loss", "accuracy", ...]`: the names of the values `evaluate` returns."""
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

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

    def _extra_losses(self):
        """`model.losses` of the last forward (regularization penalties and add_loss terms)."""
        out = [v.regularizer(v.value) for v in self._regularized]
        for m in self._loss_layers:
            if m._added_losses:
                out.extend(m._added_losses)
                m._added_losses = []
        return out

    def _clear_added_losses(self):
        for m in getattr(self, "_loss_layers", ()):
            if m._added_losses:
                m._added_losses = []

    def _compute_loss(self, y, y_pred, sample_weight, track=True):
        if not self._multi_output:
            fn = self._single_loss
            loss = fn(y, y_pred, sample_weight) if fn is not None else None
        else:
            flat_y = self._flatten_y(y)
            flat_pred = tree.flatten(y_pred)
            flat_sw = (self._flatten_y(sample_weight) if isinstance(sample_weight, (list, dict))
                       else [sample_weight] * len(flat_pred))
            loss = None
            for i, (fn, w) in enumerate(zip(self._loss_fns, self._loss_weights)):
                if fn is None:
                    continue
                value = fn(flat_y[i], flat_pred[i], flat_sw[i])
                if track:
                    self._output_loss_trackers[i].update_state(value, flat_pred[i].shape[0])
                value = value * w if w != 1.0 else value
                loss = value if loss is None else loss + value
        extra = self._extra_losses()
        if extra:
            total = sum(extra)
            loss = total if loss is None else loss + total
        if loss is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return loss

    def _flatten_y(self, y):
        if isinstance(y, dict):
            missing = [k for k in self._flat_output_names if k not in y]
            if missing:
                raise ValueError(f"The data given to the model has keys {sorted(y)}, but the "
                                 f"model's outputs are named {self._flat_output_names}.")
            return [y[k] for k in self._flat_output_names]
        if isinstance(y, torch.Tensor):
            return [y]
        return tree.flatten(y)

    def _update_metrics(self, y, y_pred, sample_weight):
        if not self._multi_output:
            for m in self._single_metrics:
                m.update_state(y, y_pred)
            for m in self._single_weighted:
                m.update_state(y, y_pred, sample_weight=sample_weight)
            return
        flat_y, flat_pred = self._flatten_y(y), tree.flatten(y_pred)
        flat_sw = (self._flatten_y(sample_weight) if isinstance(sample_weight, (list, dict))
                   else [sample_weight] * len(flat_pred))
        for i, (yt, yp) in enumerate(zip(flat_y, flat_pred)):
            for m in self._output_metrics[i]:
                m.update_state(yt, yp)
            for m in self._output_weighted_metrics[i]:
                m.update_state(yt, yp, sample_weight=flat_sw[i])

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
        if self._scaler is None:
            loss.backward()
            self.optimizer.step()
        else:
            (loss.float() * self._scaler.scale).backward()
            if self._scaler.unscale_and_check(self._train_params):
                self.optimizer.step()
        if self._constrained:
            with torch.no_grad():
                for var, constraint in self._constrained:
                    var.assign(constraint(var.value))
        with torch.no_grad():
            self._loss_tracker.update_state(loss, _batch_size(x))
            self._update_metrics(y, y_pred.detach() if type(y_pred) is torch.Tensor else
                                 tree.map_structure(lambda t: t.detach(), y_pred), sample_weight)
        return loss

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
        with torch.autocast(_current_device().type, dtype=amp):
            return self(x)

    # ------------------------------------------------------------------ helpers
    def _assert_compiled(self, method):
        if not self.compiled:
            raise NotCompiledError("You must call `compile()` before using the model.")

    def _setup_device(self):
        device = distribute.device() if distribute.active() else backend.device()
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
        return (_to_device(x, self._device, self._pin), _to_device(y, self._device, self._pin),
                _to_device(sw, self._device, self._pin))

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

    def _check_labels(self, y, y_pred):
        if self._multi_output or y is None or not isinstance(y, torch.Tensor):
            return
        fn = self._single_loss
        name = _loss_name(fn) if fn is not None else ""
        if "sparse_categorical" not in str(name) or y_pred.ndim < 1:
            return
        if y.is_floating_point() and y.numel() and not bool((y == y.round()).all()):
            raise ValueError(f"Loss {name} expects integer class labels, received float labels "
                             f"that are not whole numbers.")
        num_classes = y_pred.shape[-1]
        if y.numel():
            low, high = int(y.min()), int(y.max())
            if low < 0 or high >= num_classes:
                bad = low if low < 0 else high
                raise ValueError(f"Received a label value of {bad} which is outside the valid "
                                 f"range of [0, {num_classes}). The model's output has "
                                 f"{num_classes} classes (output shape "
                                 f"{tuple(y_pred.shape)}), loss {name}.")

    def _logs(self):
        """The current metric values as floats (this reads them back from the device)."""
        return {m.name: float(m.result()) for m in self.metrics}

    def _maybe_compile_step(self, batch):
        """With `jit_compile=True`: the step's forward and loss go through `torch.compile`; if
        compiling fails on the first batch, a warning is given and that batch runs eagerly."""
        if not self._jit_compile or self._compiled_step is not None:
            return
        compiled = torch.compile(self._forward_loss)

        def first_call(x, y, sample_weight):
            try:
                out = compiled(x, y, sample_weight)
            except Exception as err:  # noqa: BLE001 - any compile failure means eager
                warnings.warn(f"`jit_compile=True`: torch.compile failed ({type(err).__name__}: "
                              f"{err}); training runs eagerly instead.", stacklevel=4)
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

    # ------------------------------------------------------------------ fit
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

        Example:
            >>> history = model.fit(x, y, batch_size=32, epochs=5, validation_split=0.1)
            >>> history.history["val_loss"]
        """
        from kerastorch import callbacks as callbacks_module
        if kwargs:
            raise TypeError(f"fit() got unexpected keyword argument(s): {sorted(kwargs)}")
        self._assert_compiled("fit")
        verbose = 1 if verbose == "auto" else int(verbose)
        if validation_split and validation_data is None:
            if not data_adapter.is_array_structure(x):
                raise ValueError("`validation_split` is only supported for Tensors or NumPy "
                                 f"arrays. Received: x={type(x)}")
            xs, ys, sws = (data_adapter.to_tensor_structure(x), data_adapter.to_tensor_structure(y),
                           data_adapter.to_tensor_structure(sample_weight))
            data_adapter.check_cardinality(xs, ys, sws)
            (x, y, sample_weight), validation_data = data_adapter.train_validation_split(
                (xs, ys, sws), validation_split)
        adapter = data_adapter.get_adapter(x, y, sample_weight, batch_size=batch_size,
                                           shuffle=shuffle, class_weight=class_weight)
        val_adapter = None
        if validation_data is not None:
            if isinstance(validation_data, (tuple, list)) and len(validation_data) in (2, 3) \
                    and data_adapter.is_array_structure(validation_data[0]):
                vx, vy, vsw = data_adapter.unpack_x_y_sample_weight(tuple(validation_data))
                val_adapter = data_adapter.get_adapter(
                    vx, vy, vsw, batch_size=validation_batch_size or batch_size)
            else:
                val_adapter = data_adapter.get_adapter(validation_data,
                                                       batch_size=validation_batch_size
                                                       or batch_size)
        dist_on = distribute.active()
        if dist_on:  # under torchrun: this rank's share of the data; rank 0 prints and writes
            distribute.ensure_initialized()
            adapter = distribute.shard(adapter, for_training=True, source=x,
                                       batch_size=batch_size, shuffle=shuffle)
            val_adapter = None if val_adapter is None else distribute.shard(val_adapter)
            verbose = verbose if distribute.is_chief() else 0
            callbacks = distribute.chief_callbacks(callbacks)
        steps = steps_per_epoch or adapter.num_batches
        cbs = callbacks if isinstance(callbacks, callbacks_module.CallbackList) else \
            callbacks_module.CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                          model=self, verbose=verbose, epochs=epochs, steps=steps)
        progbar = cbs.progbar
        self._setup_device()
        self._warn_if_trainable_changed()
        self._clear_added_losses()
        self.stop_training = False
        want_begin = cbs.has("on_train_batch_begin")
        want_end = cbs.has("on_train_batch_end")
        custom_train = _overrides(self, "train_step")
        logs_fn = self._step_logs if custom_train else self._logs
        epoch_logs = {}
        training_logs = None
        cbs.on_train_begin()
        try:
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                cbs.on_epoch_begin(epoch)
                self.train()
                seen = 0
                for step, batch in enumerate(adapter.epoch(steps_per_epoch)
                                             if isinstance(adapter, data_adapter.IterableAdapter)
                                             else self._array_epoch(adapter, steps_per_epoch)):
                    if want_begin:
                        cbs.batch_hook("on_train_batch_begin", step, None)
                    batch = self._batch_to_device(batch)
                    if custom_train:
                        if not self._outputs_resolved or not self._optimizer_ready:
                            self._prepare_custom_step(batch)
                    elif not self._outputs_resolved or not self._optimizer_ready:
                        self._ensure_built(batch[0])
                        self._check_first_batch(*batch, adapter=adapter)
                        self._maybe_compile_step(batch)
                    if dist_on and self.__dict__.get("_kt_ddp") is None:
                        self.__dict__["_kt_ddp"] = distribute.wrap(self)
                    try:
                        if custom_train:
                            self._clear_added_losses()
                            self._kt_step_logs = self.train_step(_keras_data(batch))
                        else:
                            self.train_step(batch)
                    except (RuntimeError, IndexError) as err:
                        _explain_step_error(err, epoch, step)
                        raise
                    seen = step + 1
                    if want_end:
                        cbs.batch_hook("on_train_batch_end", step, logs_fn)
                    if progbar is not None:
                        progbar.batch(step, logs_fn)
                    if self.stop_training:
                        break
                if seen == 0 and getattr(adapter, "exhausted", False):
                    warnings.warn("Your input ran out of data; interrupting training. Make sure "
                                  "that your dataset or generator can generate at least "
                                  "`steps_per_epoch * epochs` batches.", stacklevel=2)
                    break
                epoch_logs = {} if not self._outputs_resolved else (
                    distribute.global_logs(self) if dist_on else self._logs())
                if custom_train:
                    epoch_logs = self._step_logs()
                training_logs = dict(epoch_logs)
                if val_adapter is not None and self._should_eval(epoch, validation_freq):
                    val_logs = self._evaluate_loop(val_adapter, cbs, validation_steps,
                                                   in_fit=True)
                    epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
                if progbar is not None:
                    progbar.finish(seen, epoch_logs)
                cbs.on_epoch_end(epoch, epoch_logs)
                if self.stop_training or getattr(adapter, "exhausted", False):
                    break
        finally:
            self.eval()
            self.__dict__.pop("_kt_ddp", None)
        cbs.on_train_end(training_logs)
        history = next((c for c in cbs if isinstance(c, callbacks_module.History)), None)
        if history is not None:
            self.history = history
        return self.history

    def _array_epoch(self, adapter, steps):
        if steps is None:
            return adapter.epoch()
        return self._continuing_batches(adapter, steps)

    def _continuing_batches(self, adapter, steps):
        """`steps` batches from in-memory data, continuing where the last epoch stopped."""
        it = getattr(adapter, "_continuing", None)
        if it is None:
            it = adapter.epoch()
        count = 0
        while count < steps:
            try:
                batch = next(it)
            except StopIteration:
                it = adapter.epoch()
                continue
            count += 1
            yield batch
        adapter._continuing = it

    @staticmethod
    def _should_eval(epoch, freq):
        if isinstance(freq, int):
            return (epoch + 1) % freq == 0
        return (epoch + 1) in freq

    # ------------------------------------------------------------------ evaluate
    def _evaluate_loop(self, adapter, cbs, steps, in_fit=False):
        self.reset_metrics()
        self.eval()
        cbs.on_test_begin()
        want_begin = cbs.has("on_test_batch_begin")
        want_end = cbs.has("on_test_batch_end")
        progbar = cbs.progbar if not in_fit else None
        seen = 0
        custom_test = _overrides(self, "test_step")
        logs_fn = self._step_logs if custom_test else self._logs
        self._kt_step_logs = None
        with torch.no_grad():
            batches = adapter.epoch(steps) if isinstance(adapter, data_adapter.IterableAdapter) \
                else adapter.epoch()
            for step, batch in enumerate(batches):
                if steps is not None and step >= steps:
                    break
                if want_begin:
                    cbs.batch_hook("on_test_batch_begin", step, None)
                batch = self._batch_to_device(batch)
                if custom_test:
                    if not self._outputs_resolved or not self._optimizer_ready:
                        self._prepare_custom_step(batch)
                    self._clear_added_losses()
                    self._kt_step_logs = self.test_step(_keras_data(batch))
                else:
                    if not self._outputs_resolved:
                        self._ensure_built(batch[0])
                        self._check_first_batch(*batch, adapter=adapter)
                    self.test_step(batch)
                seen = step + 1
                if want_end:
                    cbs.batch_hook("on_test_batch_end", step, logs_fn)
                if progbar is not None:
                    progbar.batch(step, logs_fn)
        logs = {} if not self._outputs_resolved else (
            distribute.global_logs(self) if distribute.active() else self._logs())
        if custom_test:
            logs = self._step_logs()
        if progbar is not None:
            progbar.finish(seen, logs)
        cbs.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """Returns the loss and metric values on `x`, `y` (in inference mode).

        Returns a scalar (loss only), a list `[loss, metric, ...]` in `metrics_names` order, or
        a dict with `return_dict=True`.

        Example:
            >>> loss, acc = model.evaluate(x_test, y_test, verbose=0)
        """
        from kerastorch import callbacks as callbacks_module
        if kwargs:
            raise TypeError(f"evaluate() got unexpected keyword argument(s): {sorted(kwargs)}")
        self._assert_compiled("evaluate")
        verbose = 1 if verbose == "auto" else int(verbose)
        adapter = data_adapter.get_adapter(x, y, sample_weight, batch_size=batch_size)
        if distribute.active():
            distribute.ensure_initialized()
            adapter = distribute.shard(adapter)
            verbose = verbose if distribute.is_chief() else 0
        n_steps = steps or adapter.num_batches
        cbs = callbacks_module.CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                            verbose=verbose, epochs=1, steps=n_steps)
        self._setup_device()
        self._clear_added_losses()
        logs = self._evaluate_loop(adapter, cbs, steps)
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
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """Runs the model in inference mode on `x` by batches; returns numpy array(s).

        Example:
            >>> probs = model.predict(x_test, batch_size=64, verbose=0)
        """
        if kwargs:
            raise TypeError(f"predict() got unexpected keyword argument(s): {sorted(kwargs)}")
        verbose = 1 if verbose == "auto" else int(verbose)
        bs = batch_size or 32
        # One small in-memory batch: a single no_grad forward.
        if callbacks is None and steps is None and type(x) in (np.ndarray, torch.Tensor) \
                and 0 < len(x) <= bs and not _overrides(self, "predict_step"):
            return self._predict_one_batch(x, verbose)
        from kerastorch import callbacks as callbacks_module
        if isinstance(x, (tuple, list)) and not data_adapter.is_array_structure(x):
            raise ValueError(f"Unrecognized data type for `predict`: {type(x)}")
        adapter = data_adapter.get_adapter(x, batch_size=bs)
        dist_on = distribute.active()
        if dist_on:  # each rank predicts its part of every batch; all parts come back in order
            distribute.ensure_initialized()
            adapter = distribute.shard(adapter)
            verbose = verbose if distribute.is_chief() else 0
        n_steps = steps or adapter.num_batches
        cbs = callbacks_module.CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                            verbose=verbose, epochs=1, steps=n_steps)
        self._setup_device()
        self.eval()
        cbs.on_predict_begin()
        want_end = cbs.has("on_predict_batch_end")
        outputs = []
        seen = 0
        with torch.no_grad():
            batches = adapter.epoch(steps) if isinstance(adapter, data_adapter.IterableAdapter) \
                else adapter.epoch()
            for step, batch in enumerate(batches):
                if steps is not None and step >= steps:
                    break
                if cbs.has("on_predict_batch_begin"):
                    cbs.batch_hook("on_predict_batch_begin", step, None)
                batch = self._batch_to_device(batch)
                out = self.predict_step(batch[0])
                self._clear_added_losses()
                outputs.append(out)
                seen = step + 1
                if want_end:
                    cbs.batch_hook("on_predict_batch_end", step, lambda o=out: {"outputs": o})
                if cbs.progbar is not None:
                    cbs.progbar.batch(step, None)
        if cbs.progbar is not None:
            cbs.progbar.finish(seen)
        if dist_on:
            outputs = distribute.gather_batches(outputs)
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

    def _predict_one_batch(self, x, verbose):
        """`predict` on one small array: the forward and the conversions, nothing else."""
        start = time.time() if verbose else None
        t = torch.from_numpy(x) if type(x) is np.ndarray else x.detach()
        if t.dtype == torch.float64:
            t = t.float()
        device = _current_device()
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
            from kerastorch.callbacks import Progbar
            bar = Progbar(1, verbose=verbose)
            bar._start = start
            bar.update(1, finalize=True)
        if type(out) is torch.Tensor:
            return out.cpu().numpy()
        return tree.map_structure(lambda o: o.cpu().numpy(), out)

    # ------------------------------------------------------------------ *_on_batch
    def _one_batch_setup(self, x, y, sample_weight, class_weight=None):
        adapter = data_adapter.get_adapter(x, y, sample_weight, batch_size=None,
                                           class_weight=class_weight)
        adapter.batch_size = max(adapter.num_samples, 1)
        adapter.num_batches = 1
        self._setup_device()
        batch = self._batch_to_device(next(iter(adapter.epoch())))
        return adapter, batch

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """Runs one optimizer step on one batch; returns the (running) loss and metrics."""
        self._assert_compiled("train_on_batch")
        adapter, batch = self._one_batch_setup(x, y, sample_weight, class_weight)
        if _overrides(self, "train_step"):
            self._prepare_custom_step(batch)
            self.train()
            try:
                self._clear_added_losses()
                self._kt_step_logs = self.train_step(_keras_data(batch))
            finally:
                self.eval()
            return self._format_logs(self._step_logs(), return_dict)
        self._ensure_built(batch[0])
        self._check_first_batch(*batch, adapter=adapter)
        self.train()
        try:
            self.train_step(batch)
        finally:
            self.eval()
        return self._format_logs(self._logs(), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Evaluates one batch (inference mode); returns the loss and metrics."""
        self._assert_compiled("test_on_batch")
        adapter, batch = self._one_batch_setup(x, y, sample_weight)
        if _overrides(self, "test_step"):
            self._prepare_custom_step(batch)
            self.reset_metrics()
            self.eval()
            with torch.no_grad():
                self._clear_added_losses()
                self._kt_step_logs = self.test_step(_keras_data(batch))
            return self._format_logs(self._step_logs(), return_dict)
        self._ensure_built(batch[0])
        self._check_first_batch(*batch, adapter=adapter)
        self.reset_metrics()
        self.eval()
        with torch.no_grad():
            self.test_step(batch)
        return self._format_logs(self._logs(), return_dict)

    def predict_on_batch(self, x):
        """The model's output for one batch, as numpy (inference mode)."""
        x = data_adapter.to_tensor_structure(x)
        self._setup_device()
        self.eval()
        with torch.no_grad():
            out = self.predict_step(_to_device(x, self._device, False) if self._move else x)
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
        return _pythonify_logs(out)

    def _step_logs(self):
        """The logs an overridden step returned last (Keras 3 makes them the logs)."""
        return _pythonify_logs(self.__dict__.get("_kt_step_logs"))

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


class _Prefixed:
    """A metric of one output of a multi-output model, named `<output>_<metric>` as in Keras."""

    def __init__(self, metric, prefix):
        self._metric = metric
        self.name = f"{prefix}_{metric.name}"

    def __getattr__(self, item):
        return getattr(self._metric, item)

    def update_state(self, *args, **kwargs):
        return self._metric.update_state(*args, **kwargs)

    def result(self):
        return self._metric.result()

    def reset_state(self):
        return self._metric.reset_state()
