"""Sum, Mean and MeanMetricWrapper: weighted streams (1-D and per-entry weights) vs Keras 3."""

import numpy as np
import pytest

from kerastorch import metrics, ops
from tests.keras3 import import_keras3


def _stream():
    rng = np.random.default_rng(2)
    return [(rng.normal(size=(4, 3)).astype("float32"), w) for w in
            (None, rng.uniform(0, 2, size=(4,)).astype("float32"),
             rng.uniform(0, 2, size=(4, 3)).astype("float32"),
             rng.uniform(0, 2, size=(4, 1)).astype("float32"))]


@pytest.mark.parametrize("name", ["Sum", "Mean"])
def test_sum_and_mean_match_keras3(name):
    keras = import_keras3()
    ours, theirs = getattr(metrics, name)(), getattr(keras.metrics, name)()
    for values, w in _stream():
        ours.update_state(values, sample_weight=w)
        theirs.update_state(values, sample_weight=w)
        np.testing.assert_allclose(ops.convert_to_numpy(ours.result()),
                                   keras.ops.convert_to_numpy(theirs.result()), rtol=1e-5)


def test_mean_metric_wrapper_matches_keras3():
    keras = import_keras3()

    def abs_err(y_true, y_pred):
        return abs(y_true - y_pred)

    ours = metrics.MeanMetricWrapper(abs_err, name="abs_err")
    theirs = keras.metrics.MeanMetricWrapper(abs_err, name="abs_err")
    rng = np.random.default_rng(4)
    for i in range(3):
        y_true = rng.normal(size=(4, 3)).astype("float32")
        y_pred = rng.normal(size=(4, 3)).astype("float32")
        w = None if i == 0 else rng.uniform(0, 2, size=(4,)).astype("float32")
        ours.update_state(y_true, y_pred, sample_weight=w)
        theirs.update_state(y_true, y_pred, sample_weight=w)
        np.testing.assert_allclose(ops.convert_to_numpy(ours.result()),
                                   keras.ops.convert_to_numpy(theirs.result()), rtol=1e-5)


def test_by_hand():
    s = metrics.Sum()
    s.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 2.0])
    assert float(ops.convert_to_numpy(s.result())) == pytest.approx(7.0)
    m = metrics.Mean()
    m.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 2.0])
    assert float(ops.convert_to_numpy(m.result())) == pytest.approx(7.0 / 3)
    m.update_state(5.0)
    assert float(ops.convert_to_numpy(m.result())) == pytest.approx(12.0 / 4)
    assert float(ops.convert_to_numpy(metrics.Mean().result())) == 0.0  # nothing seen: 0
    m.reset_state()
    m.update_state([[1.0, 3.0]])  # per-entry values are averaged within the sample
    assert float(ops.convert_to_numpy(m.result())) == pytest.approx(2.0)
