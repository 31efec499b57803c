"""`tf.data.Dataset` on torch: a thin, re-iterable pipeline of torch tensors for `fit`.

Each `Dataset` knows how to start a fresh pass (`iter(ds)`) and its cardinality. Elements are
torch tensors or nested tuples/dicts of them, with TensorFlow's semantics: `map` and `filter`
see one element (a tuple element is unpacked into the function's arguments), `batch` stacks
consecutive elements, `shuffle` draws from a buffer of `buffer_size` elements.

Example:
    >>> ds = Dataset.from_tensor_slices((x, y)).shuffle(100, seed=1).batch(32)
    >>> model.fit(ds, epochs=2)
"""

import concurrent.futures
import itertools
import os

import numpy as np
import torch

from kerastorch import ops
from kerastorch.porting.errors import NotSupportedAttributeError

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


# --------------------------------------------------------------------- structure helpers
def _map_structure(fn, element):
    if isinstance(element, dict):
        return {k: _map_structure(fn, v) for k, v in element.items()}
    if isinstance(element, tuple):
        return tuple(_map_structure(fn, v) for v in element)
    return fn(element)


def _flatten(element):
    if isinstance(element, dict):
        return [leaf for v in element.values() for leaf in _flatten(v)]
    if isinstance(element, tuple):
        return [leaf for v in element for leaf in _flatten(v)]
    return [element]


def _pack_like(template, leaves):
    it = iter(leaves)
    return _map_structure(lambda _: next(it), template)


def _to_tensor(value):
    """A torch tensor for a leaf (numpy keeps its dtype; Python ints/floats -> int32/float32
    as in TF); numpy string arrays stay numpy (torch has no string tensors)."""
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "USO":
            return _string_array(value)
        return torch.from_numpy(value)
    if isinstance(value, (str, bytes)) or isinstance(value, list) and _is_string_list(value):
        return _string_array(value)
    if hasattr(value, "dense_shape"):  # a tf.sparse.SparseTensor (tf.io.VarLenFeature)
        return value
    return ops.convert_to_tensor(value)


def _string_array(value):
    """A tf.string tensor here: a numpy object array of `bytes` (what TF's `.numpy()` gives)."""
    array = np.asarray(value, dtype=object)
    flat = [v.encode() if isinstance(v, str) else (v if isinstance(v, bytes) else str(v).encode())
            for v in array.reshape(-1).tolist()]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(array.shape)


def _is_string_list(value):
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, (str, bytes)) or _is_string_list(v) for v in value)


def _normalize(element):
    """Lists become tuples (as TF does with structures); leaves become tensors."""
    if isinstance(element, dict):
        return {k: _normalize(v) for k, v in element.items()}
    if isinstance(element, (tuple, list)) and not _is_leaf_list(element):
        return tuple(_normalize(v) for v in element)
    return _to_tensor(element)


def _is_leaf_list(value):
    """`[1, 2, 3]` or `[[1, 2], [3, 4]]`: one tensor, not a structure."""
    return isinstance(value, list) and all(
        isinstance(v, (int, float, bool, str, bytes, np.generic)) or _is_leaf_list(v)
        for v in value)


def _stack(leaves):
    if isinstance(leaves[0], torch.Tensor):
        return torch.stack(leaves)
    if isinstance(leaves[0], (bytes, str)):
        # strings (records, file contents) as an object array of bytes, as TF's `.numpy()`
        # gives: numpy's fixed-width bytes would drop trailing NUL bytes of serialized records
        return _string_array(list(leaves))
    return np.stack(leaves)


def _call(fn, element):
    """`fn(*element)` for a tuple element, `fn(element)` otherwise (TF's `map` convention)."""
    return fn(*element) if isinstance(element, tuple) else fn(element)


def _count(n, name):
    n = int(n.item() if isinstance(n, torch.Tensor) else n)
    if n < -1:
        raise ValueError(f"`{name}` must be >= -1, received: {n}")
    return n


def _pass_rngs(seed, reshuffle_each_iteration):
    """A function giving each pass's numpy generator: from `seed` (or one drawn from torch's
    global generator, so `keras.utils.set_random_seed` makes it reproducible) and the pass
    number (always 0 without reshuffling)."""
    base = int(seed) if seed is not None else int(torch.randint(0, 2 ** 31 - 1, ()).item())
    passes = itertools.count()

    def next_rng():
        return np.random.default_rng([base, next(passes) if reshuffle_each_iteration else 0])
    return next_rng


def _take_rows(t, index):
    if isinstance(index, slice):
        return t[index]
    return t.index_select(0, index) if isinstance(t, torch.Tensor) else t[index.numpy()]


# --------------------------------------------------------------------- specs and padding
class _TensorSpec:
    """A stand-in for tf.TensorSpec where the TensorFlow API package is not importable."""

    def __init__(self, shape, dtype=torch.float32, name=None):
        self.shape, self.dtype, self.name = shape, dtype, name

    def __eq__(self, other):
        return (type(other) is type(self) and tuple(self.shape) == tuple(other.shape)
                and self.dtype == other.dtype)

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype}, name={self.name})"


def _tensor_spec(shape, dtype):
    try:
        from kerastorch.porting.tf.tensor import TensorSpec
    except ImportError:
        TensorSpec = _TensorSpec
    return TensorSpec(shape, dtype=dtype)


STRING = "string"  # the dtype this package reports for string components


def _leaf_dtype(t):
    if isinstance(t, np.ndarray):
        try:
            from kerastorch.porting.tf.dtypes import string
            return string
        except ImportError:
            return STRING
    return t.dtype


def _is_string_dtype(dtype):
    return (isinstance(dtype, str) and dtype == STRING) or \
        getattr(dtype, "name", None) == "string" or dtype is np.object_ or dtype is bytes


def _normalize_specs(structure):
    """Specs/dtypes/shapes structures: lists of specs become tuples, shapes stay leaves."""
    if isinstance(structure, dict):
        return {k: _normalize_specs(v) for k, v in structure.items()}
    if isinstance(structure, (tuple, list)) and structure and not all(
            v is None or isinstance(v, (int, np.integer)) for v in structure):
        return tuple(_normalize_specs(v) for v in structure)
    return structure


def _flatten_shapes(shapes, template):
    """One shape (a tuple with None for unknown dims, or None) per leaf of `template`."""
    if isinstance(template, dict):
        return [s for k in template for s in _flatten_shapes(shapes[k], template[k])]
    if isinstance(template, tuple):
        if not isinstance(shapes, tuple) or len(shapes) != len(template):
            raise ValueError(f"The shapes {shapes!r} do not match the structure "
                             f"{_describe(template)}.")
        return [s for sh, t in zip(shapes, template) for s in _flatten_shapes(sh, t)]
    if shapes is None:
        return [None]
    if isinstance(shapes, torch.Size):
        shapes = tuple(shapes)
    if hasattr(shapes, "as_list"):
        shapes = shapes.as_list()
    return [tuple(None if d is None or int(d) < 0 else int(d) for d in shapes)]


def _shape_fits(shape, expected):
    return len(shape) == len(expected) and all(e is None or e == d
                                               for d, e in zip(shape, expected))


def _cast_leaf(leaf, dtype, where):
    if _is_string_dtype(dtype):
        if not isinstance(leaf, np.ndarray):
            raise ValueError(f"Dataset.from_generator(): {where} should be a string, received "
                             f"a {leaf.dtype} tensor.")
        return leaf
    if isinstance(leaf, np.ndarray):
        raise ValueError(f"Dataset.from_generator(): {where} is a string where a {dtype} "
                         "tensor was expected.")
    from kerastorch import backend
    return leaf.to(backend.to_torch_dtype(dtype))


def _describe(element):
    return repr(_map_structure(lambda t: tuple(getattr(t, "shape", ())), element))


def _broadcast_structure(value, template):
    """`value` for each leaf of `template` (one value for all, or a matching structure)."""
    if isinstance(template, dict):
        return {k: _broadcast_structure(value[k] if isinstance(value, dict) else value, v)
                for k, v in template.items()}
    if isinstance(template, tuple):
        if isinstance(value, (tuple, list)):
            return tuple(_broadcast_structure(v, t) for v, t in zip(value, template))
        return tuple(_broadcast_structure(value, t) for t in template)
    return value


def _pad_stack(leaves, shape, value):
    rank = len(leaves[0].shape)
    if any(len(leaf.shape) != rank for leaf in leaves):
        raise ValueError("padded_batch(): the components of the batched elements must have "
                         f"the same rank, received shapes {[tuple(t.shape) for t in leaves]}")
    longest = [max(int(leaf.shape[d]) for leaf in leaves) for d in range(rank)]
    if shape is not None:
        if len(shape) != rank:
            raise ValueError(f"padded_batch(): padded shape {shape} has rank {len(shape)} "
                             f"but the component has rank {rank}.")
        for d, (want, have) in enumerate(zip(shape, longest)):
            if want is not None and want < have:
                raise ValueError(f"padded_batch(): a component of shape "
                                 f"{tuple(max(leaves, key=lambda t: t.shape[d]).shape)} is "
                                 f"larger than the padded shape {shape}.")
        longest = [have if want is None else want for want, have in zip(shape, longest)]
    if isinstance(leaves[0], np.ndarray):
        out = np.full([len(leaves)] + longest, b"" if value is None else value, dtype=object)
        for i, leaf in enumerate(leaves):
            out[(i,) + tuple(slice(0, n) for n in leaf.shape)] = leaf
        return out
    fill = 0 if value is None else (value.item() if isinstance(value, torch.Tensor) else value)
    out = torch.full([len(leaves)] + longest, fill, dtype=leaves[0].dtype)
    for i, leaf in enumerate(leaves):
        out[(i,) + tuple(slice(0, n) for n in leaf.shape)] = leaf
    return out


def _with_spec(batched, dataset, batch_dim):
    """`batched` with the spec of `dataset`'s elements batched (when that spec is known)."""
    if dataset._spec is not None:
        batched._spec = _map_structure(
            lambda spec: _tensor_spec((batch_dim,) + tuple(spec.shape), spec.dtype),
            dataset._spec)
    return batched


def _as_dataset(value, where):
    if not isinstance(value, Dataset):
        raise TypeError(f"Dataset.{where}(): `map_func` must return a Dataset, received: "
                        f"{type(value).__name__}")
    return value


def _parallel_map(dataset, fn, workers, ordered):
    """`fn` over `dataset` on `workers` threads, at most 2 * workers calls ahead."""
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        pending, it = [], iter(dataset)
        for e in it:
            pending.append(pool.submit(fn, e))
            if len(pending) >= 2 * workers:
                break
        while pending:
            if ordered:
                done = pending.pop(0)
            else:
                finished, _ = concurrent.futures.wait(
                    pending, return_when=concurrent.futures.FIRST_COMPLETED)
                done = next(f for f in pending if f in finished)
                pending.remove(done)
            for e in it:
                pending.append(pool.submit(fn, e))
                break
            yield done.result()


class _DatasetMeta(type):
    def __getattr__(cls, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupportedAttributeError(f"tensorflow.data.Dataset.{name}")


class Dataset(metaclass=_DatasetMeta):
    """A re-iterable pipeline of elements (torch tensors or nested tuples/dicts of them).

    Build one with `Dataset.from_tensor_slices`, `from_tensors`, `range` or `zip`, and chain
    `map`, `filter`, `shuffle`, `batch`, `unbatch`, `repeat`, `take`, `skip`, `cache`,
    `prefetch`. Each `iter(ds)` is a fresh pass, so `fit` restarts it every epoch.

    Example:
        >>> ds = Dataset.from_tensor_slices(np.arange(5)).map(lambda x: x * 2).batch(2)
        >>> [b.tolist() for b in ds]
        [[0, 2], [4, 6], [8]]
    """

    _spec = None  # the element_spec when known without looking at an element

    def __init__(self, make_iterator, cardinality):
        self._make_iterator = make_iterator
        self._cardinality = cardinality

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotSupportedAttributeError(f"tensorflow.data.Dataset.{name}")

    # ------------------------------------------------------------------ sources
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset of the slices of `tensors` along their first axis (arrays, tuples, dicts)."""
        return _TensorSlices(_normalize(tensors))

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element: `tensors` itself."""
        element = _normalize(tensors)
        return Dataset(lambda: iter((element,)), 1)

    @staticmethod
    def range(*args, dtype=torch.int64, name=None):
        """`range(stop)`, `range(start, stop[, step])` as scalar int64 tensors."""
        from kerastorch import backend
        r = range(*args)
        dtype = backend.to_torch_dtype(dtype)
        return Dataset(lambda: (torch.tensor(i, dtype=dtype) for i in r), len(r))

    @staticmethod
    def zip(*datasets, name=None):
        """Elements of several datasets side by side (a tuple or dict of datasets)."""
        if len(datasets) == 1:
            datasets = datasets[0]
        flat = _flatten(datasets)
        for d in flat:
            if not isinstance(d, Dataset):
                raise TypeError(f"Dataset.zip() expects datasets, received: {type(d).__name__}")
        cards = [d._cardinality for d in flat]
        finite = [c for c in cards if c >= 0]
        if finite:
            card = min(finite) if UNKNOWN_CARDINALITY not in cards else UNKNOWN_CARDINALITY
            if UNKNOWN_CARDINALITY in cards and min(finite) == 0:
                card = 0
        else:
            card = UNKNOWN_CARDINALITY if UNKNOWN_CARDINALITY in cards else INFINITE_CARDINALITY

        def make():
            return (_pack_like(datasets, parts) for parts in zip(*[iter(d) for d in flat]))
        return Dataset(make, card)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """Elements from calling `generator(*args)` afresh for each pass (length unknown).

        With `output_signature` (a structure of `TensorSpec`s) or `output_types` (and
        `output_shapes`), each yielded element is converted to those dtypes and checked against
        the structure and shapes (a ValueError naming the element otherwise)."""
        if not callable(generator):
            raise TypeError(f"`generator` must be a Python callable, received: {generator!r}")
        if output_signature is not None and (output_types is not None or
                                             output_shapes is not None):
            raise TypeError("`output_signature` can not be used together with the deprecated "
                            "`output_types` and `output_shapes` arguments.")
        args = tuple(args or ())
        if output_signature is not None:
            specs = _normalize_specs(output_signature)
            dtypes = _map_structure(lambda spec: spec.dtype, specs)
            shapes = _map_structure(lambda spec: spec.shape, specs)
        elif output_types is not None:
            dtypes = _normalize_specs(output_types)
            shapes = _normalize_specs(output_shapes) if output_shapes is not None else \
                _map_structure(lambda _: None, dtypes)
        else:
            return Dataset(lambda: (_normalize(e) for e in generator(*args)),
                           UNKNOWN_CARDINALITY)
        flat_dtypes, flat_shapes = _flatten(dtypes), _flatten_shapes(shapes, dtypes)

        def convert(element, index):
            element = _normalize(element)
            leaves = _flatten(element)
            if len(leaves) != len(flat_dtypes):
                raise ValueError(f"Dataset.from_generator(): the generator yielded element "
                                 f"{index} with {len(leaves)} components where the signature "
                                 f"has {len(flat_dtypes)}: {_describe(element)}")
            out = []
            for leaf, dtype, shape in zip(leaves, flat_dtypes, flat_shapes):
                leaf = _cast_leaf(leaf, dtype, f"element {index}")
                if shape is not None and not _shape_fits(tuple(leaf.shape), shape):
                    raise ValueError(f"Dataset.from_generator(): the generator yielded element "
                                     f"{index} of shape {tuple(leaf.shape)} where an element "
                                     f"of shape {tuple(shape)} was expected.")
                out.append(leaf)
            return _pack_like(dtypes, out)

        def make():
            return (convert(e, i) for i, e in enumerate(generator(*args)))
        ds = Dataset(make, UNKNOWN_CARDINALITY)
        ds._spec = _pack_like(dtypes, [_tensor_spec(shape, dtype) for shape, dtype
                                       in zip(flat_shapes, flat_dtypes)])
        return ds

    # ------------------------------------------------------------------ iteration
    def __iter__(self):
        return self._make_iterator()

    def __len__(self):
        if self._cardinality == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __bool__(self):
        return True

    def cardinality(self):
        """The number of elements as an int64 tensor: -1 if infinite, -2 if unknown."""
        return torch.tensor(self._cardinality, dtype=torch.int64)

    def as_numpy_iterator(self):
        """Iterates the elements as numpy arrays (numpy scalars for scalar tensors)."""
        def to_numpy(t):
            if isinstance(t, torch.Tensor):
                t = t.detach().cpu().numpy()
            return t[()] if isinstance(t, np.ndarray) and t.ndim == 0 else t
        return (_map_structure(to_numpy, e) for e in self)

    # ------------------------------------------------------------------ transformations
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Applies `map_func` to each element (`map_func(*element)` for tuple elements).

        With `num_parallel_calls` (a count, or `AUTOTUNE` for the CPU count) a thread pool
        runs the calls ahead of the consumer; the order is the input's unless
        `deterministic=False` (then elements come as they finish)."""
        if num_parallel_calls is None or int(num_parallel_calls) in (0, 1):
            return Dataset(lambda: (_normalize(_call(map_func, e)) for e in self),
                           self._cardinality)
        workers = int(num_parallel_calls)
        if workers == AUTOTUNE:
            workers = os.cpu_count() or 1
        elif workers < 0:
            raise ValueError(f"`num_parallel_calls` must be a positive integer or AUTOTUNE, "
                             f"received: {workers}")

        def make():
            return _parallel_map(self, lambda e: _normalize(_call(map_func, e)), workers,
                                 ordered=deterministic is not False)
        return Dataset(make, self._cardinality)

    def filter(self, predicate, name=None):
        """Keeps the elements for which `predicate` is true."""
        card = INFINITE_CARDINALITY if self._cardinality == INFINITE_CARDINALITY \
            else UNKNOWN_CARDINALITY
        return Dataset(lambda: (e for e in self if bool(_call(predicate, e))), card)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stacks `batch_size` consecutive elements (the last batch may be smaller unless
        `drop_remainder`)."""
        batch_size = int(batch_size)
        if batch_size <= 0:
            raise ValueError(f"`batch_size` must be > 0, received: {batch_size}")
        card = self._cardinality
        if card >= 0:
            card = card // batch_size if drop_remainder else -(-card // batch_size)

        def make():
            it = iter(self)
            while True:
                chunk = list(itertools.islice(it, batch_size))
                if not chunk or drop_remainder and len(chunk) < batch_size:
                    return
                leaves = zip(*[_flatten(e) for e in chunk])
                yield _pack_like(chunk[0], [_stack(list(group)) for group in leaves])
        return _with_spec(Dataset(make, card), self, batch_size if drop_remainder else None)

    def unbatch(self, name=None):
        """Splits each element along its first axis into elements (the inverse of `batch`)."""
        def make():
            for e in self:
                leaves = _flatten(e)
                for i in range(len(leaves[0])):
                    yield _pack_like(e, [leaf[i] for leaf in leaves])
        card = INFINITE_CARDINALITY if self._cardinality == INFINITE_CARDINALITY \
            else UNKNOWN_CARDINALITY
        return Dataset(make, card)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Shuffles with a buffer of `buffer_size` elements, TF's way: each output is a random
        pick from the buffer, refilled from the input. Reproducible with `seed`; a new order
        each pass unless `reshuffle_each_iteration=False`."""
        buffer_size = int(buffer_size)
        if buffer_size <= 0 and buffer_size != AUTOTUNE:
            raise ValueError(f"`buffer_size` must be > 0, received: {buffer_size}")
        next_rng = _pass_rngs(seed, reshuffle_each_iteration)

        def make():
            rng = next_rng()
            size = buffer_size if buffer_size > 0 else 1 << 62
            it, buffer = iter(self), []
            for e in it:
                buffer.append(e)
                if len(buffer) >= size:
                    break
            picks = iter(())
            for e in it:  # the buffer is full here: draw its indices in blocks
                i = next(picks, None)
                if i is None:
                    picks = iter(rng.integers(len(buffer), size=1024).tolist())
                    i = next(picks)
                yield buffer[i]
                buffer[i] = e
            for i in rng.permutation(len(buffer)):
                yield buffer[i]
        return Dataset(make, self._cardinality)

    def repeat(self, count=None, name=None):
        """Repeats the dataset `count` times (forever when `count` is None or -1)."""
        count = -1 if count is None else _count(count, "count")
        card = self._cardinality
        if count == -1:
            card = card if card in (0, UNKNOWN_CARDINALITY) else INFINITE_CARDINALITY
        elif card >= 0:
            card = card * count

        def make():
            passes = itertools.count() if count == -1 else range(count)
            for _ in passes:
                empty = True
                for e in self:
                    empty = False
                    yield e
                if empty:  # an empty dataset repeated forever is still empty
                    return
        return Dataset(make, card)

    def take(self, count, name=None):
        """The first `count` elements (all when -1)."""
        count = _count(count, "count")
        if count == -1:
            return Dataset(lambda: iter(self), self._cardinality)
        card = self._cardinality
        card = count if card == INFINITE_CARDINALITY else (
            min(card, count) if card >= 0 else UNKNOWN_CARDINALITY)
        return Dataset(lambda: itertools.islice(self, count), card)

    def skip(self, count, name=None):
        """All elements after the first `count` (none when -1)."""
        count = _count(count, "count")
        if count == -1:
            return Dataset(lambda: iter(()), 0)
        card = self._cardinality
        if card >= 0:
            card = max(card - count, 0)
        return Dataset(lambda: itertools.islice(self, count, None), card)

    def cache(self, filename="", name=None):
        """Keeps the elements in memory after the first complete pass (`filename` is ignored:
        the cache is always in memory)."""
        cached = []
        done = [False]

        def make():
            if done[0]:
                return iter(cached)
            return fill()

        def fill():
            elements = []
            for e in self:
                elements.append(e)
                yield e
            cached[:], done[0] = elements, True
        return Dataset(make, self._cardinality)

    def prefetch(self, buffer_size, name=None):
        """A no-op: elements are produced on demand in the training loop's process."""
        return self

    def concatenate(self, dataset, name=None):
        """The elements of this dataset followed by those of `dataset`."""
        a, b = self._cardinality, dataset._cardinality
        card = INFINITE_CARDINALITY if INFINITE_CARDINALITY in (a, b) else (
            a + b if a >= 0 and b >= 0 else UNKNOWN_CARDINALITY)
        return Dataset(lambda: itertools.chain(self, dataset), card)

    def enumerate(self, start=0, name=None):
        """Pairs `(index, element)` with int64 indices from `start`."""
        return Dataset(lambda: ((torch.tensor(i, dtype=torch.int64), e)
                                for i, e in enumerate(self, start)), self._cardinality)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        """Batches elements of different shapes, padding each component at its end to
        `padded_shapes` (None or -1 dimensions: the longest in the batch) with
        `padding_values` (0, or b"" for strings, by default)."""
        batch_size = int(batch_size)
        if batch_size <= 0:
            raise ValueError(f"`batch_size` must be > 0, received: {batch_size}")
        card = self._cardinality
        if card >= 0:
            card = card // batch_size if drop_remainder else -(-card // batch_size)

        def make():
            it = iter(self)
            template, shapes, values = None, None, None
            while True:
                chunk = list(itertools.islice(it, batch_size))
                if not chunk or drop_remainder and len(chunk) < batch_size:
                    return
                if template is None:
                    template = chunk[0]
                    n = len(_flatten(template))
                    shapes = [None] * n if padded_shapes is None else \
                        _flatten_shapes(_normalize_specs(padded_shapes), template)
                    values = [None] * n if padding_values is None else \
                        _flatten(_broadcast_structure(padding_values, template))
                    if len(shapes) != n or len(values) != n:
                        raise ValueError("padded_batch(): `padded_shapes` and "
                                         "`padding_values` must have the structure of the "
                                         f"elements: {_describe(template)}")
                groups = zip(*[_flatten(e) for e in chunk])
                leaves = [_pad_stack(list(g), shape, value)
                          for g, shape, value in zip(groups, shapes, values)]
                yield _pack_like(template, leaves)
        return Dataset(make, card)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        """Re-cuts a batched dataset into batches of `batch_size` (an int, or a list of sizes
        used in turn), as `unbatch()` followed by batching does."""
        sizes = [int(b) for b in (batch_size.tolist() if isinstance(batch_size, torch.Tensor)
                                  else np.atleast_1d(batch_size).tolist())]
        if not sizes or any(b < 0 for b in sizes):
            raise ValueError(f"`batch_size` must be >= 0, received: {batch_size}")
        flat = self.unbatch()

        def make():
            it = iter(flat)
            for size in itertools.cycle(sizes):
                chunk = list(itertools.islice(it, size))
                if not chunk or drop_remainder and len(chunk) < size:
                    return
                leaves = zip(*[_flatten(e) for e in chunk])
                yield _pack_like(chunk[0], [_stack(list(group)) for group in leaves])
        return Dataset(make, UNKNOWN_CARDINALITY if self._cardinality != INFINITE_CARDINALITY
                       else INFINITE_CARDINALITY)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Windows of `size` elements, starting every `shift` elements (default `size`),
        taking every `stride`-th element. Each window is the element structure with a
        `Dataset` at each component (batch them, or `flat_map` over them)."""
        size = int(size)
        shift = size if shift is None else int(shift)
        stride = int(stride)
        for arg, value in (("size", size), ("shift", shift), ("stride", stride)):
            if value <= 0:
                raise ValueError(f"Dataset.window(): `{arg}` must be > 0, received: {value}")
        card = self._cardinality
        if card >= 0:
            if drop_remainder:
                avail = card - ((size - 1) * stride + 1)
                card = 0 if avail < 0 else avail // shift + 1
            else:
                card = -(-card // shift)

        def make():
            it, buffer, first, done = iter(self), [], 0, False
            for start in itertools.count(0, shift):
                last = start + (size - 1) * stride
                while not done and first + len(buffer) <= last:
                    try:
                        buffer.append(next(it))
                    except StopIteration:
                        done = True
                del buffer[:max(0, start - first)]
                first = max(first, start)
                window = [buffer[i - first] for i in range(start, last + 1, stride)
                          if i - first < len(buffer)]
                if not window or drop_remainder and len(window) < size:
                    return
                leaves = [Dataset.from_tensor_slices(_stack(list(g)))
                          for g in zip(*[_flatten(e) for e in window])]
                yield _pack_like(window[0], leaves)
        return Dataset(make, card)

    def flat_map(self, map_func, name=None):
        """Maps each element to a dataset and chains their elements."""
        def make():
            for e in self:
                yield from _as_dataset(_call(map_func, e), "flat_map")
        return Dataset(make, UNKNOWN_CARDINALITY)

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        """Maps each element to a dataset and interleaves them: `cycle_length` datasets are
        open at a time and `block_length` elements are taken from each in turn (TF's order;
        `cycle_length` defaults to the CPU count, `block_length` to 1)."""
        cycle = AUTOTUNE if cycle_length is None else int(cycle_length)
        if cycle == AUTOTUNE:
            cycle = os.cpu_count() or 1
        block = 1 if block_length is None else int(block_length)
        if cycle <= 0 or block <= 0:
            raise ValueError("Dataset.interleave(): `cycle_length` and `block_length` must be "
                             f"> 0, received: {cycle_length}, {block_length}")

        def make():
            inputs, slots, index, taken, open_, exhausted = iter(self), [None] * cycle, 0, 0, \
                0, False
            while not exhausted or open_:
                if slots[index] is not None:
                    try:
                        e = next(slots[index])
                    except StopIteration:
                        slots[index] = None
                        open_ -= 1
                        index, taken = (index + 1) % cycle, 0
                        continue
                    yield e
                    taken += 1
                    if taken == block:
                        index, taken = (index + 1) % cycle, 0
                elif not exhausted:
                    try:
                        e = next(inputs)
                    except StopIteration:
                        exhausted = True
                        continue
                    slots[index] = iter(_as_dataset(_call(map_func, e), "interleave"))
                    open_ += 1
                else:
                    index, taken = (index + 1) % cycle, 0
        return Dataset(make, UNKNOWN_CARDINALITY)

    def apply(self, transformation_func):
        """`transformation_func(self)`: a function from datasets to a dataset."""
        ds = transformation_func(self)
        if not isinstance(ds, Dataset):
            raise TypeError("Dataset.apply(): `transformation_func` must return a Dataset, "
                            f"received: {type(ds).__name__}")
        return ds

    def reduce(self, initial_state, reduce_func, name=None):
        """Folds the elements into a state: `state = reduce_func(state, element)`."""
        state = _normalize(initial_state)
        for e in self:
            state = _normalize(reduce_func(state, e))
        return state

    def shard(self, num_shards, index, name=None):
        """Every `num_shards`-th element, starting at `index`."""
        num_shards, index = int(num_shards), int(index)
        if num_shards <= 0 or not 0 <= index < num_shards:
            raise ValueError(f"Dataset.shard(): needs num_shards > 0 and 0 <= index < "
                             f"num_shards, received: num_shards={num_shards}, index={index}")
        card = self._cardinality
        if card >= 0:
            card = card // num_shards + (1 if index < card % num_shards else 0)
        return Dataset(lambda: itertools.islice(self, index, None, num_shards), card)

    def take_while(self, predicate, name=None):
        """The elements up to (not including) the first for which `predicate` is false."""
        return Dataset(lambda: itertools.takewhile(lambda e: bool(_call(predicate, e)), self),
                       UNKNOWN_CARDINALITY)

    def get_single_element(self, name=None):
        """The only element of a one-element dataset (a ValueError otherwise)."""
        elements = list(itertools.islice(self, 2))
        if len(elements) != 1:
            raise ValueError("Dataset.get_single_element(): the dataset must have exactly one "
                             f"element, it has {'none' if not elements else 'more than one'}.")
        return elements[0]

    def with_options(self, options, name=None):
        """Returns the dataset: tf.data's performance options have nothing to tune here."""
        return self

    def options(self):
        from kerastorch.data.experimental import Options
        return Options()

    @property
    def element_spec(self):
        """The structure of `TensorSpec`s of the elements. Known from the sources (and kept
        through `batch`); otherwise read from the first element, with its exact shape."""
        if self._spec is not None:
            return self._spec
        first = next(iter(self), None)
        if first is None:
            raise ValueError("element_spec of an empty dataset of unknown structure")
        return _map_structure(lambda t: _tensor_spec(tuple(t.shape), _leaf_dtype(t)), first)

    def __repr__(self):
        return f"<Dataset cardinality={self._cardinality}>"


class _TensorSlices(Dataset):
    """`from_tensor_slices`: elements are row views; `batch` slices directly, and a `shuffle`
    whose buffer holds everything is a permutation of the rows (the same order as the buffer
    algorithm gives), so `.shuffle(n).batch(b)` gathers rows instead of stacking them."""

    def __init__(self, tensors, orders=None):
        leaves = _flatten(tensors)
        sizes = {int(leaf.shape[0]) if getattr(leaf, "ndim", 0) else None for leaf in leaves}
        if None in sizes:
            raise ValueError("Unbatching a tensor is only supported for rank >= 1: "
                             "from_tensor_slices() needs arrays with a first axis.")
        if len(sizes) != 1:
            raise ValueError("Dimensions of the components passed to from_tensor_slices() "
                             f"must match along their first axis, received sizes: "
                             f"{sorted(sizes)}")
        self._tensors, self._orders, n = tensors, orders, sizes.pop()
        self._spec = _map_structure(
            lambda t: _tensor_spec(tuple(t.shape[1:]), _leaf_dtype(t)), tensors)

        def make():
            order = range(n) if orders is None else orders().tolist()
            return (_map_structure(lambda t: t[i], tensors) for i in order)
        super().__init__(make, n)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        n = self._cardinality
        if self._orders is not None or (int(buffer_size) < n and int(buffer_size) != AUTOTUNE):
            return super().shuffle(buffer_size, seed, reshuffle_each_iteration, name)
        next_rng = _pass_rngs(seed, reshuffle_each_iteration)
        return _TensorSlices(self._tensors, lambda: torch.from_numpy(next_rng().permutation(n)))

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        batch_size = int(batch_size)
        if batch_size <= 0:
            raise ValueError(f"`batch_size` must be > 0, received: {batch_size}")
        n, tensors, orders = self._cardinality, self._tensors, self._orders
        stop = n - n % batch_size if drop_remainder else n
        starts = range(0, stop, batch_size)

        def make():
            order = None if orders is None else orders()
            for i in starts:
                index = slice(i, i + batch_size) if order is None else order[i:i + batch_size]
                yield _map_structure(lambda t: _take_rows(t, index), tensors)
        return _with_spec(Dataset(make, len(starts)), self,
                          batch_size if drop_remainder else None)
