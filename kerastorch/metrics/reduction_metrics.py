"""Sum, Mean and MeanMetricWrapper: metrics that reduce per-sample values."""

import torch

from kerastorch import backend
from kerastorch.losses.loss import apply_mask
from kerastorch.losses.loss import squeeze_or_expand_to_same_rank
from kerastorch.metrics.metric import Metric


def _as_tensor(x, dtype):
    if not isinstance(x, torch.Tensor):
        x = backend.convert_to_tensor(x)
    if x.requires_grad:
        x = x.detach()
    return x if x.dtype == dtype else x.to(dtype)


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Per-sample values (reduced over the non-batch axes), multiplied by their weights."""
    mask = getattr(values, "_keras_mask", None)
    values = _as_tensor(values, dtype)
    if sample_weight is not None:
        sample_weight = _as_tensor(sample_weight, dtype)
        if sample_weight.device != values.device:
            sample_weight = sample_weight.to(values.device)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype=dtype, reduction="sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.dim(), values.dim()
        if values_ndim > weight_ndim:
            values = reduce_fn(values, dim=list(range(weight_ndim, values_ndim)))
        sample_weight = torch.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=list(range(1, weight_ndim)))
    if values.dim() > 1:
        values = reduce_fn(values, dim=list(range(1, values.dim())))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the values seen.

    Args:
        name: default 'sum'.
        dtype: the dtype of the state.

    Example:
        >>> m = keras.metrics.Sum(); m.update_state([1, 3, 5, 7]); m.result()  # 16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, torch.sum,
                                                self._torch_dtype)
        self.total.assign_add(values.sum())

    def result(self):
        return self.total.value.clone()


class Mean(Metric):
    """The (weighted) mean of the values seen.

    Args:
        name: default 'mean'.
        dtype: the dtype of the state.

    Example:
        >>> m = keras.metrics.Mean(); m.update_state([1, 3, 5, 7]); m.result()  # 4.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, torch.mean,
                                                            self._torch_dtype)
        total, count = self.total.value, self.count.value
        if total.device != values.device:
            self._state_on(values.device)
            total, count = self.total.value, self.count.value
        total.add_(values.sum())
        if sample_weight is not None:
            count.add_(sample_weight.sum())
        else:
            count.add_(values.shape[0] if values.dim() >= 1 else 1)

    def result(self):
        total, count = self.total.value, self.count.value
        return torch.where(count != 0, total / torch.where(count != 0, count, 1),
                           torch.zeros_like(total))


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over all samples seen.

    Args:
        fn: a function returning per-sample values (e.g. a loss function).
        name: the metric's name.
        dtype: the dtype of the state.
        **kwargs: passed to `fn`.

    Example:
        >>> keras.metrics.MeanMetricWrapper(keras.losses.mean_squared_error, name="mse")
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        if isinstance(y_pred, torch.Tensor) and y_pred.requires_grad:
            y_pred = y_pred.detach()
        if isinstance(y_true, torch.Tensor) and isinstance(y_pred, torch.Tensor) and \
                y_true.dim() == y_pred.dim() - 1 and y_pred.shape[-1] == 1:
            y_true = y_true.unsqueeze(-1)  # labels (n,) for outputs (n, 1), as tf.keras 2
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {**super().get_config(), "fn": getattr(self._fn, "__name__", str(self._fn))}
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        fn = config.pop("fn", None)
        if isinstance(fn, str):
            from kerastorch import metrics
            fn = metrics.get(fn)
        return cls(fn, **config) if fn is not None else cls(**config)
