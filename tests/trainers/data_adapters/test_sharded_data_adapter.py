"""trainers/data_adapters/sharded_data_adapter.py: each rank's share of the data under torchrun.
The ranks are simulated in one process through RANK / WORLD_SIZE (what torchrun sets; no process
group is needed to cut the data): together the ranks' batches are one process's batches."""

import numpy as np
import pytest
import torch

from kerastorch.trainers.data_adapters.array_data_adapter import ArrayAdapter
from kerastorch.trainers.data_adapters.iterable_data_adapter import IterableAdapter
from kerastorch.trainers.data_adapters.sharded_data_adapter import ShardedArrays
from kerastorch.trainers.data_adapters.sharded_data_adapter import ShardedDataset
from kerastorch.trainers.data_adapters.sharded_data_adapter import SplitBatches
from kerastorch.trainers.data_adapters.sharded_data_adapter import shard


def _as_rank(monkeypatch, rank, world):
    monkeypatch.setenv("RANK", str(rank))
    monkeypatch.setenv("WORLD_SIZE", str(world))


def _arrays(n=12):
    x = torch.arange(n * 2, dtype=torch.float32).reshape(n, 2)
    return x, torch.arange(n), torch.ones(n)


def _epochs_of_every_rank(monkeypatch, make, world, epochs=1):
    out = []
    for r in range(world):
        _as_rank(monkeypatch, r, world)
        adapter = make()
        out.append([list(adapter.epoch()) for _ in range(epochs)])
    return out


def test_sharded_arrays_without_shuffle_give_batch_k_of_one_process_across_ranks(monkeypatch):
    x, y, sw = _arrays()
    single = [b for b in ArrayAdapter(x, y, sw, batch_size=4).epoch()]
    ranks = _epochs_of_every_rank(
        monkeypatch, lambda: shard(ArrayAdapter(x, y, sw, batch_size=4), for_training=True), 2)
    assert all(len(r[0]) == 3 for r in ranks)
    for k, (bx, by, bsw) in enumerate(single):
        parts_y = torch.cat([ranks[r][0][k][1] for r in range(2)])
        assert sorted(parts_y.tolist()) == sorted(by.tolist())
        assert all(ranks[r][0][k][0].shape == (2, 2) for r in range(2))  # batch_size / N
    assert ranks[0][0][0][1].tolist() == [0, 2] and ranks[1][0][0][1].tolist() == [1, 3]


def test_sharded_arrays_with_shuffle_cover_the_data_once_and_reshuffle_each_epoch(monkeypatch):
    x, y, sw = _arrays(16)
    ranks = _epochs_of_every_rank(
        monkeypatch, lambda: shard(ArrayAdapter(x, y, sw, batch_size=4, shuffle=True),
                                   for_training=True), 2, epochs=2)
    for epoch in range(2):
        seen = sorted(int(v) for r in range(2) for b in ranks[r][epoch] for v in b[1])
        assert seen == list(range(16))
    first = [int(v) for b in ranks[0][0] for v in b[1]]
    second = [int(v) for b in ranks[0][1] for v in b[1]]
    assert first != second  # set_epoch reshuffles
    # rows stay together: x, y and sample_weight are taken with the same indices
    for bx, by, _ in ranks[1][0]:
        assert torch.equal(bx[:, 0], by.float() * 2)


def test_global_batch_must_divide_among_the_ranks(monkeypatch):
    x, y, sw = _arrays()
    _as_rank(monkeypatch, 0, 3)
    with pytest.raises(ValueError, match="batch_size=4 is the global batch and must divide "
                                         "evenly among the 3 processes"):
        ShardedArrays(ArrayAdapter(x, y, sw, batch_size=4))


def test_split_batches_cut_each_batch_and_keep_the_order(monkeypatch):
    x, y, sw = _arrays(10)
    single = list(ArrayAdapter(x, y, None, batch_size=5).epoch())
    ranks = _epochs_of_every_rank(
        monkeypatch, lambda: shard(ArrayAdapter(x, y, None, batch_size=5)), 2)
    for k, (bx, by, bsw) in enumerate(single):
        assert torch.equal(torch.cat([ranks[r][0][k][0] for r in range(2)]), bx)
        assert torch.equal(torch.cat([ranks[r][0][k][1] for r in range(2)]), by)
        assert all(ranks[r][0][k][2] is None for r in range(2))
    assert [len(ranks[0][0][0][1]), len(ranks[1][0][0][1])] == [3, 2]  # tensor_split


def test_split_batches_of_a_generator_and_nested_inputs(monkeypatch):
    def batches():
        for i in range(3):
            yield {"a": torch.full((4, 1), float(i)), "b": torch.zeros(4, 2)}, torch.arange(4)

    _as_rank(monkeypatch, 1, 2)
    adapter = shard(IterableAdapter(batches()))
    assert isinstance(adapter, SplitBatches)
    got = list(adapter.epoch())
    assert len(got) == 3
    x, y, sw = got[2]
    assert x["a"].tolist() == [[2.0], [2.0]] and x["b"].shape == (2, 2)
    assert y.tolist() == [2, 3] and sw is None


def test_shard_picks_the_adapter_by_data_and_purpose(monkeypatch):
    _as_rank(monkeypatch, 0, 2)
    x, y, sw = _arrays()
    arrays = ArrayAdapter(x, y, sw, batch_size=4)
    assert isinstance(shard(arrays, for_training=True), ShardedArrays)
    assert isinstance(shard(arrays, for_training=False), SplitBatches)  # evaluate / predict
    dataset = torch.utils.data.TensorDataset(x, y)
    sharded = shard(IterableAdapter(torch.utils.data.DataLoader(dataset, batch_size=4)),
                    for_training=True, source=dataset, batch_size=4, shuffle=False)
    assert isinstance(sharded, ShardedDataset)


def test_sharded_dataset_gives_each_rank_its_sampler_indices(monkeypatch):
    x, y, _ = _arrays(8)
    dataset = torch.utils.data.TensorDataset(x, y)
    ranks = _epochs_of_every_rank(monkeypatch, lambda: ShardedDataset(dataset, 4, False), 2)
    labels = [[int(v) for b in ranks[r][0] for v in b[1]] for r in range(2)]
    assert labels == [[0, 2, 4, 6], [1, 3, 5, 7]]
    assert all(b[0].shape[0] == 2 for r in range(2) for b in ranks[r][0])
    np.testing.assert_array_equal(ranks[0][0][0][0].numpy(), x[[0, 2]].numpy())
