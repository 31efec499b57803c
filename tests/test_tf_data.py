"""kerastorch.data.Dataset (tf.data on torch): each method against numpy expectations, training
on a Dataset, and a `tf.data` script run through `kerastorch run` without TensorFlow."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.data import AUTOTUNE
from kerastorch.data import Dataset
from kerastorch.porting.errors import NotSupportedAttributeError

ROOT = Path(__file__).resolve().parents[1]


def as_lists(ds):
    return [np.asarray(e).tolist() for e in ds.as_numpy_iterator()]


# ------------------------------------------------------------------------------------ sources
def test_from_tensor_slices_array_yields_torch_rows_in_order():
    x = np.arange(12, dtype="float32").reshape(4, 3)
    ds = Dataset.from_tensor_slices(x)
    rows = list(ds)
    assert all(isinstance(r, torch.Tensor) and r.dtype == torch.float32 for r in rows)
    np.testing.assert_array_equal(np.stack([r.numpy() for r in rows]), x)
    assert len(ds) == 4 and int(ds.cardinality()) == 4


def test_from_tensor_slices_tuple_and_dict_elements():
    x, y = np.arange(6).reshape(3, 2), np.array([7, 8, 9])
    pairs = list(Dataset.from_tensor_slices((x, y)))
    assert isinstance(pairs[0], tuple) and [p[1].item() for p in pairs] == [7, 8, 9]
    assert pairs[2][0].tolist() == [4, 5]
    dicts = list(Dataset.from_tensor_slices({"a": x, "b": y}))
    assert sorted(dicts[1]) == ["a", "b"] and dicts[1]["a"].tolist() == [2, 3]
    assert dicts[1]["b"].item() == 8


def test_from_tensor_slices_python_lists_use_tf_dtypes():
    ints = list(Dataset.from_tensor_slices([1, 2, 3]))
    floats = list(Dataset.from_tensor_slices([1.0, 2.0]))
    assert ints[0].dtype == torch.int32 and floats[0].dtype == torch.float32
    assert Dataset.from_tensor_slices(np.arange(3.0)).as_numpy_iterator().__next__().dtype \
        == np.float64


def test_from_tensor_slices_mismatched_first_axis_raises():
    with pytest.raises(ValueError, match="first axis"):
        Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))


def test_from_tensors_and_range():
    one = list(Dataset.from_tensors(np.ones((2, 3))))
    assert len(one) == 1 and tuple(one[0].shape) == (2, 3)
    assert as_lists(Dataset.range(5)) == [0, 1, 2, 3, 4]
    assert as_lists(Dataset.range(2, 9, 3)) == [2, 5, 8]
    assert next(iter(Dataset.range(1))).dtype == torch.int64
    assert len(Dataset.range(2, 9, 3)) == 3


def test_as_numpy_iterator_gives_numpy():
    out = list(Dataset.from_tensor_slices((np.arange(2), np.ones((2, 2)))).as_numpy_iterator())
    assert isinstance(out[0][0], np.integer) and isinstance(out[0][1], np.ndarray)


# ----------------------------------------------------------------------------------- batching
@pytest.mark.parametrize("drop_remainder", [False, True])
@pytest.mark.parametrize("via_map", [False, True])
def test_batch_stacks_elements(drop_remainder, via_map):
    x = np.arange(14, dtype="float32").reshape(7, 2)
    y = np.arange(7)
    ds = Dataset.from_tensor_slices((x, y))
    if via_map:  # the generic (stacking) path rather than from_tensor_slices' slicing path
        ds = ds.map(lambda a, b: (a, b))
    ds = ds.batch(3, drop_remainder=drop_remainder)
    batches = list(ds)
    sizes = [len(b[1]) for b in batches]
    assert sizes == ([3, 3] if drop_remainder else [3, 3, 1])
    assert len(ds) == len(sizes)
    np.testing.assert_array_equal(torch.cat([b[0] for b in batches]).numpy(), x[:sum(sizes)])
    np.testing.assert_array_equal(torch.cat([b[1] for b in batches]).numpy(), y[:sum(sizes)])


def test_batch_of_dicts_and_unbatch_round_trip():
    data = {"a": np.arange(5), "b": np.arange(10).reshape(5, 2)}
    batched = Dataset.from_tensor_slices(data).map(lambda d: d).batch(2)
    first = next(iter(batched))
    assert first["a"].tolist() == [0, 1] and first["b"].tolist() == [[0, 1], [2, 3]]
    back = list(batched.unbatch())
    assert [e["a"].item() for e in back] == [0, 1, 2, 3, 4]
    assert back[4]["b"].tolist() == [8, 9]


# ---------------------------------------------------------------------------- map and filter
def test_map_unpacks_tuples_like_tf_and_runs_before_batch():
    x, y = np.arange(6, dtype="float32"), np.arange(6)
    calls = []

    def fn(a, b):
        calls.append(tuple(a.shape))
        return a * 10, b + 1

    ds = Dataset.from_tensor_slices((x, y)).map(fn, num_parallel_calls=AUTOTUNE).batch(4)
    out = list(ds)
    assert calls == [()] * 6  # element-wise: scalars, not batches
    np.testing.assert_array_equal(torch.cat([b[0] for b in out]).numpy(), x * 10)
    np.testing.assert_array_equal(torch.cat([b[1] for b in out]).numpy(), y + 1)


def test_map_returning_list_and_dict_argument():
    ds = Dataset.from_tensor_slices({"f": np.arange(3)}).map(lambda d: [d["f"], d["f"] * 2])
    out = list(ds)
    assert isinstance(out[0], tuple) and [e[1].item() for e in out] == [0, 2, 4]


def test_filter_keeps_matching_elements():
    ds = Dataset.range(10).filter(lambda i: i % 3 == 0)
    assert as_lists(ds) == [0, 3, 6, 9]
    assert int(ds.cardinality()) == -2
    with pytest.raises(TypeError, match="length is unknown"):
        len(ds)


# ----------------------------------------------------------------------------------- shuffle
def test_shuffle_is_a_permutation_reproducible_with_seed():
    ds = Dataset.range(50).shuffle(10, seed=3)
    first, second = as_lists(ds), as_lists(ds)
    assert sorted(first) == list(range(50)) and first != list(range(50))
    assert first != second  # reshuffled each iteration
    again = Dataset.range(50).shuffle(10, seed=3)
    assert as_lists(again) == first and as_lists(again) == second


def test_shuffle_buffer_bounds_displacement_and_no_reshuffle():
    order = as_lists(Dataset.range(100).shuffle(5, seed=0))
    # an element can only leave once the buffer has read up to 4 elements past it
    assert all(order[i] <= i + 4 for i in range(100))
    fixed = Dataset.range(20).shuffle(20, seed=1, reshuffle_each_iteration=False)
    assert as_lists(fixed) == as_lists(fixed)


@pytest.mark.parametrize("buffer_size", [5, 40])
def test_shuffle_then_batch_on_slices_matches_the_element_path(buffer_size):
    x, names = np.arange(80).reshape(40, 2), np.array([f"n{i}" for i in range(40)])

    def pipeline(element_wise):
        ds = Dataset.from_tensor_slices((x, names))
        if element_wise:  # map forces the generic buffer + stacking path
            ds = ds.map(lambda a, b: (a, b))
        return ds.shuffle(buffer_size, seed=9).batch(6)

    fast, slow = pipeline(False), pipeline(True)
    for _ in range(2):  # two passes: the reshuffled orders agree too
        got, want = list(fast), list(slow)
        assert len(got) == len(want) == 7
        for (a, b), (c, d) in zip(got, want, strict=True):
            assert torch.equal(a, c) and b.tolist() == d.tolist()
    rows = torch.cat([a for a, _ in fast])
    assert sorted(rows[:, 0].tolist()) == list(range(0, 80, 2))


def test_shuffle_without_seed_follows_the_global_seed():
    keras.utils.set_random_seed(7)
    a = as_lists(Dataset.range(30).shuffle(30))
    keras.utils.set_random_seed(7)
    b = as_lists(Dataset.range(30).shuffle(30))
    assert a == b and sorted(a) == list(range(30))


# ------------------------------------------------------------- repeat, take, skip, cache, zip
def test_repeat_take_skip_counts():
    ds = Dataset.range(4)
    assert as_lists(ds.repeat(3)) == [0, 1, 2, 3] * 3 and len(ds.repeat(3)) == 12
    infinite = ds.repeat()
    assert int(infinite.cardinality()) == -1
    with pytest.raises(TypeError, match="infinite"):
        len(infinite)
    assert as_lists(infinite.take(10)) == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1]
    assert len(infinite.take(10)) == 10
    assert as_lists(ds.skip(1)) == [1, 2, 3] and len(ds.skip(1)) == 3
    assert as_lists(ds.skip(9)) == [] and len(ds.skip(9)) == 0
    assert as_lists(ds.take(-1)) == [0, 1, 2, 3] and as_lists(ds.skip(-1)) == []
    assert as_lists(ds.skip(1).take(2)) == [1, 2]


def test_cache_reuses_the_first_pass():
    calls = []
    ds = Dataset.range(3).map(lambda i: calls.append(int(i)) or i * 2).cache()
    assert as_lists(ds) == [0, 2, 4] and as_lists(ds) == [0, 2, 4]
    assert calls == [0, 1, 2]


def test_cache_after_shuffle_keeps_the_first_order():
    ds = Dataset.range(20).shuffle(20, seed=2).cache()
    assert as_lists(ds) == as_lists(ds)


def test_zip_pairs_datasets_and_takes_the_shortest():
    a, b = Dataset.range(5), Dataset.range(10, 13)
    zipped = Dataset.zip((a, b))
    assert as_lists(zipped) == [[0, 10], [1, 11], [2, 12]] and len(zipped) == 3
    assert as_lists(Dataset.zip(a, b)) == as_lists(zipped)
    d = list(Dataset.zip({"x": a, "y": b.repeat()}))
    assert len(d) == 5 and d[4]["y"].item() == 11


def test_prefetch_is_transparent():
    ds = Dataset.range(3).prefetch(AUTOTUNE)
    assert as_lists(ds) == [0, 1, 2] and len(ds) == 3


def test_unsupported_member_names_itself():
    with pytest.raises(NotSupportedAttributeError,
                       match="^tensorflow.data.Dataset.group_by_window is not supported yet"):
        Dataset.range(3).group_by_window(lambda x: x, lambda k, w: w, window_size=2)
    with pytest.raises(NotSupportedAttributeError, match="Dataset.list_files"):
        Dataset.list_files("*.txt")


# --------------------------------------------------------------------------------- training
def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_fit_evaluate_predict_on_a_dataset_restart_each_epoch():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    passes = []
    ds = Dataset.from_tensor_slices((x, y)).map(
        lambda a, b: (passes.append(1) or a, b)).shuffle(40, seed=0).batch(8)
    model = _model()
    history = model.fit(ds, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    assert len(passes) == 3 * 40  # a fresh, complete pass each epoch
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss = model.evaluate(Dataset.from_tensor_slices((x, y)).batch(16), verbose=0)
    np.testing.assert_allclose(loss, model.evaluate(x, y, batch_size=16, verbose=0), rtol=1e-5)
    pred = model.predict(Dataset.from_tensor_slices(x).batch(16), verbose=0)
    assert pred.shape == (40, 1)
    np.testing.assert_allclose(pred, model.predict(x, verbose=0), atol=1e-6)


def test_fit_on_infinite_repeat_with_steps_per_epoch():
    x = np.ones((10, 4), "float32")
    y = np.zeros((10, 1), "float32")
    seen = []
    ds = Dataset.from_tensor_slices((x, y)).repeat().batch(4).map(
        lambda a, b: (seen.append(len(a)) or a, b))
    history = _model().fit(ds, epochs=2, steps_per_epoch=3, verbose=0)
    assert len(history.history["loss"]) == 2
    assert len(seen) == 6 and set(seen) == {4}  # repeat before batch: full batches only


# ------------------------------------------------------------------------ kerastorch run
SCRIPT = '''
import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 3)).astype("float32")
y = (x[:, 0] > 0).astype("int64")
train = (tf.data.Dataset.from_tensor_slices((x, y))
         .map(lambda a, b: (a * 2.0, b), num_parallel_calls=tf.data.AUTOTUNE)
         .cache()
         .shuffle(64, seed=1)
         .batch(16)
         .prefetch(tf.data.AUTOTUNE))
print("cardinality", int(train.cardinality()), len(train))
for xb, yb in train.take(1):
    print("batch", tuple(xb.shape), tuple(yb.shape))
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                          keras.layers.Dense(2)])
model.compile(optimizer="adam", metrics=["accuracy"],
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
history = model.fit(train, epochs=2, verbose=0)
print("epochs", len(history.history["loss"]))
print("params", model.count_params())
print("tflookup", hasattr(tf, "lookup"))
'''


def test_kerastorch_run_trains_on_a_tf_data_pipeline(tmp_path):
    script = tmp_path / "train_tf_data.py"
    script.write_text(textwrap.dedent(SCRIPT))
    result = subprocess.run([sys.executable, "-m", "kerastorch", "run", str(script)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120,
                            env={"PYTHONPATH": str(ROOT), "KERAS_BACKEND": "torch",
                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "cardinality 4 4", "batch (16, 3) (16,)", "epochs 2", "params 26", "tflookup False"]


def test_port_rewrites_tf_data_to_kerastorch_data_and_reports_it_supported():
    from kerastorch.porting.port import port_source
    source = textwrap.dedent('''
        import numpy as np
        import tensorflow as tf
        ds = tf.data.Dataset.from_tensor_slices(np.arange(6)).batch(4).prefetch(tf.data.AUTOTUNE)
        records = tf.data.TFRecordDataset
        windows = tf.data.experimental.make_csv_dataset
        sizes = [len(b) for b in ds]
    ''').lstrip()
    result = port_source(source)
    usages = {u.api: u for u in result.usages}
    assert usages["tf.data.Dataset.from_tensor_slices"].supported
    assert usages["tf.data.AUTOTUNE"].supported
    assert usages["tf.data.TFRecordDataset"].supported
    assert not usages["tf.data.experimental.make_csv_dataset"].supported
    assert "ds = kerastorch.data.Dataset.from_tensor_slices(np.arange(6)).batch(4)" \
        ".prefetch(kerastorch.data.AUTOTUNE)" in result.ported
    g = {}
    exec(result.ported.replace("import tensorflow as tf\n", "").replace(
        "windows = tf.data.experimental.make_csv_dataset\n", ""), g)
    assert g["sizes"] == [4, 2]
