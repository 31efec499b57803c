"""RMSprop: rho, momentum, centered, epsilon;
many steps against Keras 3 (weights and slots), config round trip."""

import pytest

from tests.optimizers.parity import check_config, check_trajectory

CASES = [
    {"learning_rate": 0.01, "centered": True},
    {"learning_rate": 0.01, "rho": 0.5, "momentum": 0.5, "epsilon": 0.001},
    {"learning_rate": 0.01, "momentum": 0.9, "weight_decay": 0.05},
]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_trajectory_matches_keras3(kwargs):
    check_trajectory("RMSprop", kwargs)


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_config_matches_keras3(kwargs):
    check_config("RMSprop", kwargs)
