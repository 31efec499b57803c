"""The Metric base class: state variables, nested metrics, call = update + result, reset,
config, the forgotten-super error; a subclass written for Keras 3 gives the same numbers."""

import numpy as np
import pytest

from kerastorch import metrics, ops
from tests.keras3 import import_keras3


def _count_class(base, keras_ops):
    class WeightedCount(base):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.total = self.add_variable(shape=(), initializer="zeros", name="total")
            self.hits = self.add_variable(shape=(2,), initializer="ones", name="hits")
            self.inner = (metrics.Mean if base is metrics.Metric else
                          import_keras3().metrics.Mean)(name="inner")

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_true = keras_ops.convert_to_tensor(y_true, "float32")
            self.total.assign_add(keras_ops.sum(y_true))
            self.hits.assign_add(keras_ops.stack([keras_ops.sum(y_true), keras_ops.max(y_true)]))
            self.inner.update_state(y_pred)

        def result(self):
            return self.total.value + self.inner.result()
    return WeightedCount


def test_state_call_reset_and_nesting():
    m = _count_class(metrics.Metric, ops)(name="wc")
    assert [v.name for v in m.variables] == ["total", "hits"] + [v.name for v in m.inner.variables]
    np.testing.assert_allclose(ops.convert_to_numpy(m.hits.value), [1.0, 1.0])
    out = m([1.0, 2.0], [4.0, 6.0])
    assert float(ops.convert_to_numpy(out)) == pytest.approx(3.0 + 5.0)
    m.update_state([1.0], [0.0])
    assert float(ops.convert_to_numpy(m.result())) == pytest.approx(4.0 + 10.0 / 3)
    m.reset_state()
    assert all(float(np.abs(ops.convert_to_numpy(v.value)).sum()) == 0.0 for v in m.variables)
    assert m.get_config() == {"name": "wc", "dtype": "float32"}
    assert "wc" in repr(m) and str(m) == repr(m)
    assert m.dtype == "float32"


def test_forgotten_super_and_abstract_methods():
    class NoSuper(metrics.Metric):
        def __init__(self):
            self.v = self.add_variable(shape=(), initializer="zeros")

    with pytest.raises(RuntimeError, match="super"):
        NoSuper()
    with pytest.raises(NotImplementedError):
        metrics.Metric().update_state(1)
    with pytest.raises(NotImplementedError):
        metrics.Metric().result()


def test_dtype_and_from_config():
    m = metrics.Mean(name="m64", dtype="float64")
    m.update_state([1.0, 2.0])
    assert ops.convert_to_numpy(m.result()).dtype == np.float64
    clone = metrics.Mean.from_config(m.get_config())
    assert (clone.name, clone.dtype) == ("m64", "float64")
    assert metrics.Metric().name.startswith("metric")


def test_subclass_matches_keras3():
    keras = import_keras3()
    ours = _count_class(metrics.Metric, ops)()
    theirs = _count_class(keras.metrics.Metric, keras.ops)()
    rng = np.random.default_rng(0)
    for _ in range(3):
        y_true = rng.normal(size=(5,)).astype("float32")
        y_pred = rng.normal(size=(5,)).astype("float32")
        np.testing.assert_allclose(ops.convert_to_numpy(ours(y_true, y_pred)),
                                   keras.ops.convert_to_numpy(theirs(y_true, y_pred)), atol=1e-5)
    ours.reset_state()
    theirs.reset_state()
    for a, b in zip(ours.variables, theirs.variables):
        np.testing.assert_allclose(ops.convert_to_numpy(a.value), keras.ops.convert_to_numpy(b))
