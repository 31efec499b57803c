"""utils/py_dataset.py: PyDataset (and Keras 2's `Sequence`) fed to fit / evaluate / predict:
the batches asked for, in order, and the epoch hooks, compared with Keras 3 on the same script."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch.utils.py_dataset import PyDataset
from tests.keras3 import import_keras3


def _script(k):
    events = []

    class Batches(k.utils.PyDataset):
        def __init__(self, n, batch_size, **kwargs):
            super().__init__(**kwargs)
            rng = np.random.default_rng(0)
            self.x = rng.normal(size=(n, 3)).astype("float32")
            self.y = rng.normal(size=(n, 1)).astype("float32")
            self.batch_size = batch_size

        def __len__(self):
            return -(-len(self.x) // self.batch_size)

        def __getitem__(self, i):
            events.append(("get", i))
            s = slice(i * self.batch_size, (i + 1) * self.batch_size)
            return self.x[s], self.y[s]

        def on_epoch_begin(self):
            events.append(("begin",))

        def on_epoch_end(self):
            events.append(("end",))

    k.utils.set_random_seed(0)
    model = k.Sequential([k.Input((3,)), k.layers.Dense(1)])
    model.compile(k.optimizers.SGD(0.1), "mse")
    data = Batches(10, 4)
    fit_start = len(events)
    history = model.fit(data, epochs=2, verbose=0, shuffle=False)
    fit_events = events[fit_start:]
    eval_start = len(events)
    loss = model.evaluate(data, verbose=0)
    eval_events = events[eval_start:]
    predictions = model.predict(data, verbose=0)
    return dict(fit_order=[e for e in fit_events if e[0] != "get" or e[1] == 0],
                fit_gets=[e for e in fit_events if e[0] == "get"],
                fit_ends=fit_events.count(("end",)), fit_begins=fit_events.count(("begin",)),
                eval_gets=[e for e in eval_events if e[0] == "get"],
                losses=history.history["loss"], loss=loss, predictions=predictions.shape, workers=(data.workers, data.use_multiprocessing,
                                                        data.max_queue_size))


def test_fit_evaluate_predict_on_a_py_dataset_match_keras3():
    keras3 = import_keras3()
    theirs = _script(keras3)
    ours = _script(keras)
    for key in ("eval_gets", "predictions", "workers"):
        assert ours[key] == theirs[key], key
    # Keras 3 reads batch 0 once more before training (to learn the data's structure); the
    # batches of each epoch are the same
    assert ours["fit_gets"] == theirs["fit_gets"][1:]
    assert (ours["fit_begins"], ours["fit_ends"]) == (theirs["fit_begins"] - 1,
                                                      theirs["fit_ends"] - 1)


def test_batches_are_asked_for_in_order_and_each_epoch_ends():
    out = _script(keras)
    assert out["fit_gets"] == [("get", i) for i in (0, 1, 2)] * 2
    assert out["fit_ends"] == 2 and out["fit_begins"] == 2
    assert out["fit_order"] == [("begin",), ("get", 0), ("end",)] * 2
    assert out["eval_gets"] == [("get", i) for i in (0, 1, 2)]
    assert out["predictions"] == (10, 1) and out["workers"] == (1, False, 10)
    assert len(out["losses"]) == 2 and np.isfinite(out["loss"])


def test_base_class_names_what_a_subclass_must_define():
    data = PyDataset()
    with pytest.raises(NotImplementedError, match="PyDataset must define `__len__`"):
        len(data)
    with pytest.raises(NotImplementedError, match="must define `__getitem__`"):
        data[0]
    assert data.num_batches is None
    assert keras.utils.Sequence is PyDataset
