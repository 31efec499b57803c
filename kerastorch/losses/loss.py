"""Loss: the base of Keras's loss classes, with sample weights and Keras's reductions."""

import torch

from kerastorch import backend
from kerastorch.utils.naming import to_snake_case

_REDUCTIONS = {"sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight"}


def standardize_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of {_REDUCTIONS}. "
                         f"Received: reduction={reduction}")
    return reduction


class Loss:
    """Base class of losses: subclass it and define `call(y_true, y_pred)` (per-sample losses).

    `__call__(y_true, y_pred, sample_weight=None)` converts the inputs, calls `call`, weights
    the result and reduces it.

    Args:
        name: the loss's name.
        reduction: 'sum_over_batch_size' (default; the mean over all entries), 'mean' (same),
            'sum', 'mean_with_sample_weight' (sum divided by the sum of the weights), or
            'none'/None (no reduction).
        dtype: the dtype of the computation (default `floatx()`).

    Example:
        >>> class MyMSE(keras.losses.Loss):
        ...     def call(self, y_true, y_pred):
        ...         return keras.ops.mean((y_true - y_pred) ** 2, axis=-1)
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or backend.unique_object_name(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = backend.standardize_dtype(dtype or backend.floatx())
        self._torch_dtype = backend.to_torch_dtype(self._dtype)

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not isinstance(y_pred, torch.Tensor) or y_pred.dtype != self._torch_dtype:
            y_pred = _convert(y_pred, self._torch_dtype)
        if not isinstance(y_true, torch.Tensor) or (y_true.is_floating_point()
                                                    and y_true.dtype != self._torch_dtype):
            y_true = _convert(y_true, self._torch_dtype, keep_integers=True)
        losses = self.call(y_true, y_pred)
        mask = getattr(losses, "_keras_mask", None)
        if (sample_weight is None and mask is None and self.reduction == "sum_over_batch_size"
                and isinstance(losses, torch.Tensor) and losses.dim() > 0 and losses.numel() > 0):
            return losses.mean()  # the common case: one kernel
        return reduce_weighted_values(losses, sample_weight=sample_weight, mask=mask,
                                      reduction=self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _convert(x, dtype, keep_integers=False):
    """A tensor of `dtype` (integer labels may stay integers: the loss casts them as it needs)."""
    if isinstance(x, (list, tuple, dict)):
        return type(x)(_convert(v, dtype, keep_integers) for v in x) if not isinstance(x, dict) \
            else {k: _convert(v, dtype, keep_integers) for k, v in x.items()}
    if not isinstance(x, torch.Tensor):
        x = backend.convert_to_tensor(x)
    if x.dtype == dtype or (keep_integers and not x.is_floating_point()):
        return x
    return x.to(dtype)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Squeezes (or expands) a trailing axis of size 1 so `x1` and `x2` have the same rank."""
    r1, r2 = x1.dim(), x2.dim()
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean mask into the sample weights as Keras does (mean over valid entries)."""
    if mask is None:
        return sample_weight
    mask = torch.as_tensor(mask)
    if reduction in ("mean", "sum_over_batch_size"):
        valid = mask.to(dtype).sum()
        weight = torch.where(valid > 0, mask.numel() / valid, torch.zeros_like(valid))
        float_mask = torch.where(mask.bool(), weight, torch.zeros_like(weight))
    else:
        float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = torch.as_tensor(sample_weight, dtype=dtype, device=float_mask.device)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    if reduction is None or reduction == "none" or values.dim() == 0 or tuple(values.shape) == (0,):
        return values
    loss = values.sum()
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = sample_weight.sum().to(loss.dtype)
        return torch.where(divisor != 0, loss / divisor, torch.zeros_like(loss))
    n = values.numel()
    return values.mean() if n else torch.zeros_like(loss)


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Multiplies per-sample losses by `sample_weight` (and `mask`), then reduces them."""
    if not isinstance(values, torch.Tensor):
        values = backend.convert_to_tensor(values, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        if not isinstance(sample_weight, torch.Tensor) or sample_weight.dtype != values.dtype \
                or sample_weight.device != values.device:
            sample_weight = torch.as_tensor(
                sample_weight if isinstance(sample_weight, torch.Tensor)
                else backend.convert_to_tensor(sample_weight),
                dtype=values.dtype, device=values.device)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)
