"""UpSampling1D/2D/3D: repeat (or interpolate) along spatial axes."""

import torch.nn.functional as F

from kerastorch import backend
from kerastorch.layers.convolutional import conv_utils
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.resizing import check_interpolation
from kerastorch.layers.preprocessing.resizing import resize_images


class UpSampling1D(Layer):
    """Repeats each timestep `size` times.

    Args:
        size: the upsampling factor (default 2).

    Input shape: `(batch, steps, features)`. Output shape: `(batch, steps * size, features)`.

    Example:
        >>> UpSampling1D(2)(ops.ones((1, 3, 4))).shape
        torch.Size([1, 6, 4])
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return inputs.repeat_interleave(self.size, dim=1)

    def compute_output_shape(self, input_shape):
        steps = input_shape[1]
        return (input_shape[0], None if steps is None else steps * self.size, input_shape[2])

    def get_config(self):
        config = super().get_config()
        config.update(size=self.size)
        return config


class _UpSampling(Layer):
    rank = None

    def __init__(self, size, data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = conv_utils.normalize_tuple(size, self.rank, "size")
        self.data_format = backend.standardize_data_format(data_format)
        self._channels_last = self.data_format == "channels_last"
        self.interpolation = check_interpolation(interpolation)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self._to_first = (0, self.rank + 1) + tuple(range(1, self.rank + 1))
        self._to_last = (0,) + tuple(range(2, self.rank + 2)) + (1,)

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        if self.interpolation == "nearest":
            y = F.interpolate(x, scale_factor=self.size, mode="nearest")
        else:
            y = resize_images(x, tuple(n * f for n, f in zip(x.shape[2:], self.size)),
                              self.interpolation)
        return y.permute(self._to_last) if self._channels_last else y

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = 1 if self._channels_last else 2
        for i, f in enumerate(self.size):
            d = shape[first + i]
            shape[first + i] = None if d is None else d * f
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update(size=self.size, data_format=self.data_format)
        if self.rank == 2:
            config.update(interpolation=self.interpolation)
        return config


class UpSampling2D(_UpSampling):
    """Upsamples images by `size`: repeating rows and columns (`"nearest"`) or interpolating
    (`"bilinear"`, `"bicubic"`: half-pixel centres, as Keras resizes).

    Args:
        size: int or `(rows, cols)` factors (default 2).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        interpolation: `"nearest"` (default), `"bilinear"` or `"bicubic"`.

    Example:
        >>> UpSampling2D(2)(ops.ones((1, 3, 4, 8))).shape
        torch.Size([1, 6, 8, 8])
    """
    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format, interpolation, **kwargs)


class UpSampling3D(_UpSampling):
    """Repeats the three spatial axes of volumes by `size` (default 2 each).

    Args:
        size: int or 3 ints.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """
    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format, "nearest", **kwargs)
