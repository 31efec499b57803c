"""Confusion-matrix metrics (counts, Precision/Recall, AUC, the *At* metrics): streamed over
several weighted batches against Keras 3, by-hand values, resets, configs and bad arguments."""

import numpy as np
import pytest

from kerastorch import metrics, ops
from tests.keras3 import import_keras3

CASES = [
    ("TruePositives", {}), ("FalsePositives", {"thresholds": [0.3, 0.7]}),
    ("TrueNegatives", {}), ("FalseNegatives", {"thresholds": 0.2}),
    ("Precision", {}), ("Precision", {"thresholds": [0.2, 0.5, 0.8]}),
    ("Precision", {"top_k": 2}), ("Precision", {"class_id": 1}),
    ("Recall", {}), ("Recall", {"thresholds": 0.7}), ("Recall", {"top_k": 1, "class_id": 2}),
    ("AUC", {}), ("AUC", {"curve": "PR"}), ("AUC", {"num_thresholds": 7}),
    ("AUC", {"summation_method": "minoring"}), ("AUC", {"summation_method": "majoring"}),
    ("AUC", {"thresholds": [0.1, 0.4, 0.6, 0.9]}), ("AUC", {"from_logits": True}),
    ("AUC", {"multi_label": True}), ("AUC", {"multi_label": True, "num_labels": 3,
                                             "label_weights": [0.2, 0.3, 0.5]}),
    ("AUC", {"curve": "PR", "multi_label": True}), ("AUC", {"curve": "PRGAIN"}),
    ("SensitivityAtSpecificity", {"specificity": 0.6}),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5, "num_thresholds": 50}),
    ("PrecisionAtRecall", {"recall": 0.4}),
    ("RecallAtPrecision", {"precision": 0.6}),
    ("SensitivityAtSpecificity", {"specificity": 0.6, "class_id": 1}),
]


def _batches(from_logits=False):
    rng = np.random.default_rng(1)
    out = []
    for _ in range(3):
        y_true = rng.integers(0, 2, size=(8, 3)).astype("float32")
        y_pred = rng.normal(size=(8, 3)).astype("float32") * 2 if from_logits else \
            rng.uniform(0, 1, size=(8, 3)).astype("float32")
        w = rng.uniform(0, 2, size=(8,)).astype("float32")
        out.append((y_true, y_pred, w))
    return out


def _ids():
    return [f"{n}-{i}" for i, (n, _) in enumerate(CASES)]


@pytest.mark.parametrize("name,kwargs", CASES, ids=_ids())
def test_streamed_weighted_batches_match_keras3(name, kwargs):
    keras = import_keras3()
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    for i, (y_true, y_pred, w) in enumerate(_batches(kwargs.get("from_logits", False))):
        sw = None if i == 0 else w
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
        np.testing.assert_allclose(ops.convert_to_numpy(ours.result()),
                                   keras.ops.convert_to_numpy(theirs.result()), atol=1e-5,
                                   err_msg=f"after batch {i}")
    ours_config = {k: _plain(v) for k, v in ours.get_config().items() if k not in ("name", "dtype")}
    theirs_config = {k: _plain(v) for k, v in theirs.get_config().items()
                     if k not in ("name", "dtype")}
    assert ours_config == theirs_config


def _plain(value):
    """A config value as plain Python floats (Keras 3 keeps thresholds as numpy/float32)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    return np.round(np.asarray(value, dtype="float64"), 6).tolist()


@pytest.mark.parametrize("name,kwargs", CASES, ids=_ids())
def test_reset_and_from_config(name, kwargs):
    cls = getattr(metrics, name)
    m = cls(**kwargs)
    batches = _batches(kwargs.get("from_logits", False))
    for y_true, y_pred, w in batches:
        m.update_state(y_true, y_pred, sample_weight=w)
    first = ops.convert_to_numpy(m.result())
    m.reset_state()
    clone = cls.from_config(m.get_config())
    for y_true, y_pred, w in batches:
        m.update_state(y_true, y_pred, sample_weight=w)
        clone.update_state(y_true, y_pred, sample_weight=w)
    np.testing.assert_allclose(ops.convert_to_numpy(m.result()), first, atol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(clone.result()), first, atol=1e-6)


def test_values_by_hand():
    y_true = [0, 1, 1, 0, 1]
    y_pred = [0.9, 0.8, 0.2, 0.1, 0.6]
    counts = {"TruePositives": 2, "FalsePositives": 1, "TrueNegatives": 1, "FalseNegatives": 1}
    for name, want in counts.items():
        m = getattr(metrics, name)()
        m.update_state(y_true, y_pred)
        assert float(ops.convert_to_numpy(m.result())) == want, name
    p, r = metrics.Precision(), metrics.Recall()
    p.update_state(y_true, y_pred)
    r.update_state(y_true, y_pred)
    assert float(ops.convert_to_numpy(p.result())) == pytest.approx(2 / 3)
    assert float(ops.convert_to_numpy(r.result())) == pytest.approx(2 / 3)
    auc = metrics.AUC(num_thresholds=3)
    auc.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    assert float(ops.convert_to_numpy(auc.result())) == pytest.approx(0.75)
    # nothing seen: 0, not nan
    assert float(ops.convert_to_numpy(metrics.Precision().result())) == 0.0
    assert float(ops.convert_to_numpy(metrics.AUC().result())) == 0.0


def test_bad_arguments():
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="XYZ")
    with pytest.raises(ValueError, match="summation method"):
        metrics.AUC(summation_method="middle")
    with pytest.raises(ValueError, match="specificity"):
        metrics.SensitivityAtSpecificity(specificity=1.5)
    with pytest.raises(ValueError, match="recall"):
        metrics.PrecisionAtRecall(recall=-0.1)
    with pytest.raises(ValueError, match="Threshold"):
        metrics.Precision(thresholds=[0.5, 1.5])
