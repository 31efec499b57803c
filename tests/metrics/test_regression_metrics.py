"""Regression metrics: streamed weighted batches vs Keras 3, R2Score options, by-hand values."""

import numpy as np
import pytest

from kerastorch import metrics, ops
from tests.metrics.streaming import check_against_keras3, check_reset_and_from_config

CASES = [
    ("MeanSquaredError", {}, "regression"), ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("RootMeanSquaredError", {}, "regression"), ("CosineSimilarity", {}, "regression"),
    ("LogCoshError", {}, "regression"),
    ("R2Score", {}, "regression"), ("R2Score", {"class_aggregation": None}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "regression"),
    ("R2Score", {"num_regressors": 2}, "regression"),
]
IDS = [f"{n}-{i}" for i, (n, _, _) in enumerate(CASES)]


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=IDS)
def test_matches_keras3(name, kwargs, kind):
    check_against_keras3(name, kwargs, kind, atol=1e-5)


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=IDS)
def test_reset_and_from_config(name, kwargs, kind):
    check_reset_and_from_config(name, kwargs, kind)


def test_by_hand():
    rmse = metrics.RootMeanSquaredError()
    rmse.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    assert float(ops.convert_to_numpy(rmse.result())) == pytest.approx(0.5)
    r2 = metrics.R2Score()
    y = np.array([[1.0], [2.0], [3.0], [4.0]], "float32")
    r2.update_state(y, y)
    assert float(ops.convert_to_numpy(r2.result())) == pytest.approx(1.0)
    r2.reset_state()
    r2.update_state(y, np.full_like(y, y.mean()))
    assert float(ops.convert_to_numpy(r2.result())) == pytest.approx(0.0, abs=1e-6)


def test_r2_bad_arguments():
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="median")
    with pytest.raises(ValueError, match="num_regressors"):
        metrics.R2Score(num_regressors=-1)
    r2 = metrics.R2Score()
    with pytest.raises(ValueError):
        r2.update_state(np.zeros((4,), "float32"), np.zeros((4,), "float32"))  # rank 1
