"""SpatialDropout1D/2D/3D: drop whole feature maps instead of single elements."""

from kerastorch import backend
from kerastorch.layers.regularization.dropout import Dropout
from kerastorch.layers.regularization.dropout import dropout_mask
from kerastorch.layers.input_spec import InputSpec


class _SpatialDropout(Dropout):
    rank = None

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = backend.standardize_data_format(
            "channels_last" if self.rank == 1 else data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _mask_shape(self, inputs):
        n, ones = inputs.shape[0], (1,) * self.rank
        if self.data_format == "channels_last":
            return (n,) + ones + (inputs.shape[-1],)
        return (n, inputs.shape[1]) + ones

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return inputs * 0
        return inputs * dropout_mask(self, self._mask_shape(inputs), self.rate, inputs)

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape")
        if self.rank > 1:
            config.update(data_format=self.data_format)
        return config


class SpatialDropout1D(_SpatialDropout):
    """Drops entire 1D feature maps (channels) of `(batch, steps, channels)` in training.

    Args:
        rate: fraction of channels to drop.
        seed: integer seed of the layer's own random generator.
    """
    rank = 1


class SpatialDropout2D(_SpatialDropout):
    """Drops entire 2D feature maps (channels) of images in training.

    Args:
        rate: fraction of channels to drop.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: integer seed of the layer's own random generator.

    Example:
        >>> SpatialDropout2D(0.5)(ops.ones((2, 4, 4, 8)), training=True).shape
        torch.Size([2, 4, 4, 8])
    """
    rank = 2


class SpatialDropout3D(_SpatialDropout):
    """Drops entire 3D feature maps (channels) of volumes in training.

    Args:
        rate: fraction of channels to drop.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: integer seed of the layer's own random generator.
    """
    rank = 3
