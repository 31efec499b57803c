"""Flatten layer."""

import math

from kerastorch import backend
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class Flatten(Layer):
    """Flattens each sample to one dimension, in Keras's (channels-last) element order.

    A channels-last input is reshaped as it is, so a `Dense` after `Flatten` takes Keras's
    weights unchanged; with `data_format="channels_first"` the channels are moved last first,
    as Keras does.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch_size, ...)`. Output shape: `(batch_size, prod(...))`.

    Example:
        >>> Flatten()(ops.ones((2, 4, 4, 3))).shape
        torch.Size([2, 48])
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self._channels_first = self.data_format == "channels_first"
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        if self._channels_first and inputs.ndim > 2:
            inputs = inputs.movedim(1, -1)
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape):
        dims = tuple(input_shape[1:])
        if not dims:
            return (input_shape[0], 1)
        if any(d is None for d in dims):
            return (input_shape[0], None)
        return (input_shape[0], math.prod(dims))

    def get_config(self):
        config = super().get_config()
        config.update(data_format=self.data_format)
        return config
