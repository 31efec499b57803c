"""The TensorFlow functions a tf.keras 2 model records as `TFOpLambda` layers, on kerastorch ops.

In tf.keras 2, `x * 2`, `tf.concat([a, b], -1)` or `tf.nn.relu(x)` on a Keras tensor becomes a
`TFOpLambda` layer whose config names the function (`"math.multiply"`, `"concat"`,
`"nn.relu"`: its path below `tf.`) and whose node holds the call's other arguments under
TensorFlow's names (`{"y": 2, "name": null}`). `get(name)` gives a function with TensorFlow's
signature computed by kerastorch ops, so the loaded layer runs on torch tensors.
"""

import functools

import torch

from kerastorch import backend
from kerastorch import ops


def _tensor(value, like=None):
    """A Python number, list or array as a tensor (of `like`'s dtype and device, as TF
    converts the other operand of a binary op)."""
    if isinstance(value, torch.Tensor):
        return value
    if like is not None and isinstance(like, torch.Tensor):
        return torch.as_tensor(value, dtype=like.dtype, device=like.device)
    return ops.convert_to_tensor(value)


def _binary(fn):
    @functools.wraps(fn)
    def wrapper(x, y, name=None):
        if not isinstance(x, torch.Tensor):
            x = _tensor(x, y)
        if not isinstance(y, torch.Tensor):
            y = _tensor(y, x)
        return fn(x, y)
    return wrapper


def _unary(fn):
    def wrapper(x, name=None):
        return fn(_tensor(x))
    return wrapper


def _activation(fn):
    def wrapper(features, name=None):
        return fn(_tensor(features))
    return wrapper


def _reduction(fn):
    def wrapper(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
        if axis is None:
            axis = reduction_indices
        keepdims = bool(keepdims if keepdims is not None else keep_dims)
        return fn(_tensor(input_tensor), axis=_axis(axis), keepdims=keepdims)
    return wrapper


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _softmax(fn):
    def wrapper(logits, axis=None, name=None, dim=None):
        axis = dim if axis is None else axis
        return fn(_tensor(logits), axis=-1 if axis is None else axis)
    return wrapper


def concat(values, axis, name=None):
    return ops.concatenate([_tensor(v) for v in values], axis=axis)


def stack(values, axis=0, name=None):
    return ops.stack([_tensor(v) for v in values], axis=axis)


def unstack(value, num=None, axis=0, name="unstack"):
    return ops.unstack(value, num=num, axis=axis)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    if isinstance(num_or_size_splits, int):
        return list(torch.chunk(value, num_or_size_splits, dim=axis))
    sizes = list(num_or_size_splits)
    if -1 in sizes:
        sizes[sizes.index(-1)] = value.shape[axis] - (sum(sizes) + 1)
    return list(torch.split(value, sizes, dim=axis))


def reshape(tensor, shape, name=None):
    if isinstance(shape, torch.Tensor):
        shape = [int(d) for d in shape.tolist()]
    return ops.reshape(tensor, tuple(shape))


def transpose(a, perm=None, conjugate=False, name="transpose"):
    return ops.transpose(a, axes=None if perm is None else tuple(perm))


def compat_v1_transpose(a, perm=None, name="transpose", conjugate=False):
    return transpose(a, perm)


def expand_dims(input, axis, name=None):  # noqa: A002
    return ops.expand_dims(input, axis)


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    axis = squeeze_dims if axis is None else axis
    return ops.squeeze(input, axis=_axis(axis) if axis != [] else None)


def tile(input, multiples, name=None):  # noqa: A002
    return ops.tile(input, tuple(multiples))


def cast(x, dtype, name=None):
    return ops.cast(x, backend.standardize_dtype(dtype))


def identity(input, name=None):  # noqa: A002
    return input


def stop_gradient(input, name=None):  # noqa: A002
    return input.detach()


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    return ops.clip(t, clip_value_min, clip_value_max)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    if batch_dims:
        raise NotImplementedError("tf.gather with batch_dims is not supported by kerastorch.")
    return ops.take(params, _tensor(indices).long(), axis=0 if axis is None else axis)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    return ops.pad(tensor, [list(p) for p in paddings], mode=mode.lower(),
                   constant_values=constant_values if mode.upper() == "CONSTANT" else None)


def reverse(tensor, axis, name=None):
    return ops.flip(tensor, axis=_axis(axis))


def broadcast_to(input, shape, name=None):  # noqa: A002
    return ops.broadcast_to(input, tuple(shape))


def ones_like(input, dtype=None, name=None):  # noqa: A002
    return ops.ones_like(input, dtype=None if dtype is None else backend.standardize_dtype(dtype))


def zeros_like(input, dtype=None, name=None):  # noqa: A002
    return ops.zeros_like(input,
                          dtype=None if dtype is None else backend.standardize_dtype(dtype))


def where(condition, x=None, y=None, name=None):
    return ops.where(condition, x, y)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    out = ops.one_hot(_tensor(indices).long(), depth, axis=-1 if axis is None else axis,
                      dtype=backend.standardize_dtype(dtype or "float32"))
    if on_value is not None or off_value is not None:
        on = 1 if on_value is None else on_value
        off = 0 if off_value is None else off_value
        out = out * (on - off) + off
    return out


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, name=None):
    if transpose_a or adjoint_a:
        a = a.transpose(-1, -2)
    if transpose_b or adjoint_b:
        b = b.transpose(-1, -2)
    return ops.matmul(a, b)


def einsum(equation, *inputs, **kwargs):
    kwargs.pop("name", None)
    return ops.einsum(equation, *inputs)


def shape(input, out_type=None, name=None):  # noqa: A002
    dtype = backend.to_torch_dtype(backend.standardize_dtype(out_type or "int32"))
    return torch.tensor(tuple(input.shape), dtype=dtype, device=input.device)


def argmax(input, axis=None, output_type="int64", name=None, dimension=None):  # noqa: A002
    axis = dimension if axis is None else axis
    return ops.argmax(input, axis=0 if axis is None else axis).to(
        backend.to_torch_dtype(backend.standardize_dtype(output_type)))


def argmin(input, axis=None, output_type="int64", name=None, dimension=None):  # noqa: A002
    axis = dimension if axis is None else axis
    return ops.argmin(input, axis=0 if axis is None else axis).to(
        backend.to_torch_dtype(backend.standardize_dtype(output_type)))


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    return _cumulative(torch.cumsum, x, axis, exclusive, reverse, 0)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    return _cumulative(torch.cumprod, x, axis, exclusive, reverse, 1)


def _cumulative(fn, x, axis, exclusive, reverse, identity_value):
    if reverse:
        x = x.flip(axis)
    out = fn(x, dim=axis)
    if exclusive:
        first = torch.full_like(out.narrow(axis, 0, 1), identity_value)
        out = torch.cat([first, out.narrow(axis, 0, out.shape[axis] - 1)], dim=axis)
    return out.flip(axis) if reverse else out


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    axis = dim if axis is None else axis
    axis = tuple(range(x.ndim)) if axis is None else _axis(axis)
    square_sum = torch.sum(x * x, dim=axis, keepdim=True)
    return x * torch.rsqrt(torch.clamp(square_sum, min=epsilon))


def gelu(features, approximate=False, name=None):
    return ops.gelu(features, approximate=approximate)


def leaky_relu(features, alpha=0.2, name=None):
    return ops.leaky_relu(features, negative_slope=alpha)


def silu(features, beta=1.0, name=None):
    return features * torch.sigmoid(beta * features)


def getitem(tensor, slice_spec, var=None):
    """`tensor[slice_spec]`; tf.keras saves each slice as `{"start", "stop", "step"}`."""
    return tensor[_index(slice_spec)]


def _index(spec):
    if isinstance(spec, dict) and set(spec) == {"start", "stop", "step"}:
        return slice(spec["start"], spec["stop"], spec["step"])
    if isinstance(spec, dict) and spec.get("class_name") == "__ellipsis__":
        return Ellipsis
    if isinstance(spec, (list, tuple)):
        return tuple(_index(s) for s in spec)
    if isinstance(spec, torch.Tensor) and spec.dtype not in (torch.bool,):
        return spec.long()
    return spec


def _rsqrt(x):
    return torch.rsqrt(x)


def _reciprocal(x):
    return 1.0 / x


def _squared_difference(x, y):
    return (x - y) * (x - y)


def _log_sigmoid(x):
    return torch.nn.functional.logsigmoid(x)


def _reduce_std(x, axis=None, keepdims=False):
    return ops.std(x, axis=axis, keepdims=keepdims)


def _reduce_all(x, axis=None, keepdims=False):
    return ops.all(x, axis=axis, keepdims=keepdims)


def _reduce_any(x, axis=None, keepdims=False):
    return ops.any(x, axis=axis, keepdims=keepdims)


_BINARY = {
    "add": lambda x, y: x + y, "subtract": lambda x, y: x - y,
    "multiply": lambda x, y: x * y, "truediv": lambda x, y: x / y,
    "divide": lambda x, y: x / y, "floordiv": lambda x, y: x // y,
    "floormod": lambda x, y: torch.remainder(x, y), "mod": lambda x, y: torch.remainder(x, y),
    "pow": lambda x, y: x ** y, "maximum": torch.maximum, "minimum": torch.minimum,
    "squared_difference": _squared_difference,
    "less": torch.lt, "less_equal": torch.le, "greater": torch.gt, "greater_equal": torch.ge,
    "equal": torch.eq, "not_equal": torch.ne,
    "logical_and": torch.logical_and, "logical_or": torch.logical_or,
    "logical_xor": torch.logical_xor,
}

_UNARY = {
    "negative": torch.neg, "abs": torch.abs, "square": torch.square, "sqrt": torch.sqrt,
    "rsqrt": _rsqrt, "exp": torch.exp, "log": torch.log, "log1p": torch.log1p,
    "expm1": torch.expm1, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "sin": torch.sin,
    "cos": torch.cos, "tan": torch.tan, "reciprocal": _reciprocal, "sign": torch.sign,
    "floor": torch.floor, "ceil": torch.ceil, "round": torch.round, "erf": torch.erf,
    "softplus": torch.nn.functional.softplus, "softsign": torch.nn.functional.softsign,
    "log_sigmoid": _log_sigmoid, "logical_not": torch.logical_not,
}

_ACTIVATIONS = {
    "relu": torch.relu, "relu6": lambda x: torch.clamp(x, 0.0, 6.0),
    "elu": torch.nn.functional.elu, "selu": torch.nn.functional.selu,
    "softplus": torch.nn.functional.softplus, "softsign": torch.nn.functional.softsign,
}

_REDUCTIONS = {
    "reduce_sum": ops.sum, "reduce_mean": ops.mean, "reduce_max": ops.max,
    "reduce_min": ops.min, "reduce_prod": ops.prod, "reduce_logsumexp": ops.logsumexp,
    "reduce_std": _reduce_std, "reduce_variance": ops.var, "reduce_all": _reduce_all,
    "reduce_any": _reduce_any,
}


def _build_table():
    table = {}
    for name, fn in _BINARY.items():
        table[f"math.{name}"] = _binary(fn)
    for name in ("add", "subtract", "multiply", "truediv", "divide", "floordiv", "maximum",
                 "minimum", "pow", "equal", "not_equal", "less", "less_equal", "greater",
                 "greater_equal", "logical_and", "logical_or"):
        table[name] = table[f"math.{name}"]
    table["__operators__.add"] = table["math.add"]
    table["__operators__.eq"] = _binary(torch.eq)
    table["__operators__.ne"] = _binary(torch.ne)
    table["__operators__.getitem"] = getitem
    for name, fn in _UNARY.items():
        table[f"math.{name}"] = _unary(fn)
    for name in ("abs", "square", "sqrt", "rsqrt", "exp", "sigmoid", "tanh", "negative",
                 "sign", "floor", "ceil", "round", "logical_not"):
        table[name] = table[f"math.{name}"]
    table["nn.sigmoid"] = table["math.sigmoid"]
    table["nn.tanh"] = table["math.tanh"]
    for name, fn in _ACTIVATIONS.items():
        table[f"nn.{name}"] = _activation(fn)
    table["math.softplus"] = table["nn.softplus"]
    table["nn.gelu"] = gelu
    table["nn.leaky_relu"] = leaky_relu
    table["nn.silu"] = table["nn.swish"] = table["math.silu"] = silu
    table["nn.softmax"] = table["math.softmax"] = _softmax(ops.softmax)
    table["nn.log_softmax"] = table["math.log_softmax"] = _softmax(ops.log_softmax)
    table["compat.v1.nn.softmax"] = table["nn.softmax"]
    for name, fn in _REDUCTIONS.items():
        table[f"math.{name}"] = table[name] = table[f"compat.v1.{name}"] = _reduction(fn)
        table[f"compat.v1.math.{name}"] = table[name]
    table["math.l2_normalize"] = table["nn.l2_normalize"] = l2_normalize
    table["math.argmax"] = table["argmax"] = argmax
    table["math.argmin"] = table["argmin"] = argmin
    table["math.cumsum"] = table["cumsum"] = cumsum
    table["math.cumprod"] = table["cumprod"] = cumprod
    table["linalg.matmul"] = table["matmul"] = table["__operators__.matmul"] = matmul
    table["compat.v1.transpose"] = compat_v1_transpose
    table["linalg.matrix_transpose"] = lambda a, name=None, conjugate=False: a.transpose(-1, -2)
    table["compat.v1.squeeze"] = squeeze
    table["compat.v1.gather"] = gather
    table["math.reduce_euclidean_norm"] = _reduction(
        lambda x, axis=None, keepdims=False: ops.sqrt(ops.sum(x * x, axis=axis,
                                                              keepdims=keepdims)))
    for fn in (concat, stack, unstack, split, reshape, transpose, expand_dims, squeeze, tile,
               cast, identity, stop_gradient, gather, pad, reverse, broadcast_to, ones_like,
               zeros_like, where, one_hot, einsum, shape, clip_by_value):
        table[fn.__name__] = fn
    table["compat.v1.shape"] = shape
    table["compat.v1.expand_dims"] = expand_dims
    for name, fn in table.items():  # the first (canonical) name is the one saved again
        if not hasattr(fn, "_keras2_name"):
            fn._keras2_name = name
    return table


_TABLE = None


def get(name):
    """The function of a tf.keras `TFOpLambda` config (`"math.multiply"`, `"tf.concat"`), or
    None when kerastorch has no counterpart."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _build_table()
    if name.startswith("tf."):
        name = name[3:]
    found = _TABLE.get(name)
    if found is None and name.startswith("compat.v1."):  # its arguments go by TF 2's names
        found = _TABLE.get(name[len("compat.v1."):])
    return found


def supported():
    """The TensorFlow function names kerastorch loads as TFOpLambda layers."""
    get("concat")
    return sorted(f"tf.{name}" for name in _TABLE)
