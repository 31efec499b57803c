"""The compiled loss and metrics: what `compile()`'s `loss`, `loss_weights`, `metrics` and
`weighted_metrics` become once the first batch shows the model's outputs.

`CompileLossAndMetrics` is mixed into the `Trainer` (its state lives on the model, as Keras 2's
`compiled_loss` / `compiled_metrics` did): `_resolve_outputs` matches losses and metrics to the
outputs once; `_compute_loss` and `_update_metrics` run every step.
"""

import torch

from kerastorch import tree


class LossTracker:
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


def pythonify_logs(logs):
    """Keras's logs from a step's returned dict: sorted keys, nested dicts merged, floats."""
    out = {}
    if not isinstance(logs, dict):
        return out
    for key, value in sorted(logs.items()):
        if isinstance(value, dict):
            out.update(pythonify_logs(value))
            continue
        try:
            value = float(value.detach() if isinstance(value, torch.Tensor) else value)
        except (TypeError, ValueError, RuntimeError):
            pass
        out[key] = value
    return out


class CompileLossAndMetrics:
    """Mixed into `Trainer`: the compiled losses and metrics of a model."""

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
        self._output_loss_trackers = ([LossTracker(f"{name}_loss") for name in names]
                                      if multi else [])
        self._multi_output = multi
        self._single_loss = self._loss_fns[0] if not multi else None
        self._single_metrics = self._output_metrics[0] if not multi else None
        self._single_weighted = self._output_weighted_metrics[0] if not multi else None
        self._outputs_resolved = True

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

    def _compute_loss(self, y, y_pred, sample_weight, track=True, extra_losses=True):
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
        extra = self._extra_losses() if extra_losses else None
        if extra:
            total = sum(extra)
            loss = total if loss is None else loss + total
        if loss is None and extra_losses:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return loss

    @property
    def compiled_loss(self):
        """Keras 2's `model.compiled_loss(y, y_pred, sample_weight=None,
        regularization_losses=None)`, for an overridden `train_step`."""
        return _CompiledLoss(self)

    @property
    def compiled_metrics(self):
        """Keras 2's `model.compiled_metrics.update_state(y, y_pred, sample_weight=None)`."""
        return _CompiledMetrics(self)

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

    def _step_logs(self):
        """The logs an overridden step returned last (Keras 3 makes them the logs)."""
        return pythonify_logs(self.__dict__.get("_kt_step_logs"))


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


def _ready(model, y, y_pred):
    if not model._optimizer_ready:
        model._prepare_optimizer()
    if not model._outputs_resolved:
        model._resolve_outputs(y_pred, y)


class _CompiledLoss:
    """Keras 2's `compiled_loss`: the compiled losses of a batch (weighted as compiled) plus
    the `regularization_losses` given, tracked in the model's `loss` metric."""

    def __init__(self, model):
        self._model = model

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        model = self._model
        _ready(model, y_true, y_pred)
        loss = model._compute_loss(y_true, y_pred, sample_weight, extra_losses=False)
        if regularization_losses:
            penalty = sum(torch.as_tensor(v).sum() for v in regularization_losses)
            loss = penalty if loss is None else loss + penalty
        if loss is None:
            loss = torch.zeros((), device=tree.flatten(y_pred)[0].device)
        first = tree.flatten(y_pred)[0]
        model._loss_tracker.update_state(loss, first.shape[0] if first.dim() else 1)
        return loss

    @property
    def metrics(self):
        model = self._model
        return [model._loss_tracker] + list(getattr(model, "_output_loss_trackers", []) or [])

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()


class _CompiledMetrics:
    """Keras 2's `compiled_metrics`: the metrics given to `compile()`."""

    def __init__(self, model):
        self._model = model

    def update_state(self, y_true, y_pred, sample_weight=None):
        model = self._model
        if not model.compiled:
            return
        _ready(model, y_true, y_pred)
        model._update_metrics(y_true, y_pred, sample_weight)

    @property
    def metrics(self):
        model = self._model
        if not model.compiled or not model._outputs_resolved:
            return []
        out = []
        for group in model._output_metrics + model._output_weighted_metrics:
            out += group
        return out

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()
