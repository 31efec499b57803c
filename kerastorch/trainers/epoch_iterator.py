"""The batches of an epoch: from a data adapter, `steps` at a time, this rank's share under
`torchrun`, on the model's device.

`fit`, `evaluate` and `predict` each make one `EpochIterator` and call `epoch()` once per epoch.
With `steps` on in-memory data, `fit` continues through the data across epochs (Keras's
`steps_per_epoch`); `evaluate`/`predict` take the first `steps` batches. Already-batched sources
(DataLoader, PyDataset, generators) count their own steps (see `IterableAdapter.epoch`).
"""

import itertools
import warnings

import numpy as np

import torch

from kerastorch import backend
from kerastorch import config
from kerastorch import tree
from kerastorch.trainers.data_adapters.iterable_data_adapter import IterableAdapter
from kerastorch.trainers.data_adapters.sharded_data_adapter import shard

_CUDA = None


def current_device():
    """`backend.device()`, without asking CUDA for its availability on every call."""
    global _CUDA
    chosen = backend.device_override()
    if chosen is not None:
        return chosen
    if _CUDA is None:
        _CUDA = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return _CUDA


def to_device(structure, device, pin):
    """A tensor structure on `device` (pinned first and copied asynchronously with `pin`)."""
    if structure is None:
        return None
    if isinstance(structure, torch.Tensor):
        if pin:
            structure = structure.pin_memory()
        return structure.to(device, non_blocking=pin)
    if isinstance(structure, np.ndarray):
        return structure  # strings for a string input stay on the host
    return tree.map_structure(lambda t: to_device(t, device, pin), structure)


class EpochIterator:
    """The batches `(x, y, sample_weight)` of each epoch of one `fit`/`evaluate`/`predict` call.

    Args:
        adapter: the data adapter (`data_adapters.get_adapter`).
        steps: batches per epoch (None: all the data).
        distribute: take this rank's share of the data (under `torchrun`).
        training: the iterator of `fit` (in-memory data continues across epochs with `steps`;
            under `torchrun`, DistributedSampler indices).
        source, batch_size, shuffle: what `fit` was given, for sharding a torch Dataset.
    """

    def __init__(self, adapter, steps=None, distribute=False, training=False, source=None,
                 batch_size=None, shuffle=False):
        if distribute:
            adapter = shard(adapter, for_training=training, source=source,
                            batch_size=batch_size, shuffle=shuffle)
        self.adapter = adapter
        limit = config.max_steps_per_epoch()
        if limit and (not steps or limit < steps):  # keras.config.set_max_steps_per_epoch
            warnings.warn(f"Limiting steps_per_epoch to {limit}", stacklevel=3)
            steps = limit
        self.steps = steps
        self.num_batches = steps or adapter.num_batches
        self._iterable = isinstance(adapter, IterableAdapter)
        self._training = training
        self._continuing = None
        self._device, self._pin = None, False

    def to(self, device):
        """Batches go to `device` (nothing is copied for the CPU)."""
        self._device = device if device.type != "cpu" else None
        self._pin = device.type == "cuda"

    @property
    def exhausted(self):
        """True once a one-shot generator has run out."""
        return getattr(self.adapter, "exhausted", False)

    def epoch(self):
        """The batches of the next epoch, on the device."""
        adapter, steps = self.adapter, self.steps
        if self._iterable:
            batches = adapter.epoch(steps)
        elif steps is None:
            batches = adapter.epoch()
        elif self._training:
            batches = self._continuing_batches(steps)
        else:
            batches = itertools.islice(adapter.epoch(), steps)
        if self._device is None:
            return batches
        return map(self.batch_to_device, batches)

    def batch_to_device(self, batch):
        device, pin = self._device, self._pin
        if device is None:
            return batch
        x, y, sw = batch
        return to_device(x, device, pin), to_device(y, device, pin), to_device(sw, device, pin)

    def _continuing_batches(self, steps):
        """`steps` batches from in-memory data, continuing where the last epoch stopped."""
        it = self._continuing
        if it is None:
            it = self.adapter.epoch()
        count = 0
        while count < steps:
            try:
                batch = next(it)
            except StopIteration:
                it = self.adapter.epoch()
                continue
            count += 1
            yield batch
        self._continuing = it
