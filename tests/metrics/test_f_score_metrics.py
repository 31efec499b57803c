"""FBetaScore and F1Score: every average, thresholds, beta; streamed vs Keras 3; errors."""

import numpy as np
import pytest

from kerastorch import metrics, ops
from tests.metrics.streaming import check_against_keras3, check_reset_and_from_config

CASES = [
    ("F1Score", {}, "multi_binary"), ("F1Score", {"average": "micro"}, "multi_binary"),
    ("F1Score", {"average": "macro", "threshold": 0.5}, "multi_binary"),
    ("F1Score", {"average": "weighted"}, "onehot"),
    ("FBetaScore", {"beta": 2.0}, "multi_binary"),
    ("FBetaScore", {"beta": 0.5, "average": "macro", "threshold": 0.4}, "multi_binary"),
    ("FBetaScore", {"average": "weighted", "threshold": 0.3}, "multi_binary"),
]
IDS = [f"{n}-{i}" for i, (n, _, _) in enumerate(CASES)]


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=IDS)
def test_matches_keras3(name, kwargs, kind):
    check_against_keras3(name, kwargs, kind)


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=IDS)
def test_reset_and_from_config(name, kwargs, kind):
    check_reset_and_from_config(name, kwargs, kind)


def test_by_hand():
    m = metrics.F1Score(average="micro", threshold=0.5)
    m.update_state(np.array([[1, 0], [1, 1]], "float32"),
                   np.array([[0.9, 0.8], [0.1, 0.7]], "float32"))
    # tp 2, fp 1, fn 1
    assert float(ops.convert_to_numpy(m.result())) == pytest.approx(2 / 3)
    per_class = metrics.F1Score(threshold=0.5)
    per_class.update_state(np.array([[1, 0], [1, 1]], "float32"),
                           np.array([[0.9, 0.8], [0.1, 0.7]], "float32"))
    np.testing.assert_allclose(ops.convert_to_numpy(per_class.result()), [2 / 3, 2 / 3], rtol=1e-5)


def test_bad_arguments():
    with pytest.raises(ValueError, match="average"):
        metrics.F1Score(average="median")
    with pytest.raises(ValueError, match="beta"):
        metrics.FBetaScore(beta=0)
    with pytest.raises(ValueError, match="threshold"):
        metrics.F1Score(threshold=1.5)
    m = metrics.F1Score()
    with pytest.raises(ValueError):
        m.update_state(np.zeros((4,), "float32"), np.zeros((4,), "float32"))  # rank 1
