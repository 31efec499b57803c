"""tf.print's formatting, printed to stdout: run under real TensorFlow and under
`kerastorch run`, the lines must be the same (tests/porting/tf/test_control_flow.py)."""
import sys

import numpy as np
import tensorflow as tf

out = sys.stdout
tf.print(tf.constant([1, 2, 3]), output_stream=out)
tf.print("loss:", tf.constant(1 / 3), 5, 2.5, output_stream=out)
tf.print(tf.constant(np.arange(20)), output_stream=out)
tf.print(tf.reshape(tf.range(12), (3, 4)), output_stream=out)
tf.print(tf.constant([True, False]), tf.constant(1e-8), tf.constant(123456789.0), output_stream=out)
tf.print({"a": tf.constant(1)}, [tf.constant(2), 3], output_stream=out)
tf.print(tf.constant(np.arange(8)), summarize=-1, sep=",", end="|\n", output_stream=out)
tf.print(tf.constant(2.0, tf.float64) / 3, output_stream=out)
tf.print(tf.reshape(tf.range(24), (2, 3, 4)), output_stream=out)
tf.print(tf.reshape(tf.range(100), (10, 10)), output_stream=out)
tf.print(tf.constant([-1.5, 0.0, 2.25e10]), tf.constant(7, tf.int64), output_stream=out)
