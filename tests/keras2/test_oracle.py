"""The oracle itself: the TensorFlow venv runs and is the version the tests are written for."""

from tests.keras2.oracle import run_tf


def test_oracle_is_tensorflow_2_21_with_tf_keras_2_21():
    assert run_tf("tf_smoke.py").split() == ["2.21.0", "2.21.0"]
