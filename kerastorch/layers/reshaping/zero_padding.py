"""ZeroPadding1D/2D/3D: pad spatial axes with zeros (channels-last by default)."""

import torch.nn.functional as F

from kerastorch import backend
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


def normalize_pairs(value, rank, name, layer_name):
    """`value` as `rank` (before, after) pairs: from an int, `rank` ints, or `rank` pairs."""
    if isinstance(value, int):
        return ((value, value),) * rank
    value = tuple(value)
    if rank == 1 and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value,)
    if len(value) != rank:
        raise ValueError(f"`{name}` should have {rank} elements. Received: {name}={value}.")
    pairs = []
    for v in value:
        if isinstance(v, int):
            pairs.append((v, v))
        else:
            v = tuple(v)
            if len(v) != 2 or not all(isinstance(i, int) for i in v):
                raise ValueError(f"`{name}` should be an int, a tuple of {rank} ints, or a tuple "
                                 f"of {rank} tuples of 2 ints. Received: {name}={value}.")
            pairs.append(v)
    if any(i < 0 for p in pairs for i in p):
        raise ValueError(f"`{name}` of layer {layer_name} must be non-negative. "
                         f"Received: {name}={value}.")
    return tuple(pairs)


class _ZeroPadding(Layer):
    rank = None

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = normalize_pairs(padding, self.rank, "padding", type(self).__name__)
        self.data_format = backend.standardize_data_format(data_format)
        self._channels_last = self.data_format == "channels_last"
        pads = []  # F.pad order: last axis first
        for before, after in reversed(self.padding):
            pads += [before, after]
        self._pad = ([0, 0] + pads) if self._channels_last else pads
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        return F.pad(inputs, self._pad)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = 1 if self._channels_last else 2
        for i, (before, after) in enumerate(self.padding):
            d = shape[first + i]
            shape[first + i] = None if d is None else d + before + after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update(padding=self.padding[0] if self.rank == 1 else self.padding,
                      data_format=self.data_format)
        return config


class ZeroPadding1D(_ZeroPadding):
    """Pads the time axis of `(batch, steps, features)` with zeros.

    Args:
        padding: int (both sides) or `(left, right)`; default 1.

    Example:
        >>> ZeroPadding1D(2)(ops.ones((1, 5, 3))).shape
        torch.Size([1, 9, 3])
    """
    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format="channels_last" if data_format is None
                         else data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Pads rows and columns of images with zeros.

    Args:
        padding: int, `(pad_h, pad_w)`, or `((top, bottom), (left, right))`; default 1.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Example:
        >>> ZeroPadding2D(1)(ops.ones((1, 4, 4, 3))).shape
        torch.Size([1, 6, 6, 3])
    """
    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Pads the three spatial axes of volumes with zeros.

    Args:
        padding: int, 3 ints, or 3 `(before, after)` pairs; default 1.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """
    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
