"""Minimal stand-ins for kerastorch.losses / kerastorch.metrics, used by the trainer tests only
while those modules do not exist yet (another helper writes them). Installed into sys.modules
by `install()` when `import kerastorch.losses` fails; never part of the package."""

import sys
import types

import torch
import torch.nn.functional as F


def _reduce(values, sample_weight):
    if sample_weight is not None:
        sw = sample_weight.to(values.dtype)
        while sw.ndim < values.ndim:
            sw = sw.unsqueeze(-1)
        values = values * sw
    return values.sum() / values.numel()


class _Loss:
    def __init__(self, from_logits=False, name=None):
        self.from_logits = from_logits
        self.name = name or self._default

    def __call__(self, y_true, y_pred, sample_weight=None):
        return _reduce(self.call(y_true, y_pred), sample_weight)


class SparseCategoricalCrossentropy(_Loss):
    _default = "sparse_categorical_crossentropy"

    def call(self, y_true, y_pred):
        y = y_true.long().reshape(y_pred.shape[:-1])
        if self.from_logits:
            logp = F.log_softmax(y_pred, -1)
        else:
            p = y_pred / y_pred.sum(-1, keepdim=True)
            logp = torch.log(p.clamp(1e-7, 1 - 1e-7))
        return -logp.gather(-1, y.unsqueeze(-1)).squeeze(-1)


class CategoricalCrossentropy(_Loss):
    _default = "categorical_crossentropy"

    def call(self, y_true, y_pred):
        if y_true.shape != y_pred.shape:
            raise ValueError(f"Arguments `target` and `output` must have the same shape. "
                             f"Received: target.shape={tuple(y_true.shape)}, "
                             f"output.shape={tuple(y_pred.shape)}")
        if self.from_logits:
            logp = F.log_softmax(y_pred, -1)
        else:
            p = y_pred / y_pred.sum(-1, keepdim=True)
            logp = torch.log(p.clamp(1e-7, 1 - 1e-7))
        return -(y_true * logp).sum(-1)


class MeanSquaredError(_Loss):
    _default = "mean_squared_error"

    def call(self, y_true, y_pred):
        return (y_true.to(y_pred.dtype).reshape(y_pred.shape) - y_pred).square().mean(-1)


_LOSSES = {"sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
           "categorical_crossentropy": CategoricalCrossentropy, "mse": MeanSquaredError,
           "mean_squared_error": MeanSquaredError}


def get_loss(identifier):
    if isinstance(identifier, str):
        return _LOSSES[identifier]()
    return identifier


class Mean:
    def __init__(self, name="mean"):
        self.name = name
        self.reset_state()

    def reset_state(self):
        self.total, self.count = torch.zeros(()), torch.zeros(())

    def update_state(self, values, sample_weight=None):
        values = values.float()
        w = torch.ones_like(values) if sample_weight is None else sample_weight.float()
        self.total = self.total.to(values.device) + (values * w).sum()
        self.count = self.count.to(values.device) + w.sum()

    def result(self):
        return self.total / self.count.clamp_min(1e-12) if self.count.item() else self.total * 0


class _Accuracy(Mean):
    def __init__(self, fn, name):
        super().__init__(name)
        self._direction = "up"
        self.fn = fn

    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(self.fn(y_true, y_pred), sample_weight)


def _sparse_acc(y, p):
    return (p.argmax(-1) == y.reshape(p.shape[:-1]).long()).float()


def _cat_acc(y, p):
    return (p.argmax(-1) == y.argmax(-1)).float()


def _bin_acc(y, p):
    return ((p > 0.5).float() == y.reshape(p.shape).float()).float().mean(-1)


def get_metric(identifier, loss=None, output_shape=None):
    if not isinstance(identifier, str):
        return identifier
    if identifier in ("accuracy", "acc"):
        lname = getattr(loss, "name", "")
        fn = (_sparse_acc if "sparse" in lname else _cat_acc if "categorical" in lname
              else _bin_acc)
        return _Accuracy(fn, identifier)
    if identifier == "sparse_categorical_accuracy":
        return _Accuracy(_sparse_acc, identifier)
    raise ValueError(identifier)


def install():
    try:
        import kerastorch.losses as real_losses
        import kerastorch.metrics as real_metrics
        if hasattr(real_losses, "get") and hasattr(real_metrics, "get"):
            return False
    except ImportError:
        pass
    losses = types.ModuleType("kerastorch.losses")
    losses.get = get_loss
    losses.SparseCategoricalCrossentropy = SparseCategoricalCrossentropy
    losses.CategoricalCrossentropy = CategoricalCrossentropy
    losses.MeanSquaredError = MeanSquaredError
    metrics = types.ModuleType("kerastorch.metrics")
    metrics.get = get_metric
    metrics.Mean = Mean
    sys.modules["kerastorch.losses"] = losses
    sys.modules["kerastorch.metrics"] = metrics
    import kerastorch
    kerastorch.losses, kerastorch.metrics = losses, metrics
    return True
