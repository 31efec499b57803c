"""Dense: the densely-connected layer (Keras 3: `keras/src/layers/core/dense.py`)."""

import torch.nn.functional as F

from kerastorch import activations
from kerastorch import initializers
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class Dense(Layer):
    """A densely-connected layer: `activation(inputs @ kernel + bias)`.

    The kernel is stored in torch's `(units, input_dim)` layout as `weight` (so the layer's
    state_dict is `nn.Linear`'s); `layer.kernel` and `get_weights()` show Keras's
    `(input_dim, units)`.

    Args:
        units: dimensionality of the output.
        activation: activation name or callable (default: none, i.e. linear).
        use_bias: whether to add a bias vector.
        kernel_initializer: default `"glorot_uniform"`.
        bias_initializer: default `"zeros"`.

    Input shape: `(batch_size, ..., input_dim)`.
    Output shape: `(batch_size, ..., units)`.

    Example:
        >>> layer = Dense(3)
        >>> layer(ops.ones((1, 4))).shape
        torch.Size([1, 3])
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError("Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        self.units = units
        self.activation = activations.get(activation)
        self._act = None if self.activation is activations.linear else self.activation
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f'The last dimension of the inputs to layer "{self.name}" should be '
                             f"defined. Found None. Full input shape received: {input_shape}")
        self.kernel = self.add_weight(shape=(input_dim, self.units), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint,
                                      torch_name="weight", layout=(1, 0))
        if self.use_bias:
            self.bias_variable = self.add_weight(shape=(self.units,), name="bias",
                                                 initializer=self.bias_initializer,
                                                 regularizer=self.bias_regularizer,
                                                 constraint=self.bias_constraint,
                                                 torch_name="bias")
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs):
        x = F.linear(inputs, self.weight, self.bias)
        return x if self._act is None else self._act(x)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=activations.serialize(self.activation),
                      use_bias=self.use_bias,
                      kernel_initializer=initializers.serialize(self.kernel_initializer),
                      bias_initializer=initializers.serialize(self.bias_initializer),
                      kernel_regularizer=self.kernel_regularizer,
                      bias_regularizer=self.bias_regularizer,
                      activity_regularizer=self.activity_regularizer,
                      kernel_constraint=self.kernel_constraint,
                      bias_constraint=self.bias_constraint)
        return config

    def extra_repr(self):
        return f"units={self.units}, activation={getattr(self.activation, '__name__', self.activation)}"
