"""`tf.Variable` on torch: a Keras Variable (its value an `nn.Parameter`) with TensorFlow's
constructor, names (`'w:0'`), dtypes and methods.

Because it is a `keras.Variable`, Keras optimizers update it (`apply_gradients`), layers can
hold it as a weight, torch functions and operators take it (`v * 2`, `torch.matmul(x, v)`), and
`tf.GradientTape` differentiates with respect to its parameter, in place, without copies.
"""

import numpy as np
import torch

from kerastorch import variables as _keras_variables
from kerastorch.porting.tf import dtypes as _dtypes
from kerastorch.porting.tf import tensor as _tensor


class VariableSynchronization:
    AUTO, NONE, ON_WRITE, ON_READ = "auto", "none", "on_write", "on_read"


class VariableAggregation:
    NONE, SUM, MEAN, ONLY_FIRST_REPLICA = "none", "sum", "mean", "only_first_replica"


class Variable(_keras_variables.Variable):
    """`tf.Variable(initial_value, trainable=True, name=None, dtype=None, shape=None, ...)`.

    Args:
        initial_value: a value, tensor or Variable, or a callable returning one.
        trainable: whether tapes watch it and optimizers update it (default True).
        name: its name (TensorFlow reports it as `'<name>:0'`; default 'Variable').
        dtype: the dtype to convert the initial value to (TensorFlow's rules otherwise:
            Python floats float32, ints int32).
        constraint: a function applied after each optimizer update.
        shape: the expected shape (a mismatch is a ValueError).

    Example:
        >>> v = tf.Variable(1.0, name="w"); v.assign_add(2.0); v.numpy()
        3.0
    """

    def __init__(self, initial_value=None, trainable=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None,
                 synchronization=VariableSynchronization.AUTO,
                 aggregation=VariableAggregation.NONE, shape=None,
                 experimental_enable_variable_lifting=True):
        if initial_value is None:
            raise ValueError("The `initial_value` arg to `tf.Variable` must be specified except "
                             "when you are not providing a `variable_def`. You provided neither.")
        if callable(initial_value) and not isinstance(initial_value, torch.Tensor) and \
                not hasattr(initial_value, "assign"):
            initial_value = initial_value()
        if isinstance(_tensor.unwrap(initial_value), torch.Tensor):
            value = _tensor.unwrap(initial_value).detach()
            if dtype is not None:
                value = value.to(_dtypes.to_torch(dtype))
        else:
            value = _tensor.convert_to_tensor(initial_value, dtype=dtype)
        if shape is not None and validate_shape and \
                not _tensor.TensorShape(tuple(value.shape)).is_compatible_with(shape):
            raise ValueError(f"In this `tf.Variable` creation, the initial value's shape "
                             f"({tuple(value.shape)}) is not compatible with the explicitly "
                             f"supplied `shape` argument ({tuple(shape)}).")
        trainable = True if trainable is None else bool(trainable)
        tf_name = "Variable" if name is None else str(name)
        super().__init__(value, trainable=trainable,
                         name=tf_name.replace("/", "_").replace(":", "_"))
        self.name = tf_name + ":0"
        self.constraint = constraint
        self.aggregation = aggregation
        self.synchronization = synchronization

    @property
    def trainable(self):
        return self._standalone_trainable

    @trainable.setter
    def trainable(self, value):
        self._standalone_trainable = bool(value)
        self.value.requires_grad_(bool(value) and self.value.is_floating_point())

    @property
    def path(self):
        return self.name

    @property
    def dtype(self):
        return _dtypes.as_dtype(self.torch_tensor.dtype)

    @property
    def shape(self):
        return _tensor.TensorShape(tuple(self.torch_tensor.shape))

    @property
    def device(self):
        return str(self.torch_tensor.device)

    def get_shape(self):
        return self.shape

    def read_value(self):
        """The current value as a new tensor (gradients flow to the variable)."""
        return self.value.clone()

    def assign(self, value, use_locking=False, name=None, read_value=True):
        super().assign(value)
        return self if read_value else None

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        super().assign(self.value.detach() + _tensor.convert_to_tensor(delta))
        return self if read_value else None

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        super().assign(self.value.detach() - _tensor.convert_to_tensor(delta))
        return self if read_value else None

    def numpy(self):
        arr = super().numpy()
        return arr[()] if arr.ndim == 0 else arr

    def __repr__(self):
        arr = self.numpy()
        text = repr(arr.item()) if np.ndim(arr) == 0 else repr(arr)
        if "\n" in text:
            text = "\n" + text  # TensorFlow starts a multi-line array on its own line
        return (f"<tf.Variable '{self.name}' shape={tuple(self.shape)} dtype={self.dtype.name}, "
                f"numpy={text}>")

    def __abs__(self):
        return torch.abs(self.value)
