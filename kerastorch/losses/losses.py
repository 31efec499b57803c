"""Keras's loss functions and classes, each a thin call of the matching torch function."""

import math
import warnings

import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch.losses.loss import Loss
from kerastorch.losses.loss import squeeze_or_expand_to_same_rank


def _pred(y_pred):
    return y_pred if isinstance(y_pred, torch.Tensor) else backend.convert_to_tensor(y_pred)


def _pair(y_true, y_pred, same_rank=True):
    """`y_pred` as a tensor and `y_true` cast to its dtype and device (optionally same rank)."""
    y_pred = _pred(y_pred)
    if not isinstance(y_true, torch.Tensor):
        y_true = backend.convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype or y_true.device != y_pred.device:
        y_true = y_true.to(dtype=y_pred.dtype, device=y_pred.device)
    if same_rank:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


# ----------------------------------------------------------------- regression
def mean_squared_error(y_true, y_pred):
    """`mean((y_true - y_pred) ** 2, axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    return torch.square(y_true - y_pred).mean(dim=-1)


def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    return torch.abs(y_true - y_pred).mean(dim=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=backend.epsilon()))
    return 100.0 * diff.mean(dim=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)) ** 2, axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    eps = backend.epsilon()
    first = torch.log(torch.clamp(y_pred, min=eps) + 1.0)
    second = torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.square(first - second).mean(dim=-1)


def _l2_normalize(x, axis):
    square_sum = torch.sum(torch.square(x), dim=axis, keepdim=True)
    return x * torch.clamp(torch.rsqrt(square_sum), max=1.0 / backend.epsilon())


def cosine_similarity(y_true, y_pred, axis=-1):
    """Minus the cosine similarity along `axis` (-1 for identical directions)."""
    y_true, y_pred = _pair(y_true, y_pred)
    return -torch.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), dim=axis)


def huber(y_true, y_pred, delta=1.0):
    """Quadratic for errors up to `delta`, linear beyond, averaged over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    error = y_pred - y_true
    abs_error = torch.abs(error)
    return torch.where(abs_error <= delta, 0.5 * torch.square(error),
                       delta * abs_error - 0.5 * delta * delta).mean(dim=-1)


def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed without overflow."""
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return (x + F.softplus(x * -2.0) - math.log(2.0)).mean(dim=-1)


# ---------------------------------------------------------------- probabilistic
def kl_divergence(y_true, y_pred):
    """`sum(y_true * log(y_true / y_pred), axis=-1)` with both clipped to [epsilon, 1]."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    eps = backend.epsilon()
    y_true = torch.clamp(y_true, eps, 1)
    y_pred = torch.clamp(y_pred, eps, 1)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    return (y_pred - y_true * torch.log(y_pred + backend.epsilon())).mean(dim=-1)


def _check_axis(axis):
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Cross-entropy between one-hot (or soft) labels and predicted class scores.

    Args:
        y_true: labels, same shape as `y_pred`.
        y_pred: probabilities (rescaled to sum to 1, clipped to [eps, 1 - eps]) or logits.
        from_logits: whether `y_pred` are logits.
        label_smoothing: in [0, 1]; mixes the labels with a uniform distribution.
        axis: the class axis.
    """
    _check_axis(axis)
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be (batch_size, "
            f"num_classes) with num_classes > 1. Received: y_pred.shape={y_pred.shape}. "
            "Consider using 'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning, stacklevel=2)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if y_true.shape != y_pred.shape:
        raise ValueError("Arguments `target` and `output` must have the same shape. Received: "
                         f"target.shape={y_true.shape}, output.shape={y_pred.shape}")
    if y_pred.dim() < 1:
        raise ValueError("Arguments `target` and `output` must be at least rank 1. Received: "
                         f"target.shape={y_true.shape}, output.shape={y_pred.shape}")
    if from_logits:
        log_prob = F.log_softmax(y_pred, dim=axis)
    else:
        eps = backend.epsilon()
        output = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clamp(output, eps, 1.0 - eps))
    return -torch.sum(y_true * log_prob, dim=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Cross-entropy between integer labels and predicted class scores.

    From logits this is `torch.nn.functional.cross_entropy`; from probabilities the
    probabilities are rescaled to sum to 1, clipped to [eps, 1 - eps], and their log is fed to
    `nll_loss`, as Keras does.

    Args:
        y_true: integer labels of shape `y_pred.shape[:-1]` (or with a trailing 1).
        y_pred: probabilities or logits, classes on `axis`.
        from_logits: whether `y_pred` are logits.
        ignore_class: a label value that contributes no loss (and is left out of the mean).
        axis: the class axis.
    """
    y_pred = _pred(y_pred)
    if not isinstance(y_true, torch.Tensor):
        y_true = backend.convert_to_tensor(y_true)
    if y_true.dim() == y_pred.dim() and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    valid_mask = None
    if ignore_class is not None:
        valid_mask = y_true != ignore_class
        y_true = torch.where(valid_mask, y_true, torch.zeros_like(y_true))
        y_pred = torch.where(valid_mask.unsqueeze(axis), y_pred, torch.zeros_like(y_pred))
    if y_pred.dim() < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. Received: "
                         f"output.shape={y_pred.shape}")
    expected = list(y_pred.shape)
    del expected[axis]
    if list(y_true.shape) != expected:
        raise ValueError("Arguments `target` and `output` must have the same shape up until the "
                         f"last dimension: target.shape={y_true.shape}, "
                         f"output.shape={y_pred.shape}")
    target = y_true if y_true.dtype == torch.int64 else y_true.long()
    if target.device != y_pred.device:
        target = target.to(y_pred.device)
    squeeze = y_pred.dim() == 1
    if squeeze:
        y_pred, target = y_pred.unsqueeze(0), target.unsqueeze(0)
    elif axis % y_pred.dim() != 1:
        y_pred = y_pred.movedim(axis % y_pred.dim(), 1)
    if from_logits:
        result = F.cross_entropy(y_pred, target, reduction="none")
    else:
        eps = backend.epsilon()
        output = y_pred / torch.sum(y_pred, dim=1, keepdim=True)
        log_p = torch.log(torch.clamp(output, eps, 1.0 - eps))
        if log_p.dim() > 2:
            # nll_loss2d's CPU backward rejects the channels_last-strided view that movedim
            # makes of NHWC probabilities ("grad_input must be contiguous"); gather is the same
            # sum and differentiates through any strides.
            result = -log_p.gather(1, target.unsqueeze(1)).squeeze(1)
        else:
            result = F.nll_loss(log_p, target, reduction="none")
    if squeeze:
        result = result.squeeze(0)
    if valid_mask is not None:
        valid_mask = valid_mask.reshape(result.shape)
        result = torch.where(valid_mask, result, torch.zeros_like(result))
        result._keras_mask = valid_mask
    return result


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy, averaged over `axis`.

    From probabilities, `y_pred` is clipped to [eps, 1 - eps] as Keras does; from logits this is
    `binary_cross_entropy_with_logits`.

    Args:
        y_true: labels in {0, 1} (or soft labels), same shape as `y_pred`.
        y_pred: probabilities or logits.
        from_logits: whether `y_pred` are logits.
        label_smoothing: squeezes the labels towards 0.5.
        axis: the axis averaged over.
    """
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if y_true.shape != y_pred.shape:
        raise ValueError("Arguments `target` and `output` must have the same shape. Received: "
                         f"target.shape={y_true.shape}, output.shape={y_pred.shape}")
    if from_logits:
        bce = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
    else:
        eps = backend.epsilon()
        bce = F.binary_cross_entropy(torch.clamp(y_pred, eps, 1.0 - eps), y_true, reduction="none")
    return bce.mean(dim=axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy scaled by `(1 - p_t) ** gamma` (focal loss), averaged over `axis`."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    eps = backend.epsilon()
    bce = F.binary_cross_entropy(torch.clamp(y_pred, eps, 1.0 - eps), y_true, reduction="none")
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return focal.mean(dim=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Categorical cross-entropy scaled by `alpha * (1 - p) ** gamma` (focal loss)."""
    _check_axis(axis)
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    eps = backend.epsilon()
    output = torch.clamp(y_pred / torch.sum(y_pred, dim=axis, keepdim=True), eps, 1.0 - eps)
    cce = -y_true * torch.log(output)
    return torch.sum(torch.pow(1.0 - output, gamma) * alpha * cce, dim=axis)


# ---------------------------------------------------------------------- hinge
def _to_hinge_labels(y_true):
    """Labels in {0, 1} become {-1, 1}; other labels are kept (decided on the device)."""
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """`mean(max(1 - y_true * y_pred, 0), axis=-1)`, labels -1/1 (0/1 are converted)."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    return torch.clamp(1.0 - _to_hinge_labels(y_true) * y_pred, min=0.0).mean(dim=-1)


def squared_hinge(y_true, y_pred):
    """`mean(max(1 - y_true * y_pred, 0) ** 2, axis=-1)`, labels -1/1 (0/1 are converted)."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    return torch.square(torch.clamp(1.0 - _to_hinge_labels(y_true) * y_pred, min=0.0)).mean(dim=-1)


def categorical_hinge(y_true, y_pred):
    """`max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


# --------------------------------------------------------------- segmentation
def _summer(axis):
    """A sum over `axis` (all axes when None)."""
    return torch.sum if axis is None else (lambda x: torch.sum(x, dim=axis))


def dice(y_true, y_pred, axis=None):
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + eps)` over `axis`."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    total = _summer(axis)
    intersection = total(y_true * y_pred)
    return 1 - 2.0 * intersection / (total(y_true) + total(y_pred) + backend.epsilon())


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """`1 - tp / (tp + alpha * fp + beta * fn + eps)` with soft counts over `axis`."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    total = _summer(axis)
    tp = total(y_true * y_pred)
    fp = total((1 - y_pred) * y_true)
    fn = total(y_pred * (1 - y_true))
    return 1 - tp / (tp + fp * alpha + fn * beta + backend.epsilon())


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross-entropy `(1 - p_true ** q) / q` for integer labels (robust to noise)."""
    y_pred = _pred(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device).long()
    p = torch.sum(y_pred * F.one_hot(y_true, y_pred.shape[-1]).to(y_pred.dtype), dim=-1)
    return (1 - torch.pow(p, q)) / q


# -------------------------------------------------------------------- classes
class LossFunctionWrapper(Loss):
    """A `Loss` around a function `fn(y_true, y_pred, **kwargs)` returning per-sample losses.

    Args:
        fn: the loss function.
        reduction, name, dtype: as `Loss`.
        **kwargs: passed to `fn`.
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if isinstance(y_true, torch.Tensor) and isinstance(y_pred, torch.Tensor):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"fn": getattr(self.fn, "__name__", str(self.fn))})
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        # tf.keras 2 writes `fn` (the function's registered name) into every subclass's config
        # too; a subclass knows its own function, so only the wrapper itself takes it.
        config = dict(config)
        fn = config.pop("fn", None)
        if cls is not LossFunctionWrapper or fn is None:
            return cls(**config)
        if isinstance(fn, str):
            if fn not in ALL_OBJECTS_DICT:
                raise ValueError(f"Could not interpret loss function `fn`: {fn!r} (expected the "
                                 "name of a function in keras.losses)")
            fn = ALL_OBJECTS_DICT[fn]
        return cls(fn, **config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors: `mean((y_true - y_pred) ** 2)`.

    Args:
        reduction: as `Loss` (default 'sum_over_batch_size').
        name: default 'mean_squared_error'.
        dtype: computation dtype.

    Example:
        >>> keras.losses.MeanSquaredError()([[0., 1.]], [[1., 1.]])  # 0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors: `mean(abs(y_true - y_pred))`."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """`100 * mean(abs((y_true - y_pred) / y_true))`."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error",
                 dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """`mean((log(y_true + 1) - log(y_pred + 1)) ** 2)`."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error",
                 dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction,
                         dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class CosineSimilarity(LossFunctionWrapper):
    """Minus the cosine similarity of labels and predictions along `axis`."""

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)

    def get_config(self):
        return Loss.get_config(self)


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic up to `delta` (default 1.0), linear beyond."""

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)

    def get_config(self):
        return Loss.get_config(self)


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the error."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Hinge(LossFunctionWrapper):
    """Hinge loss `max(1 - y_true * y_pred, 0)`, labels -1/1 (0/1 converted)."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss `max(1 - y_true * y_pred, 0) ** 2`."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss `max(neg - pos + 1, 0)`."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))`."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Poisson(LossFunctionWrapper):
    """Poisson loss `y_pred - y_true * log(y_pred)`."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy for 0/1 labels and probabilities (or logits with `from_logits=True`).

    Args:
        from_logits: whether `y_pred` are logits (default: probabilities).
        label_smoothing: squeezes the labels towards 0.5.
        axis: the axis averaged over (default -1).
        reduction, name, dtype: as `Loss`.

    Example:
        >>> keras.losses.BinaryCrossentropy(from_logits=True)([[0.], [1.]], [[-2.], [3.]])
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Focal binary cross-entropy: down-weights easy examples by `(1 - p_t) ** gamma`."""

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis,
                "apply_class_balancing": self.apply_class_balancing, "alpha": self.alpha,
                "gamma": self.gamma}


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for one-hot labels and class probabilities (or logits).

    Args:
        from_logits: whether `y_pred` are logits (default: probabilities).
        label_smoothing: mixes the labels with a uniform distribution.
        axis: the class axis (default -1).
        reduction, name, dtype: as `Loss`.
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Focal categorical cross-entropy: `alpha * (1 - p) ** gamma * cross-entropy`."""

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy",
                 dtype=None):
        super().__init__(categorical_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis,
                "alpha": self.alpha, "gamma": self.gamma}


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for integer labels and class probabilities (or logits).

    Args:
        from_logits: whether `y_pred` are logits (default: probabilities).
        ignore_class: a label value that contributes no loss.
        reduction: as `Loss`.
        axis: the class axis (default -1).
        name, dtype: as `Loss`.

    Example:
        >>> loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        >>> loss([1, 2], [[0.1, 2.0, 0.3], [0.5, 0.1, 1.5]])
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self._plain = ignore_class is None and axis in (-1, 1)

    def __call__(self, y_true, y_pred, sample_weight=None):
        # The training hot path -- (batch, classes) scores and (batch,) int64 labels, mean over
        # the batch -- is one torch call with its reduction fused in.
        if (sample_weight is None and self._plain and type(y_pred) is torch.Tensor
                and type(y_true) is torch.Tensor and y_pred.dim() == 2 and y_true.dim() == 1
                and y_true.dtype == torch.int64 and y_pred.dtype == self._torch_dtype
                and self.reduction == "sum_over_batch_size"
                and y_true.shape[0] == y_pred.shape[0] and y_true.device == y_pred.device):
            if self.from_logits:
                return F.cross_entropy(y_pred, y_true)
            eps = backend.epsilon()
            output = y_pred / torch.sum(y_pred, dim=1, keepdim=True)
            return F.nll_loss(torch.log(torch.clamp(output, eps, 1.0 - eps)), y_true)
        return super().__call__(y_true, y_pred, sample_weight)

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "ignore_class": self.ignore_class}


# tf.keras's short names of the functions.
class Dice(LossFunctionWrapper):
    """Dice loss `1 - 2 |A n B| / (|A| + |B|)`, over all entries (or `axis`).

    Args:
        reduction: as `Loss`.
        name: default 'dice'.
        axis: the axes summed over (None: all).
        dtype: computation dtype.
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """Tversky loss: Dice with false positives weighted by `alpha` and false negatives by `beta`.

    Args:
        alpha: weight of false positives (default 0.5).
        beta: weight of false negatives (default 0.5).
        reduction, name, axis, dtype: as `Dice`.
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky",
                 axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha,
                         beta=beta, axis=axis)
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta,
                "axis": self.axis}


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross-entropy for integer labels and probabilities, `q` in (0, 1).

    Args:
        q: 0 gives cross-entropy, 1 gives mean absolute error (default 0.5).
        reduction, name, dtype: as `Loss`.
    """

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError("q must be in the interval (0, 1)")
        super().__init__(categorical_generalized_cross_entropy, name=name, reduction=reduction,
                         dtype=dtype, q=q)
        self.q = q

    def get_config(self):
        return {**Loss.get_config(self), "q": self.q}


mse = mean_squared_error
mae = mean_absolute_error
mape = mean_absolute_percentage_error
msle = mean_squared_logarithmic_error
kld = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
bce = binary_crossentropy

_FUNCTIONS = (mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
              mean_squared_logarithmic_error, cosine_similarity, huber, log_cosh, kl_divergence,
              poisson, categorical_crossentropy, sparse_categorical_crossentropy,
              binary_crossentropy, binary_focal_crossentropy, categorical_focal_crossentropy,
              hinge, squared_hinge, categorical_hinge, dice, tversky,
              categorical_generalized_cross_entropy)
_CLASSES = (Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError,
            MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, Huber,
            LogCosh, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
            BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
            CategoricalFocalCrossentropy, SparseCategoricalCrossentropy, Dice, Tversky,
            CategoricalGeneralizedCrossEntropy)
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in _FUNCTIONS + _CLASSES}
ALL_OBJECTS_DICT.update({"bce": binary_crossentropy, "BCE": binary_crossentropy,
                         "kld": kl_divergence, "KLD": kl_divergence,
                         "mae": mean_absolute_error, "MAE": mean_absolute_error,
                         "mse": mean_squared_error, "MSE": mean_squared_error,
                         "mape": mean_absolute_percentage_error,
                         "MAPE": mean_absolute_percentage_error,
                         "msle": mean_squared_logarithmic_error,
                         "MSLE": mean_squared_logarithmic_error,
                         # tf.keras 2's longer and older names
                         "kullback_leibler_divergence": kl_divergence,
                         "logcosh": log_cosh, "huber_loss": huber})
