"""Data adapters: turn what `fit` / `evaluate` / `predict` accept into batches of CPU torch tensors.

Accepted: numpy arrays, torch tensors, lists/tuples/dicts of them (multi-input or multi-output
models), a `torch.utils.data.Dataset` or `DataLoader`, a Keras-style `PyDataset` (an object
with `__len__` and `__getitem__` returning batches), and Python generators or iterators
yielding `(x,)`, `(x, y)` or `(x, y, sample_weight)`.
"""

import torch

from kerastorch import backend
from kerastorch.trainers.data_adapters.array_data_adapter import ArrayAdapter
from kerastorch.trainers.data_adapters.data_adapter_utils import check_cardinality  # noqa: F401
from kerastorch.trainers.data_adapters.data_adapter_utils import class_weight_to_sample_weights  # noqa: F401,E501
from kerastorch.trainers.data_adapters.data_adapter_utils import is_array_structure
from kerastorch.trainers.data_adapters.data_adapter_utils import take  # noqa: F401
from kerastorch.trainers.data_adapters.data_adapter_utils import to_tensor_structure
from kerastorch.trainers.data_adapters.data_adapter_utils import train_validation_split  # noqa: F401,E501
from kerastorch.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight  # noqa: F401,E501
from kerastorch.trainers.data_adapters.iterable_data_adapter import IterableAdapter
from kerastorch.trainers.data_adapters.iterable_data_adapter import WorkerSequence
from kerastorch.trainers.data_adapters.iterable_data_adapter import IteratorWrapper


def get_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None,
                steps=None, workers=1, use_multiprocessing=False, max_queue_size=10):
    """The adapter for `x` (and `y`, `sample_weight` when `x` is in memory).

    `workers` > 1 (Keras 2's `fit(workers=...)`) reads a `Sequence` / `PyDataset` by that
    many threads, or DataLoader processes with `use_multiprocessing`; an object that takes
    `workers` itself (the `ImageDataGenerator` iterators) is given them
    (`with_workers`). Other inputs ignore it, as Keras 2 did for arrays.
    """
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
            x = IteratorWrapper(x)
        elif workers and workers > 1 and not _takes_workers(x) and \
                hasattr(x, "__getitem__") and hasattr(x, "__len__") and \
                not isinstance(x, torch.utils.data.DataLoader):
            x = WorkerSequence(x, workers, use_multiprocessing, max_queue_size)
        return IterableAdapter(x, class_weight=class_weight)
    if not is_array_structure(x):
        raise ValueError(f"Unrecognized data type: x={x!r} (of type {type(x)})")
    x, y, sample_weight = (to_tensor_structure(x), to_tensor_structure(y),
                           to_tensor_structure(sample_weight))
    return ArrayAdapter(x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                        class_weight=class_weight, steps=steps)


def _takes_workers(x):
    prop = getattr(type(x), "workers", None)
    return isinstance(prop, property) and prop.fset is not None


class with_workers:  # noqa: N801 - used as a context manager, like open()
    """Gives `x` (an object with settable `workers` / `use_multiprocessing`, such as an
    `ImageDataGenerator` iterator) `fit`'s `workers` and `use_multiprocessing` while the
    block runs; its own settings come back afterwards. Other objects are left alone."""

    def __init__(self, x, workers, use_multiprocessing):
        self.x = x if workers is not None and _takes_workers(x) else None
        self.settings = (workers, use_multiprocessing)

    def __enter__(self):
        if self.x is not None:
            self.saved = (self.x.workers, self.x.use_multiprocessing)
            self.x.workers, self.x.use_multiprocessing = self.settings
        return self

    def __exit__(self, *exc):
        if self.x is not None:
            self.x.workers, self.x.use_multiprocessing = self.saved
        return False
