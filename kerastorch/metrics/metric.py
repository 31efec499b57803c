"""Metric: the base of Keras's metrics, with its state kept as tensors on the data's device."""

import numpy as np
import torch

from kerastorch import backend
from kerastorch import initializers
from kerastorch.utils.naming import to_snake_case


class MetricVariable:
    """A metric's state tensor with Keras's Variable methods (`assign`, `assign_add`, `numpy`).

    Updates are in place and detached from autograd; the tensor follows the device of the
    values added to it, so metric state stays where the batches are.
    """

    def __init__(self, value, name=None):
        self._value = value
        self.name = name

    @property
    def value(self):
        return self._value

    @property
    def shape(self):
        return tuple(self._value.shape)

    @property
    def dtype(self):
        return str(self._value.dtype).replace("torch.", "")

    def _coerce(self, value):
        if isinstance(value, MetricVariable):
            value = value.value
        if not isinstance(value, torch.Tensor):
            value = torch.as_tensor(np.asarray(value), dtype=self._value.dtype)
        value = value.detach()
        if value.device != self._value.device:
            if value.dim() == 0 and value.device.type == "cpu":
                value = value.to(self._value.device)
            else:
                self._value = self._value.to(value.device)
        return value

    def _move(self, device):
        self._value = self._value.to(device)

    def assign(self, value):
        self._value.copy_(self._coerce(value))
        return self

    def assign_add(self, value):
        self._value.add_(self._coerce(value))
        return self

    def assign_sub(self, value):
        self._value.sub_(self._coerce(value))
        return self

    def numpy(self):
        return self._value.detach().cpu().numpy().copy()

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    def __repr__(self):
        return f"<MetricVariable '{self.name}' shape={self.shape} dtype={self.dtype}>"

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        unwrap = lambda v: v.value if isinstance(v, MetricVariable) else v  # noqa: E731
        args = [unwrap(a) for a in args]
        kwargs = {k: unwrap(v) for k, v in (kwargs or {}).items()}
        return func(*args, **kwargs)

    def __getitem__(self, idx):
        return self._value[idx]

    def __float__(self):
        return float(self._value)

    def __neg__(self):
        return -self._value


def _binary(name):
    def op(self, other):
        other = other.value if isinstance(other, MetricVariable) else other
        return getattr(self._value, name)(other)
    op.__name__ = name
    return op


for _name in ("add", "radd", "sub", "rsub", "mul", "rmul", "truediv", "rtruediv", "pow", "lt",
              "le", "gt", "ge"):
    setattr(MetricVariable, f"__{_name}__", _binary(f"__{_name}__"))


class Metric:
    """Base class of metrics: state in `add_variable`s, `update_state`, `result`, `reset_state`.

    Calling a metric updates it and returns the result. Built-in metrics never read a value
    back to the host while updating: `result()` is a tensor on the data's device.

    Args:
        dtype: the dtype of the state (default `floatx()`).
        name: the metric's name.

    Example:
        >>> class Count(keras.metrics.Metric):
        ...     def __init__(self, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.n = self.add_variable(shape=(), initializer="zeros", name="n")
        ...     def update_state(self, y_true, y_pred, sample_weight=None):
        ...         self.n.assign_add(y_true.shape[0])
        ...     def result(self):
        ...         return self.n.value
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or backend.unique_object_name(to_snake_case(type(self).__name__))
        self._dtype = backend.standardize_dtype(dtype or backend.floatx())
        self._torch_dtype = backend.to_torch_dtype(self._dtype)
        self._variables = []
        self._metrics = []

    @property
    def dtype(self):
        return self._dtype

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a state tensor (zeros unless `initializer` says otherwise)."""
        if not hasattr(self, "_variables"):
            raise RuntimeError("You forgot to call `super().__init__()` in the `__init__()` "
                               "method. Go add it!")
        shape = tuple(int(d) for d in shape)
        dtype = backend.to_torch_dtype(dtype or self._dtype)
        init = initializers.get(initializer if initializer is not None else "zeros")
        value = torch.as_tensor(init(shape, dtype=dtype), dtype=dtype).detach().clone()
        variable = MetricVariable(value, name=name)
        variable._initializer = init
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def __setattr__(self, name, value):
        if isinstance(value, Metric) and name != "_metrics" and hasattr(self, "_metrics"):
            self._metrics.append(value)
        super().__setattr__(name, value)

    @property
    def variables(self):
        out = list(self._variables)
        for metric in self._metrics:
            out.extend(metric.variables)
        return out

    def _state_on(self, device):
        """Moves the state to `device` (where the batches are) when it is elsewhere."""
        for v in self.variables:
            if v.value.device != device:
                v._move(device)

    def reset_state(self):
        """Sets every state variable back to zero."""
        for v in self.variables:
            v.value.zero_()

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    def __str__(self):
        return self.__repr__()
