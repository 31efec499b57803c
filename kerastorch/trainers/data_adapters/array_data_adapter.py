"""In-memory arrays (numpy, torch, lists/dicts of them) cut into batches."""

import math

import torch

from kerastorch import tree
from kerastorch.trainers.data_adapters.data_adapter_utils import check_cardinality
from kerastorch.trainers.data_adapters.data_adapter_utils import class_weight_to_sample_weights
from kerastorch.trainers.data_adapters.data_adapter_utils import take


class ArrayAdapter:
    """In-memory tensors, cut into batches of `batch_size` (reshuffled each epoch if asked)."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 class_weight=None, steps=None):
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.num_samples = check_cardinality(x, y, sample_weight)
        if self.num_samples == 0:  # Keras 2 and 3 both refuse to train or predict on nothing
            raise ValueError("Expected input data to be non-empty.")
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
            yield take(x, index), take(y, index), take(sw, index)
