"""Identity layer."""

from kerastorch.layers.layer import Layer


class Identity(Layer):
    """Returns its input unchanged (a placeholder layer); passes masks through.

    Example:
        >>> Identity()(ops.ones((2, 3))).shape
        torch.Size([2, 3])
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
