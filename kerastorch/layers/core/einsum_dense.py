"""EinsumDense: a dense layer whose contraction is an einsum equation."""

import re

import torch

from kerastorch import activations
from kerastorch import initializers
from kerastorch.layers.layer import Layer


def _parse(equation):
    """(input, kernel, output specs, where '...' sits: 'left', 'right' or None)."""
    eq = equation.replace("...", "0")
    for pattern, side in (("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", None),
                          ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", "left"),
                          ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", "right")):
        m = re.match(pattern, eq)
        if m:
            return m.group(1), m.group(2), m.group(3), side
    raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the form "
                     "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")


def analyze(equation, bias_axes, input_shape, output_shape):
    """Kernel shape, bias shape and full output shape for `input_shape`, as Keras derives them."""
    in_spec, w_spec, out_spec, side = _parse(equation)
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(in_spec)
    out = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    out.insert(0, input_shape[0])
    if elided > 0 and side == "left":
        for i in range(1, elided):
            out.insert(1, input_shape[i])
    elif elided > 0:
        out.extend(input_shape[len(input_shape) - elided:])
    if side == "left":
        in_pos = {c: i + elided - len(input_shape) for i, c in enumerate(in_spec)}
        out_pos = {c: i + elided for i, c in enumerate(out_spec)}
    else:
        in_pos = {c: i for i, c in enumerate(in_spec)}
        out_pos = {c: i for i, c in enumerate(out_spec)}
    for c in in_spec:
        if c in out_pos and out[out_pos[c]] is not None and out[out_pos[c]] != input_shape[in_pos[c]]:
            raise ValueError(f"Input shape and output shape do not match at shared dimension "
                             f"'{c}'. Input shape is {input_shape[in_pos[c]]}, and output shape "
                             f"is {out[out_pos[c]]}.")
    for c in out_spec:
        if c not in in_spec and c not in w_spec:
            raise ValueError(f"Dimension '{c}' was specified in the output '{out_spec}' but has "
                             f"no corresponding dim in the input spec '{in_spec}' or weight "
                             f"spec '{w_spec}'")
    kernel_shape = []
    for c in w_spec:
        if c in out_pos:
            kernel_shape.append(out[out_pos[c]])
        elif c in in_pos:
            kernel_shape.append(input_shape[in_pos[c]])
        else:
            raise ValueError(f"Weight dimension '{c}' did not have a match in either the input "
                             f"spec '{in_spec}' or the output spec '{out_spec}'. For this layer, "
                             "the weight must be fully specified.")
    bias_shape = None
    if bias_axes is not None:
        offset = elided if side == "left" else 0
        sizes = {c: out[i + offset] for i, c in enumerate(out_spec)}
        for c in bias_axes:
            if c not in out_spec:
                raise ValueError(f"Bias dimension '{c}' was requested, but is not part of the "
                                 f"output spec '{out_spec}'")
        first = min(out_spec.find(c) for c in bias_axes)
        bias_shape = [sizes[c] if c in bias_axes else 1 for c in out_spec[first:]]
        if side != "left":
            bias_shape += [1] * max(elided, 0)
    return tuple(kernel_shape), None if bias_shape is None else tuple(bias_shape), tuple(out)


class EinsumDense(Layer):
    """A dense layer computing `activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: e.g. `"ab,bc->ac"` (a Dense layer), `"abc,cd->abd"`, `"...b,bc->...c"`.
        output_shape: the output shape without the batch axis (`None` for sizes that follow the
            input).
        activation: activation name or callable.
        bias_axes: letters of the output axes that get a bias, e.g. `"c"`.
        kernel_initializer, bias_initializer, regularizers, constraints: as Dense.

    Example:
        >>> EinsumDense("abc,cde->abde", output_shape=(None, 4, 8), bias_axes="de")(
        ...     ops.ones((2, 5, 16))).shape
        torch.Size([2, 5, 4, 8])
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, **kwargs):
        super().__init__(**kwargs)
        _parse(equation)
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) \
            else tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self._act = None if self.activation is activations.linear else self.activation
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint

    def build(self, input_shape):
        kernel_shape, bias_shape, full = analyze(self.equation, self.bias_axes, input_shape,
                                                 self.partial_output_shape)
        self.full_output_shape = full
        self.kernel = self.add_weight(shape=kernel_shape, name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, torch_name="weight")
        if bias_shape is not None:
            self.bias_variable = self.add_weight(shape=bias_shape, name="bias",
                                                 initializer=self.bias_initializer,
                                                 regularizer=self.bias_regularizer,
                                                 constraint=self.bias_constraint,
                                                 torch_name="bias")
        else:
            self.bias = None
        self.built = True

    def call(self, inputs):
        x = torch.einsum(self.equation, inputs, self.weight)
        if self.bias is not None:
            x = x + self.bias
        return x if self._act is None else self._act(x)

    def compute_output_shape(self, input_shape):
        return analyze(self.equation, self.bias_axes, input_shape, self.partial_output_shape)[2]

    def get_config(self):
        config = super().get_config()
        config.update(equation=self.equation, output_shape=self.partial_output_shape,
                      activation=activations.serialize(self.activation), bias_axes=self.bias_axes,
                      kernel_initializer=initializers.serialize(self.kernel_initializer),
                      bias_initializer=initializers.serialize(self.bias_initializer),
                      kernel_regularizer=self.kernel_regularizer,
                      bias_regularizer=self.bias_regularizer,
                      kernel_constraint=self.kernel_constraint,
                      bias_constraint=self.bias_constraint)
        return config
