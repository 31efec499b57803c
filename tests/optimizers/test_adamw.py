"""AdamW: decoupled weight decay, AMSGrad, betas;
many steps against Keras 3 (weights and slots), config round trip."""

import pytest

from tests.optimizers.parity import check_config, check_trajectory

CASES = [
    {},
    {"learning_rate": 0.02, "weight_decay": 0.2, "amsgrad": True},
    {"learning_rate": 0.02, "beta_1": 0.7, "beta_2": 0.8, "epsilon": 0.0001},
]


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_trajectory_matches_keras3(kwargs):
    check_trajectory("AdamW", kwargs)


@pytest.mark.parametrize("kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_config_matches_keras3(kwargs):
    check_config("AdamW", kwargs)
