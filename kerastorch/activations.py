"""keras.activations: Keras's activation functions as thin calls of torch functions."""

import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch import object_lookup
from kerastorch.ops import nn as _nn_ops


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return torch.relu(x)
    out = torch.where(x > threshold, x, negative_slope * (x - threshold))  # x == threshold: 0
    if max_value is not None:
        out = out.clamp(max=max_value)
    return out


def relu6(x):
    return F.relu6(x)


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(x, negative_slope)


def sigmoid(x):
    return torch.sigmoid(x)


def hard_sigmoid(x):
    """Keras 3's `relu6(x + 3) / 6`; in a Keras 2 script Keras 2's `clip(0.2 * x + 0.5, 0, 1)`."""
    if backend.keras2_defaults():
        return _keras2_hard_sigmoid(x)
    return F.hardsigmoid(x)


def _keras2_hard_sigmoid(x):
    from kerastorch.saving.keras2_loading import hard_sigmoid as keras2_hard_sigmoid
    return keras2_hard_sigmoid(x)


def hard_silu(x):
    return F.hardswish(x)


hard_swish = hard_silu


def tanh(x):
    return torch.tanh(x)


def softmax(x, axis=-1):
    return torch.softmax(x, dim=axis)


def log_softmax(x, axis=-1):
    return torch.log_softmax(x, dim=axis)


def elu(x, alpha=1.0):
    return F.elu(x, alpha)


def selu(x):
    return F.selu(x)


def gelu(x, approximate=False):
    return F.gelu(x, approximate="tanh" if approximate else "none")


def silu(x):
    return F.silu(x)


swish = silu


def softplus(x):
    return F.softplus(x)


def softsign(x):
    return F.softsign(x)


def exponential(x):
    return torch.exp(x)


def mish(x):
    return F.mish(x)


def linear(x):
    return x


# Keras 3's other activations: the parity-tested ops of the same names.
def celu(x, alpha=1.0):
    return _nn_ops.celu(x, alpha=alpha)


def glu(x, axis=-1):
    return _nn_ops.glu(x, axis=axis)


def hard_shrink(x, threshold=0.5):
    return _nn_ops.hard_shrink(x, threshold=threshold)


def hard_tanh(x):
    return _nn_ops.hard_tanh(x)


def log_sigmoid(x):
    return _nn_ops.log_sigmoid(x)


def soft_shrink(x, threshold=0.5):
    return _nn_ops.soft_shrink(x, threshold=threshold)


def sparse_plus(x):
    return _nn_ops.sparse_plus(x)


def sparse_sigmoid(x):
    return _nn_ops.sparse_sigmoid(x)


def sparsemax(x, axis=-1):
    return _nn_ops.sparsemax(x, axis=axis)


def squareplus(x, b=4):
    return _nn_ops.squareplus(x, b=b)


def tanh_shrink(x):
    return _nn_ops.tanh_shrink(x)


def threshold(x, threshold, default_value):
    return _nn_ops.threshold(x, threshold, default_value)


_BY_NAME = {f.__name__: f for f in (
    relu, relu6, leaky_relu, sigmoid, hard_sigmoid, hard_silu, tanh, softmax, log_softmax,
    elu, selu, gelu, silu, softplus, softsign, exponential, mish, linear, celu, glu,
    hard_shrink, hard_tanh, log_sigmoid, soft_shrink, sparse_plus, sparse_sigmoid, sparsemax,
    squareplus, tanh_shrink, threshold)}
_BY_NAME.update(swish=silu, hard_swish=hard_silu)


def get(identifier):
    """An activation function from a name, a callable or None (linear)."""
    if identifier is None:
        return linear
    return object_lookup.get(identifier, _BY_NAME, "activation function", instantiate=False)


def deserialize(config, custom_objects=None):
    """An activation function from its name (what `serialize()` writes for a built-in one)."""
    return object_lookup.deserialize(config, _BY_NAME, "activation function", custom_objects)


def serialize(activation):
    name = getattr(activation, "__name__", None)
    if _BY_NAME.get(name) is activation:
        return "swish" if name == "silu" else name
    return activation
