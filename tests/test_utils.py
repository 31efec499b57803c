"""keras.utils: the same arrays as Keras 3 for to_categorical / normalize / pad_sequences, and
the dataset utilities yielding Keras's batches, files, labels and splits."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from kerastorch import utils
from tests.keras3 import import_keras3

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("args,kwargs", [
    (([0, 2, 1],), {}), (([[1], [3]],), {"num_classes": 5}), ((np.array([[0, 1], [2, 0]]),), {}),
])
def test_to_categorical_matches_keras3(args, kwargs):
    keras3 = import_keras3()
    expected = keras3.utils.to_categorical(*args, **kwargs)
    got = utils.to_categorical(*args, **kwargs)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    t = utils.to_categorical(torch.tensor([0, 2]), 3)
    assert t.dtype == torch.float32 and t.tolist() == [[1, 0, 0], [0, 0, 1]]


@pytest.mark.parametrize("kwargs", [{}, {"axis": 0}, {"order": 1}])
def test_normalize_matches_keras3(kwargs):
    keras3 = import_keras3()
    x = RNG.standard_normal((3, 4))
    x[1] = 0
    try:
        expected = keras3.utils.normalize(x, **kwargs)
    except ValueError:  # Keras's numpy path cannot take axis=0; neither can ours
        with pytest.raises(ValueError):
            utils.normalize(x, **kwargs)
    else:
        np.testing.assert_allclose(utils.normalize(x, **kwargs), expected)
    t = torch.tensor(x, dtype=torch.float32)
    np.testing.assert_allclose(utils.normalize(t, **kwargs).numpy(),
                               keras3.utils.normalize(t, **kwargs).numpy(), atol=1e-6)


SEQS = [[1, 2, 3], [4, 5], [], [6, 7, 8, 9, 10]]


@pytest.mark.parametrize("kwargs", [
    {}, {"maxlen": 3}, {"maxlen": 3, "padding": "post"}, {"maxlen": 2, "truncating": "post"},
    {"value": -1.5, "dtype": "float32"}, {"maxlen": 6, "value": 9}, {"padding": "middle"},
    {"truncating": "x", "maxlen": 2}, {"value": "pad"},
])
def test_pad_sequences_matches_keras3(kwargs):
    keras3 = import_keras3()
    try:
        expected = keras3.utils.pad_sequences(SEQS, **kwargs)
    except ValueError:
        with pytest.raises(ValueError):
            utils.pad_sequences(SEQS, **kwargs)
        return
    got = utils.pad_sequences(SEQS, **kwargs)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_pad_sequences_defaults_are_keras_defaults():
    out = utils.pad_sequences([[1, 2, 3], [4]], maxlen=2)
    assert out.dtype == np.int32 and out.tolist() == [[2, 3], [0, 4]]


class Batches(utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_ended = 0

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index):
        s = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[s], self.y[s]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_py_dataset_feeds_fit():
    x = RNG.standard_normal((20, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    data = Batches(x, y, 8, workers=2)
    assert data.num_batches == 3 and data.workers == 2 and utils.Sequence is utils.PyDataset
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(data, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and data.epochs_ended >= 2


def test_timeseries_dataset_from_array_windows_and_targets():
    data = np.arange(20)
    ds = utils.timeseries_dataset_from_array(data, data * 10, sequence_length=4,
                                             sequence_stride=2, sampling_rate=2, batch_size=3)
    batches = list(ds)
    x = np.concatenate([b[0] for b in batches])
    y = np.concatenate([b[1] for b in batches])
    starts = np.arange(0, 20 - 3 * 2, 2)
    np.testing.assert_array_equal(x, starts[:, None] + np.arange(0, 8, 2)[None])
    np.testing.assert_array_equal(y, starts * 10)
    assert len(ds) == 3 and batches[0][0].shape == (3, 4)
    shuffled = utils.timeseries_dataset_from_array(data, None, 3, batch_size=None, shuffle=True,
                                                   seed=1, start_index=2, end_index=12)
    windows = np.stack(list(shuffled))
    assert windows.shape == (8, 3) and sorted(windows[:, 0].tolist()) == list(range(2, 10))
    order = np.arange(8)
    np.random.RandomState(1).shuffle(order)
    np.testing.assert_array_equal(windows[:, 0], order + 2)  # Keras's seeded window order
    with pytest.raises(ValueError, match="sequence_stride"):
        utils.timeseries_dataset_from_array(data, None, 3, sequence_stride=0)


def test_split_dataset_sizes_and_shuffle():
    x, y = np.arange(10), np.arange(10) * 2
    left, right = utils.split_dataset((x, y), left_size=0.8)
    assert len(left) == 8 and len(right) == 2
    assert [int(s[0]) for s in right] == [8, 9] and int(left[3][1]) == 6
    left, right = utils.split_dataset(x, right_size=3, shuffle=True, seed=2)
    order = np.arange(10)
    np.random.RandomState(2).shuffle(order)
    assert [int(v) for v in left] == order[:7].tolist()
    batches = list(left.batch(4))
    assert [len(b) for b in batches] == [4, 3]
    with pytest.raises(ValueError):
        utils.split_dataset(x, left_size=11)
    with pytest.raises(TypeError):
        utils.split_dataset(x, left_size="half")


def _write_images(root, counts):
    from PIL import Image
    for name, n in counts.items():
        (root / name).mkdir(parents=True)
        for i in range(n):
            pixels = RNG.integers(0, 255, (5 + i, 7, 3), dtype="uint8")
            Image.fromarray(pixels).save(root / name / f"img_{i}.png")


def test_image_dataset_from_directory(tmp_path, capsys):
    _write_images(tmp_path, {"cats": 3, "dogs": 2})
    (tmp_path / "notes.txt").write_text("ignored")
    ds = utils.image_dataset_from_directory(tmp_path, image_size=(8, 6), batch_size=2, seed=3)
    assert "Found 5 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["cats", "dogs"] and len(ds) == 3
    images, labels = next(iter(ds))
    assert images.shape == (2, 8, 6, 3) and images.dtype == torch.float32
    assert labels.dtype == torch.int32 and float(images.max()) <= 255.0
    all_labels = torch.cat([b[1] for b in ds]).tolist()
    assert sorted(all_labels) == [0, 0, 0, 1, 1]
    for path, label in zip(ds.file_paths, ds.samples.labels.tolist(), strict=True):
        assert ("cats" if label == 0 else "dogs") in path
    train, val = utils.image_dataset_from_directory(
        tmp_path, image_size=(4, 4), label_mode="categorical", validation_split=0.4,
        subset="both", seed=3, color_mode="grayscale")
    assert len(train.file_paths) == 3 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)
    x, y = train[0]
    assert x.shape[1:] == (4, 4, 1) and y.shape[1:] == (2,) and y.dtype == torch.float32
    with pytest.raises(ValueError, match="seed"):
        utils.image_dataset_from_directory(tmp_path, validation_split=0.2, subset="training")


def test_image_dataset_file_order_matches_keras3(tmp_path):
    import_keras3()
    from keras.src.utils import dataset_utils as k3
    _write_images(tmp_path, {"a": 4, "b": 3, "c": 2})
    from kerastorch.utils import dataset_utils
    ours = dataset_utils.index_directory(str(tmp_path), "inferred", (".png",), seed=5,
                                         verbose=False)
    theirs = k3.index_directory(str(tmp_path), "inferred", (".png",), seed=5)
    assert ours[0] == theirs[0] and ours[1].tolist() == list(theirs[1]) and ours[2] == theirs[2]


def test_text_dataset_from_directory(tmp_path):
    for name, texts in {"neg": ["bad", "awful film"], "pos": ["good", "great", "fine"]}.items():
        (tmp_path / name).mkdir()
        for i, t in enumerate(texts):
            (tmp_path / name / f"{i}.txt").write_text(t)
    ds = utils.text_dataset_from_directory(tmp_path, batch_size=2, shuffle=False,
                                           label_mode="binary", max_length=4, verbose=False)
    texts, labels = ds[0]
    assert texts.tolist() == ["bad", "awfu"] and labels.shape == (2, 1)
    assert ds.class_names == ["neg", "pos"] and len(ds) == 3
