"""keras.ops core group: conversion, casting, shapes, control flow, scatter and slicing.

Conversion follows Keras 3 on torch: Python `int` -> int32 (int64 when it does not fit),
`float` -> floatx, `bool` -> bool, numpy arrays keep their dtype, lists take the promoted
dtype of their items; torch tensors are returned as they are.
"""

import builtins
import contextlib

import numpy as np
import torch
from torch.utils._device import _device_constructors

from kerastorch import backend
from kerastorch import tree
from kerastorch.ops.dtypes import result_type
from kerastorch.ops.dtypes import standardize_dtype
from kerastorch.ops.symbolic import op
from kerastorch.tensor.keras_tensor import KerasTensor

_Tensor = torch.Tensor
_to_torch_dtype = backend.to_torch_dtype


def _unwrap_variable(x):
    value = getattr(x, "value", None)
    return value if isinstance(value, _Tensor) else x


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """A torch tensor from a tensor, Variable, numpy array, Python scalar or nested list.

    Args:
        x: the value.
        dtype: the dtype to give it (default: Keras's inference, see the module docstring).

    Example:
        >>> ops.convert_to_tensor([1, 2]).dtype
        torch.int32
    """
    if sparse:
        raise ValueError("`sparse=True` is not supported with torch backend")
    if ragged:
        raise ValueError("`ragged=True` is not supported with torch backend")
    if type(x) is _Tensor:
        return x if dtype is None else x.to(_to_torch_dtype(dtype))
    if type(x) is KerasTensor:
        return x if dtype is None else cast(x, dtype)
    if not isinstance(x, _Tensor):
        x = _unwrap_variable(x)
    if isinstance(x, _Tensor):
        return x if dtype is None else x.to(_to_torch_dtype(dtype))
    if isinstance(x, (bool, int, float, complex)):
        if dtype is not None:
            dt = _to_torch_dtype(dtype)
        elif isinstance(x, bool):
            dt = torch.bool
        elif isinstance(x, int):
            dt = torch.int64 if x < -(2 ** 31) or x >= 2 ** 31 else torch.int32
        elif isinstance(x, float):
            dt = _to_torch_dtype(backend.floatx())
        else:
            dt = torch.complex64
        return torch.as_tensor(x, dtype=dt)
    if isinstance(x, (list, tuple)):
        if x and builtins.any(isinstance(v, _Tensor) for v in x):
            return torch.stack([convert_to_tensor(v) for v in x])
        if dtype is None:
            leaves = tree.flatten(x)
            dtype = result_type(*[getattr(v, "dtype", type(v)) for v in leaves]) if leaves \
                else backend.floatx()
        return _on_device(torch.as_tensor(np.asarray(x), dtype=_to_torch_dtype(dtype)))
    x = np.asarray(x)
    if x.dtype == np.uint32:
        x = x.astype(np.int64)
    if dtype is None:  # (np.ascontiguousarray would make a 0-d array 1-d)
        if x.dtype == object:
            return _on_device(torch.as_tensor(x))
        return _on_device(torch.from_numpy(x if x.flags.c_contiguous else np.ascontiguousarray(x)))
    return _on_device(torch.as_tensor(x, dtype=_to_torch_dtype(dtype)))


_META_SCOPES = [0]
_META = torch.device("meta")
_REAL_SCOPES = [0]


class _MetaFactories(torch.overrides.TorchFunctionMode):
    """Torch's tensor factories (`torch.tensor`, `torch.zeros`, `torch.randn`, ...) called
    without a device make `meta` tensors, except inside `real_scope()`."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if not _REAL_SCOPES[0] and kwargs.get("device") is None and \
                func in _device_constructors():
            kwargs["device"] = _META
        return func(*args, **kwargs)


@contextlib.contextmanager
def meta_scope():
    """Inside it, ops and torch's factories create their tensors on `meta`: used while an
    output shape is inferred by running a layer on meta tensors (`ops.arange`, `torch.tensor`
    in a layer's call then stay symbolic)."""
    _META_SCOPES[0] += 1
    saved_real, _REAL_SCOPES[0] = _REAL_SCOPES[0], 0
    try:
        with _MetaFactories():
            yield
    finally:
        _META_SCOPES[0] -= 1
        _REAL_SCOPES[0] = saved_real


@contextlib.contextmanager
def real_scope():
    """Leaves `meta_scope()` for a while: a layer built during another's shape inference
    creates real weights."""
    saved, _META_SCOPES[0] = _META_SCOPES[0], 0
    _REAL_SCOPES[0] += 1
    try:
        yield
    finally:
        _META_SCOPES[0] = saved
        _REAL_SCOPES[0] -= 1


def default_device():
    """Where ops put new tensors: `meta` inside `meta_scope()`, else Keras's default device
    (CUDA when present)."""
    return _META if _META_SCOPES[0] else backend.device()


def _on_device(t):
    """Arrays and lists go to the default device, as Keras puts them; Python scalars stay
    0-d CPU tensors, which torch combines with tensors on any device."""
    device = default_device()
    return t if device.type == "cpu" else t.to(device)


def convert_to_numpy(x):
    """A numpy array from a tensor (detached, moved to the CPU), Variable or array-like."""
    def one(v):
        v = _unwrap_variable(v)
        if isinstance(v, _Tensor):
            v = v.detach()
            if v.device.type != "cpu":
                v = v.cpu()
            if v.dtype == torch.bfloat16:
                return v.float().numpy()
            return v.numpy()
        return np.array(v)

    if isinstance(x, (list, tuple)):
        return np.array([one(v) for v in x])
    return one(x)


def is_tensor(x):
    """Whether `x` is a torch tensor."""
    return isinstance(x, _Tensor)


def shape(x):
    """The shape of `x` as a tuple (None for unknown dimensions of a symbolic tensor)."""
    if isinstance(x, _Tensor):
        return tuple(x.shape)
    if isinstance(x, KerasTensor):
        return x.shape
    return tuple(np.shape(x))


def dtype(x):
    """Keras's name for the dtype of `x`: 'float32', 'int32', ..."""
    d = getattr(x, "dtype", None)
    if d is None:
        d = convert_to_tensor(x).dtype
    return standardize_dtype(d)


@op("tf.cast")
def cast(x, dtype):
    """Casts `x` to `dtype` (a Keras name, numpy or torch dtype)."""
    dt = _to_torch_dtype(standardize_dtype(dtype))
    x = _unwrap_variable(x)
    if isinstance(x, _Tensor):
        return x if x.dtype == dt else x.to(dt)
    return convert_to_tensor(x, dt)


@op("tf.saturate_cast")
def saturate_cast(x, dtype):
    """Casts `x` to `dtype`, clipping values to the range the dtype can hold."""
    dt = _to_torch_dtype(standardize_dtype(dtype))
    x = convert_to_tensor(x)
    if dt.is_floating_point:
        info = torch.finfo(dt)
    elif dt == torch.bool:
        return x.to(dt)
    else:
        info = torch.iinfo(dt)
    if x.is_floating_point() or x.dtype in (torch.int64, torch.int32, torch.int16, torch.int8,
                                            torch.uint8):
        lo = builtins.max(info.min, _range_of(x.dtype)[0])
        hi = builtins.min(info.max, _range_of(x.dtype)[1])
        if not x.is_floating_point():
            return torch.clamp(x, int(lo), int(hi)).to(dt)
        return torch.clamp(x, lo, hi).to(dt)
    return x.to(dt)


def _range_of(dt):
    if dt == torch.bool:
        return 0, 1
    info = torch.finfo(dt) if dt.is_floating_point else torch.iinfo(dt)
    return info.min, info.max


@op("tf.stop_gradient")
def stop_gradient(variable):
    """`variable` cut off from the autograd graph (a detached tensor)."""
    return convert_to_tensor(variable).detach()


def cond(pred, true_fn, false_fn):
    """`true_fn()` if `pred` else `false_fn()`."""
    if isinstance(pred, _Tensor) and pred.device.type == "meta":
        return true_fn()
    return true_fn() if pred else false_fn()


def switch(index, branches, *operands):
    """Calls `branches[index](*operands)`, the index clamped into range."""
    index = int(convert_to_tensor(index, "int32").clamp(0, len(branches) - 1))
    return branches[index](*operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Runs `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` holds.

    Args:
        cond: callable returning a boolean (tensor).
        body: callable returning the new loop variables (same structure).
        loop_vars: a tensor or a tuple/list of them.
        maximum_iterations: optional cap on the number of iterations.
    """
    is_sequence = isinstance(loop_vars, (list, tuple))
    values = tuple(loop_vars) if is_sequence else (loop_vars,)
    values = tree.map_structure(convert_to_tensor, values)
    i = 0
    while (maximum_iterations is None or i < maximum_iterations) and cond(*values):
        values = body(*values)
        values = tuple(values) if isinstance(values, (list, tuple)) else (values,)
        i += 1
    return values if is_sequence else values[0]


def fori_loop(lower, upper, body_fun, init_val):
    """`val = body_fun(i, val)` for i in `range(lower, upper)`; returns the final `val`."""
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """`carry, y = f(carry, x)` over the leading axis of `xs`; returns `(carry, stacked ys)`."""
    if not callable(f):
        raise TypeError(f"`f` should be a callable. Received: f={f}")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError("`unroll` must be an positive integer or boolean. "
                         f"Received: unroll={unroll}")
    if xs is None and length is None:
        raise ValueError("Got no `xs` to scan over and `length` not provided.")
    xs_nested = isinstance(xs, (list, tuple, dict))
    xs_flat = [] if xs is None else [convert_to_tensor(v) for v in tree.flatten(xs)]
    n = int(length) if length is not None else xs_flat[0].shape[0]
    carry = tree.map_structure(convert_to_tensor, init)
    ys = []
    steps = reversed(range(n)) if reverse else range(n)
    for i in steps:
        x = None
        if xs_flat:
            x = tree.pack_sequence_as(xs, [v[i] for v in xs_flat]) if xs_nested else xs_flat[0][i]
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys = ys[::-1]
    if not ys or ys[0] is None:
        return carry, None
    flat_ys = [tree.flatten(y) for y in ys]
    stacked = [torch.stack([convert_to_tensor(y[j]) for y in flat_ys]) for j in range(len(flat_ys[0]))]
    return carry, tree.pack_sequence_as(ys[0], stacked)


def map(f, xs):  # noqa: A001
    """`f` applied to each slice of `xs` along its leading axis, results stacked."""
    return scan(lambda carry, x: (carry, f(x)), (), xs)[1]


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan of `elems` with the associative binary function `f` along `axis`."""
    if not callable(f):
        raise TypeError(f"`f` should be a callable. Received: f={f}")
    flat = [convert_to_tensor(e) for e in tree.flatten(elems)]
    n = flat[0].shape[axis]
    order = range(n - 1, -1, -1) if reverse else range(n)
    out, acc = [None] * n, None
    for i in order:
        cur = tree.pack_sequence_as(elems, [e.select(axis, i) for e in flat])
        acc = cur if acc is None else f(acc, cur)
        out[i] = tree.flatten(acc)
    stacked = [torch.stack([o[j] for o in out], dim=axis) for j in range(len(flat))]
    return tree.pack_sequence_as(elems, stacked)


def vectorized_map(function, elements):
    """`function` mapped over the leading axis of `elements` with `torch.vmap`."""
    return torch.vmap(function)(elements)


@op("tf.scatter_nd")
def scatter(indices, values, shape):
    """A zeros tensor of `shape` with `values` added at `indices` (duplicates accumulate).

    Args:
        indices: int tensor `(..., k)`: each row indexes the first `k` dimensions.
        values: tensor `(...,) + shape[k:]`.
        shape: the output shape.
    """
    indices = convert_to_tensor(indices)
    values = convert_to_tensor(values)
    shape = tuple(int(d) for d in shape)
    k = indices.shape[-1]
    out = torch.zeros(shape, dtype=values.dtype, device=values.device)
    idx = tuple(indices.reshape(-1, k).long().unbind(-1))
    out.index_put_(idx, values.reshape((-1,) + shape[k:]), accumulate=True)
    return out


@op("tf.tensor_scatter_nd_update")
def scatter_update(inputs, indices, updates, reduction=None):
    """A copy of `inputs` with `updates` written at `indices` (or combined by `reduction`).

    Args:
        inputs: the tensor to update.
        indices: int tensor `(n, k)`: each row indexes the first `k` dimensions.
        updates: tensor `(n,) + inputs.shape[k:]`.
        reduction: None (overwrite), 'add', 'max', 'min' or 'mul'.
    """
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices, "int64")
    updates = convert_to_tensor(updates, inputs.dtype)
    idx = tuple(indices.unbind(-1))
    out = inputs.clone()
    if reduction is None:
        out[idx] = updates
    elif reduction == "add":
        out.index_put_(idx, updates, accumulate=True)
    elif reduction in ("max", "min", "mul"):
        combine = {"max": torch.maximum, "min": torch.minimum, "mul": torch.mul}[reduction]
        for i, row in enumerate(indices.tolist()):
            out[tuple(row)] = combine(out[tuple(row)], updates[i])
    else:
        raise ValueError(f"Unsupported reduction: {reduction}")
    return out


@op("tf.slice")
def slice(inputs, start_indices, shape):  # noqa: A001
    """The block of `inputs` of size `shape` starting at `start_indices`."""
    inputs = convert_to_tensor(inputs)
    if isinstance(start_indices, _Tensor):
        start_indices = start_indices.tolist()
    if isinstance(shape, _Tensor):
        shape = shape.tolist()
    key = tuple(builtins.slice(int(s), int(s) + int(n)) for s, n in zip(start_indices, shape))
    return inputs[key]


@op("tf.slice_update")
def slice_update(inputs, start_indices, updates):
    """A copy of `inputs` with the block at `start_indices` replaced by `updates`."""
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates)
    if isinstance(start_indices, _Tensor):
        start_indices = start_indices.tolist()
    key = tuple(builtins.slice(int(s), int(s) + n) for s, n in zip(start_indices, updates.shape))
    out = inputs.clone()
    out[key] = updates
    return out


@op("tf.unstack")
def unstack(x, num=None, axis=0):
    """The slices of `x` along `axis`, as a list."""
    x = convert_to_tensor(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"Cannot unstack axis {axis} of size {x.shape[axis]} into num={num}")
    return list(x.unbind(axis))


def custom_gradient(f):
    """Decorator: `f(*args)` returns `(output, grad_fn)`; `grad_fn(*upstream)` gives the
    gradients of the inputs. On torch this becomes an `autograd.Function`."""
    class _Fn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *args):
            out, grad_fn = f(*args)
            ctx.grad_fn = grad_fn
            return out

        @staticmethod
        def backward(ctx, *upstream):
            grads = ctx.grad_fn(*upstream)
            return tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)

    def wrapper(*args):
        return _Fn.apply(*args)
    return wrapper
