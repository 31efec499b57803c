"""Lambda layer."""

from kerastorch.layers.layer import Layer
from kerastorch.tensor.shapes import flatten_shapes
from kerastorch.tensor.shapes import map_shapes


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
        # `output_shape` leaves out the batch axis: it is the first input's (one input or a
        # list of them, as for a distance between two towers)
        inputs = flatten_shapes(input_shape)
        batch = inputs[0][0] if inputs and inputs[0] else None
        return map_shapes(_as_shapes(self._output_shape), lambda s: (batch,) + s)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        config = super().get_config()
        config.update(function=self.function, output_shape=self._output_shape,
                      arguments=self.arguments)
        return config


def _as_shapes(value):
    """`output_shape` as shapes: a sequence of ints (a list too, as a config gives it) is one
    shape, other lists and tuples hold shapes."""
    if isinstance(value, (list, tuple)) and all(d is None or isinstance(d, int) for d in value):
        return tuple(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_as_shapes(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_shapes(v) for k, v in value.items()}
    return value
