"""`tf.dtypes`: TensorFlow's dtype objects, each naming a torch dtype.

A `DType` is a `str` subclass holding TensorFlow's name ("float32"; `str()` of it is
TensorFlow's "<dtype: 'float32'>"), so everything in kerastorch
that takes a Keras dtype name takes it as it is (`keras.Input(dtype=tf.float32)`,
`backend.to_torch_dtype(tf.int32)`), and it compares equal to the torch dtype it stands for
(`x.dtype == tf.float32` for a torch tensor `x`). It has TensorFlow's attributes: `name`,
`as_numpy_dtype`, `is_floating`, `is_integer`, `is_bool`, `is_complex`, `is_unsigned`, `size`,
`min`, `max`, `base_dtype`, and `torch` (the torch dtype).

`tf.string` is a DType without a torch counterpart: using it for a tensor fails in
`backend.to_torch_dtype` with a ValueError naming it.
"""

import numpy as np
import torch

from kerastorch.porting.errors import NotSupportedAttributeError


class DType(str):
    """A TensorFlow dtype (`tf.float32`): its name, with TensorFlow's attributes."""

    _by_name = {}

    def __new__(cls, name, torch_dtype, numpy_dtype):
        self = super().__new__(cls, name)
        self._torch = torch_dtype
        self._numpy = numpy_dtype
        cls._by_name[name] = self
        return self

    @property
    def name(self):
        return str.__str__(self)

    @property
    def torch(self):
        """The torch dtype (None for `tf.string`)."""
        return self._torch

    @property
    def as_numpy_dtype(self):
        return self._numpy

    @property
    def base_dtype(self):
        return self

    @property
    def real_dtype(self):
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    @property
    def is_floating(self):
        return self._torch is not None and self._torch.is_floating_point

    @property
    def is_complex(self):
        return self._torch is not None and self._torch.is_complex

    @property
    def is_integer(self):
        return self._torch is not None and not self._torch.is_floating_point and \
            not self._torch.is_complex and self._torch is not torch.bool

    @property
    def is_unsigned(self):
        return self.name in ("uint8", "uint16", "uint32", "uint64")

    @property
    def is_bool(self):
        return self._torch is torch.bool

    @property
    def size(self):
        return 1 if self._torch is None else self._torch.itemsize

    @property
    def min(self):
        return self._limits().min

    @property
    def max(self):
        return self._limits().max

    def _limits(self):
        if self.is_floating:
            return torch.finfo(self._torch)
        if self.is_integer or self.is_bool:
            return torch.iinfo(self._torch) if not self.is_bool else np.iinfo(np.uint8)
        raise TypeError(f"Cannot find minimum value of {self!r}.")

    def is_compatible_with(self, other):
        return self == as_dtype(other)

    def __eq__(self, other):
        if isinstance(other, torch.dtype):
            return self._torch is other
        if isinstance(other, (type, np.dtype)):
            try:
                return np.dtype(other) == np.dtype(self._numpy)
            except TypeError:
                return False
        return str.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: {self.name!r}>"

    def __format__(self, spec):
        return format(str(self), spec)

    def __reduce__(self):
        return as_dtype, (self.name,)


float16 = half = DType("float16", torch.float16, np.float16)
bfloat16 = DType("bfloat16", torch.bfloat16, None)
float32 = DType("float32", torch.float32, np.float32)
float64 = double = DType("float64", torch.float64, np.float64)
complex64 = DType("complex64", torch.complex64, np.complex64)
complex128 = DType("complex128", torch.complex128, np.complex128)
int8 = DType("int8", torch.int8, np.int8)
int16 = DType("int16", torch.int16, np.int16)
int32 = DType("int32", torch.int32, np.int32)
int64 = DType("int64", torch.int64, np.int64)
uint8 = DType("uint8", torch.uint8, np.uint8)
uint16 = DType("uint16", torch.uint16, np.uint16)
uint32 = DType("uint32", torch.uint32, np.uint32)
uint64 = DType("uint64", torch.uint64, np.uint64)
bool = DType("bool", torch.bool, np.bool_)  # noqa: A001
string = DType("string", None, np.object_)

_BY_TORCH = {d._torch: d for d in DType._by_name.values() if d._torch is not None}


def as_dtype(type_value):
    """`tf.as_dtype`: the DType of a name, a torch or numpy dtype, or a DType."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, torch.dtype):
        if type_value in _BY_TORCH:
            return _BY_TORCH[type_value]
    elif isinstance(type_value, str) and type_value in DType._by_name:
        return DType._by_name[type_value]
    else:
        try:
            name = np.dtype(type_value).name
        except TypeError:
            name = None
        if name == "object" or type_value in (str, bytes):
            return string
        if name in DType._by_name:
            return DType._by_name[name]
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow "
                    "DType.")


def to_torch(dtype):
    """The torch dtype of a DType, name, numpy or torch dtype (ValueError for tf.string)."""
    d = as_dtype(dtype)
    if d.torch is None:
        raise ValueError(f"tf.{d} has no torch counterpart: a tensor cannot hold it in "
                         "kerastorch")
    return d.torch


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.dtypes.{name}")
