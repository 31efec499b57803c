"""Every kind of Keras variable, and the rule for which is which.

Keras 3 keeps its variable classes in one module (`keras/src/backend/common/variables.py`); so
does kerastorch. On torch every number that training changes is a torch tensor owned by a
module (a `nn.Parameter` or a buffer), so a Keras variable here is a *handle* on such a tensor
that shows it the way Keras does. There are four kinds, chosen by who owns the tensor:

- `LayerVariable`: a tensor a layer owns in torch's layout (`add_weight`'s weights: a Dense
  kernel is torch's `(out, in)` parameter), seen in Keras's layout through a permutation.
  `layer.weights` are these. Never stale: it reads and writes the tensor itself.
- `MappedVariable`: the same, when Keras's layout is more than a permutation of torch's (a
  reshape, a reordering of GRU gate blocks): a pair of functions instead of a permutation.
- `Variable` (`keras.Variable`): the base of both, and the standalone variable a user creates;
  it owns its parameter until it is assigned to a layer, which then owns it. Every layer
  weight is an instance, so `isinstance(w, keras.Variable)` holds for all of `layer.weights`.
- `MetricVariable`: a metric's state. Not a `keras.Variable`: no layer or module owns it, it is
  never trained, is updated in place outside autograd and follows the device of the batches.

All four behave as tensors in torch functions and arithmetic (`_TensorLike`).
"""

import numpy as np
import torch
from torch import nn

from kerastorch import backend
from kerastorch import initializers
from kerastorch import tree


class _LayoutView(torch.Tensor):
    """A Keras-layout view of a parameter whose `.grad` is the parameter's gradient, in the same
    layout (Keras 3 torch guides read `v.value.grad`); ops on it return plain tensors."""

    __torch_function__ = torch._C._disabled_torch_function_impl

    @property
    def grad(self):
        g = self._kt_source.grad
        return None if g is None else g.permute(self._kt_layout)


def _unwrap(v):
    return v.value if isinstance(v, _TensorLike) else v


def _unwrap_nested(v):
    if isinstance(v, (list, tuple, dict)):
        return tree.map_structure(_unwrap, v)
    return _unwrap(v)


class _TensorLike:
    """What every variable kind shares: usable wherever a tensor is (`value` is the tensor)."""

    def numpy(self):
        return self.value.detach().cpu().numpy().copy()

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        args = [_unwrap_nested(a) for a in args]
        kwargs = {k: _unwrap_nested(v) for k, v in (kwargs or {}).items()}
        return func(*args, **kwargs)

    def __getitem__(self, idx):
        return self.value[idx]

    def __float__(self):
        return float(self.value)

    def __neg__(self):
        return -self.value


def _binary(name):
    def op(self, other):
        return getattr(self.value, name)(_unwrap(other))
    op.__name__ = name
    return op


for _name in ("add", "radd", "sub", "rsub", "mul", "rmul", "truediv", "rtruediv", "matmul",
              "rmatmul", "pow", "rpow", "floordiv", "mod", "lt", "le", "gt", "ge"):
    setattr(_TensorLike, f"__{_name}__", _binary(f"__{_name}__"))


class _Holder(nn.Module):
    """Owns the parameter of a standalone Variable."""

    trainable = True

    def __init__(self, name, param):
        super().__init__()
        self.name = name
        self.register_parameter("value", param)


class Variable(_TensorLike):
    """A tensor that training updates: `keras.Variable(initializer, shape, dtype, trainable)`.

    The base of every layer weight (`LayerVariable`, `MappedVariable`), and, constructed
    directly, a standalone variable whose `value` is a `torch.nn.Parameter`, so `v.value.grad`
    holds its gradient after `backward()`. Assigned as an attribute of a layer it becomes one
    of the layer's weights.

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
            value = initializer.value if isinstance(initializer, Variable) else initializer
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
        self._bind(_Holder(name, param), "value", name, trainable=trainable)
        self._standalone_trainable = trainable
        self.regularizer = None
        self.constraint = None
        self.aggregation = aggregation
        self.synchronization = synchronization
        self.autocast = autocast

    def _bind(self, layer, attr, name, layout=None, trainable=True):
        """Points this variable at `layer`'s tensor `attr`, seen through `layout`."""
        self._layer = layer
        self._attr = attr
        self.name = name
        self._layout = tuple(layout) if layout is not None else None
        self._inverse = tuple(int(i) for i in np.argsort(layout)) if layout is not None else None
        self._trainable = trainable

    # ---------------------------------------------------------------- the tensor
    @property
    def value(self):
        """The tensor in Keras's layout (a view of the torch tensor, gradients flow through it)."""
        t = self.torch_tensor
        if self._layout is None:
            return t
        if not t.requires_grad:
            return t.permute(self._layout)
        view = t.permute(self._layout).as_subclass(_LayoutView)  # `.value.grad` works (Keras 3)
        view._kt_source, view._kt_layout = t, self._layout
        return view

    @property
    def torch_tensor(self):
        # Looked up in the registries, not by getattr: in `self.kernel = self.add_weight(
        # name="kernel")` the attribute of that name is this Variable itself.
        layer, attr = self._layer, self._attr
        t = layer._parameters.get(attr)
        if t is None:
            t = layer._buffers.get(attr)
        return t if t is not None else getattr(layer, attr)

    @property
    def shape(self):
        return tuple(self.value.shape)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def dtype(self):
        return str(self.torch_tensor.dtype).replace("torch.", "")

    # ---------------------------------------------------------------- standalone
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

    # ---------------------------------------------------------------- updates
    def assign(self, value):
        t = backend.convert_to_tensor(value.value if isinstance(value, Variable) else value)
        if tuple(t.shape) != self.shape:
            raise ValueError(f"The shape of the target variable and the shape of the value must "
                             f"match. variable.shape={self.shape}, Received: value.shape="
                             f"{tuple(t.shape)} (variable {self.path})")
        target = self.torch_tensor
        with torch.no_grad():
            target.copy_(t if self._inverse is None else t.permute(self._inverse))
        return self

    def assign_add(self, value):
        return self.assign(self.value.detach() + backend.convert_to_tensor(value))

    def assign_sub(self, value):
        return self.assign(self.value.detach() - backend.convert_to_tensor(value))

    def _keras_layout_of(self, t):
        """`t`, a tensor shaped like the torch tensor (an optimizer slot), in Keras's layout."""
        return t if self._layout is None else t.permute(self._layout)

    def _torch_layout_of(self, t):
        """`t`, a tensor in this weight's Keras layout, in the torch tensor's layout."""
        return t if self._inverse is None else t.permute(self._inverse)

    # ---------------------------------------------------------------- as a tensor
    def __len__(self):
        return self.shape[0]

    def __int__(self):
        return int(self.value)

    def __bool__(self):
        return bool(self.value)


class LayerVariable(Variable):
    """A Keras weight: a view, in Keras's layout, of a torch parameter or buffer of a layer.

    `numpy()` and `assign()` read and write the torch tensor itself, so a LayerVariable never
    goes stale: moving the model to another device or loading a state_dict is seen at once.
    `layout` is the permutation from the torch tensor's dimensions to Keras's.
    """

    def __init__(self, layer, attr, name, layout=None, trainable=True):
        self._bind(layer, attr, name, layout=layout, trainable=trainable)

    @property
    def path(self):
        return f"{self._layer.name}/{self.name}"

    @property
    def trainable(self):
        t = self.torch_tensor
        return isinstance(t, nn.Parameter) and t.requires_grad

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        t = self.torch_tensor
        if isinstance(t, nn.Parameter):
            t.requires_grad_(self._trainable and self._layer.trainable)

    def __repr__(self):
        arr = np.array2string(self.numpy(), separator=", ", prefix=" array(")
        return (f"<Variable '{self.path}' shape={self.shape} dtype={self.dtype}, "
                f"numpy=\n array({arr}, dtype={self.dtype})>" if self.ndim > 1 else
                f"<Variable '{self.path}' shape={self.shape} dtype={self.dtype}, "
                f"numpy=array({arr}, dtype={self.dtype})>")


class MappedVariable(LayerVariable):
    """A view of a torch tensor through `to_keras` (torch -> Keras) and `to_torch` (back).

    `add_weight(layout=...)` covers kernels that are a transpose of torch's; some weights also
    need a reshape or a reordering of gate blocks (a DepthwiseConv2D kernel `(kh, kw, in, mult)`
    stored as torch's `(in * mult, 1, kh, kw)`; a GRU kernel in Keras's `z, r, h` gate order
    stored in torch's `r, z, n`). Both functions must be torch operations, so gradients (and
    regularizers) flow through `value`.
    """

    def __init__(self, layer, attr, name, to_keras, to_torch, trainable=True):
        super().__init__(layer, attr, name, layout=None, trainable=trainable)
        self._to_keras = to_keras
        self._to_torch = to_torch

    @property
    def value(self):
        return self._to_keras(getattr(self._layer, self._attr))

    def assign(self, value):
        t = backend.convert_to_tensor(value.value if isinstance(value, Variable) else value)
        if tuple(t.shape) != self.shape:
            raise ValueError(f"The shape of the target variable and the shape of the value must "
                             f"match. variable.shape={self.shape}, Received: value.shape="
                             f"{tuple(t.shape)} (variable {self.path})")
        target = self.torch_tensor
        with torch.no_grad():
            target.copy_(self._to_torch(t.to(device=target.device, dtype=target.dtype)))
        return self

    def _keras_layout_of(self, t):
        return self._to_keras(t)

    def _torch_layout_of(self, t):
        return self._to_torch(t)


def add_mapped_weight(layer, shape, name, initializer, torch_name, to_keras, to_torch,
                      regularizer=None, constraint=None, trainable=True):
    """Creates a parameter `torch_name` initialised in Keras's `shape`, and its MappedVariable."""
    dtype = backend.to_torch_dtype(layer.dtype)
    init = initializers.get(initializer)
    with torch.no_grad():
        value = torch.as_tensor(init(tuple(shape), dtype=dtype), dtype=dtype)
        value = to_torch(value).contiguous()
    param = nn.Parameter(value, requires_grad=bool(trainable) and layer.trainable)
    layer.register_parameter(torch_name, param)
    var = MappedVariable(layer, torch_name, name, to_keras, to_torch, trainable=bool(trainable))
    var.regularizer, var.constraint = regularizer, constraint
    layer._keras_weights.append(var)
    return var


class MetricVariable(_TensorLike):
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

    def __repr__(self):
        return f"<MetricVariable '{self.name}' shape={self.shape} dtype={self.dtype}>"
