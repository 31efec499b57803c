"""`keras.Variable`: a standalone variable whose `value` is a `torch.nn.Parameter`.

Keras 3 on torch keeps every variable as an `nn.Parameter`, so `v.value.grad` holds its
gradient after `backward()`. A standalone Variable owns its parameter (in a one-parameter
holder module); assigned as an attribute of a layer it becomes one of the layer's weights.
"""

import numpy as np
import torch
from torch import nn

from kerastorch import backend
from kerastorch import initializers
from kerastorch.layers import layer as _layer_module

_ViewVariable = _layer_module.Variable


class _Holder(nn.Module):
    """Owns the parameter of a standalone Variable."""

    trainable = True

    def __init__(self, name, param):
        super().__init__()
        self.name = name
        self.register_parameter("value", param)


class _VariableMeta(type):
    def __instancecheck__(cls, instance):
        # every Keras weight (add_weight's layout views included) is a keras.Variable
        if cls is Variable:
            return isinstance(instance, _ViewVariable)
        return super().__instancecheck__(instance)


class Variable(_ViewVariable, metaclass=_VariableMeta):
    """A tensor that training updates: `keras.Variable(initializer, shape, dtype, trainable)`.

    Args:
        initializer: a value (array, tensor, number) or an initializer (name or callable,
            then `shape` is required).
        shape: the shape, for an initializer.
        dtype: the dtype (default: the value's, else floatx).
        trainable: whether gradients are computed for it (`value.requires_grad`).
        name: its name (default 'variable').

    Example:
        >>> v = keras.Variable(np.ones((2,)), name="w")
        >>> (v * 3).sum().backward(); v.value.grad
        tensor([3., 3.], dtype=torch.float64)
    """

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None, **kwargs):
        kwargs.pop("layout", None)
        if kwargs:
            raise TypeError(f"Variable() got unexpected keyword arguments: {sorted(kwargs)}")
        name = name or backend.unique_object_name("variable")
        if not isinstance(name, str) or "/" in name:
            raise ValueError("Argument `name` must be a string and cannot contain character "
                             f"`/`. Received: name={name}")
        if isinstance(initializer, str) or (callable(initializer) and
                                            not isinstance(initializer, torch.Tensor)):
            init = initializers.get(initializer)
            if shape is None:
                raise ValueError("When creating a Variable from an initializer, the `shape` "
                                 "argument should be specified. Received: initializer="
                                 f"{init} and shape={shape}")
            dt = backend.to_torch_dtype(dtype)
            with torch.no_grad():
                value = torch.as_tensor(init(tuple(shape), dtype=dt), dtype=dt)
        else:
            value = initializer.value if isinstance(initializer, _ViewVariable) else initializer
            if isinstance(value, torch.Tensor):
                value = value.detach().clone()
            else:
                arr = np.asarray(value)
                if arr.dtype == np.float64 and not isinstance(value, np.ndarray):
                    arr = arr.astype(backend.floatx())  # Python floats: floatx, as Keras
                value = torch.as_tensor(arr.copy())
            if dtype is not None:
                value = value.to(backend.to_torch_dtype(dtype))
            if shape is not None and tuple(shape) != tuple(value.shape):
                raise ValueError("Initial value has shape "
                                 f"{tuple(value.shape)}, but variable has shape {tuple(shape)}")
        trainable = bool(trainable)
        param = nn.Parameter(value, requires_grad=trainable and (value.is_floating_point()
                                                                 or value.is_complex()))
        super().__init__(_Holder(name, param), "value", name, trainable=trainable)
        self._standalone_trainable = trainable
        self.regularizer = None
        self.constraint = None
        self.aggregation = aggregation
        self.synchronization = synchronization
        self.autocast = autocast

    @property
    def path(self):
        owner = getattr(self, "_owner", None)
        return f"{owner.name}/{self.name}" if owner is not None else self.name

    @property
    def trainable(self):
        return self._standalone_trainable and self.value.requires_grad

    @trainable.setter
    def trainable(self, value):
        self._standalone_trainable = bool(value)
        self.value.requires_grad_(bool(value) and self.value.is_floating_point())

    def _track_on(self, layer, attr):
        """Makes this variable a weight of `layer` (called when assigned as its attribute)."""
        if any(w is self for w in layer._keras_weights):
            return
        self._owner = layer
        param = self._layer._parameters.pop(self._attr)  # the layer owns it from now on
        layer._parameters.pop(attr, None)
        layer.register_parameter(attr, param)
        self._layer, self._attr = layer, attr
        layer._keras_weights.append(self)

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, "
                f"value={self.numpy()}>")
