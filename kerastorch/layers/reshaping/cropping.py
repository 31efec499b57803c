"""Cropping1D/2D/3D: remove rows/columns at the borders of spatial axes (a view, no copy)."""

from kerastorch import backend
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.layers.reshaping.zero_padding import normalize_pairs


class _Cropping(Layer):
    rank = None

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = normalize_pairs(cropping, self.rank, "cropping", type(self).__name__)
        self.data_format = backend.standardize_data_format(data_format)
        self._channels_last = self.data_format == "channels_last"
        self._first = 1 if self._channels_last else 2
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _check(self, input_shape):
        for i, (before, after) in enumerate(self.cropping):
            d = input_shape[self._first + i]
            if d is not None and before + after >= d:
                raise ValueError(f"`cropping` parameter of `{type(self).__name__}` layer must be "
                                 "smaller than the input size. Received: inputs.shape="
                                 f"{tuple(input_shape)}, cropping={self.cropping}")

    def build(self, input_shape):
        self._check(input_shape)
        self._slices = (slice(None),) * self._first + tuple(
            slice(before, -after if after else None) for before, after in self.cropping)
        self.built = True

    def call(self, inputs):
        return inputs[self._slices]

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        shape = list(input_shape)
        for i, (before, after) in enumerate(self.cropping):
            d = shape[self._first + i]
            shape[self._first + i] = None if d is None else d - before - after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update(cropping=self.cropping[0] if self.rank == 1 else self.cropping,
                      data_format=self.data_format)
        return config


class Cropping1D(_Cropping):
    """Crops the time axis of `(batch, steps, features)`.

    Args:
        cropping: int (both ends) or `(start, end)`; default `(1, 1)`.

    Example:
        >>> Cropping1D((1, 2))(ops.ones((1, 6, 3))).shape
        torch.Size([1, 3, 3])
    """
    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("data_format")
        return config


class Cropping2D(_Cropping):
    """Crops rows and columns of images.

    Args:
        cropping: int, `(crop_h, crop_w)`, or `((top, bottom), (left, right))`; default 0.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Example:
        >>> Cropping2D(((1, 1), (2, 2)))(ops.ones((1, 6, 8, 3))).shape
        torch.Size([1, 4, 4, 3])
    """
    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping3D(_Cropping):
    """Crops the three spatial axes of volumes.

    Args:
        cropping: int, 3 ints, or 3 `(before, after)` pairs; default 1.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """
    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
