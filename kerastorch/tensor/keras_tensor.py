"""`KerasTensor`: the symbolic tensor of the functional API.

`keras.Input(shape)` returns one, and calling a layer or an op on one returns new ones. It holds a
shape (batch `None`), a dtype and `_keras_history`, the `(layer, node_index, tensor_index)` of the
call that made it. Its operators (`x + y`, `x[:, 0]`, `-x`, `torch.relu(x)`) are defined here, in
the class: each records a `TFOpLambda` node through `kerastorch.ops.symbolic`, imported when an
operator is first used (so importing this module needs neither `ops` nor `layers`).
"""

import torch

from kerastorch import backend


def _symbolic():
    from kerastorch.ops import symbolic
    return symbolic


def _numpy_op(fn_name):
    """The undecorated `kerastorch.ops.numpy` function behind an operator."""
    from kerastorch.ops import numpy as knp
    return getattr(knp, fn_name)._raw


def _binary(fn_name, layer_name, swap=False):
    """The operator running `ops.numpy.<fn_name>` on `(self, other)` (`(other, self)` when
    `swap`), recorded as a layer named `layer_name` (Keras 2's name of the node)."""
    def operator(self, other):
        if not isinstance(other, (KerasTensor, torch.Tensor, int, float, bool)) and \
                not hasattr(other, "__array__"):
            return NotImplemented
        args = (other, self) if swap else (self, other)
        return _symbolic().symbolic_call(_numpy_op(fn_name), layer_name, args, {})
    operator.__name__ = f"__{fn_name}__"
    return operator


def _unary(fn_name, layer_name):
    def operator(self):
        return _symbolic().symbolic_call(_numpy_op(fn_name), layer_name, (self,), {})
    operator.__name__ = f"__{fn_name}__"
    return operator


class KerasTensor:
    """A symbolic tensor: a shape (batch `None`), a dtype, and the layer call that made it.

    Args:
        shape: the shape, batch dimension included; `None` for unknown sizes.
        dtype: its dtype (default `"float32"`).
        name: an optional name (`keras.Input(name=...)` gives its layer's name).

    Example:
        >>> x = keras.Input(shape=(4,))
        >>> (x * 2).shape
        (None, 4)
    """

    __array_priority__ = 1000  # numpy defers `array + x` to KerasTensor.__radd__
    __hash__ = object.__hash__  # tensors are graph vertices, hashed by identity

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

    # Operators: (op in kerastorch.ops.numpy, the Keras 2 name of the node's layer).
    __add__ = _binary("add", "tf.__operators__.add")
    __radd__ = _binary("add", "tf.__operators__.add", swap=True)
    __sub__ = _binary("subtract", "tf.math.subtract")
    __rsub__ = _binary("subtract", "tf.math.subtract", swap=True)
    __mul__ = _binary("multiply", "tf.math.multiply")
    __rmul__ = _binary("multiply", "tf.math.multiply", swap=True)
    __truediv__ = _binary("divide", "tf.math.truediv")
    __rtruediv__ = _binary("divide", "tf.math.truediv", swap=True)
    __floordiv__ = _binary("floor_divide", "tf.math.floordiv")
    __rfloordiv__ = _binary("floor_divide", "tf.math.floordiv", swap=True)
    __mod__ = _binary("mod", "tf.math.floormod")
    __rmod__ = _binary("mod", "tf.math.floormod", swap=True)
    __pow__ = _binary("power", "tf.math.pow")
    __rpow__ = _binary("power", "tf.math.pow", swap=True)
    __matmul__ = _binary("matmul", "tf.linalg.matmul")
    __rmatmul__ = _binary("matmul", "tf.linalg.matmul", swap=True)
    __lt__ = _binary("less", "tf.math.less")
    __le__ = _binary("less_equal", "tf.math.less_equal")
    __gt__ = _binary("greater", "tf.math.greater")
    __ge__ = _binary("greater_equal", "tf.math.greater_equal")
    __and__ = _binary("logical_and", "tf.math.logical_and")
    __rand__ = _binary("logical_and", "tf.math.logical_and", swap=True)
    __or__ = _binary("logical_or", "tf.math.logical_or")
    __ror__ = _binary("logical_or", "tf.math.logical_or", swap=True)
    __xor__ = _binary("logical_xor", "tf.math.logical_xor")
    __rxor__ = _binary("logical_xor", "tf.math.logical_xor", swap=True)
    __neg__ = _unary("negative", "tf.math.negative")
    __abs__ = _unary("absolute", "tf.math.abs")
    __invert__ = _unary("logical_not", "tf.math.logical_not")

    def __getitem__(self, key):
        return _symbolic().getitem(self, key)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        """A torch function applied to a KerasTensor (e.g. `torch.relu(x)`) becomes a node."""
        name = getattr(func, "__name__", "op")
        return _symbolic().symbolic_call(func, f"tf.{name}", args, kwargs or {})
