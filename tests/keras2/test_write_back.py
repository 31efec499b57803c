"""Writing back to Keras 2: `.h5` files kerastorch writes load in real tf.keras 2.21 and predict
the same (float32, atol 1e-5).

Each kerastorch model below has a tf.keras twin, layer for layer with the same names, in
tests/keras2/tf_load_predict.py. One TensorFlow subprocess reads every file: the whole-model `.h5`
with `tf_keras.models.load_model`, the weights `.h5` with `load_weights` into the twin (by order
and `by_name=True`).
"""

import json

import numpy as np
import pytest

import kerastorch as keras
from kerastorch import layers as L
from tests.keras2.oracle import run_tf

ATOL = 1e-5


def mlp():
    model = keras.Sequential([keras.Input((6,)), L.Dense(8, activation="relu", name="d1"),
                              L.Dropout(0.2, name="drop"),
                              L.Dense(3, activation="softmax", name="d2")], name="mlp")
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def cnn_bn():
    inp = keras.Input((8, 8, 3), name="image")
    x = L.Conv2D(4, 3, padding="same", activation="relu", name="conv")(inp)
    x = L.BatchNormalization(name="bn")(x)
    x = L.MaxPooling2D(name="pool")(x)
    x = L.Conv2D(3, 1, activation="relu", name="pixel_conv")(x)
    x = L.Flatten(name="flat")(x)
    model = keras.Model(inp, L.Dense(2, name="out")(x), name="cnn_bn")
    model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9), loss="mse")
    return model


def separable():
    inp = keras.Input((8, 8, 3), name="image")
    x = L.SeparableConv2D(4, 3, padding="same", depth_multiplier=2, name="sep")(inp)
    x = L.DepthwiseConv2D(3, strides=2, name="dw")(x)
    x = L.GlobalAveragePooling2D(name="gap")(x)
    model = keras.Model(inp, L.Dense(2, name="out")(x), name="separable")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    return model


def pixel_softmax():
    """The last layer of a segmentation model: a softmax over the channels of each pixel."""
    inp = keras.Input((6, 6, 3), name="image")
    x = L.Conv2D(4, 3, padding="same", name="conv")(inp)
    return keras.Model(inp, L.Conv2D(3, 1, activation="softmax", name="seg")(x),
                       name="pixel_softmax")


def rnn():
    inp = keras.Input((5, 3), name="series")
    x = L.LSTM(4, return_sequences=True, name="lstm")(inp)
    x = L.GRU(3, name="gru")(x)
    return keras.Model(inp, L.Dense(1, name="out")(x), name="rnn")


def embedding_lstm():
    inp = keras.Input((6,), dtype="int32", name="tokens")
    x = L.Embedding(20, 4, mask_zero=True, name="emb")(inp)
    x = L.Bidirectional(L.LSTM(3), name="bilstm")(x)
    model = keras.Model(inp, L.Dense(2, activation="softmax", name="out")(x), name="emb_lstm")
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def multi_input():
    a = keras.Input((4,), name="a")
    b = keras.Input((3,), name="b")
    shared = L.Dense(5, activation="tanh", name="shared")
    ha = shared(a)
    hb = shared(L.Dense(4, name="b_proj")(b))
    h = L.concatenate([L.add([ha, hb], name="sum"), ha], name="cat")
    out1 = L.Dense(2, activation="softmax", name="cls")(h)
    out2 = L.Dense(1, name="reg")(h)
    model = keras.Model([a, b], [out1, out2], name="multi_input")
    model.compile(optimizer="adam", loss=["sparse_categorical_crossentropy", "mse"],
                  loss_weights=[1.0, 0.5])
    return model


def _inputs(name, rng):
    if name == "mlp":
        return [rng.standard_normal((5, 6))]
    if name == "cnn_bn":
        return [rng.standard_normal((5, 8, 8, 3))]
    if name == "separable":
        return [rng.standard_normal((5, 8, 8, 3))]
    if name == "pixel_softmax":
        return [rng.standard_normal((5, 6, 6, 3))]
    if name == "rnn":
        return [rng.standard_normal((5, 5, 3))]
    if name == "embedding_lstm":
        tokens = rng.integers(1, 20, size=(5, 6))
        tokens[:, 4:] = 0
        tokens[0, 2:] = 0
        return [tokens.astype("int32")]
    return [rng.standard_normal((5, 4)), rng.standard_normal((5, 3))]


BUILDERS = {f.__name__: f for f in (mlp, cnn_bn, separable, pixel_softmax, rnn, embedding_lstm,
                                    multi_input)}
TARGETS = {  # for one epoch of fit() on the compiled models
    "mlp": lambda: np.array([0, 1, 2, 1, 0], "int32"),
    "cnn_bn": lambda: np.ones((5, 2), "float32"),
    "separable": lambda: np.ones((5, 2), "float32"),
    "embedding_lstm": lambda: np.eye(2, dtype="float32")[[0, 1, 1, 0, 1]],
    "multi_input": lambda: [np.array([0, 1, 1, 0, 1], "int32"), np.ones((5, 1), "float32")],
}


def _randomize(model, rng):
    """Random weights (biases and BatchNormalization statistics included), variances > 0."""
    for layer in model.layers:
        values = []
        for w in layer.weights:
            if "variance" in w.name:
                values.append(rng.uniform(0.5, 1.5, tuple(w.shape)).astype("float32"))
            else:
                values.append((rng.standard_normal(tuple(w.shape)) * 0.5).astype("float32"))
        if values:
            layer.set_weights(values)


@pytest.fixture(scope="module")
def written_back(tmp_path_factory):
    """Every model saved by kerastorch, read by tf.keras in one subprocess."""
    root = tmp_path_factory.mktemp("write_back")
    rng = np.random.default_rng(0)
    manifest, expected = [], {}
    for name, build in BUILDERS.items():
        keras.backend.clear_session()
        model = build()
        xs = [x.astype("float32") if x.dtype.kind == "f" else x for x in _inputs(name, rng)]
        if model.optimizer is not None:  # a trained optimizer, so optimizer_weights get written
            model.fit(xs if len(xs) > 1 else xs[0], TARGETS[name](), epochs=1, batch_size=5,
                      verbose=0)
        _randomize(model, rng)
        pred = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        expected[name] = pred if isinstance(pred, list) else [pred]
        if model.optimizer is not None:
            opt = model.optimizer
            expected[f"{name}__optimizer"] = {
                "class_name": type(opt).__name__,
                "learning_rate": float(opt.get_config()["learning_rate"]),
                "variables": [np.asarray(v.detach().cpu()) for v in
                              opt._keras_layout(opt.variables)]}
        np.savez(root / f"{name}_x.npz", **({"x": xs[0]} if len(xs) == 1 else
                                            {f"x_{i}": x for i, x in enumerate(xs)}))
        model.save(root / f"{name}.h5")
        model.save_weights(root / f"{name}.weights_only.h5")
        manifest.append({"name": name, "inputs": str(root / f"{name}_x.npz"),
                         "model_h5": str(root / f"{name}.h5"),
                         "weights_h5": str(root / f"{name}.weights_only.h5"), "builder": name})
    (root / "manifest.json").write_text(json.dumps(manifest))
    report = json.loads(run_tf("tf_load_predict.py", root / "manifest.json", root / "out.npz")
                        .strip().splitlines()[-1])
    with np.load(root / "out.npz") as out:
        results = {k: out[k] for k in out.files}
    return expected, report, results


def _got(results, key, n):
    if n == 1:
        return [results[key]]
    return [results[f"{key}_{i}"] for i in range(n)]


@pytest.mark.parametrize("name", list(BUILDERS))
@pytest.mark.parametrize("step", ["model", "weights", "by_name"])
def test_kerastorch_h5_loads_in_tf_keras_and_predicts_the_same(written_back, name, step):
    expected, report, results = written_back
    assert report[name][step] == "ok", f"tf.keras could not read {name} ({step}): " \
                                       f"{report[name][step]}"
    got = _got(results, f"{name}__{step}", len(expected[name]))
    for e, g in zip(expected[name], got, strict=True):
        np.testing.assert_allclose(g, e, atol=ATOL, rtol=0)


COMPILED = [n for n in BUILDERS if n in TARGETS]


@pytest.mark.parametrize("name", COMPILED)
def test_compiled_kerastorch_h5_comes_back_compiled_with_its_optimizer_state(written_back, name):
    """tf.keras restores the optimizer class, learning rate, iteration count and every slot
    (Keras 2 has no learning-rate variable: kerastorch's second variable has no twin)."""
    expected, report, results = written_back
    assert report[name]["model"] == "ok", report[name]["model"]
    assert int(results[f"{name}__model_compiled"]) == 1
    want = expected[f"{name}__optimizer"]
    got = report[name]["optimizer"]
    assert got["class_name"] == want["class_name"]
    np.testing.assert_allclose(got["learning_rate"], want["learning_rate"], rtol=1e-6)
    ours = [want["variables"][0]] + want["variables"][2:]
    theirs = [results[f"{name}__opt_{i}"] for i in range(len(ours))]
    assert f"{name}__opt_{len(ours)}" not in results
    assert int(theirs[0]) == int(ours[0]) > 0
    for a, b in zip(ours[1:], theirs[1:], strict=True):
        np.testing.assert_allclose(b, a, atol=1e-7, rtol=0)


def test_uncompiled_model_comes_back_uncompiled(written_back):
    _, report, results = written_back
    assert report["rnn"]["model"] == "ok", report["rnn"]["model"]
    assert int(results["rnn__model_compiled"]) == 0
