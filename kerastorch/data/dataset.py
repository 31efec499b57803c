"""`tf.data.Dataset` on torch: a thin, re-iterable pipeline of torch tensors for `fit`.

Each `Dataset` knows how to start a fresh pass (`iter(ds)`) and its cardinality. Elements are
torch tensors or nested tuples/dicts of them, with TensorFlow's semantics: `map` and `filter`
see one element (a tuple element is unpacked into the function's arguments), `batch` stacks
consecutive elements, `shuffle` draws from a buffer of `buffer_size` elements.

Example:
    >>> ds = Dataset.from_tensor_slices((x, y)).shuffle(100, seed=1).batch(32)
    >>> model.fit(ds, epochs=2)
"""

import itertools

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
            return value
        return torch.from_numpy(value)
    if isinstance(value, (str, bytes)):
        return np.asarray(value)
    return ops.convert_to_tensor(value)


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
        isinstance(v, (int, float, bool, np.generic)) or _is_leaf_list(v) for v in value)


def _stack(leaves):
    if isinstance(leaves[0], torch.Tensor):
        return torch.stack(leaves)
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
        """Elements from calling `generator(*args)` afresh for each pass (length unknown)."""
        args = tuple(args or ())
        return Dataset(lambda: (_normalize(e) for e in generator(*args)), UNKNOWN_CARDINALITY)

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
        """Applies `map_func` to each element (`map_func(*element)` for tuple elements)."""
        return Dataset(lambda: (_normalize(_call(map_func, e)) for e in self), self._cardinality)

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
        return Dataset(make, card)

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
        return Dataset(make, len(starts))
