"""keras.regularizers: weight and activity penalties with Keras's formulas.

A penalty is a scalar tensor computed from a weight (or a layer's output). `L2(0.01)` returns
`0.01 * sum(x ** 2)`, with no factor of one half, exactly as Keras does.

Example:
    >>> layer = layers.Dense(3, kernel_regularizer=regularizers.l2(1e-4))
"""

import math

import torch

from kerastorch import object_lookup


def _check_factor(value, name):
    if (isinstance(value, bool) or not isinstance(value, (float, int)) or math.isinf(value)
            or math.isnan(value) or value < 0):
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float."
                         f"Received: {name}={value}")
    return float(value)


class Regularizer:
    """Base class: `regularizer(x)` returns a scalar penalty tensor."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x ** 2)`.

    Args:
        l1: L1 factor (default 0).
        l2: L2 factor (default 0).
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor(l1, "l1")
        self.l2 = _check_factor(l2, "l2")

    def __call__(self, x):
        penalty = torch.zeros((), dtype=x.dtype, device=x.device)
        if self.l1:
            penalty = penalty + self.l1 * x.abs().sum()
        if self.l2:
            penalty = penalty + self.l2 * x.square().sum()
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """`l1 * sum(|x|)`, `l1` defaulting to 0.01."""

    def __init__(self, l1=0.01):
        self.l1 = _check_factor(l1, "l1")

    def __call__(self, x):
        return self.l1 * x.abs().sum()

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """`l2 * sum(x ** 2)`, `l2` defaulting to 0.01."""

    def __init__(self, l2=0.01):
        self.l2 = _check_factor(l2, "l2")

    def __call__(self, x):
        return self.l2 * x.square().sum()

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Penalises non-orthogonal rows (or columns) of a 2D weight.

    Args:
        factor: the penalty factor (default 0.01).
        mode: `"rows"` or `"columns"`.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check_factor(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError('Invalid value for argument `mode`. Expected one of '
                             f'{{"rows", "columns"}}. Received: mode={mode}')
        self.mode = mode

    def __call__(self, x):
        if x.ndim != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={tuple(x.shape)}")
        if self.mode == "columns":
            x = x.T
        x = x / x.square().sum(dim=1, keepdim=True).clamp_min(1e-12).sqrt()
        product = x @ x.T
        size = x.shape[0]
        off_diagonal = product * (1.0 - torch.eye(size, dtype=x.dtype, device=x.device))
        return self.factor * 0.5 * off_diagonal.abs().sum() / (size * (size - 1.0) / 2.0)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer

_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": L1L2, "l1l2": L1L2,
            "orthogonal_regularizer": OrthogonalRegularizer,
            "L1": L1, "L2": L2, "L1L2": L1L2, "OrthogonalRegularizer": OrthogonalRegularizer,
            "Regularizer": Regularizer, "regularizer": Regularizer}


def serialize(regularizer):
    return object_lookup.serialize(regularizer, "keras.regularizers", base=Regularizer)


def deserialize(config):
    return get(config)


def get(identifier):
    """A regularizer from a name, a config dict, an instance or a callable."""
    return object_lookup.get(identifier, _BY_NAME, "regularizer")


def add_activity_loss(layer, args, outputs):
    """Forward hook: adds `activity_regularizer(output) / batch_size` for each output, as Keras
    does after a layer's call (installed only on layers that have an activity regularizer)."""
    regularizer = layer.activity_regularizer
    for out in (outputs if isinstance(outputs, (list, tuple)) else (outputs,)):
        if not isinstance(out, torch.Tensor) or out.device.type == "meta":
            continue
        loss = regularizer(out)
        if out.ndim > 0:
            loss = loss / out.shape[0] if out.shape[0] else loss * 0
        layer.add_loss(loss)
