"""Each rank's share of the data under `torchrun`: DistributedSampler indices for in-memory arrays
and map-style Datasets in `fit`, this rank's part of every batch elsewhere."""

import torch

from kerastorch import tree
from kerastorch.distribution.ddp import device
from kerastorch.distribution.ddp import per_rank_batch_size
from kerastorch.distribution.ddp import rank
from kerastorch.distribution.ddp import sampler
from kerastorch.distribution.ddp import world_size
from kerastorch.trainers.data_adapters.array_data_adapter import ArrayAdapter
from kerastorch.trainers.data_adapters.data_adapter_utils import take
from kerastorch.trainers.data_adapters.iterable_data_adapter import IterableAdapter


class ShardedArrays(ArrayAdapter):
    """In-memory data for `fit`: this rank's indices from a DistributedSampler (reshuffled each
    epoch by `set_epoch`), `batch_size / N` of them per step."""

    def __init__(self, adapter):
        self.__dict__.update(adapter.__dict__)
        # The same seed on every rank (DistributedSampler's default), reshuffled by set_epoch.
        self.sampler = sampler(adapter.num_samples, adapter.shuffle, seed=0)
        self.batch_size = per_rank_batch_size(adapter.batch_size)
        self.num_batches = -(-len(self.sampler) // self.batch_size)
        self._epoch = 0

    def epoch(self):
        self.sampler.set_epoch(self._epoch)
        self._epoch += 1
        indices = torch.tensor(list(self.sampler), dtype=torch.long)
        bs = self.batch_size
        for i in range(self.num_batches):
            index = indices[i * bs:(i + 1) * bs]
            yield (take(self.x, index), take(self.y, index),
                   take(self.sample_weight, index))


class SplitBatches(IterableAdapter):
    """Any data: each global batch is cut in N parts along the batch axis; this rank takes its
    part. The parts of one step together are the batch one process would see."""

    def __init__(self, adapter):
        self.inner = adapter
        self.num_batches = adapter.num_batches
        self.num_samples = getattr(adapter, "num_samples", None)

    @property
    def exhausted(self):
        return getattr(self.inner, "exhausted", False)

    def epoch(self, steps=None):
        inner = self.inner
        batches = inner.epoch(steps) if isinstance(inner, IterableAdapter) \
            else inner.epoch()
        r, n = rank(), world_size()

        def part(t):
            return None if t is None else torch.tensor_split(t, n)[r]

        for x, y, sw in batches:
            yield (tree.map_structure(part, x), tree.map_structure(part, y),
                   tree.map_structure(part, sw))


class ShardedDataset(IterableAdapter):
    """A map-style torch Dataset for `fit`: a DataLoader over this rank's DistributedSampler
    indices, `batch_size / N` per step, reshuffled each epoch by `set_epoch`."""

    def __init__(self, dataset, batch_size, shuffle):
        self.sampler = torch.utils.data.DistributedSampler(
            dataset, num_replicas=world_size(), rank=rank(), shuffle=bool(shuffle), seed=0)
        loader = torch.utils.data.DataLoader(
            dataset, batch_size=per_rank_batch_size(batch_size or 32), sampler=self.sampler,
            pin_memory=device().type == "cuda")
        super().__init__(loader)
        self._epoch = 0

    def epoch(self, steps=None):
        if steps is None:
            self.sampler.set_epoch(self._epoch)
            self._epoch += 1
        return super().epoch(steps)


def shard(adapter, for_training=False, source=None, batch_size=None, shuffle=False):
    """This rank's share of `adapter`'s data: DistributedSampler indices for in-memory arrays and
    map-style Datasets in `fit`, and for everything else (and for evaluate/predict, where the
    order must survive) this rank's part of every batch."""
    if for_training and type(adapter) is ArrayAdapter:
        return ShardedArrays(adapter)
    if for_training and isinstance(source, torch.utils.data.Dataset) and not isinstance(
            source, (torch.utils.data.IterableDataset, torch.utils.data.DataLoader)):
        return ShardedDataset(source, batch_size, shuffle)
    return SplitBatches(adapter)
