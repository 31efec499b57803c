"""optimizers.legacy.Adagrad (tf.keras 2's legacy optimizer): eight apply_gradients steps on two
variables land on tf.keras 2.21's weights (live oracle; see oracle_steps.ALL_CASES)."""

from tests.optimizers.legacy.oracle_steps import check


def test_steps_match_tf_keras():
    check("Adagrad")
