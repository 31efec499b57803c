"""Lion: beta_1, beta_2, weight decay;
many steps against Keras 3 (weights and slots), config round trip."""

import pytest

from tests.optimizers.parity import check_config, check_trajectory

CASES = [
    {},
    {"learning_rate": 0.01, "beta_2": 0.5},
    {"learning_rate": 0.01, "beta_1": 0.2, "beta_2": 0.9, "weight_decay": 0.1, "clipvalue": 0.5},
]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_trajectory_matches_keras3(kwargs):
    check_trajectory("Lion", kwargs)


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_config_matches_keras3(kwargs):
    check_config("Lion", kwargs)
