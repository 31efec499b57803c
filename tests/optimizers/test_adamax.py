"""Adamax: betas, epsilon, weight decay;
many steps against Keras 3 (weights and slots), config round trip."""

import pytest

from tests.optimizers.parity import check_config, check_trajectory

CASES = [
    {},
    {"learning_rate": 0.02, "beta_1": 0.5, "beta_2": 0.7},
    {"learning_rate": 0.02, "epsilon": 0.001, "weight_decay": 0.05},
]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_trajectory_matches_keras3(kwargs):
    check_trajectory("Adamax", kwargs)


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_config_matches_keras3(kwargs):
    check_config("Adamax", kwargs)
