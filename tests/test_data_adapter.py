"""Data adapters: batching, shuffling, structures, class weights, generators, validation split."""

import numpy as np
import pytest
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


def test_cardinality_error_names_every_size():
    with pytest.raises(ValueError, match="(?s)'x' sizes: 5, 4\n'y' sizes: 5"):
        data_adapter.get_adapter([np.zeros((5, 1)), np.zeros((4, 1))], np.zeros(5))


def test_class_weight_becomes_sample_weight_for_sparse_and_one_hot_labels():
    cw = {0: 1.0, 1: 3.0}
    sparse = data_adapter.class_weight_to_sample_weights(np.array([0, 1, 1, 2]), cw)
    np.testing.assert_allclose(sparse.numpy(), [1.0, 3.0, 3.0, 1.0])
    one_hot = data_adapter.class_weight_to_sample_weights(np.eye(2)[[1, 0]], cw)
    np.testing.assert_allclose(one_hot.numpy(), [3.0, 1.0])
    with pytest.raises(ValueError, match="`class_weight` and `sample_weight`"):
        data_adapter.get_adapter(np.zeros((4, 1)), np.zeros(4), sample_weight=np.ones(4),
                                 class_weight=cw)


def test_generator_batches_and_unpacking():
    def gen():
        for i in range(3):
            yield np.full((2, 1), i, "float32"), np.array([i, i]), np.ones(2)

    adapter = data_adapter.get_adapter(gen())
    batches = list(adapter.epoch())
    assert len(batches) == 3 and adapter.num_batches is None
    assert batches[2][0][0, 0] == 2 and batches[2][2].shape == (2,)
    assert list(adapter.epoch()) == [] and adapter.exhausted


def test_steps_continue_across_epochs_and_restart_a_reusable_source():
    ds = torch.utils.data.TensorDataset(torch.arange(6.0)[:, None], torch.arange(6))
    adapter = data_adapter.get_adapter(ds, batch_size=2)
    first = [int(b[1][0]) for b in adapter.epoch(steps=2)]
    second = [int(b[1][0]) for b in adapter.epoch(steps=2)]
    assert first == [0, 2] and second == [4, 0]


def test_py_dataset_like_sequences():
    class Seq:
        def __init__(self):
            self.ended = 0

        def __len__(self):
            return 2

        def __getitem__(self, i):
            return np.full((3, 1), i, "float32"), np.zeros(3)

        def on_epoch_end(self):
            self.ended += 1

    seq = Seq()
    adapter = data_adapter.get_adapter(seq)
    assert adapter.num_batches == 2
    assert len(list(adapter.epoch())) == 2 and len(list(adapter.epoch())) == 2
    assert seq.ended == 2


def test_y_with_a_dataset_is_rejected():
    ds = torch.utils.data.TensorDataset(torch.zeros(4, 1), torch.zeros(4))
    with pytest.raises(ValueError, match="`y` argument is not supported"):
        data_adapter.get_adapter(ds, np.zeros(4))


def test_validation_split_takes_the_last_samples():
    x = torch.arange(10.0)[:, None]
    (tx, ty), (vx, vy) = data_adapter.train_validation_split((x, torch.arange(10)), 0.25)
    assert tx.shape[0] == 7 and vx.shape[0] == 3 and vy.tolist() == [7, 8, 9]


def test_unpack_x_y_sample_weight():
    assert data_adapter.unpack_x_y_sample_weight((1,)) == (1, None, None)
    assert data_adapter.unpack_x_y_sample_weight([1, 2]) == (1, 2, None)
    assert data_adapter.unpack_x_y_sample_weight(5) == (5, None, None)
    with pytest.raises(ValueError):
        data_adapter.unpack_x_y_sample_weight((1, 2, 3, 4))


def test_strings_are_rejected_with_a_clear_error():
    with pytest.raises(TypeError, match="string data"):
        data_adapter.get_adapter(np.array(["a", "b"]), np.zeros(2))
