"""keras.ops numpy group: NumPy-named ops, each a thin call of the torch function.

Dtypes follow Keras 3 on torch: ops that need floats turn int/bool inputs into floatx
(`mean`, `exp`, `sqrt`, `divide`, ...), reductions keep int32 for small ints (`sum`), index
results are int32 (`argmax`, `argsort`, `nonzero`), and mixed operands promote by
`keras.backend.result_type` (Python scalars are weak).
"""

import builtins
import math as _math

import torch

from kerastorch import backend
from kerastorch.ops.core import cast
from kerastorch.ops.core import convert_to_tensor as _t
from kerastorch.ops.core import default_device
from kerastorch.ops.dtypes import result_type
from kerastorch.ops.dtypes import standardize_dtype as _std
from kerastorch.ops.symbolic import op

_Tensor = torch.Tensor
_torch_dtype = backend.to_torch_dtype


def _floatx():
    return backend.floatx()


def _device():
    """Where new tensors go: see `core.default_device` (meta during shape inference)."""
    return default_device()


def _dt(x):
    return _std(x.dtype)


def _is_int_or_bool(x):
    return not x.is_floating_point() and not x.is_complex()


def _to_float(x):
    """int/bool tensors become floatx, others are returned as they are (exp, log, ...)."""
    return x.to(_torch_dtype(_floatx())) if _is_int_or_bool(x) else x


def _axis(axis):
    if isinstance(axis, list):
        return tuple(axis)
    return axis


def _canonical(axis, ndim):
    if not -ndim <= axis < builtins.max(ndim, 1):
        raise ValueError(f"axis {axis} is out of bounds for an array of dimension {ndim}")
    return axis % ndim if ndim else 0


def _weak_dtype(v):
    return getattr(v, "dtype", type(v))


# ------------------------------------------------------------------ creation
@op()
def array(x, dtype=None):
    """A tensor from `x` (see `convert_to_tensor`)."""
    return _t(x, dtype)


@op("tf.zeros")
def zeros(shape, dtype=None):
    """A tensor of zeros (floatx by default)."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return torch.zeros(shape, dtype=_torch_dtype(dtype or _floatx()), device=_device())


@op("tf.ones")
def ones(shape, dtype=None):
    """A tensor of ones (floatx by default)."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return torch.ones(shape, dtype=_torch_dtype(dtype or _floatx()), device=_device())


@op()
def empty(shape, dtype=None):
    """An uninitialised tensor (floatx by default)."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return torch.empty(shape, dtype=_torch_dtype(dtype or _floatx()), device=_device())


@op("tf.fill")
def full(shape, fill_value, dtype=None):
    """A tensor of `shape` filled with `fill_value` (dtype: `dtype`, else floatx)."""
    dt = _torch_dtype(dtype)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    value = _t(fill_value, dt)
    if value.ndim:
        return torch.tile(value, tuple(shape[:len(shape) - value.ndim]) + (1,) * value.ndim)
    return torch.full(shape, value.item() if value.device.type != "meta" else 0, dtype=dt,
                      device=_device())


@op("tf.zeros_like")
def zeros_like(x, dtype=None):
    """Zeros of the shape (and dtype unless given) of `x`."""
    x = _t(x)
    return torch.zeros_like(x, dtype=_torch_dtype(dtype) if dtype else x.dtype)


@op("tf.ones_like")
def ones_like(x, dtype=None):
    """Ones of the shape (and dtype unless given) of `x`."""
    x = _t(x)
    return torch.ones_like(x, dtype=_torch_dtype(dtype) if dtype else x.dtype)


@op()
def empty_like(x, dtype=None):
    x = _t(x)
    return torch.empty_like(x, dtype=_torch_dtype(dtype) if dtype else x.dtype)


@op()
def full_like(x, fill_value, dtype=None):
    """`fill_value` in the shape (and dtype unless given) of `x`."""
    x = _t(x)
    return full(tuple(x.shape), fill_value, dtype=dtype or x.dtype)


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)`; int32 for int arguments, else floatx."""
    if dtype is None:
        kinds = [_weak_dtype(v) for v in (start, stop, step) if v is not None]
        dtype = result_type(*kinds)
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    return torch.arange(start, stop, step, dtype=_torch_dtype(dtype), device=_device())


def eye(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on the `k`-th diagonal (floatx by default)."""
    dt = _torch_dtype(dtype or _floatx())
    M = N if M is None else M
    k = k or 0
    if k == 0:
        return torch.eye(N, M, dtype=dt, device=_device())
    return torch.diag(torch.ones(builtins.max(N, M), dtype=dt, device=_device()), k)[:N, :M]


def identity(n, dtype=None):
    """The `n` x `n` identity matrix (floatx by default)."""
    return torch.eye(n, dtype=_torch_dtype(dtype or _floatx()), device=_device())


def tri(N, M=None, k=0, dtype=None):
    """Ones at and below the `k`-th diagonal (floatx by default)."""
    return torch.tril(torch.ones((N, M or N), dtype=_torch_dtype(dtype or _floatx()),
                                 device=_device()), k)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced samples over `[start, stop]`."""
    if axis != 0:
        raise ValueError("torch.linspace does not support an `axis` argument. "
                         f"Received axis={axis}")
    if dtype is None:
        dtype = result_type(_weak_dtype(start), _weak_dtype(stop), float)
    dt = _torch_dtype(dtype)
    step = float("nan")
    if endpoint:
        if num > 1:
            step = (stop - start) / (num - 1)
    else:
        if num > 0:
            step = (stop - start) / num
        if num > 1:
            stop = stop - ((stop - start) / num)
    if hasattr(start, "__len__") and hasattr(stop, "__len__"):
        start, stop = _t(start, dt), _t(stop, dt)
        steps = torch.arange(num, dtype=dt) / (num - 1)
        steps = steps.reshape((num,) + (1,) * start.ndim)
        out = start[None] + steps * (stop - start)[None]
    else:
        out = torch.linspace(float(start), float(stop), num, dtype=dt, device=_device())
    return (out, step) if retstep else out


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`base ** linspace(start, stop)`."""
    if axis != 0:
        raise ValueError("torch.logspace does not support an `axis` argument. "
                         f"Received axis={axis}")
    if dtype is None:
        dtype = result_type(_weak_dtype(start), _weak_dtype(stop), float)
    dt = _torch_dtype(dtype)
    if not endpoint:
        stop = stop - ((stop - start) / num)
    if hasattr(start, "__len__") and hasattr(stop, "__len__"):
        return base ** linspace(start, stop, num, True, dtype=dtype)
    return torch.logspace(float(start), float(stop), num, base=base, dtype=dt,
                          device=_device())


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """Numbers spaced evenly on a log scale from `start` to `stop`."""
    if axis != 0:
        raise ValueError("torch does not support an `axis` argument for geomspace. "
                         f"Received axis={axis}")
    if dtype is None:
        dtype = result_type(_weak_dtype(start), _weak_dtype(stop), float)
    dt = _torch_dtype(dtype)
    start, stop = _t(start, dt), _t(stop, dt)
    out = logspace(torch.log10(start.abs()), torch.log10(stop.abs()), num, endpoint, 10,
                   dtype=dtype) if start.ndim else torch.logspace(
        float(torch.log10(start.abs())), float(torch.log10(stop.abs())) if endpoint else
        float(torch.log10(stop.abs())) - (float(torch.log10(stop.abs())) -
                                          float(torch.log10(start.abs()))) / num,
        num, base=10, dtype=dt)
    return out * torch.sign(start)


# ------------------------------------------------------------------ elementwise: unary
@op("tf.math.abs")
def absolute(x):
    """Elementwise absolute value (bool stays bool)."""
    x = _t(x)
    return x if x.dtype == torch.bool else torch.abs(x)


abs = absolute  # noqa: A001


@op("tf.math.abs")
def fabs(x):
    return torch.abs(_to_float(_t(x)))


def _unary(torch_fn, name, doc, to_float=False):
    if to_float:
        def fn(x):
            return torch_fn(_to_float(_t(x)))
    else:
        def fn(x):
            return torch_fn(_t(x))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


def _def_unary(name, torch_fn, tf_name, doc, to_float=False):
    globals()[name] = op(tf_name)(_unary(torch_fn, name, doc, to_float))


for _name, _fn, _tf, _float in (
        ("arccos", torch.arccos, "tf.math.acos", False),
        ("arccosh", torch.arccosh, "tf.math.acosh", False),
        ("arcsin", torch.arcsin, "tf.math.asin", False),
        ("arcsinh", torch.arcsinh, "tf.math.asinh", False),
        ("arctan", torch.arctan, "tf.math.atan", False),
        ("arctanh", torch.arctanh, "tf.math.atanh", False),
        ("cos", torch.cos, "tf.math.cos", False),
        ("cosh", torch.cosh, "tf.math.cosh", False),
        ("sin", torch.sin, "tf.math.sin", False),
        ("sinh", torch.sinh, "tf.math.sinh", False),
        ("tan", torch.tan, "tf.math.tan", False),
        ("tanh", torch.tanh, "tf.math.tanh", False),
        ("exp", torch.exp, "tf.math.exp", True),
        ("exp2", torch.exp2, "tf.math.exp2", True),
        ("expm1", torch.expm1, "tf.math.expm1", True),
        ("log", torch.log, "tf.math.log", False),
        ("log10", torch.log10, "tf.math.log10", False),
        ("log1p", torch.log1p, "tf.math.log1p", False),
        ("log2", torch.log2, "tf.math.log2", False),
        ("sign", torch.sign, "tf.math.sign", False),
        ("signbit", torch.signbit, "tf.math.signbit", False),
        ("sinc", torch.sinc, "tf.experimental.numpy.sinc", False),
        ("reciprocal", torch.reciprocal, "tf.math.reciprocal", False),
        ("negative", torch.negative, "tf.math.negative", False),
        ("isfinite", torch.isfinite, "tf.math.is_finite", False),
        ("isinf", torch.isinf, "tf.math.is_inf", False),
        ("isnan", torch.isnan, "tf.math.is_nan", False),
        ("isneginf", torch.isneginf, "tf.math.is_neginf", False),
        ("isposinf", torch.isposinf, "tf.math.is_posinf", False),
        ("isreal", torch.isreal, "tf.math.is_real", False),
        ("logical_not", torch.logical_not, "tf.math.logical_not", False),
        ("ravel", torch.ravel, "tf.reshape", False),
        ("fliplr", torch.fliplr, "tf.experimental.numpy.fliplr", False),
        ("flipud", torch.flipud, "tf.experimental.numpy.flipud", False),
        ("copy", torch.clone, "tf.identity", False),
):
    _def_unary(_name, _fn, _tf, f"Elementwise `{_name}` of `x` (torch.{_fn.__name__}).", _float)


@op("tf.math.sqrt")
def sqrt(x):
    """Elementwise square root."""
    x = _t(x)
    if x.dtype == torch.int64:
        x = x.to(_torch_dtype(_floatx()))
    return torch.sqrt(x)


@op("tf.math.square")
def square(x):
    """Elementwise square (bool becomes int32)."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.square(x)


@op("tf.math.cbrt")
def cbrt(x):
    """Elementwise cube root."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)


def _rounding(torch_fn, name):
    def fn(x):
        x = _t(x)
        d = _dt(x)
        out_dtype = _floatx() if d == "int64" else result_type(d, float)
        if x.dtype == torch.bool:
            x = x.to(torch.uint8)
        return torch_fn(x).to(_torch_dtype(out_dtype)) if torch_fn is torch.ceil else \
            torch_fn(x.to(_torch_dtype(out_dtype)))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise {name} (int and bool inputs give floats)."
    return fn


ceil = op("tf.math.ceil")(_rounding(torch.ceil, "ceil"))
floor = op("tf.math.floor")(_rounding(torch.floor, "floor"))


@op("tf.math.round")
def round(x, decimals=0):  # noqa: A001
    """Rounds half to even, to `decimals` places."""
    x = _t(x)
    if _is_int_or_bool(x) and x.dtype != torch.bool:
        return torch.round(x.to(_torch_dtype(_floatx())), decimals=decimals).to(x.dtype)
    return torch.round(x, decimals=decimals)


@op("tf.math.trunc")
def trunc(x):
    x = _t(x)
    return x if x.dtype == torch.bool else torch.trunc(x)


@op("tf.math.deg2rad")
def deg2rad(x):
    x = _t(x)
    out = torch.deg2rad(x)
    return out.to(torch.float64) if x.dtype == torch.int64 else out


@op("tf.math.rad2deg")
def rad2deg(x):
    x = _t(x)
    out = torch.rad2deg(x)
    return out.to(torch.float64) if x.dtype == torch.int64 else out


@op("tf.math.i0")
def i0(x):
    x = _t(x)
    d = _dt(x)
    d = "float64" if d in ("int64", "float64") else (d if d in ("bfloat16", "float16") else _floatx())
    return torch.i0(x.to(_torch_dtype(d)))


@op("tf.math.angle")
def angle(x):
    return torch.angle(_t(x))


@op("tf.math.conj")
def conjugate(x):
    x = x if isinstance(x, _Tensor) else torch.from_numpy(x) if hasattr(x, "__array__") else _t(x)
    return torch.conj(x).resolve_conj()


conj = conjugate


@op("tf.math.real")
def real(x):
    x = x if isinstance(x, _Tensor) else torch.as_tensor(x)
    return torch.real(x)


@op("tf.math.imag")
def imag(x):
    x = x if isinstance(x, _Tensor) else torch.as_tensor(x)
    return torch.imag(x)


@op("tf.bitwise.invert")
def bitwise_invert(x):
    return torch.bitwise_not(_t(x))


bitwise_not = bitwise_invert


@op("tf.math.nan_to_num")
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return torch.nan_to_num(_t(x), nan=nan, posinf=posinf, neginf=neginf)


@op("tf.clip_by_value")
def clip(x, x_min, x_max):
    """Clips `x` to `[x_min, x_max]` (bool becomes int32)."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.clip(x, min=_t(x_min), max=_t(x_max))


# ------------------------------------------------------------------ elementwise: binary
@op("tf.math.add")
def add(x1, x2):
    """`x1 + x2` with broadcasting."""
    return torch.add(_t(x1), _t(x2))


@op("tf.math.subtract")
def subtract(x1, x2):
    """`x1 - x2` with broadcasting."""
    x1, x2 = _t(x1), _t(x2)
    if x1.dtype == torch.bool:
        x1 = x1.to(x2.dtype)
    if x2.dtype == torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.subtract(x1, x2)


@op("tf.math.multiply")
def multiply(x1, x2):
    """`x1 * x2` with broadcasting."""
    return torch.multiply(_t(x1), _t(x2))


@op("tf.math.truediv")
def divide(x1, x2):
    """`x1 / x2`: always floating."""
    if not isinstance(x1, (int, float)):
        x1 = _t(x1)
    if not isinstance(x2, (int, float)):
        x2 = _t(x2)
    return torch.divide(x1, x2)


true_divide = divide


@op("tf.math.divide_no_nan")
def divide_no_nan(x1, x2):
    """`x1 / x2`, 0 where `x2` is 0."""
    dtype = result_type(_weak_dtype(x1), _weak_dtype(x2), float)
    x1, x2 = _t(x1, dtype), _t(x2, dtype)
    zero = x2 == 0
    return torch.where(zero, 0, torch.divide(x1, torch.where(zero, torch.ones_like(x2), x2)))


@op("tf.math.floordiv")
def floor_divide(x1, x2):
    """`x1 // x2`."""
    if not isinstance(x1, (int, float)):
        x1 = _t(x1)
    if not isinstance(x2, (int, float)):
        x2 = _t(x2)
    dtype = result_type(_weak_dtype(x1), _weak_dtype(x2))
    return torch.floor_divide(x1, x2).to(_torch_dtype(dtype))


@op("tf.math.pow")
def power(x1, x2):
    """`x1 ** x2`."""
    return torch.pow(_t(x1), _t(x2))


@op("tf.math.floormod")
def mod(x1, x2):
    """Remainder of `x1 / x2` with the sign of `x2`."""
    x1, x2 = _t(x1), _t(x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.remainder(x1, x2)


@op("tf.math.floormod")
def fmod(x1, x2):
    """Remainder of `x1 / x2` with the sign of `x1`."""
    x1, x2 = _t(x1), _t(x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.fmod(x1, x2)


def _promoting(torch_fn, name, tf_name):
    def fn(x1, x2):
        if not isinstance(x1, (int, float)):
            x1 = _t(x1)
        if not isinstance(x2, (int, float)):
            x2 = _t(x2)
        dtype = result_type(_weak_dtype(x1), _weak_dtype(x2))
        return torch_fn(_t(x1, dtype), _t(x2, dtype))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise `{name}` of `x1` and `x2` (promoted to a common dtype)."
    return op(tf_name)(fn)


maximum = _promoting(torch.maximum, "maximum", "tf.math.maximum")
minimum = _promoting(torch.minimum, "minimum", "tf.math.minimum")
fmax = _promoting(torch.fmax, "fmax", "tf.math.fmax")
fmin = _promoting(torch.fmin, "fmin", "tf.math.fmin")


def _plain_binary(torch_fn, name, tf_name):
    def fn(x1, x2):
        return torch_fn(_t(x1), _t(x2))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise `{name}` of `x1` and `x2` (torch.{torch_fn.__name__})."
    return op(tf_name)(fn)


equal = _plain_binary(torch.eq, "equal", "tf.math.equal")
not_equal = _plain_binary(torch.not_equal, "not_equal", "tf.math.not_equal")
greater = _plain_binary(torch.greater, "greater", "tf.math.greater")
greater_equal = _plain_binary(torch.greater_equal, "greater_equal", "tf.math.greater_equal")
less = _plain_binary(torch.less, "less", "tf.math.less")
less_equal = _plain_binary(torch.less_equal, "less_equal", "tf.math.less_equal")
logical_and = _plain_binary(torch.logical_and, "logical_and", "tf.math.logical_and")
logical_or = _plain_binary(torch.logical_or, "logical_or", "tf.math.logical_or")
logical_xor = _plain_binary(torch.logical_xor, "logical_xor", "tf.math.logical_xor")
bitwise_and = _plain_binary(torch.bitwise_and, "bitwise_and", "tf.bitwise.bitwise_and")
bitwise_or = _plain_binary(torch.bitwise_or, "bitwise_or", "tf.bitwise.bitwise_or")
bitwise_xor = _plain_binary(torch.bitwise_xor, "bitwise_xor", "tf.bitwise.bitwise_xor")
gcd = _plain_binary(torch.gcd, "gcd", "tf.experimental.numpy.gcd")
lcm = _plain_binary(torch.lcm, "lcm", "tf.experimental.numpy.lcm")
kron = _plain_binary(torch.kron, "kron", "tf.experimental.numpy.kron")


@op("tf.bitwise.left_shift")
def bitwise_left_shift(x, y):
    return torch.bitwise_left_shift(_t(x), y if isinstance(y, int) else _t(y))


@op("tf.bitwise.right_shift")
def bitwise_right_shift(x, y):
    return torch.bitwise_right_shift(_t(x), y if isinstance(y, int) else _t(y))


left_shift = bitwise_left_shift
right_shift = bitwise_right_shift


def _float_binary(torch_fn, name, tf_name):
    def fn(x1, x2):
        x1, x2 = _t(x1), _t(x2)
        dt = _torch_dtype(result_type(x1.dtype, x2.dtype, float))
        return torch_fn(x1.to(dt), x2.to(dt))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise `{name}` of `x1` and `x2`, computed in floating point."
    return op(tf_name)(fn)


arctan2 = _float_binary(torch.arctan2, "arctan2", "tf.math.atan2")
logaddexp = _float_binary(torch.logaddexp, "logaddexp", "tf.experimental.numpy.logaddexp")
logaddexp2 = _float_binary(torch.logaddexp2, "logaddexp2", "tf.experimental.numpy.logaddexp2")


@op("tf.math.nextafter")
def nextafter(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    dt = _torch_dtype(result_type(x1.dtype, x2.dtype, float))
    return torch.nextafter(x1.to(torch.float64), x2.to(torch.float64)).to(dt)


def _int_to_float_binary(torch_fn, name, tf_name):
    def fn(x1, x2):
        x1, x2 = _t(x1), _t(x2)
        d = result_type(x1.dtype, x2.dtype)
        if d in ("int8", "int16", "int32", "uint8", "uint16", "uint32"):
            d = _floatx()
        elif d == "int64":
            d = "float64"
        dt = _torch_dtype(d)
        return torch_fn(x1.to(dt), x2.to(dt))
    fn.__name__ = fn.__qualname__ = name
    return op(tf_name)(fn)


hypot = _int_to_float_binary(torch.hypot, "hypot", "tf.experimental.numpy.hypot")
heaviside = _int_to_float_binary(torch.heaviside, "heaviside", "tf.experimental.numpy.heaviside")


@op("tf.math.ldexp")
def ldexp(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    dt = result_type(x1.dtype, x2.dtype, float)
    if x2.is_floating_point() or x2.dtype == torch.bool or x2.is_complex():
        raise TypeError(f"ldexp exponent must be an integer type. Received: x2 dtype={x2.dtype}")
    return torch.ldexp(x1, x2).to(_torch_dtype(dt))


@op("tf.experimental.numpy.isclose")
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = _t(x1), _t(x2)
    dt = result_type(x1.dtype, x2.dtype)
    x1, x2 = x1.to(_torch_dtype(dt)), x2.to(_torch_dtype(dt))
    if "float" in dt:
        return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)
    return torch.eq(x1, x2)


@op("tf.experimental.numpy.allclose")
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return torch.all(isclose._raw(x1, x2, rtol, atol, equal_nan))


@op("tf.experimental.numpy.isin")
def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = _t(x1), _t(x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    if x1.dtype == torch.bool:
        x1 = x1.to(x2.dtype)
    if x2.dtype == torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


# ------------------------------------------------------------------ products
@op("tf.linalg.matmul")
def matmul(x1, x2):
    """Matrix product of `x1` and `x2` (batched, numpy broadcasting)."""
    x1, x2 = _t(x1), _t(x2)
    if x1.dtype == x2.dtype and x1.is_floating_point() and x1.dtype != torch.float16:
        return torch.matmul(x1, x2)
    if x1.dtype == torch.int8 and x2.dtype == torch.int8:
        out_dtype = "int32"
    else:
        out_dtype = result_type(x1.dtype, x2.dtype)
    compute = out_dtype
    if compute == "bool":
        compute = _floatx()
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    if "int" in compute and x1.device.type == "cuda":
        compute = _floatx()
    ct = _torch_dtype(compute)
    return torch.matmul(x1.to(ct), x2.to(ct)).to(_torch_dtype(out_dtype))


def _float_product(x1, x2):
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(out_dtype, float)
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    ct = _torch_dtype(compute)
    return x1.to(ct), x2.to(ct), _torch_dtype(out_dtype)


@op("tf.tensordot")
def dot(x1, x2):
    """Dot product: matmul for arrays, multiply when one is a scalar."""
    x1, x2, out = _float_product(_t(x1), _t(x2))
    if x1.ndim == 0 or x2.ndim == 0:
        return torch.multiply(x1, x2).to(out)
    return torch.matmul(x1, x2).to(out)


@op("tf.tensordot")
def tensordot(x1, x2, axes=2):
    """Sum of products over `axes` (an int or a pair of axis lists)."""
    x1, x2, out = _float_product(_t(x1), _t(x2))
    if isinstance(axes, (list, tuple)):
        a, b = axes
        axes = (list(a) if isinstance(a, (list, tuple)) else [a],
                list(b) if isinstance(b, (list, tuple)) else [b])
    return torch.tensordot(x1, x2, dims=axes).to(out)


@op("tf.experimental.numpy.vdot")
def vdot(x1, x2):
    x1, x2, out = _float_product(_t(x1), _t(x2))
    return torch.vdot(x1, x2).to(out)


@op("tf.experimental.numpy.inner")
def inner(x1, x2):
    x1, x2, out = _float_product(_t(x1), _t(x2))
    return torch.inner(x1, x2).to(out)


@op("tf.experimental.numpy.outer")
def outer(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    return torch.outer(x1.flatten(), x2.flatten())


@op("tf.experimental.numpy.cross")
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axisa != -1 or axisb != -1 or axisc != -1:
        raise ValueError("Torch backend does not support `axisa`, `axisb`, or `axisc`. "
                         f"Received: axisa={axisa}, axisb={axisb}, axisc={axisc}. Please "
                         "use `axis` arg in torch backend.")
    x1, x2 = _t(x1), _t(x2)
    out = result_type(x1.dtype, x2.dtype)
    compute = "float32" if out == "float16" else out
    ct = _torch_dtype(compute)
    return torch.cross(x1.to(ct), x2.to(ct), dim=-1 if axis is None else axis).to(
        _torch_dtype(out))


@op("tf.einsum")
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation (int8 operands sum in int32)."""
    operands = [_t(o) for o in operands]
    if builtins.all(o.dtype == torch.int8 for o in operands):
        return torch.einsum(subscripts, *[o.to(torch.int32) for o in operands]).to(torch.int32)
    return torch.einsum(subscripts, *operands)


# ------------------------------------------------------------------ reductions
@op("tf.math.reduce_sum")
def sum(x, axis=None, keepdims=False):  # noqa: A001
    """Sum over `axis` (all axes when None); bool and small ints sum to int32."""
    if isinstance(x, (list, tuple)):
        x = stack(x)
    x = _t(x)
    if axis == () or axis == []:
        return x
    dt = x.dtype
    if dt in (torch.bool, torch.uint8, torch.int8, torch.int16):
        dt = torch.int32
    out = torch.sum(x) if axis is None else torch.sum(x, _axis(axis), keepdim=keepdims)
    return out if out.dtype == dt else out.to(dt)


@op("tf.math.reduce_mean")
def mean(x, axis=None, keepdims=False):
    """Mean over `axis` (all axes when None); ints and bools give float32."""
    if isinstance(x, (list, tuple)):
        x = stack(x)
    x = _t(x)
    if axis == () or axis == []:
        return x
    if x.is_floating_point():
        if axis is None:
            out = torch.mean(x)
            return out.reshape((1,) * x.ndim) if keepdims else out
        return torch.mean(x, _axis(axis) if not isinstance(axis, int) else axis, keepdims)
    compute = _torch_dtype(result_type(x.dtype, "float32"))
    x = x.to(compute)
    if axis is None:
        out = torch.mean(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    return torch.mean(x, _axis(axis), keepdims)


@op("tf.math.reduce_max")
def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    """Maximum over `axis`; `initial` is a lower bound on the result."""
    x = _t(x)
    if 0 in x.shape:
        if initial is None:
            raise ValueError("Cannot compute the max of an empty tensor.")
        return torch.full((1,) * x.ndim, initial) if keepdims else torch.tensor(initial)
    out = amax._raw(x, axis, keepdims)
    if initial is not None:
        out = torch.maximum(out, torch.full(out.shape, initial, dtype=out.dtype))
    return out


@op("tf.math.reduce_min")
def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    """Minimum over `axis`; `initial` is an upper bound on the result."""
    x = _t(x)
    if 0 in x.shape:
        if initial is None:
            raise ValueError("Cannot compute the min of an empty tensor.")
        return torch.full((1,) * x.ndim, initial) if keepdims else torch.tensor(initial)
    out = amin._raw(x, axis, keepdims)
    if initial is not None:
        out = torch.minimum(out, _t(initial, out.dtype))
    return out


@op("tf.math.reduce_max")
def amax(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:  # Keras on torch returns a scalar here, keepdims or not
        return torch.amax(x)
    if axis == () or axis == []:
        return x
    return torch.amax(x, dim=axis, keepdim=keepdims)


@op("tf.math.reduce_min")
def amin(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        return torch.amin(x)
    if axis == () or axis == []:
        return x
    return torch.amin(x, dim=axis, keepdim=keepdims)


@op("tf.math.reduce_all")
def all(x, axis=None, keepdims=False):  # noqa: A001
    x = _t(x)
    if axis == () or axis == []:
        return x.to(torch.bool)
    if axis is None:
        out = torch.all(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    return torch.all(x, dim=_axis(axis), keepdim=keepdims).to(torch.bool)


@op("tf.math.reduce_any")
def any(x, axis=None, keepdims=False):  # noqa: A001
    x = _t(x)
    if axis == () or axis == []:
        return x.to(torch.bool)
    if axis is None:
        out = torch.any(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    return torch.any(x, dim=_axis(axis), keepdim=keepdims).to(torch.bool)


@op("tf.math.reduce_prod")
def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x)
    if dtype is None:
        dtype = _dt(x)
        if dtype in ("bool", "int8", "int16", "uint8"):
            dtype = "int32"
    compute = "float32" if dtype == "float16" and x.device.type == "cpu" else dtype
    ct, dt = _torch_dtype(compute), _torch_dtype(dtype)
    if axis is None:
        return torch.prod(x, dtype=ct).to(dt)
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in sorted((_canonical(a, x.ndim) for a in axes), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims, dtype=ct).to(dt)
    return x


def _var_dtypes(x):
    return (_torch_dtype(result_type(x.dtype, "float32")),
            _torch_dtype(result_type(x.dtype, float)))


@op("tf.math.reduce_variance")
def var(x, axis=None, keepdims=False):
    """Population variance over `axis`."""
    x = _t(x)
    compute, out = _var_dtypes(x)
    if axis == () or axis == []:
        return torch.zeros_like(x, dtype=out)
    return torch.var(x.to(compute), dim=_axis(axis), keepdim=keepdims, correction=0).to(out)


@op("tf.math.reduce_std")
def std(x, axis=None, keepdims=False):
    """Population standard deviation over `axis`."""
    x = _t(x)
    if _is_int_or_bool(x):
        x = x.to(torch.float32)
    return torch.std(x, dim=_axis(axis), keepdim=keepdims, correction=0)


@op("tf.experimental.numpy.average")
def average(x, axis=None, weights=None):
    x = _t(x)
    kinds = [x.dtype, float]
    if weights is not None:
        weights = _t(weights)
        kinds.append(weights.dtype)
    dt = _torch_dtype(result_type(*kinds))
    x = x.to(dt)
    if axis == () or axis == []:
        return x
    if weights is not None:
        weights = weights.to(dt)
        return torch.sum(x * weights, dim=axis) / torch.sum(weights, dim=-1)
    return torch.mean(x) if axis is None else torch.mean(x, axis)


def _quantile(torch_fn, x, q, axis, method, keepdims):
    x = _t(x)
    q = _t(q)
    compute = _torch_dtype(result_type(x.dtype, "float32"))
    out_dtype = _torch_dtype(result_type(x.dtype, float))
    x = x.to(compute)
    q = q.to(compute)
    if axis is None:
        y = x.reshape(-1)
        axes = None
    else:
        axes = [axis] if isinstance(axis, int) else list(axis)
        axes = [_canonical(a, x.ndim) for a in axes]
        other = [i for i in range(x.ndim) if i not in axes]
        y = x.permute(other + axes).reshape([x.shape[i] for i in other] + [-1])
    y = torch_fn(y, q, dim=-1, interpolation=method)
    if keepdims:
        if axes is None:
            y = y.reshape(tuple(y.shape) + (1,) * x.ndim)
        else:
            for i in sorted(axes):
                y = y.unsqueeze(i + 1 if q.ndim > 0 else i)
    return y.to(out_dtype)


@op("tf.experimental.numpy.quantile")
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles of `x` over `axis`."""
    return _quantile(torch.quantile, x, q, axis, method, keepdims)


@op("tf.experimental.numpy.percentile")
def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(torch.quantile, x, _t(q, _floatx()) / 100.0, axis, method, keepdims)


@op("tf.experimental.numpy.median")
def median(x, axis=None, keepdims=False):
    return _quantile(torch.quantile, x, 0.5, axis, "linear", keepdims)


@op()
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(torch.nanquantile, x, q, axis, method, keepdims)


@op()
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(torch.nanquantile, x, _t(q, _floatx()) / 100.0, axis, method, keepdims)


@op()
def nanmedian(x, axis=None, keepdims=False):
    x = _t(x)
    if axis == () or axis == []:
        return x
    return _quantile(torch.nanquantile, x, 0.5, axis, "linear", keepdims)


@op()
def nansum(x, axis=None, keepdims=False):
    if isinstance(x, (list, tuple)):
        x = stack(x)
    x = _t(x)
    dt = torch.int32 if x.dtype in (torch.bool, torch.uint8, torch.int8, torch.int16) else x.dtype
    if axis == () or axis == []:
        return torch.nan_to_num(x, nan=0).to(dt)
    return torch.nansum(x, dim=_axis(axis), keepdim=keepdims).to(dt)


@op()
def nanmean(x, axis=None, keepdims=False):
    x = _t(x)
    if axis == () or axis == []:
        return x
    return torch.nanmean(x.to(_torch_dtype(result_type(x.dtype, float))), dim=_axis(axis),
                         keepdim=keepdims)


def _nan_extreme(torch_fn, fill, x, axis, keepdims):
    x = _t(x)
    if not x.is_floating_point():
        return torch_fn(x, dim=_axis(axis) if axis is not None else (), keepdim=keepdims)
    if axis == () or axis == []:
        return x
    nan = torch.isnan(x)
    dims = _axis(axis) if axis is not None else ()
    out = torch_fn(torch.where(nan, fill, x), dim=dims, keepdim=keepdims)
    return torch.where(nan.all(dim=dims, keepdim=keepdims) if axis is not None else
                       nan.all().reshape((1,) * x.ndim if keepdims else ()),
                       torch.tensor(float("nan"), dtype=x.dtype), out)


@op()
def nanmax(x, axis=None, keepdims=False):
    return _nan_extreme(torch.amax, float("-inf"), x, axis, keepdims)


@op()
def nanmin(x, axis=None, keepdims=False):
    return _nan_extreme(torch.amin, float("inf"), x, axis, keepdims)


@op()
def nanprod(x, axis=None, keepdims=False):
    x = _t(x)
    if axis == () or axis == []:
        return torch.nan_to_num(x, nan=1)
    if x.is_floating_point():
        x = torch.where(torch.isnan(x), torch.ones((), dtype=x.dtype), x)
    return prod._raw(x, axis=axis, keepdims=keepdims)


@op()
def nanvar(x, axis=None, keepdims=False):
    x = _t(x)
    x = x.to(_torch_dtype(result_type(x.dtype, float)))
    if axis == () or axis == []:
        return torch.where(torch.isnan(x), x, torch.zeros(()))
    dims = _axis(axis) if axis is not None else tuple(range(x.ndim))
    valid = ~torch.isnan(x)
    m = torch.nanmean(x, dim=dims, keepdim=True)
    centered = torch.where(valid, x - m, torch.zeros_like(x)).square()
    return centered.sum(dim=dims, keepdim=keepdims) / valid.sum(dim=dims, keepdim=keepdims)


@op()
def nanstd(x, axis=None, keepdims=False):
    return torch.sqrt(nanvar._raw(x, axis, keepdims))


@op()
def nanargmax(x, axis=None, keepdims=False):
    x = _t(x)
    if not x.is_floating_point():
        return argmax._raw(x, axis, keepdims)
    nan = torch.isnan(x)
    best = argmax._raw(torch.where(nan, float("-inf"), x), axis, keepdims)
    all_nan = nan.all(dim=axis, keepdim=keepdims) if axis is not None else nan.all()
    return torch.where(all_nan, torch.tensor(-1, dtype=torch.int32), best)


@op()
def nanargmin(x, axis=None, keepdims=False):
    x = _t(x)
    if not x.is_floating_point():
        return argmin._raw(x, axis, keepdims)
    nan = torch.isnan(x)
    best = argmin._raw(torch.where(nan, float("inf"), x), axis, keepdims)
    all_nan = nan.all(dim=axis, keepdim=keepdims) if axis is not None else nan.all()
    return torch.where(all_nan, torch.tensor(-1, dtype=torch.int32), best)


@op()
def nancumsum(x, axis=None, dtype=None):
    return cumsum._raw(torch.nan_to_num(_t(x)), axis=axis, dtype=dtype)


@op()
def nancumprod(x, axis=None, dtype=None):
    return cumprod._raw(torch.nan_to_num(_t(x), nan=1.0), axis=axis, dtype=dtype)


@op("tf.experimental.numpy.ptp")
def ptp(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        return x.max() - x.min()
    if axis == ():
        return torch.zeros_like(x)
    return torch.amax(x, dim=axis, keepdim=keepdims) - torch.amin(x, dim=axis, keepdim=keepdims)


@op("tf.math.count_nonzero")
def count_nonzero(x, axis=None):
    x = _t(x)
    if axis == () or axis == []:
        return torch.ne(x, 0).to(torch.int32)
    return torch.count_nonzero(x, dim=_axis(axis)).T.to(torch.int32)


@op("tf.math.cumsum")
def cumsum(x, axis=None, dtype=None):
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    d = result_type(dtype or x.dtype)
    if d == "bool":
        d = "int32"
    return torch.cumsum(x, dim=axis, dtype=_torch_dtype(d))


@op("tf.math.cumprod")
def cumprod(x, axis=None, dtype=None):
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    d = result_type(dtype or x.dtype)
    if d == "bool":
        d = "int32"
    return torch.cumprod(x, dim=axis, dtype=_torch_dtype(d))


@op("tf.math.argmax")
def argmax(x, axis=None, keepdims=False):
    """Index of the maximum along `axis` (over the flattened tensor when None), int32."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.argmax(x, dim=axis, keepdim=keepdims).to(torch.int32)


@op("tf.math.argmin")
def argmin(x, axis=None, keepdims=False):
    """Index of the minimum along `axis`, int32."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.argmin(x, dim=axis, keepdim=keepdims).to(torch.int32)


@op("tf.argsort")
def argsort(x, axis=-1):
    """Indices that sort `x` along `axis` (stable), int32."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        x, axis = x.reshape(-1), -1
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


@op("tf.sort")
def sort(x, axis=-1):
    """`x` sorted along `axis` (flattened when None)."""
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.sort(x, dim=axis).values


@op()
def argpartition(x, kth, axis=-1):
    """Indices that partition `x` around its `kth` element along `axis`, int32."""
    x = _t(x, "int32")
    flat = axis is None
    if flat:
        x, axis = x.flatten(), 0
    moved = torch.transpose(x, axis, -1)
    # the kth+1 smallest first, then the others (the order torch.topk gives them, as Keras)
    bottom = torch.topk(-moved, kth + 1)[1]
    rest = torch.ones_like(moved, dtype=torch.int32).scatter(-1, bottom, 0)
    top = torch.topk(rest, moved.shape[-1] - kth - 1)[1]
    out = torch.cat([bottom, top], dim=-1)
    return (out if flat else torch.transpose(out, -1, axis)).to(torch.int32)


# ------------------------------------------------------------------ shape manipulation
@op("tf.reshape")
def reshape(x, newshape):
    """`x` with shape `newshape` (one entry may be -1)."""
    if not isinstance(newshape, (list, tuple)):
        newshape = (newshape,)
    return torch.reshape(_t(x), tuple(newshape))


@op("tf.compat.v1.transpose")
def transpose(x, axes=None):
    """`x` with its axes permuted (reversed when `axes` is None)."""
    x = _t(x)
    if axes is not None:
        return torch.permute(x, tuple(axes))
    return x.permute(tuple(range(x.ndim - 1, -1, -1)))


@op("tf.expand_dims")
def expand_dims(x, axis):
    """`x` with new size-1 axes inserted at `axis` (an int or a tuple)."""
    x = _t(x)
    if isinstance(axis, int):
        return torch.unsqueeze(x, axis)
    out_ndim = x.ndim + len(axis)
    for a in sorted(_canonical(a, out_ndim) for a in axis):
        x = torch.unsqueeze(x, a)
    return x


@op("tf.compat.v1.squeeze")
def squeeze(x, axis=None):
    """`x` without its size-1 axes (only `axis` when given)."""
    x = _t(x)
    if axis is None:
        return torch.squeeze(x)
    return torch.squeeze(x, dim=axis if isinstance(axis, int) else tuple(axis))


@op("tf.experimental.numpy.swapaxes")
def swapaxes(x, axis1, axis2):
    return torch.swapaxes(_t(x), axis1, axis2)


@op("tf.experimental.numpy.moveaxis")
def moveaxis(x, source, destination):
    return torch.moveaxis(_t(x), source, destination)


@op("tf.broadcast_to")
def broadcast_to(x, shape):
    return torch.broadcast_to(_t(x), tuple(shape))


@op("tf.concat")
def concatenate(xs, axis=0):
    """Joins tensors along an existing `axis`."""
    return torch.cat([_t(x) for x in xs], dim=axis)


@op("tf.stack")
def stack(x, axis=0):
    """Joins tensors along a new `axis`."""
    return torch.stack([_t(v) for v in x], dim=axis)


@op("tf.experimental.numpy.hstack")
def hstack(xs):
    return torch.hstack([_t(x) for x in xs])


@op("tf.experimental.numpy.vstack")
def vstack(xs):
    return torch.vstack([_t(x) for x in xs])


@op("tf.experimental.numpy.dstack")
def dstack(xs):
    return torch.dstack([_t(x) for x in xs])


@op("tf.experimental.numpy.append")
def append(x1, x2, axis=None):
    x1, x2 = _t(x1), _t(x2)
    if axis is None:
        return torch.cat((x1.flatten(), x2.flatten()))
    return torch.cat((x1, x2), dim=axis)


@op("tf.split")
def split(x, indices_or_sections, axis=0):
    """`x` split along `axis` into equal sections, or at the given indices; a list."""
    x = _t(x)
    dim = x.shape[axis]
    if isinstance(indices_or_sections, int):
        if dim % indices_or_sections:
            raise ValueError(f"Received indices_or_sections={indices_or_sections} (interpreted "
                             f"as a number of sections) and axis={axis}, but input dimension "
                             f"x.shape[{axis}]={dim} is not divisible by {indices_or_sections}. "
                             f"Full input shape: x.shape={tuple(x.shape)}")
        out = torch.split(x, dim // indices_or_sections if dim else 1, dim=axis)
        if dim == 0:
            return [out[0].clone() for _ in range(indices_or_sections)]
        return list(out)
    idx = [int(i) for i in (indices_or_sections.tolist() if isinstance(indices_or_sections,
                                                                      _Tensor)
                            else indices_or_sections)]
    return list(torch.tensor_split(x, idx, dim=axis))


@op()
def array_split(x, indices_or_sections, axis=0):
    return list(torch.tensor_split(_t(x), indices_or_sections, dim=axis))


def _split_sections(value):
    if isinstance(value, int):
        return value
    return _t(value).tolist()


@op()
def hsplit(x, indices_or_sections):
    return list(torch.hsplit(_t(x), _split_sections(indices_or_sections)))


@op()
def vsplit(x, indices_or_sections):
    return list(torch.vsplit(_t(x), _split_sections(indices_or_sections)))


@op()
def dsplit(x, indices_or_sections):
    return list(torch.dsplit(_t(x), _split_sections(indices_or_sections)))


@op("tf.tile")
def tile(x, repeats):
    if isinstance(repeats, _Tensor):
        repeats = tuple(int(r) for r in repeats.tolist())
    if isinstance(repeats, int):
        repeats = (repeats,)
    return torch.tile(_t(x), tuple(repeats))


@op("tf.repeat")
def repeat(x, repeats, axis=None):
    """Repeats each element of `x` `repeats` times along `axis` (flattened when None)."""
    x = _t(x)
    if isinstance(repeats, int):
        return torch.repeat_interleave(x, repeats, dim=axis)
    if isinstance(repeats, (list, tuple)) and axis is not None:
        return torch.repeat_interleave(x, torch.tensor(repeats), dim=axis)
    return torch.repeat_interleave(x, _t(repeats, "int64"), dim=axis)


@op("tf.reverse")
def flip(x, axis=None):
    x = _t(x)
    if axis is None:
        axis = tuple(range(x.ndim))
    return torch.flip(x, dims=(axis,) if isinstance(axis, int) else tuple(axis))


@op("tf.roll")
def roll(x, shift, axis=None):
    x = _t(x)
    if axis is None:
        return torch.roll(x, shift)
    return torch.roll(x, shift, dims=axis)


@op("tf.image.rot90")
def rot90(array, k=1, axes=(0, 1)):
    array = _t(array)
    if array.ndim < 2:
        raise ValueError("Input array must have at least 2 dimensions. "
                         f"Received: array.ndim={array.ndim}")
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(f"Invalid axes: {axes}. Axes must be a tuple of two different "
                         "dimensions.")
    axes = tuple(a if a >= 0 else array.ndim + a for a in axes)
    if not builtins.all(0 <= a < array.ndim for a in axes):
        raise ValueError(f"Invalid axes {axes} for tensor with {array.ndim} dimensions")
    return torch.rot90(array, k=k, dims=axes)


@op("tf.pad")
def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads `x` with `pad_width` = ((before, after), ...) per axis."""
    kwargs = {}
    if constant_values is not None:
        if mode != "constant":
            raise ValueError("Argument `constant_values` can only be provided when `mode == "
                             f"'constant'`. Received: mode={mode}")
        kwargs["value"] = constant_values
    x = _t(x)
    widths = [tuple(int(v) for v in p) for p in pad_width]
    if len(widths) == 1 and x.ndim > 1:
        widths = widths * x.ndim
    flat = []
    remaining = builtins.sum(a + b for a, b in widths)
    for before, after in reversed(widths):
        flat += [before, after]
        remaining -= before + after
        if remaining == 0:
            break
    if mode == "symmetric":
        mode = "replicate"
    if mode == "constant":
        return torch.nn.functional.pad(x, flat, mode=mode, **kwargs)
    ndim, dt = x.ndim, x.dtype
    if ndim < 3:
        x = x.view(*([1] * (3 - ndim)), *x.shape)
    if dt not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    x = torch.nn.functional.pad(x, flat, mode=mode).to(dt)
    if ndim < 3:
        x = torch.squeeze(x, dim=tuple(range(3 - ndim)))
    return x


@op("tf.experimental.numpy.diag")
def diag(x, k=0):
    return torch.diag(_t(x), diagonal=k)


@op("tf.experimental.numpy.diagflat")
def diagflat(x, k=0):
    return torch.diagflat(_t(x), offset=k)


@op("tf.experimental.numpy.diagonal")
def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(_t(x), offset=offset, dim1=axis1, dim2=axis2)


@op("tf.experimental.numpy.trace")
def trace(x, offset=0, axis1=0, axis2=1):
    x = _t(x)
    dt = x.dtype
    if dt in (torch.bool, torch.int8, torch.int16, torch.uint8):
        dt = torch.int32
    return torch.sum(torch.diagonal(x, offset, axis1, axis2), dim=-1, dtype=dt)


@op("tf.experimental.numpy.tril")
def tril(x, k=0):
    return torch.tril(_t(x), diagonal=k)


@op("tf.experimental.numpy.triu")
def triu(x, k=0):
    return torch.triu(_t(x), diagonal=k)


@op("tf.experimental.numpy.diff")
def diff(a, n=1, axis=-1):
    return torch.diff(_t(a), n=n, dim=axis)


@op("tf.experimental.numpy.vander")
def vander(x, N=None, increasing=False):
    x = _t(x)
    if x.ndim != 1:
        raise ValueError(f"Input tensor must be 1-dimensional. Received: input.shape={x.shape}")
    return torch.vander(x, N=N, increasing=increasing).to(x.dtype)


@op("tf.experimental.numpy.trapz")
def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _t(y)
    if y.dtype == torch.bool:
        y = y.to(_torch_dtype(_floatx()))
    if x is not None:
        return torch.trapz(y, x=_t(x), dim=axis)
    return torch.trapz(y, dx=dx, dim=axis)


# ------------------------------------------------------------------ indexing
@op("tf.__operators__.getitem")
def get_item(x, key):
    return _t(x)[key]


@op("tf.gather")
def take(x, indices, axis=None):
    """Elements of `x` at `indices` along `axis` (of the flattened `x` when None)."""
    x = _t(x)
    indices = _t(indices)
    if indices.dtype not in (torch.int64, torch.int32):
        indices = indices.long()
    if x.ndim == 2 and axis == 0:  # a row gather: embedding's kernel, ids wrapped first
        return torch.nn.functional.embedding(
            torch.where(indices < 0, indices + x.shape[0], indices), x)
    # advanced indexing: numpy's take, negative indices included, in one gather
    if axis is None:
        return x.reshape(-1)[indices]
    axis = _canonical(axis, x.ndim)
    return x[(slice(None),) * axis + (indices,)]


@op("tf.experimental.numpy.take_along_axis")
def take_along_axis(x, indices, axis=None):
    x = _t(x)
    indices = _t(indices).long()
    size = x.shape[axis] if axis is not None else x.numel()
    indices = torch.where(indices < 0, indices + size, indices)
    if axis is None:
        return torch.take_along_dim(x, indices)
    # numpy broadcasting of the non-axis dimensions
    shape = list(torch.broadcast_shapes(
        tuple(1 if i == _canonical(axis, x.ndim) else d for i, d in enumerate(x.shape)),
        tuple(1 if i == _canonical(axis, x.ndim) else d for i, d in enumerate(indices.shape))))
    a = _canonical(axis, x.ndim)
    xs = list(shape)
    xs[a] = x.shape[a]
    ids = list(shape)
    ids[a] = indices.shape[a]
    return torch.take_along_dim(x.expand(xs), indices.expand(ids), dim=a)


@op("tf.where")
def where(condition, x1=None, x2=None):
    """`x1` where `condition` else `x2`; with neither, the indices where it holds."""
    condition = _t(condition, "bool")
    if x1 is not None and x2 is not None:
        return torch.where(condition, _t(x1), _t(x2))
    if x1 is None and x2 is None:
        return torch.stack(torch.where(condition), dim=0)
    raise ValueError("`x1` and `x2` either both should be `None` or both should have "
                     "non-None value.")


@op("tf.experimental.numpy.nonzero")
def nonzero(x):
    return torch.nonzero(_t(x)).T.to(torch.int32)


@op("tf.experimental.numpy.select")
def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("condlist and choicelist must have the same length. Received: "
                         f"len(condlist)={len(condlist)}, len(choicelist)={len(choicelist)}")
    out = _t(default)
    for c, v in reversed(list(zip(condlist, choicelist))):
        out = torch.where(_t(c), _t(v), out)
    return out


@op("tf.searchsorted")
def searchsorted(sorted_sequence, values, side="left"):
    if ndim(sorted_sequence) != 1:
        raise ValueError("`searchsorted` only supports 1-D sorted sequences. You can use "
                         "`keras.ops.vectorized_map` to extend it to N-D sequences. Received: "
                         f"sorted_sequence.shape={tuple(sorted_sequence.shape)}")
    return torch.searchsorted(_t(sorted_sequence), _t(values), side=side, out_int32=True)


@op("tf.raw_ops.Bucketize")
def digitize(x, bins):
    x, bins = _t(x), _t(bins)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.bucketize(x, bins, right=True).to(torch.int32)


@op()
def unravel_index(indices, shape):
    indices = _t(indices)
    return tuple(i.to(indices.dtype) for i in torch.unravel_index(indices, tuple(shape)))


@op("tf.math.bincount")
def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("Unsupported value `sparse=True` with torch backend")
    x = _t(x)
    dt = torch.int32
    if weights is not None:
        weights = _t(weights)
        dt = _torch_dtype(result_type(x.dtype, weights.dtype))
    if x.ndim == 2:
        rows = [torch.bincount(r, weights=None if weights is None else w, minlength=minlength)
                for r, w in zip(x, weights if weights is not None else x)]
        return torch.stack(rows).to(dt)
    return torch.bincount(x, weights, minlength).to(dt)


@op("tf.histogram_fixed_width")
def histogram(x, bins=10, range=None):  # noqa: A002
    out = torch.histogram(_t(x), bins=bins, range=range)
    return out.hist, out.bin_edges


@op("tf.unique")
def unique(x, sorted=True, return_index=False, return_inverse=False,  # noqa: A002
           return_counts=False, axis=None, size=None, fill_value=None):
    x = _t(x)
    out = torch.unique(x, sorted=sorted, return_inverse=return_inverse or return_index,
                       return_counts=return_counts, dim=axis)
    out = list(out) if isinstance(out, tuple) else [out]
    values = out[0]
    dim = 0 if axis is None else _canonical(axis, x.ndim)
    if return_index:
        inverse = out[1]
        perm = torch.arange(inverse.numel(), dtype=inverse.dtype)
        first = inverse.new_empty(values.shape[dim]).scatter_reduce_(
            0, inverse.reshape(-1), perm, reduce="min", include_self=False)
    if size is not None:
        n = values.shape[dim]
        if n > size:
            values = values.narrow(dim, 0, size)
            if return_counts:
                out[-1] = out[-1][:size]
            if return_index:
                first = first[:size]
        elif n < size:
            widths = [0, 0] * values.ndim
            at = (values.ndim - 1 - dim) * 2
            widths[at + 1] = size - n
            values = torch.nn.functional.pad(values, widths, value=0 if fill_value is None
                                             else fill_value)
            if return_counts:
                out[-1] = torch.nn.functional.pad(out[-1], [0, size - n], value=0)
            if return_index:
                first = torch.nn.functional.pad(first, [0, size - n], value=1)
    out[0] = values
    if return_index and return_inverse:
        out.insert(1, first)
    elif return_index:
        out[1] = first
    return out[0] if len(out) == 1 else tuple(out)


# ------------------------------------------------------------------ misc
def ndim(x):
    """The number of dimensions of `x`."""
    return len(getattr(x, "shape", None) if hasattr(x, "shape") else _t(x).shape)


def size(x):
    """The number of elements of `x`."""
    return torch.prod(_t(tuple(x.shape)))


@op("tf.experimental.numpy.meshgrid")
def meshgrid(*x, indexing="xy"):
    return list(torch.meshgrid([_t(v) for v in x], indexing=indexing))


@op("tf.experimental.numpy.corrcoef")
def corrcoef(x):
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(_torch_dtype(_floatx()))
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.corrcoef(x)


@op()
def correlate(x1, x2, mode="valid"):
    x1, x2 = _t(x1), _t(x2)
    d = result_type(x1.dtype, x2.dtype)
    d = "float64" if d == "int64" else (d if d in ("bfloat16", "float16", "float64")
                                        else "float32")
    dt = _torch_dtype(d)
    x1, x2 = x1.to(dt), x2.to(dt)
    n1, n2 = x1.shape[-1], x2.shape[-1]
    full_out = torch.nn.functional.conv1d(x1.reshape(1, 1, -1), x2.reshape(1, 1, -1),
                                          padding=n2 - 1).reshape(-1)
    if mode == "valid":
        length = builtins.max(n1, n2) - builtins.min(n1, n2) + 1
        start = (full_out.shape[-1] - length) // 2
        full_out = full_out[start:start + length]
    elif mode == "same":
        start = (full_out.shape[-1] - n1) // 2
        full_out = full_out[start:start + n1]
    return full_out


@op("tf.linalg.slogdet")
def slogdet(x):
    return tuple(torch.linalg.slogdet(_t(x)))


@op("tf.bitcast")
def view(x, dtype=None):
    return _t(x).view(_torch_dtype(dtype))


def _window(torch_fn):
    def fn(x):
        return torch_fn(int(x))
    return fn


bartlett = _window(torch.signal.windows.bartlett)
blackman = _window(torch.signal.windows.blackman)
hamming = _window(torch.signal.windows.hamming)
hanning = _window(torch.signal.windows.hann)
for _n, _f in (("bartlett", bartlett), ("blackman", blackman), ("hamming", hamming),
               ("hanning", hanning)):
    _f.__name__ = _f.__qualname__ = _n


def kaiser(x, beta):
    return torch.signal.windows.kaiser(int(x), beta=beta)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """`pyfunc` mapped elementwise over its (broadcast) tensor arguments with `torch.vmap`."""
    excluded = set(excluded or ())

    def wrapped(*args):
        tensor_pos = [i for i, _ in enumerate(args) if i not in excluded]
        tensors = torch.broadcast_tensors(*[_t(args[i]) for i in tensor_pos])
        shape = tensors[0].shape if tensors else ()

        def call(*vals):
            full_args = list(args)
            for i, v in zip(tensor_pos, vals):
                full_args[i] = v
            return pyfunc(*full_args)

        flat = [t.reshape(-1) for t in tensors]
        out = torch.vmap(call)(*flat)
        return out.reshape(tuple(shape) + tuple(out.shape[1:]))
    return wrapped
