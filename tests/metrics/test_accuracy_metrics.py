"""Accuracy metrics and functions: streamed weighted batches vs Keras 3, by-hand values."""

import numpy as np
import pytest

from kerastorch import metrics, ops
from tests.keras3 import import_keras3
from tests.metrics.streaming import batches, check_against_keras3, check_reset_and_from_config

CASES = [
    ("Accuracy", {}, "labels"), ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.3}, "multi_binary"),
    ("CategoricalAccuracy", {}, "onehot"), ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse_col"),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, "sparse_col"),
]
IDS = [f"{n}-{i}" for i, (n, _, _) in enumerate(CASES)]


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=IDS)
def test_matches_keras3(name, kwargs, kind):
    check_against_keras3(name, kwargs, kind)


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=IDS)
def test_reset_and_from_config(name, kwargs, kind):
    check_reset_and_from_config(name, kwargs, kind)


FUNCTIONS = [("binary_accuracy", "multi_binary"), ("categorical_accuracy", "onehot"),
             ("sparse_categorical_accuracy", "sparse"),
             ("top_k_categorical_accuracy", "onehot"),
             ("sparse_top_k_categorical_accuracy", "sparse")]


@pytest.mark.parametrize("fn,kind", FUNCTIONS)
def test_functions_match_keras3(fn, kind):
    keras = import_keras3()
    y_true, y_pred, _ = batches(kind, n=1)[0]
    kw = {"k": 2} if "top_k" in fn else {}
    np.testing.assert_allclose(
        ops.convert_to_numpy(getattr(metrics, fn)(y_true, y_pred, **kw)),
        keras.ops.convert_to_numpy(getattr(keras.metrics, fn)(y_true, y_pred, **kw)), atol=1e-6)


def test_by_hand():
    m = metrics.SparseCategoricalAccuracy()
    m.update_state([2, 1, 0], [[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.8, 0.1, 0.1]],
                   sample_weight=[1.0, 1.0, 2.0])
    assert float(ops.convert_to_numpy(m.result())) == pytest.approx(0.75)
    b = metrics.BinaryAccuracy(threshold=0.5)
    b.update_state([[1], [0], [1], [0]], [[0.6], [0.4], [0.4], [0.6]])
    assert float(ops.convert_to_numpy(b.result())) == pytest.approx(0.5)
    top = metrics.sparse_top_k_categorical_accuracy([1, 0], [[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]], k=2)
    np.testing.assert_array_equal(ops.convert_to_numpy(top), [1.0, 0.0])
    # sorted ids in: the label must be among the first k ids of each row
    ids = metrics.sparse_top_k_categorical_accuracy([2, 0], [[2, 1, 0], [1, 2, 0]], k=2,
                                                    from_sorted_ids=True)
    np.testing.assert_array_equal(ops.convert_to_numpy(ids), [1.0, 0.0])
    assert float(ops.convert_to_numpy(metrics.Accuracy().result())) == 0.0


@pytest.mark.xfail(strict=True, raises=RuntimeError,
                   reason="k larger than the number of classes: tf.keras 2.21 counts every "
                          "sample as a hit (1.0); kerastorch (like Keras 3 on torch) fails in "
                          "torch.topk with RuntimeError 'selected index k out of range'")
def test_top_k_larger_than_classes_counts_every_sample():
    y_pred = np.array([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]], "float32")
    sparse = metrics.sparse_top_k_categorical_accuracy(np.array([0, 1]), y_pred, k=5)
    dense = metrics.top_k_categorical_accuracy(np.eye(3, dtype="float32")[[0, 1]], y_pred, k=5)
    np.testing.assert_array_equal(ops.convert_to_numpy(sparse), [1.0, 1.0])
    np.testing.assert_array_equal(ops.convert_to_numpy(dense), [1.0, 1.0])
