"""`keras.preprocessing.sequence` against real tf.keras 2.21: pad_sequences, skipgrams (from the
same Python `random` seed: the same pairs, with or without shuffling and negative samples),
make_sampling_table and TimeseriesGenerator (every batch, its length and its config)."""

import json
import random

import numpy as np
import pytest

import kerastorch as keras
from kerastorch.preprocessing import sequence
from tests.preprocessing.oracle_cases import run_cases

SEQS = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10], [], [11]]
PAD = [{"sequences": SEQS, "kwargs": kw} for kw in (
    {}, {"maxlen": 3}, {"maxlen": 3, "padding": "post"}, {"maxlen": 3, "truncating": "post"},
    {"maxlen": 4, "padding": "post", "truncating": "post", "value": -1},
    {"maxlen": 6, "dtype": "float32", "value": 0.5}, {"dtype": "int64"})]
SKIPGRAMS = [
    {"sequence": [1, 2, 3, 0, 4, 5, 2], "python_seed": 3,
     "kwargs": {"vocabulary_size": 6, "window_size": 2, "shuffle": False,
                "negative_samples": 0.0}},
    {"sequence": [1, 2, 3, 0, 4, 5, 2], "python_seed": 4,
     "kwargs": {"vocabulary_size": 6, "window_size": 1, "shuffle": False}},
    {"sequence": [3, 1, 4, 1, 5, 9, 2, 6], "python_seed": 5,
     "kwargs": {"vocabulary_size": 10, "window_size": 3, "categorical": True, "seed": 11}},
    {"sequence": [3, 1, 4, 1, 5, 9, 2, 6], "python_seed": 6,
     "kwargs": {"vocabulary_size": 10, "negative_samples": 2.0, "seed": 2}},
    {"sequence": list(range(1, 12)), "python_seed": 7,
     "kwargs": {"vocabulary_size": 12, "window_size": 2, "shuffle": False,
                "sampling_table": True}},
]
SAMPLING = [[10], [50, 1e-3], [1, 1e-5]]
DATA = np.arange(40, dtype="float32").reshape(20, 2)
TARGETS = np.arange(20) * 10
TIMESERIES = [{"kwargs": kw, "numpy_seed": seed} for kw, seed in (
    ({"length": 3, "batch_size": 4}, 0),
    ({"length": 4, "sampling_rate": 2, "stride": 3, "batch_size": 2}, 0),
    ({"length": 2, "start_index": 3, "end_index": 15, "batch_size": 5}, 0),
    ({"length": 5, "reverse": True, "batch_size": 128}, 0),
    ({"length": 3, "shuffle": True, "batch_size": 3}, 42))]


@pytest.fixture(scope="module")
def tf_out(tmp_path_factory):
    cases = {"pad": PAD, "skipgrams": SKIPGRAMS, "sampling_table": SAMPLING,
             "timeseries": [dict(c, data=DATA.tolist(), targets=TARGETS.tolist())
                            for c in TIMESERIES]}
    return run_cases("tf_text_sequence.py", cases, tmp_path_factory.mktemp("tf_sequence"))


@pytest.mark.parametrize("index", range(len(PAD)))
def test_pad_sequences_matches_tf_keras(tf_out, index):
    values, dtype = tf_out["pad"][index]
    ours = sequence.pad_sequences(PAD[index]["sequences"], **PAD[index]["kwargs"])
    assert str(ours.dtype) == dtype
    np.testing.assert_array_equal(ours, np.array(values, dtype=dtype))


@pytest.mark.parametrize("index", range(len(SKIPGRAMS)))
def test_skipgrams_match_tf_keras_from_the_same_seed(tf_out, index):
    case = SKIPGRAMS[index]
    kwargs = dict(case["kwargs"])
    random.seed(case["python_seed"])
    if kwargs.pop("sampling_table", None):
        kwargs["sampling_table"] = sequence.make_sampling_table(kwargs["vocabulary_size"],
                                                                sampling_factor=0.5)
    couples, labels = sequence.skipgrams(case["sequence"], **kwargs)
    assert [couples, labels] == tf_out["skipgrams"][index]
    assert len(couples) == len(labels) > 0


def test_skipgrams_positive_pairs_are_the_window():
    couples, labels = sequence.skipgrams([1, 2, 0, 3], 4, window_size=1, negative_samples=0,
                                         shuffle=False)
    assert couples == [[1, 2], [2, 1]] and labels == [1, 1]  # 0 is padding: no pairs with it


@pytest.mark.parametrize("index", range(len(SAMPLING)))
def test_make_sampling_table_matches_tf_keras(tf_out, index):
    np.testing.assert_allclose(sequence.make_sampling_table(*SAMPLING[index]),
                               tf_out["sampling_table"][index], rtol=0, atol=1e-15)


@pytest.mark.parametrize("index", range(len(TIMESERIES)))
def test_timeseries_generator_matches_tf_keras(tf_out, index):
    theirs = tf_out["timeseries"][index]
    np.random.seed(TIMESERIES[index]["numpy_seed"])
    gen = sequence.TimeseriesGenerator(DATA, TARGETS, **TIMESERIES[index]["kwargs"])
    assert isinstance(gen, keras.utils.PyDataset)
    assert len(gen) == theirs["len"]
    for i, (x, y) in enumerate(theirs["batches"]):
        ours_x, ours_y = gen[i]
        np.testing.assert_array_equal(ours_x, np.array(x, dtype="float32"))
        np.testing.assert_array_equal(ours_y, np.array(y))
    assert json.loads(gen.to_json())["config"] == theirs["config"]


def test_timeseries_generator_errors_match_tf_keras(tf_out):
    for name, call in (
            ("timeseries_lengths", lambda: sequence.TimeseriesGenerator(
                np.zeros(5), np.zeros(4), length=2)),
            ("timeseries_start", lambda: sequence.TimeseriesGenerator(
                np.zeros(5), np.zeros(5), length=5))):
        kind, message = tf_out["errors"][name]
        with pytest.raises(ValueError) as err:
            call()
        assert kind == "ValueError" and str(err.value) == message


def test_timeseries_generator_trains_a_model_with_fit():
    data = np.random.RandomState(0).rand(64, 3).astype("float32")
    gen = sequence.TimeseriesGenerator(data, data[:, :1], length=4, batch_size=8)
    model = keras.Sequential([keras.Input((4, 3)), keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(gen, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
