"""ActivityRegularization layer."""

from kerastorch import regularizers
from kerastorch.layers.layer import Layer


class ActivityRegularization(Layer):
    """Returns its input unchanged and adds `l1 * sum|x| + l2 * sum(x**2)`, divided by the batch
    size as Keras does, to the layer's `losses` at each call.

    Args:
        l1: L1 factor (default 0).
        l2: L2 factor (default 0).

    Example:
        >>> layer = ActivityRegularization(l2=0.1)
        >>> _ = layer(ops.ones((2, 3)))
        >>> layer.losses  # [0.1 * 6 / 2]
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(l1=self.l1, l2=self.l2)
        return config
