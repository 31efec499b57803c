"""Adagrad: accumulator start, epsilon, clipping;
many steps against Keras 3 (weights and slots), config round trip."""

import pytest

from tests.optimizers.parity import check_config, check_trajectory

CASES = [
    {"learning_rate": 0.1},
    {"learning_rate": 0.1, "initial_accumulator_value": 0.01, "epsilon": 0.001},
    {"learning_rate": 0.1, "clipnorm": 0.5, "weight_decay": 0.02},
]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_trajectory_matches_keras3(kwargs):
    check_trajectory("Adagrad", kwargs)


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_config_matches_keras3(kwargs):
    check_config("Adagrad", kwargs)
