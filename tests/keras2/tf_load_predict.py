"""Loads files kerastorch wrote into real tf.keras 2.21 and predicts (run under the TF venv).

    python tf_load_predict.py MANIFEST.json OUT.npz

MANIFEST.json is a list of cases, each

    {"name": str, "inputs": "x.npz", "model_h5": "m.h5" or null,
     "weights_h5": "w.h5" or null, "builder": a name of BUILDERS or null}

`x.npz` holds `x` (or `x_0`, `x_1`, ... for several inputs). For `model_h5` the case runs
`tf_keras.models.load_model(model_h5)` and writes `<name>__model` (`<name>__model_<i>` per output)
to OUT.npz, plus `<name>__model_compiled` (1 when the training config came back) and `<name>__opt_<k>`, the
optimizer's variables as tf.keras restored them (the report then has the optimizer's class,
learning rate and loss). For `weights_h5`
it builds the architecture `builder` here, in tf.keras code, runs `model.load_weights(weights_h5)`
(by order, then by name into a fresh model) and writes `<name>__weights` and `<name>__by_name`.
Errors do not stop the batch: stdout is one JSON object `{case: {step: "ok" or the error}}`.

The builders mirror the kerastorch models of tests/keras2/test_write_back.py layer for layer (same
names), so a weights file is read into a model tf.keras made itself. Imports only tensorflow,
tf_keras, numpy and json.
"""

import json
import os
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tf_keras  # noqa: E402

L = tf_keras.layers


def mlp():
    return tf_keras.Sequential([tf_keras.Input((6,)), L.Dense(8, activation="relu", name="d1"),
                                L.Dropout(0.2, name="drop"),
                                L.Dense(3, activation="softmax", name="d2")], name="mlp")


def cnn_bn():
    inp = tf_keras.Input((8, 8, 3), name="image")
    x = L.Conv2D(4, 3, padding="same", activation="relu", name="conv")(inp)
    x = L.BatchNormalization(name="bn")(x)
    x = L.MaxPooling2D(name="pool")(x)
    x = L.Conv2D(3, 1, activation="relu", name="pixel_conv")(x)
    x = L.Flatten(name="flat")(x)
    return tf_keras.Model(inp, L.Dense(2, name="out")(x), name="cnn_bn")


def separable():
    inp = tf_keras.Input((8, 8, 3), name="image")
    x = L.SeparableConv2D(4, 3, padding="same", depth_multiplier=2, name="sep")(inp)
    x = L.DepthwiseConv2D(3, strides=2, name="dw")(x)
    x = L.GlobalAveragePooling2D(name="gap")(x)
    return tf_keras.Model(inp, L.Dense(2, name="out")(x), name="separable")


def pixel_softmax():
    inp = tf_keras.Input((6, 6, 3), name="image")
    x = L.Conv2D(4, 3, padding="same", name="conv")(inp)
    return tf_keras.Model(inp, L.Conv2D(3, 1, activation="softmax", name="seg")(x),
                          name="pixel_softmax")


def rnn():
    inp = tf_keras.Input((5, 3), name="series")
    x = L.LSTM(4, return_sequences=True, name="lstm")(inp)
    x = L.GRU(3, name="gru")(x)
    return tf_keras.Model(inp, L.Dense(1, name="out")(x), name="rnn")


def embedding_lstm():
    inp = tf_keras.Input((6,), dtype="int32", name="tokens")
    x = L.Embedding(20, 4, mask_zero=True, name="emb")(inp)
    x = L.Bidirectional(L.LSTM(3), name="bilstm")(x)
    return tf_keras.Model(inp, L.Dense(2, activation="softmax", name="out")(x), name="emb_lstm")


def multi_input():
    a = tf_keras.Input((4,), name="a")
    b = tf_keras.Input((3,), name="b")
    shared = L.Dense(5, activation="tanh", name="shared")
    ha = shared(a)
    hb = shared(L.Dense(4, name="b_proj")(b))
    h = L.concatenate([L.add([ha, hb], name="sum"), ha], name="cat")
    out1 = L.Dense(2, activation="softmax", name="cls")(h)
    out2 = L.Dense(1, name="reg")(h)
    return tf_keras.Model([a, b], [out1, out2], name="multi_input")


BUILDERS = {f.__name__: f for f in (mlp, cnn_bn, separable, pixel_softmax, rnn, embedding_lstm,
                                    multi_input)}


def _inputs(path):
    with np.load(path) as data:
        if "x" in data.files:
            return data["x"]
        return [data[f"x_{i}"] for i in range(len(data.files))]


def _put(out, key, pred):
    if isinstance(pred, list):
        for i, p in enumerate(pred):
            out[f"{key}_{i}"] = p
    else:
        out[key] = pred


def _step(report, name, step, fn):
    try:
        fn()
        report[name][step] = "ok"
    except Exception as e:  # reported to the test, which names the case and the error
        report[name][step] = f"{type(e).__name__}: {e}"[:2000]


def main(manifest_path, out_path):
    with open(manifest_path) as f:
        cases = json.load(f)
    out, report = {}, {}
    for case in cases:
        name = case["name"]
        report[name] = {}
        x = _inputs(case["inputs"])
        if case.get("model_h5"):
            def load_full(case=case, name=name, x=x):
                tf_keras.backend.clear_session()
                model = tf_keras.models.load_model(case["model_h5"])
                _put(out, f"{name}__model", model.predict(x, verbose=0))
                out[f"{name}__model_compiled"] = np.array(int(model.optimizer is not None))
                if model.optimizer is not None:
                    opt = model.optimizer
                    report[name]["optimizer"] = {
                        "class_name": type(opt).__name__,
                        "learning_rate": float(np.asarray(opt.learning_rate)),
                        "loss": model.loss}
                    for i, v in enumerate(opt.variables):
                        out[f"{name}__opt_{i}"] = np.asarray(v)
            _step(report, name, "model", load_full)
        if case.get("weights_h5"):
            def load_weights(case=case, name=name, x=x):
                tf_keras.backend.clear_session()
                model = BUILDERS[case["builder"]]()
                model.load_weights(case["weights_h5"])
                _put(out, f"{name}__weights", model.predict(x, verbose=0))

            def load_by_name(case=case, name=name, x=x):
                tf_keras.backend.clear_session()
                model = BUILDERS[case["builder"]]()
                model.load_weights(case["weights_h5"], by_name=True)
                _put(out, f"{name}__by_name", model.predict(x, verbose=0))
            _step(report, name, "weights", load_weights)
            _step(report, name, "by_name", load_by_name)
    np.savez(out_path, **out)
    print(json.dumps(report, default=lambda o: getattr(o, "__name__", type(o).__name__)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
