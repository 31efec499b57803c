"""SGD: plain, momentum, Nesterov, with weight decay and clipping;
many steps against Keras 3 (weights and slots), config round trip."""

import pytest

from tests.optimizers.parity import check_config, check_trajectory

CASES = [
    {},
    {"learning_rate": 0.05, "momentum": 0.5},
    {"learning_rate": 0.05, "momentum": 0.99, "nesterov": True, "weight_decay": 0.01},
    {"learning_rate": 0.05, "momentum": 0.9, "clipvalue": 0.1},
]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_trajectory_matches_keras3(kwargs):
    check_trajectory("SGD", kwargs)


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_config_matches_keras3(kwargs):
    check_config("SGD", kwargs)
