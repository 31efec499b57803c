"""trainers/data_adapters/iterable_data_adapter.py: generators, DataLoaders, PyDataset-like sequences."""

import numpy as np
import pytest
import torch

from kerastorch.trainers import data_adapters as data_adapter


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


class _Batches:
    """A Keras `Sequence` of 5 batches; batch i holds i (module level: DataLoader workers
    pickle it)."""

    def __init__(self):
        self.ended = 0

    def __len__(self):
        return 5

    def __getitem__(self, i):
        return np.full((2, 1), i, "float32"), np.full((2,), i, "float32")

    def on_epoch_end(self):
        self.ended += 1


@pytest.mark.parametrize("use_multiprocessing", [False, True])
def test_workers_read_a_sequence_in_order(use_multiprocessing):
    seq = _Batches()
    adapter = data_adapter.get_adapter(seq, workers=2, use_multiprocessing=use_multiprocessing,
                                       max_queue_size=2)
    assert isinstance(adapter.data, data_adapter.WorkerSequence) and adapter.num_batches == 5
    for _ in range(2):  # reusable: the second epoch reads the same batches again
        assert [int(b[0][0, 0]) for b in adapter.epoch()] == [0, 1, 2, 3, 4]
    assert seq.ended == 2


def test_one_worker_and_objects_taking_workers_themselves_are_not_wrapped():
    assert data_adapter.get_adapter(_Batches(), workers=1).data.__class__ is _Batches

    class TakesWorkers(_Batches):
        workers = property(lambda self: self._w, lambda self, v: setattr(self, "_w", v))
        use_multiprocessing = property(lambda self: self._mp,
                                       lambda self, v: setattr(self, "_mp", v))

    x = TakesWorkers()
    x.workers, x.use_multiprocessing = 1, False
    assert data_adapter.get_adapter(x, workers=3).data is x
    with data_adapter.with_workers(x, 3, True):
        assert (x.workers, x.use_multiprocessing) == (3, True)
    assert (x.workers, x.use_multiprocessing) == (1, False)  # its own settings come back
    with data_adapter.with_workers(x, None, True):  # fit() without `workers`: untouched
        assert (x.workers, x.use_multiprocessing) == (1, False)
