"""Metric: the base of Keras's metrics, with its state kept as tensors on the data's device."""

import torch

from kerastorch import backend
from kerastorch import initializers
from kerastorch.utils.naming import to_snake_case
from kerastorch.variables import MetricVariable


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
