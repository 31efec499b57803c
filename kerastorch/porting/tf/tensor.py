"""Tensors as TensorFlow makes and describes them, on torch: `tf.constant`,
`tf.convert_to_tensor`, `tf.cast`, `tf.TensorSpec`, `tf.shape` / `rank` / `size`, `tf.identity`,
`tf.stop_gradient`; and `tf.Tensor.numpy()` on any torch tensor.

A `tf.Tensor` is a `torch.Tensor` (`.numpy()`, `.shape`, `.dtype`, `.ndim` are torch's). TF's
conversion rules hold: Python floats become float32, Python ints int32 (int64 when they do not
fit), numpy arrays keep their dtype (float64 included), and asking to convert a tensor to
another dtype is an error, as in TensorFlow (`tf.cast` converts).
"""

import builtins
import warnings

import numpy as np
import torch

from kerastorch.porting.tf import dtypes as _dtypes

Tensor = torch.Tensor

_INT32 = (-2 ** 31, 2 ** 31 - 1)


def unwrap(value):
    """The torch tensor behind a Keras or tf Variable (gradients flow through it)."""
    torch_value = getattr(value, "value", None)
    if isinstance(torch_value, torch.Tensor) and hasattr(value, "assign"):
        return torch_value
    return value


def _inferred_dtype(arr, value):
    """TF's dtype for a value given as Python data (`arr` is its numpy form)."""
    if isinstance(value, (np.ndarray, np.generic)):
        return arr.dtype
    if arr.dtype.kind == "f":
        return np.float32
    if arr.dtype.kind == "c":
        return np.complex128 if isinstance(value, np.ndarray) else np.complex64
    if arr.dtype.kind in "iu":
        if arr.size and (arr.min() < _INT32[0] or arr.max() > _INT32[1]):
            return np.int64
        return np.int32
    return arr.dtype


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """`tf.convert_to_tensor`: a torch tensor with TensorFlow's dtype rules.

    A tensor (or Variable) is returned as it is; asking for a dtype it does not have raises
    ValueError, as TensorFlow does.
    """
    value = unwrap(value)
    if isinstance(value, torch.Tensor):
        if dtype is not None and value.dtype != _dtypes.to_torch(dtype):
            raise ValueError(f"Tensor conversion requested dtype {_dtypes.as_dtype(dtype)} for "
                             f"Tensor with dtype {_dtypes.as_dtype(value.dtype)}: "
                             f"shape={tuple(value.shape)}")
        return value
    return _from_python(value, dtype if dtype is not None else dtype_hint,
                        strict=dtype is not None)


def _from_python(value, dtype, strict):
    if isinstance(value, (list, tuple)) and any(isinstance(unwrap(v), torch.Tensor)
                                                for v in value):
        parts = [convert_to_tensor(v) for v in value]
        out = torch.stack(parts)
        return out if dtype is None else out.to(_dtypes.to_torch(dtype))
    arr = np.asarray(value)
    if arr.dtype == object or arr.dtype.kind in "SU":
        raise TypeError(f"kerastorch's tensors hold numbers, not {arr.dtype.name} values: "
                        f"tf.string tensors are not supported (value {value!r:.60})")
    inferred = _inferred_dtype(arr, value)
    if dtype is None:
        target = np.dtype(inferred)
    else:
        target = np.dtype(_dtypes.as_dtype(dtype).as_numpy_dtype or np.float32)
        if strict and arr.dtype.kind == "f" and target.kind in "iub" and \
                not np.all(np.mod(arr, 1) == 0):
            raise TypeError(f"Cannot convert {value!r:.60} to EagerTensor of dtype "
                            f"{_dtypes.as_dtype(dtype)}")
        if strict and arr.dtype.kind == "c" and target.kind != "c":
            raise TypeError(f"Cannot convert {value!r:.60} to EagerTensor of dtype "
                            f"{_dtypes.as_dtype(dtype)}")
        if not strict and not _hint_fits(arr, target):
            target = np.dtype(inferred)
    if dtype is not None and _dtypes.as_dtype(dtype) == _dtypes.bfloat16:
        return torch.as_tensor(arr.astype(np.float32)).to(torch.bfloat16)
    return torch.from_numpy(np.array(arr, dtype=target, copy=True))


def _hint_fits(arr, target):
    """A dtype_hint is used only where the value converts to it without loss."""
    if arr.dtype.kind == "f" and target.kind in "iub":
        return False
    return True


def constant(value, dtype=None, shape=None, name=None):
    """`tf.constant`: a tensor from a value; `shape` reshapes it, or fills it with a scalar.

    Unlike `convert_to_tensor`, a tensor of another dtype than `dtype` is an error
    (TypeError), as in TensorFlow.
    """
    value = unwrap(value)
    if isinstance(value, torch.Tensor):
        if dtype is not None and value.dtype != _dtypes.to_torch(dtype):
            raise TypeError(f"Expected tensor with dtype {_dtypes.as_dtype(dtype)!r}, but got "
                            f"dtype {_dtypes.as_dtype(value.dtype)!r}.")
        t = value.detach().clone()
    else:
        t = _from_python(value, dtype, strict=True).detach()  # a constant: no gradient through it
    if shape is not None:
        shape = tuple(int(d) for d in shape)
        if t.numel() == int(np.prod(shape, dtype=np.int64)):
            t = t.reshape(shape)
        elif t.numel() == 1:
            t = t.reshape(()).expand(shape).clone()
        else:
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor "
                            f"{value!r:.60} (converted from {type(value).__name__}) has "
                            f"{t.numel()} elements, but got `shape` {shape} with "
                            f"{int(np.prod(shape))} elements).")
    return t


def cast(x, dtype, name=None):
    """`tf.cast`: `x` in `dtype` (floats to ints truncate toward zero, as in TensorFlow)."""
    t = convert_to_tensor(x)
    target = _dtypes.to_torch(dtype)
    if t.is_complex() and not target.is_complex:
        t = t.real
    return t.to(target)


def saturate_cast(value, dtype, name=None):
    """`tf.saturate_cast`: `value` clipped to the range of `dtype`, then cast."""
    t = convert_to_tensor(value)
    d = _dtypes.as_dtype(dtype)
    if d.is_integer or d.is_floating:
        low, high = d.min, d.max
        if t.is_floating_point():
            t = t.clamp(max(float(low), float(torch.finfo(t.dtype).min)),
                        min(float(high), float(torch.finfo(t.dtype).max)))
        else:
            info = torch.iinfo(t.dtype)
            t = t.clamp(max(int(low), info.min), min(int(high), info.max))
    return t.to(d.torch)


def shape(input, out_type=None, name=None):  # noqa: A002
    """`tf.shape`: the shape as a 1-D int32 tensor (or `out_type`)."""
    x = convert_to_tensor(input)
    return torch.tensor(tuple(x.shape), dtype=_dtypes.to_torch(out_type or _dtypes.int32))


def shape_n(input, out_type=None, name=None):  # noqa: A002
    return [shape(x, out_type) for x in input]


def rank(input, name=None):  # noqa: A002
    """`tf.rank`: the number of dimensions, an int32 scalar tensor."""
    return torch.tensor(convert_to_tensor(input).dim(), dtype=torch.int32)


def size(input, out_type=None, name=None):  # noqa: A002
    """`tf.size`: the number of elements, an int32 scalar tensor (or `out_type`)."""
    return torch.tensor(convert_to_tensor(input).numel(),
                        dtype=_dtypes.to_torch(out_type or _dtypes.int32))


def identity(input, name=None):  # noqa: A002
    """`tf.identity`: a tensor with the same values (a Variable's current value); gradients
    pass through."""
    x = convert_to_tensor(input)
    return x.view_as(x) if x.requires_grad else x.clone()


def identity_n(input, name=None):  # noqa: A002
    return [identity(x) for x in input]


def stop_gradient(input, name=None):  # noqa: A002
    """`tf.stop_gradient`: the same values, with no gradient flowing back."""
    return convert_to_tensor(input).detach()


def is_tensor(x):
    """`tf.is_tensor`: True for tensors and Variables."""
    return isinstance(x, torch.Tensor) or isinstance(unwrap(x), torch.Tensor)


class TensorShape(tuple):
    """`tf.TensorShape`: a tuple of dimensions (None where unknown) with TF's methods."""

    def __new__(cls, dims=None):
        if dims is None:
            dims = ()
        if isinstance(dims, (int, np.integer)):
            dims = (dims,)
        return super().__new__(cls, tuple(None if d is None else int(d) for d in dims))

    @property
    def rank(self):
        return len(self)

    @property
    def ndims(self):
        return len(self)

    @property
    def dims(self):
        return list(self)

    def as_list(self):
        return list(self)

    def num_elements(self):
        if any(d is None for d in self):
            return None
        return int(np.prod(self, dtype=np.int64))

    def is_fully_defined(self):
        return all(d is not None for d in self)

    def is_compatible_with(self, other):
        other = TensorShape(other)
        return len(self) == len(other) and all(
            a is None or b is None or a == b for a, b in builtins.zip(self, other))

    def __getitem__(self, item):
        out = super().__getitem__(item)
        return TensorShape(out) if isinstance(item, slice) else out

    def __repr__(self):
        return f"TensorShape({list(self)})"


class TensorSpec:
    """`tf.TensorSpec(shape, dtype=tf.float32, name=None)`: what a tensor looks like.

    Used by `tf.function(input_signature=...)` and `tf.data` (`element_spec`,
    `from_generator(output_signature=...)`).
    """

    def __init__(self, shape, dtype=_dtypes.float32, name=None):
        self.shape = TensorShape(shape)
        self.dtype = _dtypes.as_dtype(dtype)
        self.name = name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        t = convert_to_tensor(tensor)
        return cls(tuple(t.shape), t.dtype, name)

    def is_compatible_with(self, value):
        if isinstance(value, TensorSpec):
            return self.dtype == value.dtype and self.shape.is_compatible_with(value.shape)
        t = convert_to_tensor(value) if not isinstance(value, torch.Tensor) else value
        return self.dtype == t.dtype and self.shape.is_compatible_with(tuple(t.shape))

    def __eq__(self, other):
        return (isinstance(other, TensorSpec) and tuple(self.shape) == tuple(other.shape)
                and self.dtype == other.dtype and self.name == other.name)

    def __hash__(self):
        return hash((tuple(self.shape), str(self.dtype), self.name))

    def __repr__(self):
        return f"TensorSpec(shape={tuple(self.shape)}, dtype={self.dtype!r}, name={self.name!r})"


# ---------------------------------------------------------------------- tf.Tensor.numpy()
_base_numpy = torch._C.TensorBase.numpy


def _tensor_numpy(self, *, force=False):
    """`tf.Tensor.numpy()`: the values as a numpy array, from any device and whether or not
    autograd tracks the tensor (TensorFlow's eager tensors have no such restriction)."""
    if self.requires_grad or self.device.type != "cpu":
        return _base_numpy(self.detach().cpu(), force=force)
    return _base_numpy(self, force=force)


def install_tensor_methods():
    """Makes `torch.Tensor.numpy()` behave as `tf.Tensor.numpy()` (done when the `tensorflow`
    of kerastorch is imported; a tensor that torch could convert converts exactly as before),
    and `float(loss)` of a tensor a tape recorded quiet, as in TensorFlow."""
    if torch.Tensor.__dict__.get("numpy") is not _tensor_numpy:
        torch.Tensor.numpy = _tensor_numpy
    warnings.filterwarnings("ignore", message="Converting a tensor with requires_grad=True to "
                                              "a scalar", category=UserWarning)


install_tensor_methods()
