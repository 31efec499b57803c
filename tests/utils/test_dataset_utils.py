"""utils/dataset_utils.py: split_dataset (sizes, shuffling, structures, errors), the directory
index behind image_/text_dataset_from_directory, validation splits and label encodings."""

import numpy as np
import pytest

from kerastorch.utils import dataset_utils
from kerastorch.utils.dataset_utils import split_dataset


def _rows(dataset):
    return list(dataset)


@pytest.mark.parametrize("left, right, expected", [
    (None, None, (5, 5)), (0.8, None, (8, 2)), (None, 3, (7, 3)), (3, 4, (3, 4)),
    (0.25, 0.25, (2, 2)),  # round(2.5) == 2, as Python rounds
])
def test_split_sizes(left, right, expected):
    x = np.arange(10)
    a, b = split_dataset(x, left_size=left, right_size=right)
    assert (len(_rows(a)), len(_rows(b))) == expected
    assert [int(v) for v in _rows(a)] == list(range(expected[0]))  # no shuffle: in order


def test_split_keeps_tuple_and_dict_structure_row_by_row():
    x, y = np.arange(12).reshape(6, 2), np.arange(6) * 10
    left, right = split_dataset((x, y), left_size=4)
    rows = _rows(left)
    assert len(rows) == 4 and np.array_equal(rows[1][0], [2, 3]) and rows[1][1] == 10
    left, right = split_dataset({"a": x, "b": y}, right_size=2)
    last = _rows(right)[-1]
    assert np.array_equal(last["a"], [10, 11]) and last["b"] == 50


def test_split_shuffle_is_a_seeded_permutation():
    x = np.arange(20)
    a1, b1 = split_dataset(x, left_size=0.5, shuffle=True, seed=3)
    a2, b2 = split_dataset(x, left_size=0.5, shuffle=True, seed=3)
    first = [int(v) for v in _rows(a1)] + [int(v) for v in _rows(b1)]
    assert first == [int(v) for v in _rows(a2)] + [int(v) for v in _rows(b2)]
    assert sorted(first) == list(range(20)) and first != list(range(20))
    order = np.arange(20)
    np.random.RandomState(3).shuffle(order)  # Keras shuffles with RandomState(seed)
    assert first == order.tolist()


def test_split_a_list_of_samples_and_batch_the_halves():
    samples = [(np.full(2, i), i) for i in range(6)]
    left, right = split_dataset(samples, left_size=4)
    assert [s[1] for s in _rows(right)] == [4, 5]
    batches = list(left.batch(3))
    assert [np.asarray(b[1]).tolist() for b in batches] == [[0, 1, 2], [3]]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"left_size": "half"}, TypeError, r"Invalid `left_size` Type. Expected: int or float or "
                                       r"None, Received: type\(left_size\)=<class 'str'>"),
    ({"left_size": 0, "right_size": 0}, ValueError, "Both `left_size` and `right_size` are zero"),
    ({"left_size": 11}, ValueError, r"`left_size` should be either a positive integer smaller "
                                    r"than 10, or a float within the range `\[0, 1\]`"),
    ({"right_size": 1.5}, ValueError, "right_size=1.5"),
    ({"left_size": 0.6, "right_size": 0.6}, ValueError, "greater than 1"),
    ({"left_size": 6, "right_size": 6}, ValueError, "should be smaller than the 10"),
    ({"left_size": 0.01}, ValueError, "Resulting left side dataset split will be empty"),
])
def test_split_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        split_dataset(np.arange(10), **kwargs)


def _tree(tmp_path):
    for cls, names in (("cats", ["b.png", "a.png"]), ("dogs", ["c.png", "d.txt"])):
        (tmp_path / cls).mkdir()
        for name in names:
            (tmp_path / cls / name).write_bytes(b"")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "dogs" / "sub").mkdir()
    (tmp_path / "dogs" / "sub" / "e.png").write_bytes(b"")


def test_index_directory_infers_classes_in_sorted_order(tmp_path, capsys):
    _tree(tmp_path)
    paths, labels, names = dataset_utils.index_directory(str(tmp_path), "inferred", (".png",),
                                                         shuffle=False)
    assert names == ["cats", "dogs"]
    rel = [p[len(str(tmp_path)) + 1:] for p in paths]
    assert rel == ["cats/a.png", "cats/b.png", "dogs/c.png", "dogs/sub/e.png"]
    assert labels.tolist() == [0, 0, 1, 1] and labels.dtype == np.int32
    assert "Found 4 files belonging to 2 classes." in capsys.readouterr().out
    shuffled, shuffled_labels, _ = dataset_utils.index_directory(
        str(tmp_path), "inferred", (".png",), seed=1, verbose=False)
    assert sorted(shuffled) == sorted(paths)
    assert [labels[paths.index(p)] for p in shuffled] == shuffled_labels.tolist()


def test_index_directory_class_names_and_explicit_labels(tmp_path):
    _tree(tmp_path)
    paths, labels, names = dataset_utils.index_directory(
        str(tmp_path), "inferred", (".png",), class_names=["dogs"], shuffle=False, verbose=False)
    assert names == ["dogs"] and labels.tolist() == [0, 0]
    with pytest.raises(ValueError, match="did not match the names of the subdirectories"):
        dataset_utils.index_directory(str(tmp_path), "inferred", (".png",),
                                      class_names=["birds"], verbose=False)
    with pytest.raises(ValueError, match=r"len\(labels\) is 2 while we found 4 files"):
        dataset_utils.index_directory(str(tmp_path), [0, 1], (".png",), verbose=False)
    paths, labels, names = dataset_utils.index_directory(
        str(tmp_path), [3, 1, 1, 3], (".png",), shuffle=False, verbose=False)
    assert labels.tolist() == [3, 1, 1, 3] and names == ["1", "3"]
    with pytest.raises(ValueError, match="When `labels=None` .* `class_names` cannot be"):
        dataset_utils.index_directory(str(tmp_path), None, (".png",), class_names=["a"])


@pytest.mark.parametrize("args, message", [
    ((1.5, "training", False, None), "`validation_split` must be between 0 and 1"),
    ((0.2, None, False, None), "If `subset` is set, `validation_split` must be set"),
    ((0.2, "test", False, None), '`subset` must be either "training", "validation" or "both"'),
    ((0.2, "training", True, None), "you must provide a `seed` argument"),
])
def test_validation_split_argument_errors(args, message):
    with pytest.raises(ValueError, match=message):
        dataset_utils.check_validation_split_arg(*args)
    dataset_utils.check_validation_split_arg(0.2, "both", True, 1)  # a valid one passes


def test_training_or_validation_split_takes_the_tail_for_validation(capsys):
    samples, labels = list("abcdefghij"), np.arange(10)
    train = dataset_utils.training_or_validation_split(samples, labels, 0.3, "training")
    val = dataset_utils.training_or_validation_split(samples, labels, 0.3, "validation")
    assert train[0] == list("abcdefg") and val[0] == list("hij")
    assert val[1].tolist() == [7, 8, 9]
    out = capsys.readouterr().out
    assert "Using 7 files for training." in out and "Using 3 files for validation." in out
    assert dataset_utils.training_or_validation_split(samples, labels, None, None)[0] is samples


def test_encode_labels_in_each_mode():
    labels = [0, 2, 1]
    assert dataset_utils.encode_labels(labels, "int", 3).dtype == np.int32
    binary = dataset_utils.encode_labels([0, 1], "binary", 2)
    assert binary.shape == (2, 1) and binary.dtype == np.float32
    onehot = dataset_utils.encode_labels(labels, "categorical", 3)
    assert onehot.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]] and onehot.dtype == np.float32
    with pytest.raises(ValueError, match="`label_mode` argument must be one of"):
        dataset_utils.encode_labels(labels, "sparse", 3)


def test_file_dataset_loads_on_demand():
    loaded = []
    ds = dataset_utils.FileDataset(["a", "b"], lambda p: loaded.append(p) or p.upper(), [0, 1])
    assert len(ds) == 2 and loaded == []
    assert ds[1] == ("B", 1) and loaded == ["b"]
