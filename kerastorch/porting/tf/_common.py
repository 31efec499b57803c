"""What the op namespaces of the TensorFlow shim share: TensorFlow's rules for turning values
into tensors (Python ints int32, floats float32, numpy arrays keep their dtype), for the dtype
of an op on several values (`matching`: the first tensor argument's, numpy arrays cast to it,
other tensors must match), axis handling, and the clear miss of a name not built.

Placement follows kerastorch.ops: new tensors, numpy arrays and lists go to the default device
(CUDA when present, `backend.set_device`'s otherwise); Python scalars stay 0-d CPU tensors,
which torch combines with tensors on any device; an op's result is where its inputs are."""

import builtins
import types

import numpy as np
import torch

from kerastorch import backend
from kerastorch import ops
from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.tf.errors import InvalidArgumentError

FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)
COMPLEX = (torch.complex64, torch.complex128)
INTS = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)


def dtype_of(dtype):
    """A torch dtype from a torch dtype, a name, a numpy dtype or a TF-style DType object."""
    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    for attr in ("torch_dtype", "as_numpy_dtype", "name"):
        inner = getattr(dtype, attr, None)
        if inner is not None and not isinstance(dtype, (str, np.dtype)) and inner is not dtype:
            return dtype_of(inner)
    if isinstance(dtype, type) and issubclass(dtype, builtins.bool):
        return torch.bool
    if dtype is builtins.int:
        return torch.int32
    if dtype is builtins.float:
        return torch.float32
    return backend.to_torch_dtype(dtype)


def device():
    """Where new tensors go: kerastorch.ops' default device."""
    return ops.core.default_device()


def place(t):
    """t on the default device, unless it is a 0-d tensor (a Python or numpy scalar)."""
    if t.dim() == 0:
        return t
    where = device()
    return t if t.device == where else t.to(where)


def name_of(dtype):
    return str(dtype).replace("torch.", "")


def _infer(value):
    """TensorFlow's dtype for a Python value or nested list of them."""
    arr = np.asarray(value)
    kind = arr.dtype.kind
    if kind == "b":
        return arr, torch.bool
    if kind in "iu":
        small = arr.size == 0 or (arr.min() >= -2 ** 31 and arr.max() < 2 ** 31)
        return arr, torch.int32 if small else torch.int64
    if kind == "f":
        return arr, torch.float32
    if kind == "c":
        return arr, torch.complex64
    raise TypeError(f"Failed to convert elements of {value!r} to Tensor: unsupported type "
                    f"{arr.dtype}.")


def convert(value, dtype=None, name="convert_to_tensor"):
    """tf.convert_to_tensor's rules on torch. A tensor is returned as it is."""
    dtype = dtype_of(dtype)
    if isinstance(value, torch.Tensor):
        if dtype is not None and value.dtype != dtype:
            raise ValueError(f"Tensor conversion requested dtype {name_of(dtype)} for Tensor "
                             f"with dtype {name_of(value.dtype)}")
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        t = _from_numpy(value)
        return place(t if dtype is None else t.to(dtype))
    if isinstance(value, (builtins.bool, builtins.int, builtins.float, builtins.complex)) or (
            isinstance(value, (list, tuple)) and not any_tensor(value)):
        arr, inferred = _infer(value)
        if dtype is not None:
            if inferred.is_floating_point and not (dtype.is_floating_point or dtype.is_complex):
                raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype "
                                f"{name_of(dtype)}")
            inferred = dtype
        return place(torch.as_tensor(arr, dtype=inferred))
    if isinstance(value, (list, tuple)):
        return torch.stack([convert(v, dtype) for v in value])
    inner = getattr(value, "value", None)  # a tf/Keras Variable: its tensor (gradients flow)
    if isinstance(inner, torch.Tensor) and hasattr(value, "assign"):
        return convert(inner, dtype)
    t = ops.convert_to_tensor(value)  # other tensor-likes
    return t if dtype is None else t.to(dtype)


def _from_numpy(value):
    """A tensor of a numpy array or scalar (np.ascontiguousarray would make a scalar 1-D)."""
    arr = np.asarray(value)
    return torch.from_numpy(np.ascontiguousarray(arr) if arr.ndim else arr.copy())


def any_tensor(values):
    for v in values:
        if isinstance(v, torch.Tensor):
            return True
        if isinstance(v, (list, tuple)) and any_tensor(v):
            return True
    return False


def _is_tensor(v):
    return isinstance(v, torch.Tensor) or not isinstance(
        v, (np.ndarray, np.generic, builtins.bool, builtins.int, builtins.float,
            builtins.complex, list, tuple))


def matching(op, *values, ordered=False, python_error=None, tensor_error=InvalidArgumentError):
    """The values as tensors of one dtype, TensorFlow's way.

    The dtype is the first tensor argument's (as TF's eager ops choose it), or with `ordered`
    the first argument's (tf.add, truediv, matmul convert x before y); with no tensor, the
    first value's. numpy arrays are cast to it (float to int too, as TF does); a Python value
    that does not fit it (2.5 for int32) raises `python_error` (TypeError, InvalidArgumentError
    when ordered); a tensor of another dtype raises `tensor_error`.
    """
    first = values[0]
    if type(first) is torch.Tensor:  # the common case: tensors of one dtype and device
        dtype, where = first.dtype, first.device
        for v in values[1:]:
            if type(v) is not torch.Tensor or v.dtype != dtype or v.device != where:
                break
        else:
            return list(values)
    if python_error is None:
        python_error = InvalidArgumentError if ordered else TypeError
    anchor = 0 if ordered else next((i for i, v in enumerate(values) if _is_tensor(v)), 0)
    first = convert(values[anchor])
    dtype = first.dtype
    device = next((v.device for v in values if isinstance(v, torch.Tensor)), first.device)
    out = []
    for i, v in enumerate(values):
        if i == anchor:
            t = first
        elif _is_tensor(v):
            t = convert(v)
            if t.dtype != dtype:
                raise tensor_error(
                    f"cannot compute {op} as input #{i}(zero-based) was expected to be a "
                    f"{name_of(dtype)} tensor but is a {name_of(t.dtype)} tensor")
        elif isinstance(v, (np.ndarray, np.generic)):
            t = _from_numpy(v).to(dtype)
        elif type(v) is float and (dtype.is_floating_point or dtype.is_complex) or (
                type(v) is int and dtype != torch.bool and -2 ** 31 <= v < 2 ** 31):
            t = torch.tensor(v, dtype=dtype)  # a Python number that fits: no numpy round trip
        else:
            t = convert(v)
            fits = t.dtype == dtype or t.dtype == torch.bool or (
                not t.is_floating_point() and not t.is_complex() and dtype != torch.bool) or (
                t.is_floating_point() and (dtype.is_floating_point or dtype.is_complex))
            if not fits:
                raise python_error(f"{op}: cannot convert {v!r} to a tensor of dtype "
                                   f"{name_of(dtype)}")
            t = t.to(dtype)
        out.append(t if t.device == device else t.to(device))
    return out


_ALLOWED = {}


def require(op, x, *kinds, error=InvalidArgumentError):
    """InvalidArgumentError (as TensorFlow's kernel registry) unless x's dtype is of `kinds`
    ('float', 'complex', 'int', 'bool')."""
    allowed = _ALLOWED.get(kinds)
    if allowed is None:
        groups = {"float": FLOATS, "complex": COMPLEX, "int": INTS, "bool": (torch.bool,)}
        allowed = _ALLOWED[kinds] = frozenset(d for k in kinds for d in groups[k])
    if x.dtype not in allowed:
        raise error(f"Value for attr 'T' of {name_of(x.dtype)} is not in the "
                                   f"list of allowed values for {op} ({', '.join(kinds)})")
    return x


def broadcast_check(op, *tensors):
    try:
        return torch.broadcast_shapes(*[t.shape for t in tensors])
    except RuntimeError:
        shapes = " vs. ".join(str(list(t.shape)) for t in tensors)
        raise InvalidArgumentError(f"Incompatible shapes: {shapes} [Op:{op}]") from None


def shape_tuple(shape):
    if isinstance(shape, torch.Tensor):
        return tuple(int(d) for d in shape.reshape(-1).tolist())
    if isinstance(shape, (builtins.int, np.integer)):
        return (int(shape),)
    if hasattr(shape, "as_list"):
        shape = shape.as_list()
    return tuple(int(d) for d in shape)


def axis_list(axis, ndim, op):
    """`axis` (None, an int, a list or a tensor) as a sorted tuple of non-negative dims."""
    if axis is None:
        return tuple(builtins.range(ndim))
    if isinstance(axis, torch.Tensor):
        axis = axis.tolist()
    if isinstance(axis, (builtins.int, np.integer)):
        axis = [axis]
    out = []
    for a in axis:
        a = int(a)
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise InvalidArgumentError(f"{op}: Invalid reduction dimension ({a} for input with "
                                       f"{ndim} dimension(s)")
        out.append(a % max(ndim, 1))
    return tuple(sorted(set(out)))


def symbolic_ops(namespace, scope):
    """Wraps the public functions of an op module (its globals, `scope`) with kerastorch.ops'
    `op()`: called on Keras tensors (a functional model being built: `tf.nn.relu(inputs)`)
    they record a TFOpLambda node named `tf.<namespace>.<name>`, as tf.keras does; on real
    tensors they run as they are."""
    from kerastorch.ops.symbolic import op
    prefix = f"tf.{namespace}." if namespace else "tf."
    for name, fn in list(scope.items()):
        if name.startswith("_") or not isinstance(fn, types.FunctionType):
            continue
        if not getattr(fn, "__module__", "").startswith("kerastorch.porting.tf"):
            continue
        # an alias of another namespace's op (tf.nn.softmax is tf.math's) is named for this one
        scope[name] = op(prefix + name)(getattr(fn, "_raw", fn))


def namespace_getattr(namespace):
    """A module-level __getattr__ raising NotSupportedAttributeError("tensorflow.<ns>.<name>")."""

    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotSupportedAttributeError(f"tensorflow.{namespace}.{name}")

    return __getattr__
