"""Adadelta: rho and epsilon; many steps against Keras 3 (weights and slots), config round trip."""

import pytest

from tests.optimizers.parity import check_config, check_trajectory

CASES = [
    {},
    {"learning_rate": 1.0, "rho": 0.5},
    {"learning_rate": 0.5, "epsilon": 0.001, "weight_decay": 0.01},
]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_trajectory_matches_keras3(kwargs):
    check_trajectory("Adadelta", kwargs)


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_config_matches_keras3(kwargs):
    check_config("Adadelta", kwargs)
