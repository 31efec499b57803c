"""Probabilistic metrics (KL, Poisson, hinges, crossentropies): streamed vs Keras 3."""

import numpy as np
import pytest

from kerastorch import metrics, ops
from tests.metrics.streaming import check_against_keras3, check_reset_and_from_config

CASES = [
    ("KLDivergence", {}, "onehot"), ("Poisson", {}, "positive"), ("Hinge", {}, "multi_binary"),
    ("SquaredHinge", {}, "multi_binary"), ("CategoricalHinge", {}, "onehot"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, "multi_binary"),
    ("CategoricalCrossentropy", {}, "onehot"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "onehot_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {}, "sparse_col"),
]
IDS = [f"{n}-{i}" for i, (n, _, _) in enumerate(CASES)]


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=IDS)
def test_matches_keras3(name, kwargs, kind):
    check_against_keras3(name, kwargs, kind)


@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=IDS)
def test_reset_and_from_config(name, kwargs, kind):
    check_reset_and_from_config(name, kwargs, kind)


def test_by_hand():
    m = metrics.BinaryCrossentropy()
    m.update_state([[1.0], [0.0]], [[0.9], [0.2]], sample_weight=[1.0, 3.0])
    want = (-np.log(0.9) - 3 * np.log(0.8)) / 4
    assert float(ops.convert_to_numpy(m.result())) == pytest.approx(want, rel=1e-5)
    h = metrics.Hinge()
    h.update_state([[1.0, 0.0]], [[0.5, -0.5]])  # labels {0,1} become {-1,1}
    assert float(ops.convert_to_numpy(h.result())) == pytest.approx(0.5)
