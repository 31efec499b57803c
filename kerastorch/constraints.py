"""keras.constraints: projections applied to a weight after each optimizer step.

A constraint maps a weight, in Keras's layout, to its projected value; `axis` refers to that
layout (a Dense kernel is `(input_dim, units)`, so `MaxNorm(axis=0)` bounds each unit's incoming
weight vector). The trainer calls `var.assign(constraint(var.value))` after every step.

Example:
    >>> layer = layers.Dense(3, kernel_constraint=constraints.max_norm(2.0))
"""

import torch

from kerastorch import backend

from kerastorch import object_lookup


def _norms(w, axis):
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    return w.square().sum(dim=axis, keepdim=True).sqrt()


class Constraint:
    """Base class: `constraint(w)` returns the projected weight."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales weight vectors along `axis` whose L2 norm exceeds `max_value` (default 2)."""

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = norms.clamp(0, self.max_value)
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero."""

    def __call__(self, w):
        return torch.clamp_min(backend.convert_to_tensor(w), 0)


class UnitNorm(Constraint):
    """Scales weight vectors along `axis` to unit L2 norm."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        return w / (backend.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves the L2 norm of weight vectors along `axis` towards `[min_value, max_value]`.

    Args:
        min_value: lower bound of the norm (default 0).
        max_value: upper bound of the norm (default 1).
        rate: 1.0 projects fully; smaller values move part way.
        axis: the axis (or axes) the norm is computed over.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = self.rate * norms.clamp(self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm

_BY_NAME = {"max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm,
            "min_max_norm": MinMaxNorm, "MaxNorm": MaxNorm, "NonNeg": NonNeg,
            "UnitNorm": UnitNorm, "MinMaxNorm": MinMaxNorm, "Constraint": Constraint,
            # tf.keras 2's lower-case class names
            "maxnorm": MaxNorm, "nonneg": NonNeg, "unitnorm": UnitNorm, "constraint": Constraint}


def serialize(constraint):
    return object_lookup.serialize(constraint, "keras.constraints", base=Constraint)


def deserialize(config):
    return get(config)


def get(identifier):
    """A constraint from a name, a config dict, an instance or a callable."""
    return object_lookup.get(identifier, _BY_NAME, "constraint")


def apply_constraints(model):
    """Projects every constrained weight of `model` in place (called after an optimizer step)."""
    with torch.no_grad():
        for var in model.weights:
            constraint = getattr(var, "constraint", None)
            if constraint is not None:
                var.assign(constraint(var.value))
