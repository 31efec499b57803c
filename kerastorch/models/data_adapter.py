"""Turns what `fit` / `evaluate` / `predict` accept into batches of CPU torch tensors.

Accepted: numpy arrays, torch tensors, lists/tuples/dicts of them (multi-input or multi-output
models), a `torch.utils.data.Dataset` or `DataLoader`, a Keras-style `PyDataset` (an object
with `__len__` and `__getitem__` returning batches), and Python generators or iterators
yielding `(x,)`, `(x, y)` or `(x, y, sample_weight)`.
"""

import math
import types

import numpy as np
import torch

from kerastorch import backend
from kerastorch import tree


def unpack_x_y_sample_weight(data):
    """`(x, y, sample_weight)` from a batch given as `x`, `(x,)`, `(x, y)` or `(x, y, sw)`."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError("Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found: {data}")


def _is_array(x):
    return isinstance(x, (np.ndarray, torch.Tensor)) or (
        hasattr(x, "__array__") and hasattr(x, "shape") and not isinstance(x, (list, tuple, dict)))


def is_array_structure(x):
    """True for arrays and lists/tuples/dicts of arrays (the in-memory case)."""
    if x is None:
        return True
    if isinstance(x, dict):
        return all(is_array_structure(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        return all(is_array_structure(v) for v in x) or _is_plain_list(x)
    return _is_array(x) or isinstance(x, (int, float))


def _is_plain_list(x):
    """A list of numbers (or nested lists of numbers): one array, not a structure."""
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(
        isinstance(v, (int, float, np.generic)) or _is_plain_list(v) for v in x)


def _to_tensor(x):
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        t = x.detach()
        if t.dtype == torch.float64:
            t = t.to(backend.to_torch_dtype(backend.floatx()))
        return t.cpu() if t.device.type != "cpu" else t
    arr = np.asarray(x)
    if arr.dtype.kind == "f":
        arr = arr.astype(backend.floatx(), copy=False)
    elif arr.dtype.kind == "b":
        arr = arr.astype("float32")
    elif arr.dtype.kind in "US":
        raise TypeError(f"fit() received string data of dtype {arr.dtype}: convert it to numbers "
                        "first (e.g. with a StringLookup layer or numpy).")
    return torch.from_numpy(np.ascontiguousarray(arr))


def to_tensor_structure(x):
    """Converts an array structure to CPU torch tensors (float64 -> floatx, like Keras)."""
    if x is None:
        return None
    if isinstance(x, dict):
        return {k: to_tensor_structure(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and not _is_plain_list(x):
        return type(x)(to_tensor_structure(v) for v in x)
    return _to_tensor(x)


def check_cardinality(x, y, sample_weight):
    """Raises Keras's ValueError when the arrays do not all have the same number of samples."""
    data = (x, y, sample_weight)
    sizes = {int(t.shape[0]) for t in tree.flatten(data) if t is not None}
    if len(sizes) > 1:
        msg = ("Data cardinality is ambiguous. Make sure all arrays contain the same number of "
               "samples.")
        for label, part in zip(("x", "y", "sample_weight"), data):
            if part is None:
                continue
            msg += f"'{label}' sizes: " + ", ".join(
                str(int(t.shape[0])) for t in tree.flatten(part) if t is not None) + "\n"
        raise ValueError(msg)
    return sizes.pop() if sizes else 0


def class_weight_to_sample_weights(y, class_weight):
    """Per-sample weights looked up from `class_weight` by each sample's class (as Keras)."""
    y_np = y.detach().cpu().numpy() if isinstance(y, torch.Tensor) else np.asarray(y)
    if y_np.ndim > 1:
        y_np = np.argmax(y_np, axis=-1) if y_np.shape[-1] != 1 else np.squeeze(y_np, axis=-1)
    y_np = np.round(y_np).astype("int64")
    lookup = np.ones(max(int(y_np.max(initial=0)) + 1, max(class_weight, default=0) + 1),
                     dtype=backend.floatx())
    for cls, weight in class_weight.items():
        if int(cls) >= 0:
            lookup[int(cls)] = weight
    return torch.from_numpy(lookup[np.clip(y_np, 0, None)])


def train_validation_split(arrays, validation_split):
    """Splits arrays into the first `1 - validation_split` and the last part (no shuffling)."""
    flat = [t for t in tree.flatten(arrays) if t is not None]
    if not flat:
        raise ValueError("`validation_split` needs array data.")
    n = int(flat[0].shape[0])
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"Training data contains {n} samples, which is not sufficient to split "
                         "it into a validation and training set as specified by "
                         f"`validation_split={validation_split}`. Either provide more data, or a "
                         "different value for the `validation_split` argument.")
    head = tree.map_structure(lambda t: None if t is None else t[:split_at], arrays)
    tail = tree.map_structure(lambda t: None if t is None else t[split_at:], arrays)
    return head, tail


def _take(structure, index):
    if index is None:
        return structure
    if isinstance(index, slice):
        return tree.map_structure(lambda t: None if t is None else t[index], structure)
    return tree.map_structure(lambda t: None if t is None else t.index_select(0, index), structure)


class ArrayAdapter:
    """In-memory tensors, cut into batches of `batch_size` (reshuffled each epoch if asked)."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 class_weight=None, steps=None):
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.num_samples = check_cardinality(x, y, sample_weight)
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
            if y is None or len(tree.flatten(y)) != 1:
                raise ValueError("`class_weight` is only supported for Models with a single "
                                 "output.")
            self.sample_weight = class_weight_to_sample_weights(tree.flatten(y)[0], class_weight)
        self.batch_size = int(batch_size or 32)
        self.shuffle = shuffle
        self.num_batches = int(math.ceil(self.num_samples / self.batch_size))
        self.steps = steps
        self._single = isinstance(x, torch.Tensor) and (y is None or isinstance(y, torch.Tensor))

    def __len__(self):
        return self.num_batches

    def epoch(self):
        """The batches of one epoch, as `(x, y, sample_weight)` CPU tensors."""
        n, bs = self.num_samples, self.batch_size
        order = torch.randperm(n) if self.shuffle and self.shuffle != "batch" else None
        batch_order = range(self.num_batches)
        if self.shuffle == "batch":
            batch_order = torch.randperm(self.num_batches).tolist()
        x, y, sw = self.x, self.y, self.sample_weight
        if self._single and sw is None:
            for i in batch_order:
                if order is None:
                    yield x[i * bs:(i + 1) * bs], None if y is None else y[i * bs:(i + 1) * bs], None
                else:
                    idx = order[i * bs:(i + 1) * bs]
                    yield x[idx], None if y is None else y[idx], None
            return
        for i in batch_order:
            index = slice(i * bs, (i + 1) * bs) if order is None else order[i * bs:(i + 1) * bs]
            yield _take(x, index), _take(y, index), _take(sw, index)


class IterableAdapter:
    """Batches from a DataLoader, PyDataset, generator or iterator (already batched)."""

    def __init__(self, data, class_weight=None):
        self.data = data
        self.class_weight = class_weight
        self.num_batches = None
        try:
            self.num_batches = len(data)
        except TypeError:
            pass
        self._is_sequence = (hasattr(data, "__getitem__") and hasattr(data, "__len__")
                             and not isinstance(data, torch.utils.data.DataLoader))
        self._one_shot = isinstance(data, types.GeneratorType) or (
            iter(data) is data if hasattr(data, "__iter__") and not self._is_sequence else False)
        self._iterator = None
        self.num_samples = None

    def __len__(self):
        return self.num_batches

    def _fresh(self):
        if self._is_sequence:
            return (self.data[i] for i in range(len(self.data)))
        return iter(self.data)

    def epoch(self, steps=None):
        """Yields `(x, y, sample_weight)` batches: one pass, or with `steps` exactly that many,
        continuing across epochs (a reusable source restarts when it runs out). A one-shot
        generator that runs out sets `exhausted`."""
        if self._iterator is None or steps is None and not self._one_shot:
            self._iterator = self._fresh()
        count, since_restart = 0, 0
        while steps is None or count < steps:
            try:
                batch = next(self._iterator)
            except StopIteration:
                if hasattr(self.data, "on_epoch_end"):
                    self.data.on_epoch_end()
                if self._one_shot:
                    self.exhausted = True
                    return
                self._iterator = None
                if steps is None or since_restart == 0:
                    return
                self._iterator, since_restart = self._fresh(), 0
                continue
            x, y, sw = unpack_x_y_sample_weight(batch)
            x, y, sw = to_tensor_structure(x), to_tensor_structure(y), to_tensor_structure(sw)
            if self.class_weight is not None and y is not None:
                sw = class_weight_to_sample_weights(tree.flatten(y)[0], self.class_weight)
            count += 1
            since_restart += 1
            yield x, y, sw

    exhausted = False


def get_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None,
                steps=None):
    """The adapter for `x` (and `y`, `sample_weight` when `x` is in memory)."""
    if isinstance(x, torch.utils.data.Dataset) and not isinstance(x, torch.utils.data.DataLoader):
        if y is not None:
            raise ValueError("`y` argument is not supported when using a torch Dataset as "
                             "input: the Dataset yields `(x, y)` itself.")
        is_iterable = isinstance(x, torch.utils.data.IterableDataset)
        loader = torch.utils.data.DataLoader(
            x, batch_size=batch_size or 32, shuffle=bool(shuffle) and not is_iterable,
            pin_memory=backend.device().type == "cuda")
        return IterableAdapter(loader, class_weight=class_weight)
    if isinstance(x, torch.utils.data.DataLoader) or (
            not is_array_structure(x) and (hasattr(x, "__iter__") or hasattr(x, "__next__")
                                           or hasattr(x, "__getitem__"))):
        if y is not None:
            raise ValueError(f"`y` argument is not supported when using {type(x).__name__} as "
                             "input: it must yield `(x, y)` or `(x, y, sample_weight)` itself.")
        if sample_weight is not None:
            raise ValueError(f"`sample_weight` argument is not supported when using "
                             f"{type(x).__name__} as input.")
        if not hasattr(x, "__iter__") and hasattr(x, "__next__"):
            x = _IteratorWrapper(x)
        return IterableAdapter(x, class_weight=class_weight)
    if not is_array_structure(x):
        raise ValueError(f"Unrecognized data type: x={x!r} (of type {type(x)})")
    x, y, sample_weight = (to_tensor_structure(x), to_tensor_structure(y),
                           to_tensor_structure(sample_weight))
    return ArrayAdapter(x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                        class_weight=class_weight, steps=steps)


class _IteratorWrapper:
    def __init__(self, it):
        self.it = it

    def __iter__(self):
        return self.it
