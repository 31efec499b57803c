"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.

Each takes a list of tensors (the branches of a graph) and returns one tensor. The lowercase
functions (`layers.add([a, b])`, `layers.concatenate([a, b])`, ...) build the layer and call it,
as Keras's do.
"""

import torch
from torch import nn

from kerastorch import backend
from kerastorch.layers.layer import Layer

_Tensor = torch.Tensor


def _is_shape_list(input_shape):
    return isinstance(input_shape, (list, tuple)) and len(input_shape) > 0 and \
        all(isinstance(s, (list, tuple)) or s is None for s in input_shape)


class Merge(Layer):
    """Base class of the element-wise merge layers: checks shapes and broadcasts ranks.

    Inputs of different ranks are broadcast as Keras does: the lower-rank ones get size-1
    axes inserted after the batch axis.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def __call__(self, *args, **kwargs):
        # Hot path: a built merge layer called on a plain list of tensors.
        if not kwargs and len(args) == 1 and self.built and type(args[0]) in (list, tuple):
            for t in args[0]:
                if type(t) is not _Tensor:
                    break
            else:
                return nn.Module.__call__(self, args[0])
        return super().__call__(*args, **kwargs)

    def _merge_function(self, inputs):
        raise NotImplementedError

    def _elementwise_shape(self, shape1, shape2):
        """Broadcast shape of two shapes without batch axis, aligned on the right."""
        if shape1 is None or shape2 is None:
            return None
        if len(shape1) < len(shape2):
            return self._elementwise_shape(shape2, shape1)
        if not shape2:
            return tuple(shape1)
        out = list(shape1[:-len(shape2)])
        for i, j in zip(shape1[-len(shape2):], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1 or i == j:
                out.append(i)
            else:
                raise ValueError(f"Inputs have incompatible shapes. Received shapes "
                                 f"{tuple(shape1)} and {tuple(shape2)} "
                                 f'(layer "{self.name}")')
        return tuple(out)

    def _check_list(self, input_shape):
        if not _is_shape_list(input_shape):
            raise ValueError(f'A merge layer should be called on a list of inputs. Received: '
                             f"input_shape={input_shape} (not a list of shapes) "
                             f'(layer "{self.name}")')

    def build(self, input_shape):
        self._check_list(input_shape)
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(f"Cannot merge tensors with different batch sizes. Received tensors "
                             f'with shapes {list(input_shape)} (layer "{self.name}")')
        self._merged_shape(input_shape)
        ranks = {None if s is None else len(s) for s in input_shape}
        self._reshape_required = None in ranks or len(ranks) != 1
        self.built = True

    def _merged_shape(self, input_shape):
        shape = None if input_shape[0] is None else tuple(input_shape[0][1:])
        for s in input_shape[1:]:
            shape = self._elementwise_shape(shape, None if s is None else tuple(s[1:]))
        return shape

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("A merge layer should be called on a list of inputs. Received: "
                             f'inputs={inputs} (not a list of tensors) (layer "{self.name}")')
        if self._reshape_required:
            ndim = max(x.dim() for x in inputs)
            inputs = [x.reshape(x.shape[:1] + (1,) * (ndim - x.dim()) + x.shape[1:])
                      if x.dim() < ndim else x for x in inputs]
        return self._merge_function(inputs)

    def compute_output_shape(self, input_shape):
        self._check_list(input_shape)
        shape = self._merged_shape(input_shape)
        batch_sizes = {s[0] for s in input_shape if s is not None} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch,) + tuple(shape)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)):
            raise ValueError(f"`mask` should be a list. Received: mask={mask}")
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"`inputs` should be a list. Received: inputs={inputs}")
        if len(mask) != len(inputs):
            raise ValueError("The lists `inputs` and `mask` should have the same length. "
                             f"Received: inputs={inputs} of length {len(inputs)}, and "
                             f"mask={mask} of length {len(mask)}")
        if any(m is None for m in mask):
            return None
        out = mask[0]
        for m in mask[1:]:
            out = torch.logical_or(out, m)
        return out


class Add(Merge):
    """Adds a list of inputs element-wise: `Add()([x1, x2])` is `x1 + x2`.

    Input shape: a list of tensors of the same shape (or broadcastable shapes).
    Output shape: that shape.

    Example:
        >>> x1 = keras.Input((16,)); x2 = keras.Input((16,))
        >>> layers.Add()([layers.Dense(8)(x1), layers.Dense(8)(x2)]).shape
        (None, 8)
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out


class Subtract(Merge):
    """Subtracts two inputs: `Subtract()([x1, x2])` is `x1 - x2`.

    Input shape: a list of exactly 2 tensors of the same shape.
    Output shape: that shape.

    Example:
        >>> x1 = keras.Input((16,)); x2 = keras.Input((16,))
        >>> layers.Subtract()([x1, x2]).shape
        (None, 16)
    """

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f'Received: input_shape={input_shape} (layer "{self.name}")')

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             f'Received: inputs={inputs} (layer "{self.name}")')
        return inputs[0] - inputs[1]


class Multiply(Merge):
    """Multiplies a list of inputs element-wise.

    Input shape: a list of tensors of the same shape (or broadcastable shapes).
    Output shape: that shape.

    Example:
        >>> x1 = keras.Input((16,)); x2 = keras.Input((16,))
        >>> layers.Multiply()([x1, x2]).shape
        (None, 16)
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


class Average(Merge):
    """Averages a list of inputs element-wise.

    Input shape: a list of tensors of the same shape (or broadcastable shapes).
    Output shape: that shape.

    Example:
        >>> x1 = keras.Input((16,)); x2 = keras.Input((16,))
        >>> layers.Average()([x1, x2]).shape
        (None, 16)
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


class Maximum(Merge):
    """Element-wise maximum of a list of inputs.

    Input shape: a list of tensors of the same shape (or broadcastable shapes).
    Output shape: that shape.

    Example:
        >>> x1 = keras.Input((16,)); x2 = keras.Input((16,))
        >>> layers.Maximum()([x1, x2]).shape
        (None, 16)
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.maximum(out, x)
        return out


class Minimum(Merge):
    """Element-wise minimum of a list of inputs.

    Input shape: a list of tensors of the same shape (or broadcastable shapes).
    Output shape: that shape.

    Example:
        >>> x1 = keras.Input((16,)); x2 = keras.Input((16,))
        >>> layers.Minimum()([x1, x2]).shape
        (None, 16)
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.minimum(out, x)
        return out


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`.

    Args:
        axis: the axis to concatenate along (default -1, the channels of NHWC tensors).

    Input shape: a list of tensors of the same shape except along `axis`.
    Output shape: that shape with the sizes along `axis` summed.

    Example:
        >>> x1 = keras.Input((4, 8)); x2 = keras.Input((4, 3))
        >>> layers.Concatenate()([x1, x2]).shape
        (None, 4, 11)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape):
        if not _is_shape_list(input_shape):
            raise ValueError("A `Concatenate` layer should be called on a list of at least 1 "
                             f'input. Received: input_shape={input_shape} (layer "{self.name}")')
        if all(s is None for s in input_shape):
            self.built = True
            return
        reduced = set()
        for shape in input_shape:
            shape = list(shape)
            del shape[self.axis]
            reduced.add(tuple(shape))
        if len(reduced) > 1:
            error = ValueError("A `Concatenate` layer requires inputs with matching shapes except "
                               f"for the concatenation axis. Received: input_shape="
                               f'{list(input_shape)} (layer "{self.name}")')
            ranks = {len(s) for s in reduced}
            if len(ranks) != 1:
                raise error
            for axis in range(ranks.pop()):
                if len({s[axis] for s in reduced if s[axis] is not None}) > 1:
                    raise error
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("A merge layer should be called on a list of inputs. Received: "
                             f'inputs={inputs} (not a list of tensors) (layer "{self.name}")')
        return torch.cat(inputs, dim=self.axis)

    def compute_output_shape(self, input_shape):
        if not _is_shape_list(input_shape):
            raise ValueError("A `Concatenate` layer should be called on a list of inputs. "
                             f'Received: input_shape={input_shape} (layer "{self.name}")')
        out = list(input_shape[0])
        for shape in input_shape[1:]:
            if out[self.axis] is None or shape[self.axis] is None:
                out[self.axis] = None
                break
            out[self.axis] += shape[self.axis]
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)):
            raise ValueError(f"`mask` should be a list. Received mask={mask}")
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"`inputs` should be a list. Received: inputs={inputs}")
        if len(mask) != len(inputs):
            raise ValueError("The lists `inputs` and `mask` should have the same length. "
                             f"Received: inputs={inputs} of length {len(inputs)}, and "
                             f"mask={mask} of length {len(mask)}")
        if all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = torch.ones_like(x, dtype=torch.bool)
            elif m.dim() < x.dim():
                m = m.unsqueeze(-1).expand(x.shape)
            masks.append(m)
        return torch.cat(masks, dim=self.axis).any(dim=-1)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


class Dot(Merge):
    """Dot product of two tensors along an axis of each, sample by sample.

    With shapes `(batch, 3, 5)` and `(batch, 10, 3)` and `axes=(1, 2)` the output has shape
    `(batch, 5, 10)`.

    Args:
        axes: an int, or a pair of ints (one axis per input); the batch axis 0 is not allowed.
        normalize: whether to L2-normalize each input along its axis first, so the result is
            the cosine similarity.

    Input shape: a list of exactly 2 tensors.
    Output shape: the first shape without its axis, then the second without batch and axis;
        `(batch, 1)` when nothing else is left.

    Example:
        >>> x1 = keras.Input((8,)); x2 = keras.Input((8,))
        >>> layers.Dot(axes=1)([x1, x2]).shape
        (None, 1)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError("Invalid type for argument `axes`: it should be a list or an int. "
                                f"Received: axes={axes}")
            if len(axes) != 2:
                raise ValueError("Invalid format for argument `axes`: it should contain two "
                                 f"elements. Received: axes={axes}")
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError("Invalid format for argument `axes`: list elements should be "
                                 f"integers. Received: axes={axes}")
        self.axes = axes
        self.normalize = normalize

    def _axes_for(self, ndim1, ndim2):
        if isinstance(self.axes, int):
            if self.axes < 0:
                return [self.axes % ndim1, self.axes % ndim2]
            return [self.axes, self.axes]
        return [a % n if a < 0 else a for a, n in zip(self.axes, (ndim1, ndim2))]

    def _check_two(self, input_shape):
        if not _is_shape_list(input_shape) or len(input_shape) != 2:
            raise ValueError("A `Dot` layer should be called on a list of 2 inputs. Received: "
                             f'input_shape={input_shape} (layer "{self.name}")')

    def build(self, input_shape):
        self._check_two(input_shape)
        shape1, shape2 = input_shape
        if shape1 is None or shape2 is None:
            self.built = True
            return
        a1, a2 = self._axes_for(len(shape1), len(shape2))
        if 0 in (a1, a2):
            raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not "
                             "batched, add a dummy batch dimension to your inputs using "
                             f'keras.ops.expand_dims(x, 0) (layer "{self.name}")')
        if shape1[a1] != shape2[a2]:
            raise ValueError(f"Incompatible input shapes: axis values {shape1[a1]} (at axis {a1}) "
                             f"!= {shape2[a2]} (at axis {a2}). Full input shapes: "
                             f'{tuple(shape1)}, {tuple(shape2)} (layer "{self.name}")')
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError("A `Dot` layer should be called on exactly 2 inputs. Received: "
                             f'inputs={inputs} (layer "{self.name}")')
        x, y = inputs
        a1, a2 = self._axes_for(x.dim(), y.dim())
        if self.normalize:
            x = _l2_normalize(x, a1)
            y = _l2_normalize(y, a2)
        return batch_dot(x, y, (a1, a2))

    def compute_output_shape(self, input_shape):
        self._check_two(input_shape)
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        a1, a2 = self._axes_for(len(shape1), len(shape2))
        shape1.pop(a1)
        shape2.pop(a2)
        shape2.pop(0)
        out = shape1 + shape2
        if len(out) == 1:
            out.append(1)
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config = super().get_config()
        config.update(axes=self.axes, normalize=self.normalize)
        return config


def _l2_normalize(x, axis):
    inv_norm = torch.rsqrt(x.square().sum(dim=axis, keepdim=True))
    return x * torch.clamp(inv_norm, max=1.0 / backend.epsilon())


def batch_dot(x, y, axes):
    """Sample-wise dot product of `x` and `y` along `axes=(axis_of_x, axis_of_y)` (not 0)."""
    a1, a2 = axes
    batch = x.shape[0]
    x = x.movedim(a1, -1)            # (batch, *x_rest, k)
    y = y.movedim(a2, 1)             # (batch, k, *y_rest)
    x_rest, y_rest = x.shape[1:-1], y.shape[2:]
    out = torch.bmm(x.reshape(batch, -1, x.shape[-1]), y.reshape(batch, y.shape[1], -1))
    shape = (batch,) + tuple(x_rest) + tuple(y_rest)
    return out.reshape(shape if len(shape) > 1 else (batch, 1))


def add(inputs, **kwargs):
    """Functional form of `Add`: `layers.add([x1, x2])`."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Functional form of `Subtract`: `layers.subtract([x1, x2])`."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Functional form of `Multiply`: `layers.multiply([x1, x2])`."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Functional form of `Average`: `layers.average([x1, x2])`."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Functional form of `Maximum`: `layers.maximum([x1, x2])`."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Functional form of `Minimum`: `layers.minimum([x1, x2])`."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of `Concatenate`: `layers.concatenate([x1, x2], axis=-1)`."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    """Functional form of `Dot`: `layers.dot([x1, x2], axes=1, normalize=False)`."""
    return Dot(axes=axes, **kwargs)(inputs)
