"""Lambda layer."""

from kerastorch.layers.layer import Layer


class Lambda(Layer):
    """Wraps a function of tensors as a layer.

    Args:
        function: the function, called as `function(inputs, **arguments)`.
        output_shape: the output shape without the batch axis, or a function of the input shape
            (with batch axis); by default inferred by running `function` on `meta` tensors.
        mask: a mask tensor, or a function `mask(inputs, mask)` computing one.
        arguments: dict of keyword arguments passed to `function`.

    Example:
        >>> Lambda(lambda x: x ** 2)(ops.convert_to_tensor([3.0]))
        tensor([9.])
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Argument `function` of Lambda must be callable. Received: {function}")
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None

    def call(self, inputs, mask=None, training=None):
        return self.function(inputs, **self.arguments)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        shape = tuple(self._output_shape)
        if isinstance(input_shape, tuple) and input_shape and \
                not isinstance(input_shape[0], (tuple, list)):
            return (input_shape[0],) + shape
        if isinstance(input_shape, (list, tuple)) and input_shape and \
                isinstance(input_shape[0], (tuple, list)) and input_shape[0]:
            return (input_shape[0][0],) + shape  # several inputs: the first one's batch
        return shape

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        config = super().get_config()
        config.update(function=self.function, output_shape=self._output_shape,
                      arguments=self.arguments)
        return config
