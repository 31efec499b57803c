"""Prints the versions of the oracle (run under the TensorFlow venv)."""
import tensorflow as tf
import tf_keras

print(tf.__version__, tf_keras.__version__)
