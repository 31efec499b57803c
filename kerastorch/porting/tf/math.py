"""tf.math on torch: element-wise math, comparisons, reductions (`reduce_*`, also at the top
level of `tensorflow` as TF has them), cumulative and segment ops, with TensorFlow's dtype
rules: a binary op takes its dtype from its first argument and raises InvalidArgumentError for
a tensor of another dtype; float-only kernels (sqrt, exp, ...) refuse integer tensors; integer
reductions stay in the input's dtype (reduce_mean of int32 truncates, as TF does)."""

import builtins
import collections

import numpy as np
import torch

from kerastorch.porting.tf._common import INTS
from kerastorch.porting.tf._common import axis_list
from kerastorch.porting.tf._common import broadcast_check
from kerastorch.porting.tf._common import convert
from kerastorch.porting.tf._common import dtype_of
from kerastorch.porting.tf._common import matching
from kerastorch.porting.tf._common import namespace_getattr
from kerastorch.porting.tf._common import require
from kerastorch.porting.tf._common import symbolic_ops
from kerastorch.porting.tf.errors import InvalidArgumentError

__all__ = [  # the names TensorFlow also has at its top level (tf.<name>)
    "abs", "acos", "acosh", "add", "add_n", "argmax", "argmin", "asin", "asinh", "atan",
    "atan2", "atanh", "cos", "cosh", "cumsum", "divide", "equal", "exp", "floor", "greater",
    "greater_equal", "less", "less_equal", "logical_and", "logical_not", "logical_or",
    "maximum", "minimum", "multiply", "negative", "not_equal", "pow", "reduce_all",
    "reduce_any", "reduce_logsumexp", "reduce_max", "reduce_mean", "reduce_min", "reduce_prod",
    "reduce_sum", "round", "scalar_mul", "sigmoid", "sign", "sin", "sinh", "sqrt", "square",
    "subtract", "tan", "tanh", "truediv", "truncatediv", "truncatemod",
]

__getattr__ = namespace_getattr("math")


# ------------------------------------------------------------------ binary element-wise ops
def _scalar_fits(x, y):
    """Whether the Python number y may go to torch as it is (it converts to x's dtype)."""
    t = type(y)
    if t is float:
        return x.dtype.is_floating_point or x.dtype.is_complex
    return t is int and (x.dtype.is_floating_point or (
        x.dtype in (torch.int32, torch.int64) and -2 ** 31 <= y < 2 ** 31))


def _binary(tf_op, torch_fn, kinds=("float", "complex", "int"), out=None, ordered=False,
            scalars=False):
    def op(x, y, name=None):
        if scalars and type(x) is torch.Tensor and x.dtype in allowed and _scalar_fits(x, y):
            result = torch_fn(x, y)  # x + 2.0: torch takes the number as x's dtype
            return result if out is None or result.dtype == out else result.to(out)
        if kinds == ("bool",):  # numpy arrays are cast to the op's one dtype, bool
            x, y = (v.astype(bool) if isinstance(v, np.ndarray) else v for v in (x, y))
        x, y = matching(tf_op, x, y, ordered=ordered)
        require(tf_op, x, *kinds)
        try:
            result = torch_fn(x, y)
        except RuntimeError:
            broadcast_check(tf_op, x, y)  # InvalidArgumentError for shapes that do not fit
            raise
        return result if out is None or result.dtype == out else result.to(out)
    allowed = {"float": (torch.float16, torch.bfloat16, torch.float32, torch.float64),
               "complex": (torch.complex64, torch.complex128), "int": INTS,
               "bool": (torch.bool,)}
    allowed = frozenset(d for k in kinds for d in allowed[k])
    op.__doc__ = f"tf.math.{tf_op}: element-wise, with TensorFlow's broadcasting and dtypes."
    op.__name__ = op.__qualname__ = tf_op
    return op


def _same_dtype(fn):
    return lambda x, y: fn(x, y).to(x.dtype)


add = _binary("add", torch.add, ordered=True, scalars=True)  # tf.add converts x, then y
subtract = _binary("subtract", torch.subtract, scalars=True)
multiply = _binary("multiply", torch.multiply, scalars=True)
maximum = _binary("maximum", torch.maximum, ("float", "int"))
minimum = _binary("minimum", torch.minimum, ("float", "int"))
squared_difference = _binary("squared_difference", lambda x, y: torch.square(x - y))
floordiv = _binary("floordiv", _same_dtype(torch.floor_divide), ("float", "int"))
floormod = _binary("floormod", torch.remainder, ("float", "int"))
mod = floormod
truncatediv = _binary("truncatediv", lambda x, y: torch.div(x, y, rounding_mode="trunc"),
                      ("float", "int"))
truncatemod = _binary("truncatemod", torch.fmod, ("float", "int"))
pow = _binary("pow", _same_dtype(torch.pow))  # noqa: A001
atan2 = _binary("atan2", torch.atan2, ("float",))
xlogy = _binary("xlogy", torch.xlogy, ("float",))


def _safe_divide(x, y):
    """x / y, 0 where y == 0 (a safe denominator keeps the gradient finite there too)."""
    zero = y == 0
    return torch.where(zero, torch.zeros_like(x), x / torch.where(zero, torch.ones_like(y), y))


xdivy = _binary("xdivy", lambda x, y: torch.where(x == 0, torch.zeros_like(x), x / y), ("float",))
divide_no_nan = _binary("divide_no_nan", _safe_divide, ("float",))
multiply_no_nan = _binary("multiply_no_nan",
                          lambda x, y: torch.where(y == 0, torch.zeros_like(x), x * y),
                          ("float",))
equal = _binary("equal", torch.eq, ("float", "complex", "int", "bool"))
not_equal = _binary("not_equal", torch.ne, ("float", "complex", "int", "bool"))
less = _binary("less", torch.lt, ("float", "int"))
less_equal = _binary("less_equal", torch.le, ("float", "int"))
greater = _binary("greater", torch.gt, ("float", "int"))
greater_equal = _binary("greater_equal", torch.ge, ("float", "int"))
logical_and = _binary("logical_and", torch.logical_and, ("bool",))
logical_or = _binary("logical_or", torch.logical_or, ("bool",))
logical_xor = _binary("logical_xor", torch.logical_xor, ("bool",))


def truediv(x, y, name=None):
    """tf.math.truediv: x / y; int8/int16/uint8 become float32, int32/int64 float64, as TF."""
    x, y = matching("truediv", x, y, ordered=True, python_error=TypeError,
                    tensor_error=TypeError)
    broadcast_check("truediv", x, y)
    if x.dtype in INTS:
        wide = torch.float64 if x.dtype in (torch.int32, torch.int64) else torch.float32
        x, y = x.to(wide), y.to(wide)
    return torch.true_divide(x, y)


def divide(x, y, name=None):
    """tf.math.divide: Python's `x / y` (true division) with TensorFlow's dtypes."""
    x, y = matching("divide", x, y)
    return truediv(x, y)


def scalar_mul(scalar, x, name=None):
    x = convert(x)
    return x * convert(scalar, x.dtype)


def add_n(inputs, name=None):
    """tf.math.add_n: the sum of a list of tensors of one shape and dtype."""
    tensors = matching("AddN", *inputs)
    shapes = {tuple(t.shape) for t in tensors}
    if len(shapes) != 1:
        raise InvalidArgumentError(f"AddN: all inputs must have the same shape, got {shapes}")
    return torch.stack(tensors).sum(0).to(tensors[0].dtype)


# ------------------------------------------------------------------- unary element-wise ops
def _unary(tf_op, torch_fn, kinds=("float", "complex")):
    def op(x, name=None):
        return torch_fn(require(tf_op, convert(x), *kinds))
    op.__doc__ = f"tf.math.{tf_op}: element-wise."
    op.__name__ = op.__qualname__ = tf_op
    return op


_NUM = ("float", "complex", "int")
abs = _unary("abs", torch.abs, _NUM)  # noqa: A001  (complex -> its real dtype: |stft|)
negative = _unary("negative", torch.neg, _NUM)
sign = _unary("sign", torch.sgn, _NUM)
square = _unary("square", torch.square, _NUM)
exp = _unary("exp", torch.exp)
expm1 = _unary("expm1", torch.expm1)
log = _unary("log", torch.log)
log1p = _unary("log1p", torch.log1p)
sqrt = _unary("sqrt", torch.sqrt)
rsqrt = _unary("rsqrt", torch.rsqrt)
reciprocal = _unary("reciprocal", torch.reciprocal)
sin, cos, tan = _unary("sin", torch.sin), _unary("cos", torch.cos), _unary("tan", torch.tan)
asin, acos, atan = _unary("asin", torch.asin), _unary("acos", torch.acos), _unary("atan",
                                                                                torch.atan)
sinh, cosh, tanh = _unary("sinh", torch.sinh), _unary("cosh", torch.cosh), _unary("tanh",
                                                                                torch.tanh)
asinh, acosh, atanh = (_unary("asinh", torch.asinh), _unary("acosh", torch.acosh),
                       _unary("atanh", torch.atanh))
sigmoid = _unary("sigmoid", torch.sigmoid)
log_sigmoid = _unary("log_sigmoid", torch.nn.functional.logsigmoid, ("float",))
softplus = _unary("softplus", torch.nn.functional.softplus, ("float",))
softsign = _unary("softsign", torch.nn.functional.softsign, ("float",))
erf, erfc = _unary("erf", torch.erf, ("float",)), _unary("erfc", torch.erfc, ("float",))
erfinv = _unary("erfinv", torch.erfinv, ("float",))
lgamma, digamma = _unary("lgamma", torch.lgamma, ("float",)), _unary("digamma", torch.digamma,
                                                                     ("float",))
ceil, floor = _unary("ceil", torch.ceil, ("float",)), _unary("floor", torch.floor, ("float",))
bessel_i0 = _unary("bessel_i0", torch.special.i0, ("float",))
bessel_i0e = _unary("bessel_i0e", torch.special.i0e, ("float",))
bessel_i1 = _unary("bessel_i1", torch.special.i1, ("float",))
bessel_i1e = _unary("bessel_i1e", torch.special.i1e, ("float",))
ndtri = _unary("ndtri", torch.special.ndtri, ("float",))
igamma = _binary("igamma", torch.special.gammainc, ("float",))
igammac = _binary("igammac", torch.special.gammaincc, ("float",))
zeta = _binary("zeta", torch.special.zeta, ("float",))
reciprocal_no_nan = _unary("reciprocal_no_nan",
                           lambda x: _safe_divide(torch.ones_like(x), x), ("float", "complex"))


def polygamma(a, x, name=None):
    """tf.math.polygamma: the a-th derivative of digamma; NaN where a is not a whole number
    >= 0, as TensorFlow gives."""
    a, x = matching("Polygamma", a, x)
    require("Polygamma", x, "float")
    orders = torch.broadcast_tensors(a, x)[0]
    out = torch.full(torch.broadcast_shapes(a.shape, x.shape), float("nan"), dtype=x.dtype,
                     device=x.device)
    xs = x.expand_as(out)
    whole = (orders == torch.round(orders)) & (orders >= 0)
    for n in torch.unique(orders[whole]).tolist():
        where = orders == n
        out[where] = torch.special.polygamma(int(n), xs[where])
    return out


def lbeta(x, name=None):
    """log(|Beta(x)|) over the last axis: sum(lgamma(x)) - lgamma(sum(x))."""
    x = require("lbeta", convert(x), "float")
    return torch.lgamma(x).sum(-1) - torch.lgamma(x.sum(-1))


def invert_permutation(x, name=None):
    p = convert(x)
    if p.dim() != 1 or not torch.equal(torch.sort(p).values,
                                       torch.arange(p.numel(), device=p.device).to(p.dtype)):
        raise InvalidArgumentError(f"invert_permutation: x must be a 1-D permutation, got "
                                   f"{p.tolist()}")
    out = torch.empty_like(p)
    out[p.long()] = torch.arange(p.numel(), device=p.device).to(p.dtype)
    return out
rint = _unary("rint", torch.round, ("float",))
is_nan = _unary("is_nan", torch.isnan, ("float",))
is_inf = _unary("is_inf", torch.isinf, ("float",))
is_finite = _unary("is_finite", torch.isfinite, ("float",))
logical_not = _unary("logical_not", torch.logical_not, ("bool",))
real = _unary("real", lambda x: x.real if x.is_complex() else x, _NUM)
imag = _unary("imag", lambda x: x.imag if x.is_complex() else torch.zeros_like(x), _NUM)
conj = _unary("conj", torch.conj_physical, _NUM)
angle = _unary("angle", torch.angle, _NUM)


def round(x, name=None):  # noqa: A001
    """tf.math.round: half to even, as TensorFlow (and torch.round) round; ints unchanged."""
    x = convert(x)
    return x if x.dtype in INTS else torch.round(x)


# -------------------------------------------------------------------------------- reductions
def _reduction(tf_op, fn, kinds=("float", "complex", "int"), error=InvalidArgumentError):
    def reduce(input_tensor, axis=None, keepdims=False, name=None):
        x = require(tf_op, convert(input_tensor), *kinds, error=error)
        dims = axis_list(axis, x.dim(), tf_op)
        if x.dim() == 0:
            return fn(x, ())
        out = fn(x, dims)  # the reduced axes dropped
        return out.reshape([1 if d in dims else n for d, n in enumerate(x.shape)]) \
            if keepdims else out
    reduce.__name__ = reduce.__qualname__ = tf_op
    reduce.__doc__ = (f"tf.math.{tf_op} (also tf.{tf_op}): over `axis` (all axes when None), "
                      "keeping them as size 1 when `keepdims`.")
    return reduce


def _sum(x, dims):
    return torch.sum(x, dim=dims).to(x.dtype) if dims else x.clone()


def _mean(x, dims):
    if not dims:
        return x.clone()
    if x.dtype in INTS:
        count = builtins.max(1, int(torch.tensor([x.shape[d] for d in dims]).prod()))
        return torch.div(torch.sum(x, dim=dims), count, rounding_mode="trunc").to(x.dtype)
    return torch.mean(x, dim=dims)


def _prod(x, dims):
    for d in sorted(dims, reverse=True):
        x = torch.prod(x, dim=d).to(x.dtype)
    return x


def _extreme(fn, fill):
    def reduce(x, dims):
        if not dims:
            return x.clone()
        if x.numel() == 0:
            shape = [n for d, n in enumerate(x.shape) if d not in dims]
            lo = fill(x.dtype)
            return torch.full(shape, lo, dtype=x.dtype, device=x.device)
        return fn(x, dim=dims)
    return reduce


def _lowest(dtype):
    return -float("inf") if dtype.is_floating_point else torch.iinfo(dtype).min


def _highest(dtype):
    return float("inf") if dtype.is_floating_point else torch.iinfo(dtype).max


def _variance(x, dims):
    return torch.var(x, dim=dims, correction=0) if dims else torch.zeros_like(x)


def _logsumexp(x, dims):
    return torch.logsumexp(x, dim=dims) if dims else x.clone()


reduce_sum = _reduction("reduce_sum", _sum)
reduce_mean = _reduction("reduce_mean", _mean)
reduce_prod = _reduction("reduce_prod", _prod)
reduce_max = _reduction("reduce_max", _extreme(torch.amax, _lowest), ("float", "int"))
reduce_min = _reduction("reduce_min", _extreme(torch.amin, _highest), ("float", "int"))
reduce_all = _reduction("reduce_all", lambda x, d: torch.all(x, dim=d) if d else x.clone(),
                        ("bool",))
reduce_any = _reduction("reduce_any", lambda x, d: torch.any(x, dim=d) if d else x.clone(),
                        ("bool",))
reduce_variance = _reduction("reduce_variance", _variance, ("float",), TypeError)
reduce_std = _reduction("reduce_std", lambda x, d: torch.sqrt(_variance(x, d)), ("float",),
                        TypeError)
reduce_logsumexp = _reduction("reduce_logsumexp", _logsumexp, ("float",))
reduce_euclidean_norm = _reduction(
    "reduce_euclidean_norm",
    lambda x, d: torch.sqrt(torch.sum(x * x, dim=d)).to(x.dtype) if d else torch.abs(x),
    ("float", "int"))


def count_nonzero(input, axis=None, keepdims=None, dtype="int64", name=None):  # noqa: A002
    x = convert(input)
    return reduce_sum((x != 0).to(dtype_of(dtype)), axis=axis, keepdims=builtins.bool(keepdims))


def _arg(tf_op, fn):
    def op(input, axis=None, output_type="int64", name=None):  # noqa: A002
        x = require(tf_op, convert(input), "float", "int", "bool")
        x = x.to(torch.uint8) if x.dtype == torch.bool else x
        axis = 0 if axis is None else int(axis)
        if not -x.dim() <= axis < x.dim():
            raise InvalidArgumentError(f"{tf_op}: Expected dimension in the range "
                                       f"[{-x.dim()}, {x.dim()}), but got {axis}")
        return fn(x, dim=axis).to(dtype_of(output_type))
    op.__doc__ = f"tf.math.{tf_op}: the index along `axis` (0 when None), int64 by default."
    op.__name__ = op.__qualname__ = tf_op
    return op


argmax = _arg("argmax", torch.argmax)
argmin = _arg("argmin", torch.argmin)


# ---------------------------------------------------------------------- scans and segments
def _scan(tf_op, fn):
    def op(x, axis=0, exclusive=False, reverse=False, name=None):
        x = require(tf_op, convert(x), "float", "complex", "int")
        axis = int(axis)
        if reverse:
            x = torch.flip(x, [axis])
        out = fn(x, dim=axis).to(x.dtype)
        if exclusive and x.shape[axis]:  # shifted by one, starting from the identity
            first = torch.full_like(x.narrow(axis, 0, 1), 1 if tf_op == "cumprod" else 0)
            out = torch.cat([first, out.narrow(axis, 0, x.shape[axis] - 1)], dim=axis)
        if reverse:
            out = torch.flip(out, [axis])
        return out
    op.__doc__ = f"tf.math.{tf_op}: along `axis`, `exclusive` and `reverse` as in TensorFlow."
    op.__name__ = op.__qualname__ = tf_op
    return op


cumsum = _scan("cumsum", torch.cumsum)
cumprod = _scan("cumprod", torch.cumprod)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    x = require("cumulative_logsumexp", convert(x), "float")
    if reverse:
        x = torch.flip(x, [axis])
    out = torch.logcumsumexp(x, dim=axis)
    if exclusive:
        pad = torch.full_like(x.narrow(axis, 0, 1), -float("inf"))
        out = torch.cat([pad, out.narrow(axis, 0, x.shape[axis] - 1)], dim=axis)
    return torch.flip(out, [axis]) if reverse else out


def _segments(tf_op, data, segment_ids, num_segments, reduce):
    data, ids = convert(data), convert(segment_ids).long()
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.numel() else 0
    num_segments = int(num_segments)
    if ids.numel() and (int(ids.max()) >= num_segments or int(ids.min()) < 0) and \
            tf_op.startswith("segment"):
        raise InvalidArgumentError(f"{tf_op}: segment ids must be in [0, {num_segments})")
    shape = (num_segments,) + tuple(data.shape[ids.dim():])
    flat = data.reshape((-1,) + tuple(data.shape[ids.dim():]))
    index = ids.reshape(-1)
    keep = (index >= 0) & (index < num_segments)
    flat, index = flat[keep], index[keep]
    init = {"sum": 0, "prod": 1, "amax": _lowest(data.dtype), "amin": _highest(data.dtype),
            "mean": 0}[reduce]
    sorted_ids = tf_op.startswith("segment")
    out = torch.full(shape, init, dtype=data.dtype, device=data.device)
    idx = index.reshape((-1,) + (1,) * (flat.dim() - 1)).expand_as(flat)
    out = out.scatter_reduce(0, idx, flat, reduce=reduce, include_self=reduce != "mean")
    counts = torch.bincount(index, minlength=num_segments).reshape((-1,) + (1,) * (out.dim() - 1))
    if reduce == "mean" or (sorted_ids and reduce in ("amax", "amin")):
        out = torch.where(counts == 0, torch.zeros_like(out), out)  # TF: 0 for empty segments
    elif reduce in ("amax", "amin") and out.is_floating_point():  # TF: the finite extremes
        info = torch.finfo(out.dtype)
        out = torch.where(counts == 0, torch.full_like(out, info.min if reduce == "amax"
                                                       else info.max), out)
    return out


def segment_sum(data, segment_ids, name=None):
    return _segments("segment_sum", data, segment_ids, None, "sum")


def segment_mean(data, segment_ids, name=None):
    return _segments("segment_mean", data, segment_ids, None, "mean")


def segment_max(data, segment_ids, name=None):
    return _segments("segment_max", data, segment_ids, None, "amax")


def segment_min(data, segment_ids, name=None):
    return _segments("segment_min", data, segment_ids, None, "amin")


def segment_prod(data, segment_ids, name=None):
    return _segments("segment_prod", data, segment_ids, None, "prod")


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    return _segments("unsorted_segment_sum", data, segment_ids, num_segments, "sum")


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    return _segments("unsorted_segment_mean", data, segment_ids, num_segments, "mean")


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    return _segments("unsorted_segment_max", data, segment_ids, num_segments, "amax")


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    return _segments("unsorted_segment_min", data, segment_ids, num_segments, "amin")


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    return _segments("unsorted_segment_prod", data, segment_ids, num_segments, "prod")


# ------------------------------------------------------------------------------ and others
TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def top_k(input, k=1, sorted=True, index_type="int32", name=None):  # noqa: A002
    """tf.math.top_k (also tf.nn.top_k): the k largest along the last axis, int32 indices."""
    x = convert(input)
    k = int(k)
    if k < 0 or (x.dim() and k > x.shape[-1]):
        raise InvalidArgumentError(f"top_k: input must have at least k={k} columns, "
                                   f"got shape {list(x.shape)}")
    values, indices = torch.topk(x, k, dim=-1, largest=True, sorted=True)
    return TopKV2(values, indices.to(dtype_of(index_type)))


def in_top_k(targets, predictions, k, name=None):
    predictions, targets = convert(predictions), convert(targets).long()
    target_scores = predictions.gather(1, targets[:, None])
    better = (predictions > target_scores).sum(1)
    return (better < int(k)) & torch.isfinite(target_scores[:, 0])


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype="int32", name=None,
             axis=None, binary_output=False):
    x = convert(arr).long().reshape(-1)
    size = int(x.max()) + 1 if x.numel() else 0
    if minlength is not None:
        size = builtins.max(size, int(minlength))
    if maxlength is not None:
        size = builtins.min(size, int(maxlength))
        keep = x < size
        x = x[keep]
        weights = None if weights is None else convert(weights).reshape(-1)[keep]
    w = None if weights is None else convert(weights).reshape(-1)
    out = torch.bincount(x, weights=w, minlength=size)[:size]
    if binary_output:
        out = (out > 0)
    return out.to(w.dtype if w is not None else dtype_of(dtype))


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype="int32",
                     name=None):
    labels, predictions = convert(labels).long(), convert(predictions).long()
    n = int(num_classes) if num_classes is not None else int(
        builtins.max(int(labels.max()), int(predictions.max()))) + 1
    w = None if weights is None else convert(weights).reshape(-1).double()
    flat = torch.bincount(labels * n + predictions, weights=w, minlength=n * n)
    return flat.reshape(n, n).to(dtype_of(dtype))


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """tf.math.l2_normalize: x / sqrt(max(sum(x**2, axis), epsilon))."""
    x = require("l2_normalize", convert(x), "float")
    axis = dim if axis is None and dim is not None else axis
    dims = axis_list(axis, x.dim(), "l2_normalize")
    square_sum = torch.sum(x * x, dim=dims, keepdim=True)
    return x * torch.rsqrt(torch.clamp(square_sum, min=epsilon))


def softmax(logits, axis=None, name=None):
    x = require("softmax", convert(logits), "float")
    return torch.softmax(x, dim=-1 if axis is None else int(axis))


def log_softmax(logits, axis=None, name=None):
    x = require("log_softmax", convert(logits), "float")
    return torch.log_softmax(x, dim=-1 if axis is None else int(axis))


def polyval(coeffs, x, name=None):
    x = convert(x)
    out = torch.zeros_like(x)
    for c in coeffs:
        out = out * x + convert(c, x.dtype)
    return out


def zero_fraction(value, name=None):
    x = convert(value)
    return (x == 0).to(torch.float32).mean()


symbolic_ops("math", globals())  # Keras tensors build TFOpLambda nodes
