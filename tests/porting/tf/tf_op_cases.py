"""Runs the op table (op_cases.py) in real TensorFlow 2.21 and pickles what each case gave.

    python tf_op_cases.py OUT.pkl

For each case id: ("T", array, dtype name) for a tensor, ("S", bytes or object array) for a
string tensor, ("L", [...]) for a tuple/list (a RaggedTensor as its to_list()), ("P", value) for
a Python value, or ("E", exception class name, message) when TensorFlow raised.
"""

import os
import pickle
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import op_cases  # noqa: E402


def pack(value):
    if isinstance(value, tf.IndexedSlices):  # the gradient of a gather, made dense
        value = tf.convert_to_tensor(value)
    if isinstance(value, tf.RaggedTensor):
        return pack(value.to_list())
    if isinstance(value, (tf.Tensor, tf.Variable)):
        if value.dtype == tf.string:
            return ("S", value.numpy())
        return ("T", np.asarray(value.numpy()), value.dtype.name)
    if isinstance(value, (list, tuple)):
        return ("L", [pack(v) for v in value])
    if isinstance(value, bytes):
        return ("S", value)
    if type(value).__module__.startswith("tensorflow"):
        return ("P", repr(value))  # an object the test side could not unpickle
    return ("P", value)


def resolve(path):
    if callable(path):
        return lambda *args, **kwargs: path(tf, *args, **kwargs)
    obj = tf
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def gradient(fn, args, kwargs):
    x = tf.constant(args[0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = fn(x, *args[1:], **kwargs)
        out = out[0] if isinstance(out, (list, tuple)) else out
        w = tf.constant(op_cases.weights(out.shape), dtype=out.dtype)
        loss = tf.reduce_sum(out * w)
    return tape.gradient(loss, x)


def main(out):
    tf.random.set_seed(0)
    results = {}
    for spec in op_cases.CASES:
        try:
            args = op_cases.materialize(spec["args"], tf.constant)
            kwargs = op_cases.materialize(spec["kwargs"], tf.constant)
            fn = resolve(spec["fn"])
            if spec["compare"] == "grad":
                results[spec["id"]] = pack(gradient(fn, args, kwargs))
            else:
                results[spec["id"]] = pack(fn(*args, **kwargs))
        except Exception as e:  # noqa: BLE001  (the error is the result)
            results[spec["id"]] = ("E", type(e).__name__, str(e)[:300])
    with open(out, "wb") as f:
        pickle.dump(results, f)


if __name__ == "__main__":
    main(sys.argv[1])
