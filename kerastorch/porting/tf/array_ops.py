"""TensorFlow's array ops on torch (`tf.concat`, `tf.gather`, `tf.strided_slice`, ...), at the
top level of `tensorflow` as TF has them. Shapes that do not fit raise InvalidArgumentError, as
TensorFlow's kernels do; dtypes follow TF (the first tensor's dtype, int32 indices)."""

import builtins
import collections

import numpy as np
import torch

from kerastorch.porting.tf._common import INTS
from kerastorch.porting.tf._common import broadcast_check
from kerastorch.porting.tf._common import convert
from kerastorch.porting.tf._common import device as _device
from kerastorch.porting.tf._common import dtype_of
from kerastorch.porting.tf._common import matching
from kerastorch.porting.tf._common import name_of
from kerastorch.porting.tf._common import place
from kerastorch.porting.tf._common import shape_tuple
from kerastorch.porting.tf._common import symbolic_ops
from kerastorch.porting.tf.errors import InvalidArgumentError


newaxis = None  # tf.newaxis, for x[:, tf.newaxis]

__all__ = [  # the names TensorFlow also has at its top level (tf.<name>)
    "newaxis",
    "argsort", "boolean_mask", "broadcast_to", "clip_by_global_norm", "clip_by_norm",
    "clip_by_value", "concat", "einsum", "expand_dims", "eye", "fill", "gather", "gather_nd",
    "linspace", "meshgrid", "one_hot", "ones", "ones_like", "pad", "range", "repeat", "reshape",
    "reverse", "roll", "scatter_nd", "searchsorted", "sequence_mask", "slice", "sort", "split",
    "squeeze", "stack", "strided_slice", "tensor_scatter_nd_add", "tensor_scatter_nd_max",
    "tensor_scatter_nd_min", "tensor_scatter_nd_sub", "tensor_scatter_nd_update", "tensordot",
    "tile", "transpose", "unique", "unique_with_counts", "unravel_index",
    "histogram_fixed_width", "dynamic_partition", "dynamic_stitch", "unstack", "where", "zeros",
    "zeros_like",
]

def _axis(axis, ndim, op):
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise InvalidArgumentError(f"{op}: axis {axis} is out of range for a tensor of rank {ndim}")
    return axis % ndim


def _same_shapes(op, tensors, skip=None):
    shapes = {tuple(n for d, n in enumerate(t.shape) if d != skip) for t in tensors}
    ranks = {t.dim() for t in tensors}
    if len(shapes) > 1 or len(ranks) > 1:
        raise InvalidArgumentError(f"{op}: shapes of all inputs must match, got "
                                   f"{[list(t.shape) for t in tensors]}")


# ---------------------------------------------------------------------------------- creation
def zeros(shape, dtype="float32", name=None, layout=None):
    return torch.zeros(shape_tuple(shape), dtype=dtype_of(dtype), device=_device())


def ones(shape, dtype="float32", name=None, layout=None):
    return torch.ones(shape_tuple(shape), dtype=dtype_of(dtype), device=_device())


def fill(dims, value, name=None, layout=None):
    value = convert(value)
    return torch.full(shape_tuple(dims), value.item(), dtype=value.dtype, device=_device())


def zeros_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    return torch.zeros_like(convert(input), dtype=dtype_of(dtype))


def ones_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    return torch.ones_like(convert(input), dtype=dtype_of(dtype))


def eye(num_rows, num_columns=None, batch_shape=None, dtype="float32", name=None):
    out = torch.eye(int(num_rows), int(num_rows if num_columns is None else num_columns),
                    dtype=dtype_of(dtype), device=_device())
    if batch_shape is not None:
        out = out.expand(shape_tuple(batch_shape) + tuple(out.shape)).clone()
    return out


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """tf.range: [start, limit) by delta; int32 for Python ints, float32 if any is a float."""
    if limit is None:
        start, limit = 0, start
    values = [convert(v) for v in (start, limit, delta)]
    if dtype is None:
        order = [torch.int32, torch.int64, torch.float32, torch.float64]
        dtype = builtins.max((v.dtype for v in values), key=lambda d: order.index(d)
                             if d in order else 0)
    dtype = dtype_of(dtype)
    start, limit, delta = (v.item() for v in values)
    if delta == 0:
        raise InvalidArgumentError("Requires delta != 0: 0")
    return torch.arange(start, limit, delta, dtype=dtype, device=_device())


def linspace(start, stop, num, name=None, axis=0):
    """tf.linspace: `num` evenly spaced values; integer ends give float64, as TF."""
    start, stop = convert(start), convert(stop)
    dtype = start.dtype if start.is_floating_point() else torch.float64
    start, stop = place(start.to(dtype)), place(stop.to(dtype))
    num = int(num)
    where = start.device if start.dim() else stop.device if stop.dim() else _device()
    start, stop = start.to(where), stop.to(where)
    steps = torch.arange(num, dtype=dtype, device=where) / builtins.max(num - 1, 1)
    shape = torch.broadcast_shapes(start.shape, stop.shape)
    steps = steps.reshape((num,) + (1,) * len(shape))
    out = start + steps * (stop - start)
    if num > 1:
        out[-1] = stop
    return torch.movedim(out, 0, axis % out.dim()) if out.dim() > 1 else out


def meshgrid(*args, **kwargs):
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"meshgrid: unexpected keyword arguments {sorted(kwargs)}")
    tensors = matching("meshgrid", *args)
    return list(torch.meshgrid(*[t.reshape(-1) for t in tensors], indexing=indexing))


# ---------------------------------------------------------------------------- shape changes
def reshape(tensor, shape, name=None):
    x, shape = convert(tensor), shape_tuple(shape)
    known = int(np.prod([d for d in shape if d != -1]))
    if list(shape).count(-1) > 1 or (-1 not in shape and known != x.numel()) or (
            -1 in shape and (known == 0 or x.numel() % known)):
        raise InvalidArgumentError(f"Input to reshape is a tensor with {x.numel()} values, but "
                                   f"the requested shape is {list(shape)}")
    return torch.reshape(x, shape)


def transpose(a, perm=None, conjugate=False, name="transpose"):
    x = convert(a)
    perm = tuple(builtins.reversed(builtins.range(x.dim()))) if perm is None else \
        shape_tuple(perm)
    if sorted(p % builtins.max(x.dim(), 1) for p in perm) != list(builtins.range(x.dim())):
        raise InvalidArgumentError(f"transpose expects a permutation of {x.dim()} axes, "
                                   f"got perm={list(perm)}")
    out = x.permute(perm)
    return out.conj() if conjugate and out.is_complex() else out


def expand_dims(input, axis, name=None):  # noqa: A002
    x = convert(input)
    if isinstance(axis, float):
        raise TypeError(f"Cannot convert {axis} to EagerTensor of dtype int32")
    axis = int(axis)
    if not -x.dim() - 1 <= axis <= x.dim():
        raise InvalidArgumentError(f"Tried to expand dim index {axis} for tensor with "
                                   f"{x.dim()} dimensions.")
    return torch.unsqueeze(x, axis)


def squeeze(input, axis=None, name=None):  # noqa: A002
    x = convert(input)
    if axis is None:
        return x.reshape([n for n in x.shape if n != 1])
    dims = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    dims = [_axis(d, x.dim(), "squeeze") for d in dims]
    for d in dims:
        if x.shape[d] != 1:
            raise InvalidArgumentError(f"Can not squeeze dim[{d}], expected a dimension of 1, "
                                       f"got {x.shape[d]}")
    return x.reshape([n for d, n in enumerate(x.shape) if d not in dims])


def broadcast_to(input, shape, name=None):  # noqa: A002
    x, shape = convert(input), shape_tuple(shape)
    try:
        return x.broadcast_to(shape).clone()
    except RuntimeError:
        raise InvalidArgumentError(f"Unable to broadcast tensor of shape {list(x.shape)} to "
                                   f"tensor of shape {list(shape)}") from None


def concat(values, axis, name="concat"):
    tensors = matching("ConcatV2", *values)
    if not tensors[0].dim():
        raise InvalidArgumentError("ConcatOp : Can't concatenate scalars (use tf.stack instead)")
    axis = _axis(axis, tensors[0].dim(), "ConcatV2")
    _same_shapes("ConcatV2", tensors, skip=axis)
    return torch.cat(tensors, dim=axis)


def stack(values, axis=0, name="stack"):
    tensors = matching("Pack", *values)
    _same_shapes("Pack", tensors)
    _axis(axis, tensors[0].dim() + 1, "Pack")
    return torch.stack(tensors, dim=axis)


def unstack(value, num=None, axis=0, name="unstack"):
    x = convert(value)
    axis = _axis(axis, x.dim(), "unstack")
    if num is not None and int(num) != x.shape[axis]:
        raise ValueError(f"unstack: num={num} does not match axis {axis} of shape "
                         f"{list(x.shape)}")
    return list(torch.unbind(x, dim=axis))


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    x = convert(value)
    axis = _axis(axis, x.dim(), "Split")
    n = x.shape[axis]
    if isinstance(num_or_size_splits, (int, np.integer)):
        k = int(num_or_size_splits)
        if k <= 0 or n % k:
            raise InvalidArgumentError(f"Number of ways to split should evenly divide the split "
                                       f"dimension, but got split_dim {axis} (size = {n}) and "
                                       f"num_split {k}")
        return list(torch.split(x, n // k, dim=axis))
    sizes = list(shape_tuple(num_or_size_splits))
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = n - (builtins.sum(sizes) + 1)
    if builtins.sum(sizes) != n or builtins.min(sizes, default=0) < 0:
        raise InvalidArgumentError(f"Determined shape must either match input shape along "
                                   f"split_dim exactly if fully specified, or be less than the "
                                   f"size of the input along split_dim if not fully specified. "
                                   f"Got: {sizes} for size {n}")
    return list(torch.split(x, sizes, dim=axis))


def tile(input, multiples, name=None):  # noqa: A002
    x, multiples = convert(input), shape_tuple(multiples)
    if len(multiples) != x.dim():
        raise InvalidArgumentError(f"Expected multiples argument to be a vector of length "
                                   f"{x.dim()} but got length {len(multiples)}")
    if builtins.any(m < 0 for m in multiples):
        raise InvalidArgumentError(f"Expected multiples >= 0, but got {list(multiples)}")
    return x.repeat(multiples) if x.dim() else x.clone()


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    x = convert(input)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if isinstance(repeats, torch.Tensor):
        if not repeats.dim():
            return torch.repeat_interleave(x, int(repeats), dim=int(axis))
        reps = repeats.to(torch.int64)
        size = None if reps.device.type == "meta" else int(reps.sum())
    else:  # Python values: the output size is known without a tensor (meta shape inference)
        counts = np.asarray(repeats, dtype=np.int64)
        if not counts.ndim:
            return torch.repeat_interleave(x, int(counts), dim=int(axis))
        reps, size = torch.as_tensor(counts, device=x.device), int(counts.sum())
    return torch.repeat_interleave(x, reps, dim=int(axis), output_size=size)


def _pad_index(n, before, after, mode):
    """Indices into a dimension of size n that pad it by reflection or symmetry."""
    shift = 0 if mode == "SYMMETRIC" else 1
    idx = list(builtins.range(n))
    left = [builtins.abs(i) - 1 + shift for i in builtins.range(-before, 0)]
    right = [2 * n - 1 - i - shift for i in builtins.range(n, n + after)]
    return left + idx + right


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """tf.pad: CONSTANT, REFLECT or SYMMETRIC (modes in any case), paddings [[before, after]]."""
    x = convert(tensor)
    pads = (paddings.tolist() if isinstance(paddings, torch.Tensor) else
            np.asarray(paddings).tolist())  # not a tensor: no trip to a meta/CUDA device
    mode = mode.upper()
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(f"Value of argument `mode` expected to be one of \"CONSTANT\", "
                         f"\"REFLECT\", or \"SYMMETRIC\". Received `mode` = {mode}")
    if len(pads) != x.dim() or builtins.any(len(p) != 2 for p in pads):
        raise InvalidArgumentError(f"The first dimension of paddings must be the rank of inputs"
                                   f"{[len(pads), 2]}, {list(x.shape)}")
    if builtins.any(p < 0 for pair in pads for p in pair):
        raise InvalidArgumentError(f"Paddings must be non-negative: {pads}")
    if mode == "CONSTANT":
        flat = [p for pair in reversed(pads) for p in pair]
        value = convert(constant_values, x.dtype).item()
        return torch.nn.functional.pad(x, flat, value=value)
    limit = 0 if mode == "SYMMETRIC" else 1
    for d, (before, after) in enumerate(pads):
        if before > x.shape[d] - limit or after > x.shape[d] - limit:
            raise InvalidArgumentError(f"paddings must be less than{' or equal to' * (1 - limit)}"
                                       f" the dimension size: {before}, {after} for dimension "
                                       f"{d} of size {x.shape[d]}")
        if before or after:
            index = torch.tensor(_pad_index(x.shape[d], before, after, mode), device=x.device)
            x = torch.index_select(x, d, index)
    return x


def reverse(tensor, axis, name=None):
    x = convert(tensor)
    return torch.flip(x, [_axis(a, x.dim(), "ReverseV2") for a in shape_tuple(axis)])


def roll(input, shift, axis, name=None):  # noqa: A002
    x = convert(input)
    return torch.roll(x, shape_tuple(shift), shape_tuple(axis))


# ---------------------------------------------------------------------------------- indexing
def _check_indices(op, index, size):
    """InvalidArgumentError for an index outside [0, size), as TF's CPU kernels raise; not on
    an accelerator (TF's GPU kernels do not check, and reading the bounds back would stall)."""
    if index.device.type == "cpu" and index.numel() and (
            int(index.min()) < 0 or int(index.max()) >= size):
        bad = index[(index < 0) | (index >= size)].reshape(-1)[0]
        raise InvalidArgumentError(f"{op}: indices = {int(bad)} is not in [0, {size})")


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """tf.gather: slices of `params` along `axis` at `indices` (with `batch_dims` leading axes
    matched one to one)."""
    x, index = convert(params), convert(indices)
    if index.is_floating_point() or index.is_complex() or index.dtype == torch.bool:
        raise InvalidArgumentError(f"Value for attr 'Tindices' of {name_of(index.dtype)} is not "
                                   f"in the list of allowed values: int16, int32, int64")
    batch_dims = int(batch_dims) % (index.dim() + 1) if batch_dims < 0 else int(batch_dims)
    axis = batch_dims if axis is None else _axis(axis, x.dim(), "GatherV2")
    _check_indices("GatherV2", index, x.shape[axis])
    index = index.long()
    if batch_dims == 0:
        out = torch.index_select(x, axis, index.reshape(-1))
        return out.reshape(tuple(x.shape[:axis]) + tuple(index.shape) + tuple(x.shape[axis + 1:]))
    if tuple(x.shape[:batch_dims]) != tuple(index.shape[:batch_dims]):
        raise ValueError(f"gather: batch_dims={batch_dims} leading dimensions of params "
                         f"{list(x.shape)} and indices {list(index.shape)} must match")
    batch = tuple(x.shape[:batch_dims])
    flat_batch = int(np.prod(batch))
    p = x.reshape((flat_batch,) + tuple(x.shape[batch_dims:])).movedim(axis - batch_dims + 1, 1)
    i = index.reshape((flat_batch,) + tuple(index.shape[batch_dims:]))
    rows = torch.arange(flat_batch, device=x.device).reshape((-1,) + (1,) * (i.dim() - 1))
    out = p[rows, i]  # (batch, index dims..., params dims before axis..., after axis...)
    n_index, n_before = i.dim() - 1, axis - batch_dims
    order = [0] + list(builtins.range(1 + n_index, 1 + n_index + n_before)) + \
        list(builtins.range(1, 1 + n_index)) + list(builtins.range(1 + n_index + n_before,
                                                                    out.dim()))
    out = out.permute(order)
    return out.reshape(batch + tuple(out.shape[1:]))


def gather_nd(params, indices, batch_dims=0, name=None):
    """tf.gather_nd: `params[indices[..., 0], indices[..., 1], ...]`."""
    x, index = convert(params), convert(indices)
    batch_dims = int(batch_dims)
    k = index.shape[-1]
    if batch_dims:
        batch = tuple(x.shape[:batch_dims])
        flat_batch = int(np.prod(batch))
        p = x.reshape((flat_batch,) + tuple(x.shape[batch_dims:]))
        i = index.reshape((flat_batch,) + tuple(index.shape[batch_dims:]))
        for d in builtins.range(k):
            _check_indices("GatherNd", i[..., d], p.shape[d + 1])
        i = i.long()
        rows = torch.arange(flat_batch, device=x.device).reshape((-1,) + (1,) * (i.dim() - 2))
        out = p[(rows,) + tuple(i[..., d] for d in builtins.range(k))]
        return out.reshape(batch + tuple(out.shape[1:]))
    if k > x.dim():
        raise InvalidArgumentError(f"GatherNd: index innermost dimension length must be <= "
                                   f"params rank; saw: {k} vs. {x.dim()}")
    for i in builtins.range(k):
        _check_indices("GatherNd", index[..., i], x.shape[i])
    index = index.long()
    return x[tuple(index[..., i] for i in builtins.range(k))]


def _scatter(op, tensor, indices, updates, reduce):
    index = convert(indices).long()
    updates = convert(updates, tensor.dtype) if not isinstance(updates, torch.Tensor) else updates
    if updates.dtype != tensor.dtype:
        raise InvalidArgumentError(f"{op}: updates must be {name_of(tensor.dtype)}, got "
                                   f"{name_of(updates.dtype)}")
    k = index.shape[-1]
    expected = tuple(index.shape[:-1]) + tuple(tensor.shape[k:])
    if tuple(updates.shape) != expected:
        raise InvalidArgumentError(f"{op}: updates must have shape {list(expected)}, got "
                                   f"{list(updates.shape)}")
    for i in builtins.range(k):
        _check_indices(op, index[..., i], tensor.shape[i])
    where = tuple(index[..., i] for i in builtins.range(k))
    if reduce == "update":
        return tensor.index_put(where, updates)
    if reduce == "add":
        return tensor.index_put(where, updates, accumulate=True)
    if reduce == "sub":
        return tensor.index_put(where, -updates, accumulate=True)
    flat = tensor.reshape((-1,) + tuple(tensor.shape[k:])).clone()
    strides = torch.tensor([int(np.prod(tensor.shape[i + 1:k])) for i in builtins.range(k)],
                           device=index.device)
    position = (index * strides).sum(-1).reshape(-1)
    src = updates.reshape((-1,) + tuple(tensor.shape[k:]))
    idx = position.reshape((-1,) + (1,) * (src.dim() - 1)).expand_as(src)
    return flat.scatter_reduce(0, idx, src, reduce=reduce).reshape(tensor.shape)


def scatter_nd(indices, updates, shape, name=None):
    """tf.scatter_nd: zeros of `shape` with `updates` summed in at `indices`."""
    updates = convert(updates)
    return _scatter("ScatterNd", torch.zeros(shape_tuple(shape), dtype=updates.dtype,
                                             device=updates.device), indices, updates, "add")


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    return _scatter("TensorScatterUpdate", convert(tensor), indices, updates, "update")


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    return _scatter("TensorScatterAdd", convert(tensor), indices, updates, "add")


def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    return _scatter("TensorScatterSub", convert(tensor), indices, updates, "sub")


def tensor_scatter_nd_max(tensor, indices, updates, name=None):
    return _scatter("TensorScatterMax", convert(tensor), indices, updates, "amax")


def tensor_scatter_nd_min(tensor, indices, updates, name=None):
    return _scatter("TensorScatterMin", convert(tensor), indices, updates, "amin")


def where(condition, x=None, y=None, name=None):
    """tf.where: the int64 coordinates of True elements, or x where condition else y."""
    cond = convert(condition)
    if x is None and y is None:
        return torch.nonzero(cond if cond.dtype == torch.bool else cond != 0)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    if cond.dtype != torch.bool:
        raise InvalidArgumentError(f"SelectV2: condition must be bool, got {name_of(cond.dtype)}")
    xs, ys = matching("SelectV2", x, y)
    try:
        return torch.where(cond.to(xs.device), xs, ys)
    except RuntimeError:
        broadcast_check("SelectV2", cond, xs, ys)  # InvalidArgumentError for the shapes
        raise


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    x, m = convert(tensor), convert(mask)
    axis = 0 if axis is None else _axis(axis, x.dim(), "boolean_mask")
    if m.dim() == 0:
        raise ValueError("mask cannot be scalar.")
    if tuple(x.shape[axis:axis + m.dim()]) != tuple(m.shape):
        raise ValueError(f"Shapes {tuple(x.shape[axis:axis + m.dim()])} and {tuple(m.shape)} "
                         "are incompatible")
    return x[(builtins.slice(None),) * axis + (m.to(torch.bool),)]


def sequence_mask(lengths, maxlen=None, dtype="bool", name=None):
    lengths = convert(lengths)
    maxlen = int(lengths.max()) if maxlen is None else int(convert(maxlen))
    steps = torch.arange(maxlen, device=lengths.device)
    return (steps < lengths.unsqueeze(-1)).to(dtype_of(dtype))


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """tf.one_hot: out-of-range indices (-1 included) give a row of `off_value`."""
    index = convert(indices)
    if dtype is None:
        given = next((v for v in (on_value, off_value) if v is not None), None)
        dtype = convert(given).dtype if given is not None else torch.float32
    dtype = dtype_of(dtype)
    depth = int(depth)
    on = 1 if on_value is None else convert(on_value).item()
    off = 0 if off_value is None else convert(off_value).item()
    hit = index.long().unsqueeze(-1) == torch.arange(depth, device=index.device)
    out = torch.where(hit, torch.tensor(on, dtype=dtype, device=index.device),
                      torch.tensor(off, dtype=dtype, device=index.device))
    return out if axis is None or axis == -1 else torch.movedim(out, -1, int(axis))


def slice(input_, begin, size, name=None):  # noqa: A001
    x, begin, size = convert(input_), shape_tuple(begin), shape_tuple(size)
    index = []
    for d, (b, s) in enumerate(zip(begin, size, strict=True)):
        n = x.shape[d]
        s = n - b if s == -1 else s
        if not (0 <= b <= n and 0 <= s <= n - b):
            raise InvalidArgumentError(f"Expected size[{d}] in [0, {n - b}], but got {s}")
        index.append(builtins.slice(b, b + s))
    return x[tuple(index)]


def _take_range(x, dim, start, stop, step):
    """x[start:stop:step] along dim, with Python's meaning of negative steps."""
    n = x.shape[dim]
    if step > 0:
        return x.narrow(dim, 0, n)[(builtins.slice(None),) * dim + (builtins.slice(start, stop,
                                                                                   step),)]
    idx = list(builtins.range(*builtins.slice(start, stop, step).indices(n)))
    return torch.index_select(x, dim, torch.tensor(idx, dtype=torch.long, device=x.device))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """tf.strided_slice, masks included (negative strides too, which torch slicing lacks)."""
    x = convert(input_)
    begin, end = shape_tuple(begin), shape_tuple(end)
    strides = shape_tuple(strides) if strides is not None else (1,) * len(begin)
    spec = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides, strict=True)):
        if ellipsis_mask >> i & 1:
            spec.append(Ellipsis)
        elif new_axis_mask >> i & 1:
            spec.append(None)
        elif shrink_axis_mask >> i & 1:
            spec.append(int(b))
        else:
            spec.append(builtins.slice(None if begin_mask >> i & 1 else b,
                                       None if end_mask >> i & 1 else e, s))
    return getitem(x, tuple(spec))


def getitem(x, key):
    """NumPy-style basic indexing with TensorFlow's rules (negative steps, errors)."""
    x = convert(x)
    key = key if isinstance(key, tuple) else (key,)
    if builtins.any(isinstance(k, (torch.Tensor, list, np.ndarray)) for k in key):
        return x[key]
    used = builtins.sum(1 for k in key if k is not None and k is not Ellipsis)
    if Ellipsis in key:
        at = key.index(Ellipsis)
        key = key[:at] + (builtins.slice(None),) * (x.dim() - used) + key[at + 1:]
    else:
        key = key + (builtins.slice(None),) * (x.dim() - used)
    if builtins.sum(1 for k in key if k is not None) > x.dim():
        raise ValueError(f"Index out of range using input dim {x.dim()}")
    out, dim = x, 0
    for k in key:
        if k is None:
            out = out.unsqueeze(dim)
            dim += 1
        elif isinstance(k, builtins.slice):
            out = _take_range(out, dim, k.start, k.stop, 1 if k.step is None else int(k.step))
            dim += 1
        else:
            k = int(k)
            n = out.shape[dim]
            if not -n <= k < n:
                raise InvalidArgumentError(f"slice index {k} of dimension {dim} out of bounds.")
            out = out.select(dim, k)
    return out


# --------------------------------------------------------------------------- sort and search
def sort(values, axis=-1, direction="ASCENDING", name=None):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"{direction} should be one of ASCENDING, DESCENDING")
    x = convert(values)
    return torch.sort(x, dim=int(axis), descending=direction == "DESCENDING", stable=True).values


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"{direction} should be one of ASCENDING, DESCENDING")
    x = convert(values)
    return torch.sort(x, dim=int(axis), descending=direction == "DESCENDING",
                      stable=True).indices.to(torch.int32)


Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _unique(x):
    x = convert(x)
    values, inverse, counts = torch.unique(x, sorted=True, return_inverse=True,
                                           return_counts=True)
    first = torch.full((values.numel(),), x.numel(), dtype=torch.long, device=x.device)
    first = first.scatter_reduce(0, inverse, torch.arange(x.numel(), device=x.device), "amin")
    order = torch.argsort(first)  # TensorFlow keeps the order of first appearance
    rank = torch.empty_like(order)
    rank[order] = torch.arange(order.numel(), device=x.device)
    return values[order], rank[inverse], counts[order]


def unique(x, out_idx="int32", name=None):
    y, idx, _ = _unique(x)
    return Unique(y, idx.to(dtype_of(out_idx)))


def unique_with_counts(x, out_idx="int32", name=None):
    y, idx, count = _unique(x)
    return UniqueWithCounts(y, idx.to(dtype_of(out_idx)), count.to(dtype_of(out_idx)))


def searchsorted(sorted_sequence, values, side="left", out_type="int32", name=None):
    seq, vals = matching("searchsorted", sorted_sequence, values)
    return torch.searchsorted(seq, vals, right=side == "right").to(dtype_of(out_type))


# ---------------------------------------------------------------------------------- clipping
def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    x, lo, hi = matching("clip_by_value", t, clip_value_min, clip_value_max, ordered=True,
                         python_error=TypeError)
    try:
        return torch.minimum(torch.maximum(x, lo), hi)
    except RuntimeError:
        broadcast_check("clip_by_value", x, lo, hi)  # InvalidArgumentError for the shapes
        raise


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """tf.clip_by_norm: t * clip_norm / max(l2norm(t, axes), clip_norm)."""
    x = convert(t)
    if x.dtype in INTS:
        raise TypeError(f"clip_by_norm: t must be a floating tensor, got {name_of(x.dtype)}")
    norm = convert(clip_norm, x.dtype) if not isinstance(clip_norm, torch.Tensor) else clip_norm
    dims = tuple(builtins.range(x.dim())) if axes is None else shape_tuple(axes)
    l2sum = torch.sum(x * x, dim=dims, keepdim=True)
    pos = l2sum > 0
    l2norm = torch.where(pos, torch.sqrt(torch.where(pos, l2sum, torch.ones_like(l2sum))), l2sum)
    return x * norm / torch.maximum(l2norm, norm)


def global_norm(t_list, name=None):
    tensors = [convert(t) for t in t_list if t is not None]
    return torch.sqrt(builtins.sum(torch.sum(t.float() * t.float()) for t in tensors)) \
        if tensors else torch.tensor(0.0)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """tf.clip_by_global_norm: (the list scaled by clip_norm / max(global_norm, clip_norm),
    global_norm); None entries stay None."""
    if isinstance(t_list, torch.Tensor) or not isinstance(t_list, collections.abc.Sequence):
        raise TypeError("`t_list` should be a sequence of tensors. Received "
                        f"{type(t_list)}.")
    norm = global_norm(t_list) if use_norm is None else convert(use_norm)
    clip = convert(clip_norm, norm.dtype) if not isinstance(clip_norm, torch.Tensor) \
        else clip_norm
    scale = clip / torch.maximum(norm, clip)
    clipped = [None if t is None else convert(t) * scale.to(convert(t).dtype) for t in t_list]
    return clipped, norm


# ------------------------------------------------------------------------------ contractions
def einsum(equation, *inputs, **kwargs):
    tensors = matching("Einsum", *inputs)
    return torch.einsum(equation, *tensors)


def tensordot(a, b, axes, name=None):
    x, y = matching("tensordot", a, b)
    if isinstance(axes, (int, np.integer)):
        return torch.tensordot(x, y, dims=int(axes))
    axes = convert(axes).tolist() if isinstance(axes, torch.Tensor) else axes
    a_axes, b_axes = axes
    a_axes = [a_axes] if isinstance(a_axes, (int, np.integer)) else list(a_axes)
    b_axes = [b_axes] if isinstance(b_axes, (int, np.integer)) else list(b_axes)
    for i, j in zip(a_axes, b_axes, strict=True):
        if x.shape[i] != y.shape[j]:
            raise ValueError(f"tensordot: dimension {i} of a ({x.shape[i]}) does not match "
                             f"dimension {j} of b ({y.shape[j]})")
    return torch.tensordot(x, y, dims=(a_axes, b_axes))



def unravel_index(indices, dims, name=None):
    """tf.unravel_index: [len(dims), ...] coordinates of flat indices in a `dims` array."""
    flat = convert(indices)
    shape = shape_tuple(dims)
    if flat.numel() and (int(flat.min()) < 0 or int(flat.max()) >= int(np.prod(shape))):
        raise InvalidArgumentError(f"unravel_index: index out of bounds for dims {list(shape)}")
    return torch.stack(torch.unravel_index(flat.long(), shape)).to(flat.dtype)


def histogram_fixed_width(values, value_range, nbins=100, dtype="int32", name=None):
    """tf.histogram_fixed_width: counts in nbins equal bins of value_range; values outside go
    to the first or last bin."""
    x = convert(values)
    lo, hi = (float(v) for v in convert(value_range).reshape(-1).tolist())
    nbins = int(nbins)
    scaled = (x.double().reshape(-1) - lo) / (hi - lo) * nbins
    index = torch.floor(scaled).clamp(0, nbins - 1).long()
    return torch.bincount(index, minlength=nbins).to(dtype_of(dtype))


def dynamic_partition(data, partitions, num_partitions, name=None):
    """tf.dynamic_partition: data split into num_partitions lists by the partitions ids."""
    x, p = convert(data), convert(partitions)
    n = int(num_partitions)
    if tuple(x.shape[:p.dim()]) != tuple(p.shape):
        raise InvalidArgumentError(f"data.shape must start with partitions.shape, got data."
                                   f"shape = {list(x.shape)}, partitions.shape = "
                                   f"{list(p.shape)}")
    if p.device.type == "cpu" and p.numel() and (int(p.min()) < 0 or int(p.max()) >= n):
        raise InvalidArgumentError(f"partitions must be in [0, {n})")
    flat = x.reshape((-1,) + tuple(x.shape[p.dim():]))
    ids = p.reshape(-1)
    return [flat[ids == i] for i in builtins.range(n)]


def dynamic_stitch(indices, data, name=None):
    """tf.dynamic_stitch: merged[indices[m][i]] = data[m][i] (later entries win)."""
    index = [convert(i).long() for i in indices]
    values = matching("DynamicStitch", *data)
    size = builtins.max((int(i.max()) + 1 for i in index if i.numel()), default=0)
    inner = tuple(values[0].shape[index[0].dim():])
    out = torch.zeros((size,) + inner, dtype=values[0].dtype, device=values[0].device)
    for i, v in zip(index, values, strict=True):
        out[i.reshape(-1)] = v.reshape((-1,) + inner)
    return out


symbolic_ops("", globals())  # Keras tensors build TFOpLambda nodes
