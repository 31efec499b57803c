"""MappedVariable: a Keras weight whose layout differs from torch's by more than a permutation.

`add_weight(layout=...)` covers kernels that are a transpose of torch's. Some weights also need
a reshape or a reordering of gate blocks (a DepthwiseConv2D kernel `(kh, kw, in, mult)` stored
as torch's `(in * mult, 1, kh, kw)`; a GRU kernel in Keras's `z, r, h` gate order stored in
torch's `r, z, n`). A MappedVariable is the same live view, built from a pair of functions.
"""

import torch
from torch import nn

from kerastorch import backend
from kerastorch import initializers
from kerastorch.layers.layer import Variable


class MappedVariable(Variable):
    """A view of a torch tensor through `to_keras` (torch -> Keras) and `to_torch` (back).

    Both functions must be torch operations, so gradients (and regularizers) flow through
    `value`.
    """

    def __init__(self, layer, attr, name, to_keras, to_torch, trainable=True):
        super().__init__(layer, attr, name, layout=None, trainable=trainable)
        self._to_keras = to_keras
        self._to_torch = to_torch

    @property
    def value(self):
        return self._to_keras(getattr(self._layer, self._attr))

    def assign(self, value):
        t = backend.convert_to_tensor(value.value if isinstance(value, Variable) else value)
        if tuple(t.shape) != self.shape:
            raise ValueError(f"The shape of the target variable and the shape of the value must "
                             f"match. variable.shape={self.shape}, Received: value.shape="
                             f"{tuple(t.shape)} (variable {self.path})")
        target = self.torch_tensor
        with torch.no_grad():
            target.copy_(self._to_torch(t.to(device=target.device, dtype=target.dtype)))
        return self

    def _keras_layout_of(self, t):
        return self._to_keras(t)

    def _torch_layout_of(self, t):
        return self._to_torch(t)


def add_mapped_weight(layer, shape, name, initializer, torch_name, to_keras, to_torch,
                      regularizer=None, constraint=None, trainable=True):
    """Creates a parameter `torch_name` initialised in Keras's `shape`, and its MappedVariable."""
    dtype = backend.to_torch_dtype(layer.dtype)
    init = initializers.get(initializer)
    with torch.no_grad():
        value = torch.as_tensor(init(tuple(shape), dtype=dtype), dtype=dtype)
        value = to_torch(value).contiguous()
    param = nn.Parameter(value, requires_grad=bool(trainable) and layer.trainable)
    layer.register_parameter(torch_name, param)
    var = MappedVariable(layer, torch_name, name, to_keras, to_torch, trainable=bool(trainable))
    var.regularizer, var.constraint = regularizer, constraint
    layer._keras_weights.append(var)
    return var
