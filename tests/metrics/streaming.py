"""Shared by the metric test modules: stream weighted batches into a kerastorch metric and its
Keras 3 twin and compare the result after every batch, and the configs."""

import numpy as np

from kerastorch import metrics, ops
from tests.keras3 import import_keras3

B, C = 8, 4


def batches(kind, n=3, seed=0):
    """`n` (y_true, y_pred, sample_weight) triples for a kind of metric input."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        w = rng.uniform(0, 2, size=(B,)).astype("float32")
        if kind == "binary":
            y_true = rng.integers(0, 2, size=(B, 1)).astype("float32")
            y_pred = rng.uniform(0, 1, size=(B, 1)).astype("float32")
        elif kind == "multi_binary":
            y_true = rng.integers(0, 2, size=(B, C)).astype("float32")
            y_pred = rng.uniform(0, 1, size=(B, C)).astype("float32")
        elif kind == "onehot":
            y_true = np.eye(C, dtype="float32")[rng.integers(0, C, size=B)]
            y_pred = rng.dirichlet(np.ones(C), size=B).astype("float32")
        elif kind == "onehot_logits":
            y_true = np.eye(C, dtype="float32")[rng.integers(0, C, size=B)]
            y_pred = rng.normal(size=(B, C)).astype("float32") * 2
        elif kind == "sparse":
            y_true = rng.integers(0, C, size=(B,))
            y_pred = rng.dirichlet(np.ones(C), size=B).astype("float32")
        elif kind == "sparse_col":
            y_true = rng.integers(0, C, size=(B, 1))
            y_pred = rng.dirichlet(np.ones(C), size=B).astype("float32")
        elif kind == "labels":  # class ids on both sides (Accuracy, IoU)
            y_true = rng.integers(0, C, size=(B,))
            y_pred = rng.integers(0, C, size=(B,))
        elif kind == "regression":
            y_true = rng.normal(size=(B, 3)).astype("float32")
            y_pred = rng.normal(size=(B, 3)).astype("float32")
        elif kind == "positive":
            y_true = rng.uniform(0.1, 2, size=(B, 3)).astype("float32")
            y_pred = rng.uniform(0.1, 2, size=(B, 3)).astype("float32")
        else:
            raise ValueError(kind)
        out.append((y_true, y_pred, w))
    return out


def plain(value):
    """A config value as plain Python (Keras 3 keeps some numbers as numpy scalars)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return np.round(np.asarray(value, dtype="float64"), 6).tolist()


def check_against_keras3(name, kwargs, kind, atol=1e-5, weighted=True):
    keras = import_keras3()
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    for i, (y_true, y_pred, w) in enumerate(batches(kind)):
        sw = w if weighted and i > 0 else None
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
        np.testing.assert_allclose(ops.convert_to_numpy(ours.result()),
                                   keras.ops.convert_to_numpy(theirs.result()), atol=atol,
                                   rtol=1e-5, err_msg=f"{name} {kwargs} after batch {i}")
    config = {k: plain(v) for k, v in ours.get_config().items() if k not in ("name", "dtype")}
    want = {k: plain(v) for k, v in theirs.get_config().items() if k not in ("name", "dtype")}
    assert config == want


def check_reset_and_from_config(name, kwargs, kind):
    cls = getattr(metrics, name)
    m = cls(**kwargs)
    data = batches(kind, seed=3)
    for y_true, y_pred, w in data:
        m.update_state(y_true, y_pred, sample_weight=w)
    first = ops.convert_to_numpy(m.result())
    m.reset_state()
    clone = cls.from_config(m.get_config())
    for y_true, y_pred, w in data:
        m.update_state(y_true, y_pred, sample_weight=w)
        clone.update_state(y_true, y_pred, sample_weight=w)
    np.testing.assert_allclose(ops.convert_to_numpy(m.result()), first, atol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(clone.result()), first, atol=1e-6)
