"""What every data adapter shares: unpacking `(x, y, sample_weight)`, converting arrays to CPU
torch tensors (float64 -> floatx, like Keras), cardinality checks, class weights, the validation
split and taking a batch of samples by index."""

import contextlib
import math

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


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The tuple `fit` takes: `x` alone (a list/tuple `x` as `(x,)`), `(x, y)` or
    `(x, y, sample_weight)`; the inverse of `unpack_x_y_sample_weight`."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


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
    leaves = (int, float, np.generic, str, bytes) if _STRINGS[0] else (int, float, np.generic)
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(
        isinstance(v, leaves) or _is_plain_list(v) for v in x)


_STRINGS = [False]


@contextlib.contextmanager
def accept_strings(accept):
    """Inside it (with `accept`), arrays of str stay numpy arrays instead of raising: the data
    of a model with `Input(dtype="string")`, whose string layers take them."""
    saved, _STRINGS[0] = _STRINGS[0], bool(accept)
    try:
        yield
    finally:
        _STRINGS[0] = saved


def _is_strings(arr):
    return arr.dtype.kind in "US" or (arr.dtype.kind == "O" and arr.size > 0 and
                                      isinstance(arr.reshape(-1)[0], (str, bytes)))


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
    elif _is_strings(arr):
        if _STRINGS[0]:
            return arr
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


def take(structure, index):
    if index is None:
        return structure
    if isinstance(index, slice):
        return tree.map_structure(lambda t: None if t is None else t[index], structure)
    return tree.map_structure(lambda t: None if t is None else t[index.numpy()]
                              if isinstance(t, np.ndarray) else t.index_select(0, index),
                              structure)
