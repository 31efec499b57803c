"""Oracle side of tests/legacy/test_backend.py: runs backend_cases.CASES (and a functional model
built from `K.*` calls) through tf.keras 2.21's `tf_keras.backend`, writing `tf_out.npz` and
`tf_out.json` into the folder argv[1]. Imports tf_keras / numpy / json only."""

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import tensorflow as tf
import tf_keras as keras
from tf_keras import backend as K

sys.path.insert(0, str(Path(__file__).resolve().parent))
from backend_cases import CASES  # noqa: E402
from backend_cases import make_arg  # noqa: E402


def tensor_arg(spec):
    """The argument as a script passes it: arrays as tensors."""
    value = make_arg(spec)
    if isinstance(value, np.ndarray):
        return tf.constant(value)
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        return [tf.constant(v) for v in value]
    return value


def as_array(value):
    if isinstance(value, (tuple, list)) and not hasattr(value, "numpy"):
        return np.asarray(value, dtype=object if None in value else None)
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def main(folder):
    folder = Path(folder)
    arrays, meta = {}, {"cases": []}
    for i, (name, args, kwargs) in enumerate(CASES):
        value = getattr(K, name)(*[tensor_arg(a) for a in args], **kwargs)
        if isinstance(value, (str, int, float, tuple)) and not hasattr(value, "numpy"):
            meta["cases"].append({"python": list(value) if isinstance(value, tuple) else value})
            continue
        out = as_array(value)
        arrays[f"case{i}"] = out
        meta["cases"].append({"dtype": str(out.dtype), "shape": list(out.shape)})

    # K.* on Keras tensors: graph nodes of a functional model.
    inputs = keras.Input((3, 4))
    x = K.square(inputs)
    x = K.mean(x, axis=-1, keepdims=True)
    x = K.concatenate([x, K.exp(inputs)], axis=-1)
    x = K.reshape(x, (-1, 15))
    outputs = K.clip(x, 0.0, 2.0)
    model = keras.Model(inputs, outputs)
    meta["layers"] = [[type(l).__name__, l.name, list(l.output.shape)] for l in model.layers]
    meta["int_shape"] = list(K.int_shape(outputs))
    data = make_arg({"array": [2, 3, 4], "seed": 11, "low": -1.0, "high": 1.0,
                     "dtype": "float32"})
    arrays["functional"] = model.predict(data, verbose=0)
    fn = K.function([inputs], [outputs, x])
    arrays["function0"], arrays["function1"] = fn([data])

    # Variables.
    v = K.variable(np.arange(6).reshape(2, 3))
    meta["variable_dtype"] = K.dtype(v)
    K.set_value(v, np.full((2, 3), 2.5))
    arrays["set_value"] = K.get_value(v)
    K.update_add(v, np.ones((2, 3), "float32"))
    arrays["update_add"] = K.eval(v)
    arrays["zeros"], arrays["eye"] = K.get_value(K.zeros((2, 2))), K.get_value(K.eye(3))
    sample = K.random_normal((2000, 3), mean=1.0, stddev=2.0, seed=1)
    meta["random_normal"] = [list(sample.shape), str(sample.dtype.name),
                             float(np.mean(sample)), float(np.std(sample))]
    sample = K.random_uniform((2000,), minval=-1.0, maxval=3.0)
    meta["random_uniform"] = [list(sample.shape), float(np.min(sample)), float(np.max(sample))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        K.set_learning_phase(1)
    meta["set_learning_phase_warns"] = any("set_learning_phase" in str(w.message) for w in caught)
    K.clear_session()
    meta["dense_after_clear"] = keras.layers.Dense(1).name
    np.savez(folder / "tf_out.npz", **arrays)
    (folder / "tf_out.json").write_text(json.dumps(meta))


if __name__ == "__main__":
    main(sys.argv[1])
