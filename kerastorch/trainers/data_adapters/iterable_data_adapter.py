"""Already-batched sources: a torch DataLoader, a Keras `PyDataset`, a generator or an iterator."""

import collections
import concurrent.futures
import types

import torch

from kerastorch import tree
from kerastorch.trainers.data_adapters.data_adapter_utils import class_weight_to_sample_weights
from kerastorch.trainers.data_adapters.data_adapter_utils import to_tensor_structure
from kerastorch.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight


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
        """A new pass over the data; a PyDataset hears `on_epoch_begin()` first (and
        `on_epoch_end()` when the pass runs out), as in Keras 3."""
        if hasattr(self.data, "on_epoch_begin"):
            self.data.on_epoch_begin()
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


class IteratorWrapper:
    """An iterator seen as an iterable (one pass): what `get_adapter` wraps a bare iterator in."""

    def __init__(self, it):
        self.it = it

    def __iter__(self):
        return self.it


def _identity(batch):
    return batch


class WorkerSequence:
    """A Keras `Sequence` / `PyDataset` read by `workers` workers, as `fit(workers=n,
    use_multiprocessing=...)` asks in Keras 2: a torch DataLoader of `n` processes with
    `use_multiprocessing`, else `n` threads; at most `max_queue_size` batches ahead, in order."""

    def __init__(self, sequence, workers, use_multiprocessing=False, max_queue_size=10):
        self.sequence = sequence
        self.workers = int(workers)
        self.use_multiprocessing = bool(use_multiprocessing)
        self.max_queue_size = max(int(max_queue_size), 1)
        self._loader = None

    def __len__(self):
        return len(self.sequence)

    def on_epoch_end(self):
        if hasattr(self.sequence, "on_epoch_end"):
            self.sequence.on_epoch_end()

    def __iter__(self):
        if self.use_multiprocessing:
            if self._loader is None:
                self._loader = torch.utils.data.DataLoader(
                    self.sequence, batch_size=None, num_workers=self.workers,
                    collate_fn=_identity,
                    prefetch_factor=max(2, self.max_queue_size // self.workers))
            return iter(self._loader)
        return self._threaded()

    def _threaded(self):
        indices = iter(range(len(self.sequence)))
        with concurrent.futures.ThreadPoolExecutor(self.workers) as pool:
            queue = collections.deque(pool.submit(self.sequence.__getitem__, i) for _, i in
                                      zip(range(self.max_queue_size), indices))
            while queue:
                batch = queue.popleft().result()
                queue.extend(pool.submit(self.sequence.__getitem__, i) for _, i in
                             zip(range(1), indices))
                yield batch
