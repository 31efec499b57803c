"""`keras.Input`, `InputLayer`, and the symbolic tensors and nodes of the functional API."""

from kerastorch import backend
from kerastorch import tree
from kerastorch.layers.layer import Layer


class KerasTensor:
    """A symbolic tensor: a shape (batch `None`), a dtype, and the layer call that made it."""

    def __init__(self, shape, dtype="float32", name=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = backend.standardize_dtype(dtype)
        self.name = name
        self._keras_history = None  # (layer, node_index, tensor_index)

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        name = f", name={self.name}" if self.name else ""
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse=False{name}>"

    def __len__(self):
        raise TypeError("A KerasTensor has no length: it is a symbolic placeholder. Call the "
                        "model on real data to get a value.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python boolean.")

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "A KerasTensor is symbolic: it's a placeholder for a shape and a dtype. It doesn't "
            "have any actual numerical value. You cannot convert it to a NumPy array.")


class Node:
    """One call of a layer on symbolic inputs: what went in, what came out."""

    def __init__(self, layer, inputs, args=(), kwargs=None, outputs=None):
        self.layer = layer
        self.call_inputs = inputs
        self.call_args = tuple(args)
        self.call_kwargs = dict(kwargs or {})
        self.is_input = isinstance(layer, InputLayer)
        self.input_tensors = [] if self.is_input else [
            t for t in tree.flatten((inputs, self.call_args, self.call_kwargs))
            if isinstance(t, KerasTensor)]
        self.outputs = outputs
        self.output_tensors = tree.flatten(outputs)
        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = (layer, node_index, i)

    @property
    def parent_nodes(self):
        return [t._keras_history[0]._inbound_nodes[t._keras_history[1]]
                for t in self.input_tensors if t._keras_history is not None]

    @property
    def input(self):
        return self.call_inputs

    @property
    def output(self):
        return self.outputs

    @property
    def input_shapes(self):
        return tree.map_structure(lambda t: t.shape, self.call_inputs) if not self.is_input \
            else [self.outputs.shape]

    @property
    def output_shapes(self):
        shapes = tree.map_structure(lambda t: t.shape, self.outputs)
        return [shapes] if self.is_input else shapes

    def iterate_inbound(self):
        """(layer, node_index, tensor_index) of each input tensor, as Keras 2's summary shows."""
        for t in self.input_tensors:
            yield t._keras_history


class InputLayer(Layer):
    """The layer behind `keras.Input`: it makes one symbolic tensor and has no weights."""

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


# Arithmetic and indexing on symbolic tensors (`x + y`, `x[:, 0]`) build op layers.
from kerastorch.ops import symbolic as _symbolic  # noqa: E402

_symbolic.register_keras_tensor(KerasTensor)
