"""trainers/data_adapters/array_data_adapter.py: batching, shuffling, structures."""

import numpy as np
import torch

from kerastorch.trainers import data_adapters as data_adapter


def test_array_batches_cover_the_data_in_order_with_a_short_last_batch():
    x = np.arange(10, dtype="float64").reshape(10, 1)
    adapter = data_adapter.get_adapter(x, np.arange(10), batch_size=4)
    batches = list(adapter.epoch())
    assert adapter.num_batches == 3 and [b[0].shape[0] for b in batches] == [4, 4, 2]
    assert batches[0][0].dtype == torch.float32  # float64 -> floatx, as Keras
    assert torch.equal(torch.cat([b[1] for b in batches]), torch.arange(10))


def test_shuffle_permutes_each_epoch_and_keeps_pairs():
    torch.manual_seed(0)
    x = np.arange(20, dtype="float32")[:, None]
    adapter = data_adapter.get_adapter(x, np.arange(20), batch_size=5, shuffle=True)
    first = torch.cat([b[1] for b in adapter.epoch()])
    second = torch.cat([b[1] for b in adapter.epoch()])
    assert sorted(first.tolist()) == list(range(20))
    assert not torch.equal(first, second)
    for bx, by, _ in adapter.epoch():
        assert torch.equal(bx[:, 0].long(), by)


def test_batch_shuffle_keeps_batches_intact():
    torch.manual_seed(0)
    x = np.arange(12, dtype="float32")[:, None]
    adapter = data_adapter.get_adapter(x, None, batch_size=4, shuffle="batch")
    starts = sorted(int(b[0][0, 0]) for b in adapter.epoch())
    assert starts == [0, 4, 8]


def test_structures_of_arrays_are_sliced_together():
    x = {"a": np.zeros((6, 2), "float32"), "b": [np.ones((6, 3), "float32"), np.arange(6)]}
    adapter = data_adapter.get_adapter(x, np.arange(6), sample_weight=np.ones(6), batch_size=4)
    bx, by, sw = next(iter(adapter.epoch()))
    assert bx["a"].shape == (4, 2) and bx["b"][0].shape == (4, 3) and bx["b"][1].shape == (4,)
    assert sw.shape == (4,)


def test_empty_arrays_raise_keras_error():
    import pytest
    for args in ((np.zeros((0, 3)), np.zeros((0, 1))), (np.zeros((0, 3)),)):
        with pytest.raises(ValueError, match="^Expected input data to be non-empty.$"):
            data_adapter.get_adapter(*args)
