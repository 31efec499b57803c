"""Pooling layers, channels-last by default, on torch's pooling kernels."""

import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch.layers.convolutional import conv_utils
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer

_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE = {("max", 1): F.adaptive_max_pool1d, ("max", 2): F.adaptive_max_pool2d,
             ("max", 3): F.adaptive_max_pool3d, ("avg", 1): F.adaptive_avg_pool1d,
             ("avg", 2): F.adaptive_avg_pool2d, ("avg", 3): F.adaptive_avg_pool3d}
_ADAPTIVE_SHAPE_WORDS = {1: "tuple of 1 integer", 2: "(height, width) tuple",
                         3: "(depth, height, width) tuple"}


class BaseMaxPooling(Layer):
    """N-D max pooling; subclasses fix `rank`. `strides=None` means `pool_size`."""

    rank = None

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        rank = self.rank
        self.pool_size = conv_utils.normalize_tuple(pool_size, rank, "pool_size")
        self.strides = conv_utils.normalize_tuple(
            self.pool_size if strides is None else strides, rank, "strides")
        self.padding = conv_utils.normalize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._channels_last = self.data_format == "channels_last"
        self._to_first = (0, rank + 1) + tuple(range(1, rank + 1))
        self._to_last = (0,) + tuple(range(2, rank + 2)) + (1,)
        self._pool = _MAX_POOL[rank]

    def build(self, input_shape):
        if len(input_shape) == self.rank + 2:
            self.compute_output_shape(input_shape)  # a window larger than the input: ValueError
        self.built = True

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        padding = 0
        if self.padding == "same":
            pads = [conv_utils.same_padding(n, k, s) for n, k, s in
                    zip(x.shape[2:], self.pool_size, self.strides)]
            if all(b == a and 2 * b <= k for (b, a), k in zip(pads, self.pool_size)):
                padding = tuple(b for b, _ in pads)  # torch pads with -inf itself
            else:
                x = F.pad(x, conv_utils.torch_pad_arg(pads), value=float("-inf"))
        y = self._pool(x, self.pool_size, self.strides, padding)
        return y.permute(self._to_last) if self._channels_last else y

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self._channels_last else input_shape[2:]
        out = []
        for n, k, s in zip(spatial, self.pool_size, self.strides):
            length = conv_utils.output_length(n, k, s, self.padding)
            if length is not None and length <= 0:
                raise ValueError(
                    f"Computed output size would be negative for layer \"{self.name}\". Received: "
                    f"`inputs.shape={input_shape}` and `pool_size={self.pool_size}`.")
            out.append(length)
        if self._channels_last:
            return (input_shape[0],) + tuple(out) + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + tuple(out)

    def get_config(self):
        config = super().get_config()
        config.update(pool_size=self.pool_size, strides=self.strides, padding=self.padding,
                      data_format=self.data_format)
        return config


class MaxPooling1D(BaseMaxPooling):
    """Max pooling over steps: `(batch, steps, features)` by default."""
    rank = 1


class MaxPooling2D(BaseMaxPooling):
    """Max pooling over height and width: `(batch, height, width, channels)` by default.

    Args:
        pool_size: int or tuple of 2 ints (default 2).
        strides: int or tuple of 2 ints; default `pool_size`.
        padding: `"valid"` or `"same"` (TensorFlow's: padded positions never win the max).
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """
    rank = 2


class MaxPooling3D(BaseMaxPooling):
    """Max pooling over three spatial dimensions."""
    rank = 3


class BaseAveragePooling(BaseMaxPooling):
    """N-D average pooling; subclasses fix `rank`. `strides=None` means `pool_size`.

    `"same"` follows TensorFlow: each output averages only the input positions its window
    covers (padding is not counted). Where TensorFlow's padding is symmetric torch does this
    itself (`count_include_pad=False`); where it is not (one more after), the input is
    zero-padded and the window sums are divided by the number of real positions.
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides=strides, padding=padding, data_format=data_format,
                         **kwargs)
        self._pool = _AVG_POOL[self.rank]

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        if self.padding != "same":
            y = self._pool(x, self.pool_size, self.strides)
        else:
            pads = [conv_utils.same_padding(n, k, s) for n, k, s in
                    zip(x.shape[2:], self.pool_size, self.strides)]
            if all(b == a for b, a in pads):
                y = self._pool(x, self.pool_size, self.strides, tuple(b for b, _ in pads),
                               count_include_pad=False)
            else:
                pad_arg = conv_utils.torch_pad_arg(pads)
                y = self._pool(F.pad(x, pad_arg), self.pool_size, self.strides)
                ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
                y = y / self._pool(F.pad(ones, pad_arg), self.pool_size, self.strides)
        return y.permute(self._to_last) if self._channels_last else y


class AveragePooling1D(BaseAveragePooling):
    """Average pooling over steps: `(batch, steps, features)` by default.

    Args:
        pool_size: int (default 2).
        strides: int; default `pool_size`.
        padding: `"valid"` or `"same"` (TensorFlow's: padded positions are not averaged).
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """
    rank = 1


class AveragePooling2D(BaseAveragePooling):
    """Average pooling over height and width: `(batch, height, width, channels)` by default.

    Args:
        pool_size: int or tuple of 2 ints (default 2).
        strides: int or tuple of 2 ints; default `pool_size`.
        padding: `"valid"` or `"same"` (TensorFlow's: padded positions are not averaged).
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Example:
        >>> AveragePooling2D(3, strides=2, padding="same")(ops.ones((1, 6, 6, 4))).shape
        torch.Size([1, 3, 3, 4])
    """
    rank = 2


class AveragePooling3D(BaseAveragePooling):
    """Average pooling over three spatial dimensions."""
    rank = 3


class BaseAdaptivePooling(Layer):
    """Pools to a fixed `output_size` whatever the input size (torch's adaptive pooling, as
    Keras 3 uses); subclasses fix `rank` and `kind` ("max" or "avg")."""

    rank = None
    kind = None

    def __init__(self, output_size, data_format=None, **kwargs):
        rank = self.rank
        if isinstance(output_size, int):
            output_size = (output_size,) * rank
        elif isinstance(output_size, (tuple, list)) and len(output_size) == rank:
            output_size = tuple(output_size)
        else:
            raise TypeError(f"`output_size` must be an integer or "
                            f"{_ADAPTIVE_SHAPE_WORDS[rank]}. Received: {output_size} of type "
                            f"{type(output_size)}")
        super().__init__(**kwargs)
        self.output_size = output_size
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._channels_last = self.data_format == "channels_last"
        self._to_first = (0, rank + 1) + tuple(range(1, rank + 1))
        self._to_last = (0,) + tuple(range(2, rank + 2)) + (1,)
        self._pool = _ADAPTIVE[(self.kind, rank)]

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        y = self._pool(x, self.output_size)
        return y.permute(self._to_last) if self._channels_last else y

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._channels_last:
            return (input_shape[0],) + self.output_size + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + self.output_size

    def get_config(self):
        config = super().get_config()
        config.update(output_size=self.output_size, data_format=self.data_format)
        return config


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Max pooling of `(batch, steps, features)` to `output_size` steps."""
    rank, kind = 1, "max"


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Max pooling of `(batch, h, w, channels)` to `output_size` (int or (height, width))."""
    rank, kind = 2, "max"


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Max pooling of three spatial dimensions to `output_size`."""
    rank, kind = 3, "max"


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Average pooling of `(batch, steps, features)` to `output_size` steps."""
    rank, kind = 1, "avg"


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Average pooling of `(batch, h, w, channels)` to `output_size` (int or (height, width)).

    Example:
        >>> AdaptiveAveragePooling2D(4)(ops.ones((1, 13, 9, 3))).shape
        torch.Size([1, 4, 4, 3])
    """
    rank, kind = 2, "avg"


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Average pooling of three spatial dimensions to `output_size`."""
    rank, kind = 3, "avg"


class BaseGlobalPooling(Layer):
    """Reduces the spatial dimensions with `reduce` (max or mean); subclasses fix `rank`."""

    rank = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.rank + 2)
        first = 1 if self.data_format == "channels_last" else 2
        self._dims = tuple(range(first, first + self.rank))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.keepdims:
            return tuple(1 if i in self._dims else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in self._dims)

    def get_config(self):
        config = super().get_config()
        config.update(data_format=self.data_format, keepdims=self.keepdims)
        return config


class _GlobalMax(BaseGlobalPooling):
    def call(self, inputs):
        return inputs.amax(dim=self._dims, keepdim=self.keepdims)


class _GlobalAverage(BaseGlobalPooling):
    def call(self, inputs):
        return inputs.mean(dim=self._dims, keepdim=self.keepdims)


class GlobalMaxPooling1D(_GlobalMax):
    """Max over steps."""
    rank = 1


class GlobalMaxPooling2D(_GlobalMax):
    """Max over height and width: `(batch, h, w, c)` -> `(batch, c)` (or `keepdims`)."""
    rank = 2


class GlobalMaxPooling3D(_GlobalMax):
    """Max over three spatial dimensions."""
    rank = 3


class GlobalAveragePooling1D(_GlobalAverage):
    """Mean over steps; with a mask (from `Embedding(mask_zero=True)` or `Masking`), the mean
    over the unmasked steps, as Keras computes it."""
    rank = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            mask = getattr(inputs, "_keras_mask", None)
        if mask is None:
            return inputs.mean(dim=self._dims, keepdim=self.keepdims)
        keep = mask.to(torch.bool).unsqueeze(self._dims[0] + 1 if self._dims[0] == 1 else 1)
        total = torch.where(keep, inputs, 0).sum(dim=self._dims, keepdim=self.keepdims)
        return total / keep.to(inputs.dtype).sum(dim=self._dims, keepdim=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None


class GlobalAveragePooling2D(_GlobalAverage):
    """Mean over height and width."""
    rank = 2


class GlobalAveragePooling3D(_GlobalAverage):
    """Mean over three spatial dimensions."""
    rank = 3


MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = (
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
