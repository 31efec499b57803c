"""`keras.Input` and `InputLayer`, where a functional graph starts.

`KerasTensor` and `Node` live in `kerastorch.tensor`; they are re-exported here, their old home.
"""

from kerastorch import backend
from kerastorch.layers.layer import Layer
from kerastorch.tensor.keras_tensor import KerasTensor
from kerastorch.tensor.node import Node


class InputLayer(Layer):
    """The layer behind `keras.Input`: it makes one symbolic tensor and has no weights."""

    _is_input_layer = True  # its node starts the graph (see `Node`)

    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None,
                 batch_shape=None, sparse=None, ragged=None, **kwargs):
        if name is None:
            name = f"input_{backend.get_uid('input')}"
        shape = kwargs.pop("shape", None)
        if input_shape is None:
            input_shape = shape
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        if batch_shape is None:
            batch_shape = batch_input_shape
        if batch_shape is None:
            if input_shape is None:
                raise ValueError("You must pass a `shape` argument to `Input`.")
            if isinstance(input_shape, int):
                input_shape = (input_shape,)
            batch_shape = (batch_size,) + tuple(input_shape)
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._batch_input_shape = tuple(batch_shape)
        self.built = True
        self.supports_masking = True
        tensor = KerasTensor(batch_shape, self.dtype, name=name)
        Node(self, tensor, outputs=tensor)

    @property
    def batch_shape(self):
        return self._batch_input_shape

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {"batch_shape": self._batch_input_shape, "dtype": self.dtype,
                "sparse": False, "name": self.name}


def Input(shape=None, batch_size=None, name=None, dtype=None, sparse=None, tensor=None,
          ragged=None, batch_shape=None, **kwargs):
    """Makes a symbolic input tensor: `keras.Input(shape=(784,))` has shape `(None, 784)`.

    Args:
        shape: the shape of one sample (no batch dimension); `None` entries are unknown sizes.
        batch_size: optional fixed batch size.
        name: the input layer's name (default `input_1`, `input_2`, ...).
        dtype: its dtype (default `keras.backend.floatx()`).
        batch_shape: the full shape, batch included, instead of `shape` and `batch_size`.
    """
    if kwargs.get("batch_input_shape") is not None and batch_shape is None:
        batch_shape = kwargs.pop("batch_input_shape")
    if kwargs:
        raise TypeError(f"Keyword argument not understood: {next(iter(kwargs))!r} (passed to Input)")
    if shape is None and batch_shape is None:
        raise ValueError("Please provide to Input a `shape` or a `batch_shape` argument. Note "
                         "that `shape` does not include the batch dimension.")
    if shape is not None and batch_shape is not None:
        raise ValueError("Only provide the `shape` OR `batch_shape` argument to Input, not both "
                         "at the same time.")
    layer = InputLayer(input_shape=shape, batch_size=batch_size, dtype=dtype, name=name,
                       batch_shape=batch_shape)
    return layer.output


__all__ = ["Input", "InputLayer", "KerasTensor", "Node"]
