"""Activation layer."""

from kerastorch import activations
from kerastorch.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function to its input.

    Args:
        activation: name of an activation (`"relu"`, `"softmax"`, ...) or a callable.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> Activation("relu")(ops.convert_to_tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(activation=activations.serialize(self.activation))
        return config
