"""`tf.debugging`: TensorFlow's run-time assertions on torch tensors.

Value assertions raise `tf.errors.InvalidArgumentError` ("Condition x == y did not hold"),
static ones (rank, type) ValueError / TypeError, as TensorFlow does eagerly; all return None.
"""

import torch

from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.tf import dtypes as _dtypes
from kerastorch.porting.tf import errors as _errors
from kerastorch.porting.tf import tensor as _tensor


def _t(x):
    return _tensor.convert_to_tensor(x)


def _pair(x, y):
    x, y = _t(x), _t(y)
    if x.dtype != y.dtype:
        y = y.to(x.dtype) if not isinstance(y, torch.Tensor) or y.dim() == 0 else y
    return x, y


def _fail(condition, message, x, y=None):
    text = (f"{message + chr(10) if message else ''}Condition {condition} did not hold.\n"
            f"First {min(x.numel(), 3)} elements of x:\n{x.flatten()[:3].tolist()}")
    if y is not None:
        text += f"\nFirst {min(y.numel(), 3)} elements of y:\n{y.flatten()[:3].tolist()}"
    raise _errors.InvalidArgumentError(None, None, text)


def _comparison(symbol, fn):
    def check(x, y, message=None, summarize=None, name=None):
        x, y = _pair(x, y)
        try:
            ok = bool(torch.all(fn(x, y)))
        except RuntimeError as err:
            raise ValueError(f"Shapes {tuple(x.shape)} and {tuple(y.shape)} are incompatible "
                             f"({err})") from None
        if not ok:
            _fail(f"x {symbol} y", message, x, y)
    return check


assert_equal = _comparison("==", torch.eq)
assert_none_equal = _comparison("!=", torch.ne)
assert_less = _comparison("<", torch.lt)
assert_less_equal = _comparison("<=", torch.le)
assert_greater = _comparison(">", torch.gt)
assert_greater_equal = _comparison(">=", torch.ge)


def _sign(symbol, fn):
    def check(x, message=None, summarize=None, name=None):
        x = _t(x)
        if not bool(torch.all(fn(x))):
            _fail(f"x {symbol} 0", message, x)
    return check


assert_positive = _sign(">", lambda x: x > 0)
assert_negative = _sign("<", lambda x: x < 0)
assert_non_negative = _sign(">=", lambda x: x >= 0)
assert_non_positive = _sign("<=", lambda x: x <= 0)


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """`|x - y| <= atol + rtol * |y|` element-wise (defaults: 10 * eps of the dtype)."""
    x, y = _pair(x, y)
    eps = torch.finfo(x.dtype).eps if x.is_floating_point() else 0.0
    rtol = 10 * eps if rtol is None else rtol
    atol = 10 * eps if atol is None else atol
    if not bool(torch.all((x - y).abs() <= atol + rtol * y.abs())):
        _fail("x and y are close", message, x, y)


def assert_rank(x, rank, message=None, name=None):
    x = _t(x)
    if x.dim() != int(rank):
        raise ValueError(f"{message + ' ' if message else ''}Tensor must have rank {int(rank)}. "
                         f" Received rank {x.dim()}, shape {tuple(x.shape)}")


def assert_rank_at_least(x, rank, message=None, name=None):
    x = _t(x)
    if x.dim() < int(rank):
        raise ValueError(f"{message + ' ' if message else ''}Tensor must have rank at least "
                         f"{int(rank)}.  Received rank {x.dim()}, shape {tuple(x.shape)}")


def assert_rank_in(x, ranks, message=None, name=None):
    x = _t(x)
    if x.dim() not in [int(r) for r in ranks]:
        raise ValueError(f"{message + ' ' if message else ''}Tensor must have rank in "
                         f"{list(ranks)}.  Received rank {x.dim()}, shape {tuple(x.shape)}")


def assert_type(tensor, tf_type, message=None, name=None):
    t = _t(tensor)
    if t.dtype != _dtypes.to_torch(tf_type):
        raise TypeError(f"{message + ' ' if message else ''}tensor must be of type "
                        f"{_dtypes.as_dtype(tf_type)!r}; got {_dtypes.as_dtype(t.dtype)!r}")


def assert_integer(x, message=None, name=None):
    t = _t(x)
    if not _dtypes.as_dtype(t.dtype).is_integer:
        raise TypeError(f"{message + ' ' if message else ''}Expected integer type but got "
                        f"{_dtypes.as_dtype(t.dtype)!r}")


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Each `(tensor, shape)` has that shape; a shape's string entries ('N') must agree
    across the tensors."""
    items = shapes.items() if isinstance(shapes, dict) else shapes
    sizes = {}
    for tensor, expected in items:
        t = _t(tensor)
        expected = tuple(expected)
        if len(expected) != t.dim() and not (len(expected) and expected[0] == "..."):
            raise ValueError(f"{message + ' ' if message else ''}Specified by tensor "
                             f"{tuple(t.shape)} dimension: tensor must have rank "
                             f"{len(expected)}. Received rank {t.dim()}")
        for dim, want in zip(reversed(t.shape), reversed(expected)):
            if want in ("...", None):
                continue
            if isinstance(want, str):
                if sizes.setdefault(want, dim) != dim:
                    raise ValueError(f"{message + ' ' if message else ''}Specified by tensor "
                                     f"shape {tuple(t.shape)}: dimension {want!r} must have "
                                     f"size {sizes[want]}. Received size {dim}")
            elif int(want) != dim:
                raise ValueError(f"{message + ' ' if message else ''}Specified by tensor "
                                 f"shape {tuple(t.shape)}: dimension must have size "
                                 f"{int(want)}. Received size {dim}")


def assert_all_finite(x, message, name=None):
    return check_numerics(x, message)


def check_numerics(tensor, message, name=None):
    """The tensor itself, after checking it has no NaN or infinity."""
    t = _t(tensor)
    if t.is_floating_point() and not bool(torch.isfinite(t).all()):
        what = "NaN" if bool(torch.isnan(t).any()) else "Inf"
        raise _errors.InvalidArgumentError(None, None, f"{message} : Tensor had {what} values")
    return t


def is_numeric_tensor(tensor):
    return isinstance(tensor, torch.Tensor) and tensor.dtype != torch.bool


def set_log_device_placement(enabled):
    """Nothing to log: torch places every operation on its inputs' device."""


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    torch.autograd.set_detect_anomaly(True)


def disable_check_numerics():
    torch.autograd.set_detect_anomaly(False)


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.debugging.{name}")
