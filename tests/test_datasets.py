"""keras.datasets and keras.utils.get_file: small files in Keras's cache format, written into a
temporary KERAS_HOME, load as Keras 3 loads them; a missing file offline names the file."""

import gzip
import io
import json
import os
import pickle
import tarfile

import numpy as np
import pytest

from kerastorch import datasets
from kerastorch.utils import file_utils
from tests.keras3 import import_keras3

RNG = np.random.default_rng(0)


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """A temporary Keras cache, used by both libraries; hashes of the small files are not
    Keras's, so the hash check is switched off here (it is tested on its own below)."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("KERASTORCH_OFFLINE", "1")
    monkeypatch.setattr(file_utils, "validate_file", lambda *a, **k: True)
    try:
        import keras.src.backend.config as k3config
        import keras.src.utils.file_utils as k3files
        monkeypatch.setattr(k3config, "_KERAS_DIR", str(tmp_path))
        monkeypatch.setattr(k3files, "validate_file", lambda *a, **k: True)
    except ImportError:
        pass
    (tmp_path / "datasets").mkdir()
    return tmp_path / "datasets"


def _ragged(n, vocab=30):
    out = np.empty(n, dtype="object")
    out[:] = [[int(v) for v in RNG.integers(1, vocab, size=RNG.integers(2, 9))]
              for _ in range(n)]
    return out


def _assert_same(ours, theirs):
    for a, b in zip(ours, theirs, strict=True):
        if isinstance(b, (tuple, list)):
            _assert_same(a, b)
            continue
        assert a.dtype == b.dtype and a.shape == b.shape
        if b.dtype == object:
            assert [list(x) for x in a] == [list(x) for x in b]
        else:
            np.testing.assert_array_equal(a, b)


def test_mnist(keras_home):
    keras3 = import_keras3()
    np.savez(keras_home / "mnist.npz", x_train=RNG.integers(0, 255, (6, 28, 28), dtype="uint8"),
             y_train=RNG.integers(0, 10, 6, dtype="uint8"),
             x_test=RNG.integers(0, 255, (3, 28, 28), dtype="uint8"),
             y_test=RNG.integers(0, 10, 3, dtype="uint8"))
    ours = datasets.mnist.load_data()
    _assert_same(ours, keras3.datasets.mnist.load_data())
    assert ours[0][0].shape == (6, 28, 28) and ours[0][0].dtype == np.uint8


def test_fashion_mnist(keras_home):
    keras3 = import_keras3()
    folder = keras_home / "fashion-mnist"
    folder.mkdir()
    for prefix, n in (("train", 5), ("t10k", 2)):
        with gzip.open(folder / f"{prefix}-labels-idx1-ubyte.gz", "wb") as f:
            f.write(b"\0" * 8 + RNG.integers(0, 10, n, dtype="uint8").tobytes())
        with gzip.open(folder / f"{prefix}-images-idx3-ubyte.gz", "wb") as f:
            f.write(b"\0" * 16 + RNG.integers(0, 255, n * 784, dtype="uint8").tobytes())
    _assert_same(datasets.fashion_mnist.load_data(), keras3.datasets.fashion_mnist.load_data())


def _cifar_archive(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, payload in members.items():
            data = pickle.dumps(payload)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_cifar10_reads_keras_cached_archive(keras_home):
    batches = {}
    for i in range(1, 6):
        batches[f"cifar-10-batches-py/data_batch_{i}"] = {
            b"data": RNG.integers(0, 255, (2, 3072), dtype="uint8"), b"labels": [i, i + 1]}
    batches["cifar-10-batches-py/test_batch"] = {
        b"data": RNG.integers(0, 255, (3, 3072), dtype="uint8"), b"labels": [0, 1, 2]}
    _cifar_archive(keras_home / "cifar-10-batches-py-target_archive", batches)
    (x_train, y_train), (x_test, y_test) = datasets.cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (10, 1) and y_train.dtype == np.uint8
    assert x_test.shape == (3, 32, 32, 3) and y_test[:, 0].tolist() == [0, 1, 2]
    first = batches["cifar-10-batches-py/data_batch_1"][b"data"][0].reshape(3, 32, 32)
    np.testing.assert_array_equal(x_train[0], first.transpose(1, 2, 0))
    assert os.path.isdir(keras_home / "cifar-10-batches-py-target")  # Keras's extraction dir


def test_cifar100(keras_home):
    keras3 = import_keras3()
    members = {f"cifar-100-python/{split}": {
        b"data": RNG.integers(0, 255, (n, 3072), dtype="uint8"),
        b"fine_labels": [int(v) for v in RNG.integers(0, 100, n)],
        b"coarse_labels": [int(v) for v in RNG.integers(0, 20, n)]} for split, n in (("train", 4), ("test", 2))}
    _cifar_archive(keras_home / "cifar-100-python-target_archive", members)
    for mode in ("fine", "coarse"):
        _assert_same(datasets.cifar100.load_data(mode), keras3.datasets.cifar100.load_data(mode))
    with pytest.raises(ValueError, match="label_mode"):
        datasets.cifar100.load_data("medium")


def test_boston_housing(keras_home):
    keras3 = import_keras3()
    np.savez(keras_home / "boston_housing.npz", x=RNG.standard_normal((20, 13)),
             y=RNG.standard_normal(20))
    for kwargs in ({}, {"test_split": 0.3, "seed": 4}):
        _assert_same(datasets.boston_housing.load_data(**kwargs),
                     keras3.datasets.boston_housing.load_data(**kwargs))
    with pytest.raises(ValueError):
        datasets.boston_housing.load_data(test_split=1.0)


@pytest.mark.parametrize("kwargs", [{}, {"num_words": 10}, {"maxlen": 6, "skip_top": 3},
                                    {"start_char": None, "oov_char": None, "index_from": 0,
                                     "num_words": 20}])
def test_imdb_and_reuters(keras_home, kwargs):
    keras3 = import_keras3()
    np.savez(keras_home / "imdb.npz", x_train=_ragged(12), y_train=RNG.integers(0, 2, 12),
             x_test=_ragged(9), y_test=RNG.integers(0, 2, 9))
    np.savez(keras_home / "reuters.npz", x=_ragged(15), y=RNG.integers(0, 46, 15))
    _assert_same(datasets.imdb.load_data(**kwargs), keras3.datasets.imdb.load_data(**kwargs))
    _assert_same(datasets.reuters.load_data(**kwargs), keras3.datasets.reuters.load_data(**kwargs))


def test_word_index(keras_home):
    (keras_home / "imdb_word_index.json").write_text(json.dumps({"the": 1, "film": 2}))
    assert datasets.imdb.get_word_index() == {"the": 1, "film": 2}


def test_missing_file_offline_names_the_file_and_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("KERASTORCH_OFFLINE", "1")
    with pytest.raises(FileNotFoundError) as info:
        datasets.mnist.load_data()
    message = str(info.value)
    assert "mnist.npz" in message and str(tmp_path / "datasets" / "mnist.npz") in message
    assert "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz" in message


def test_get_file_checks_the_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("KERASTORCH_OFFLINE", "1")
    folder = tmp_path / "datasets"
    folder.mkdir()
    (folder / "data.bin").write_bytes(b"hello")
    sha = file_utils.hash_file(str(folder / "data.bin"))
    md5 = file_utils.hash_file(str(folder / "data.bin"), "md5")
    for good in (sha, md5, None):
        path = file_utils.get_file("data.bin", origin="http://example.invalid/data.bin",
                                   file_hash=good, cache_dir=str(tmp_path))
        assert path == str(folder / "data.bin")
    with pytest.raises(FileNotFoundError, match="data.bin"):  # stale: would re-download
        file_utils.get_file("data.bin", origin="http://example.invalid/data.bin",
                            file_hash="0" * 64, cache_dir=str(tmp_path))
    with pytest.raises(ValueError, match="origin"):
        file_utils.get_file("data.bin")


def test_get_file_extracts_archives_like_keras(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("KERASTORCH_OFFLINE", "1")
    folder = tmp_path / "datasets"
    folder.mkdir()
    with tarfile.open(folder / "flowers.tgz", "w:gz") as tar:
        info = tarfile.TarInfo("flowers/a.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    path = file_utils.get_file("flowers.tgz", origin="http://example.invalid/flowers.tgz",
                               extract=True)
    assert path == str(folder / "flowers_extracted")
    assert (folder / "flowers_extracted" / "flowers" / "a.txt").read_text() == "hi"


def test_npz_loader_refuses_pickled_code(tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo unsafe",))

    arr = np.empty(1, dtype=object)
    arr[0] = Evil()
    np.savez(tmp_path / "evil.npz", x=arr)
    with pytest.raises(pickle.UnpicklingError):
        datasets.npz_utils.load_npz(str(tmp_path / "evil.npz"))
