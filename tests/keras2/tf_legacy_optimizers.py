"""tf.keras 2.21's legacy optimizers as the oracle (run under TensorFlow).

    python tf_legacy_optimizers.py CASES_JSON INPUTS_NPZ OUT_DIR

Imports only tensorflow, tf_keras, numpy and json. CASES_JSON lists `{"name", "class",
"kwargs"}`; INPUTS_NPZ holds `w`, `b` (initial variables) and `g_w_<step>`, `g_b_<step>` (the
gradients of each step). For every case the script applies the gradients with
`tf_keras.optimizers.legacy.<class>(**kwargs)` (`tf_keras.optimizers.<class>` for a case
with `"new": true`, which only trains models) and writes OUT_DIR/steps.npz
(`<name>__w_<step>`, `<name>__b_<step>`: the variables after each step; `<name>__opt_<k>`:
`optimizer.get_weights()[k]` at the end) and OUT_DIR/report.json (per case the optimizer's
weight names, `get_config()` and the config of `from_config(get_config())`).

With `--models`, each case also trains a small MLP one epoch (`<name>__init_<k>`: its weights
before, `<name>__trained_<k>`: after), saves OUT_DIR/<name>.h5, loads it back
(`tf_keras.models.load_model`) and trains one more epoch: `<name>__resumed_<k>` are its weights
after that epoch; `x`, `y` are the data.

    python tf_legacy_optimizers.py --resume DIR

resumes training from the `.h5` files kerastorch wrote into DIR (see `resume`).
"""

import json
import os
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402


def _config(config):
    out = {}
    for key, value in config.items():
        if isinstance(value, (np.floating, np.integer)):
            value = value.item()
        out[key] = value
    return out


def _class(case):
    """`tf_keras.optimizers.legacy.<class>`, or `tf_keras.optimizers.<class>` if `new`."""
    module = tf_keras.optimizers if case.get("new") else tf_keras.optimizers.legacy
    return getattr(module, case["class"])


def run_steps(case, inputs, arrays, report):
    name = case["name"]
    cls = _class(case)
    opt = cls(**case["kwargs"])
    w = tf.Variable(inputs["w"], name="w")
    b = tf.Variable(inputs["b"], name="b")
    steps = sum(k.startswith("g_w_") for k in inputs.files)
    for step in range(steps):
        opt.apply_gradients([(tf.constant(inputs[f"g_w_{step}"]), w),
                             (tf.constant(inputs[f"g_b_{step}"]), b)])
        arrays[f"{name}__w_{step}"] = w.numpy()
        arrays[f"{name}__b_{step}"] = b.numpy()
    for k, value in enumerate(opt.get_weights()):
        arrays[f"{name}__opt_{k}"] = np.asarray(value)
    report[name] = {"weight_names": [v.name for v in opt.weights],
                    "config": _config(opt.get_config()),
                    "config_round_trip": _config(cls.from_config(opt.get_config()).get_config())}


def run_model(case, out, arrays):
    name = case["name"]
    tf_keras.utils.set_random_seed(3)
    cls = _class(case)
    model = tf_keras.Sequential([tf_keras.Input((4,)),
                                 tf_keras.layers.Dense(5, activation="tanh", name="hidden"),
                                 tf_keras.layers.Dense(2, name="out")], name=f"mlp_{name}")
    model.compile(optimizer=cls(**case["kwargs"]), loss="mse")
    x, y = arrays["x"], arrays["y"]
    for k, value in enumerate(model.get_weights()):
        arrays[f"{name}__init_{k}"] = value
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for k, value in enumerate(model.get_weights()):
        arrays[f"{name}__trained_{k}"] = value
    path = os.path.join(out, f"{name}.h5")
    model.save(path)
    loaded = tf_keras.models.load_model(path)
    loaded.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for k, value in enumerate(loaded.get_weights()):
        arrays[f"{name}__resumed_{k}"] = value


def main(cases_path, inputs_path, out, models=False):
    with open(cases_path) as f:
        cases = json.load(f)
    inputs = np.load(inputs_path)
    arrays, report = {}, {}
    if models:
        rng = np.random.default_rng(5)
        arrays["x"] = rng.standard_normal((32, 4)).astype("float32")
        arrays["y"] = rng.standard_normal((32, 2)).astype("float32")
    for case in cases:
        if not case.get("new"):  # a new optimizer's eager steps are not what its fit() does
            run_steps(case, inputs, arrays, report)
        if models:
            run_model(case, out, arrays)
    np.savez(os.path.join(out, "steps.npz"), **arrays)
    with open(os.path.join(out, "report.json"), "w") as f:
        json.dump(report, f)
    print("done")


def resume(directory):
    """Loads every DIR/<name>.h5 (written by kerastorch), trains one epoch on DIR/data.npz's
    `x`, `y` and writes DIR/resumed.npz (`<name>__<k>`: the weights) and DIR/resumed.json (per
    file: the optimizer's class module and name, and its iterations after loading)."""
    data = np.load(os.path.join(directory, "data.npz"))
    arrays, report = {}, {}
    for file in sorted(os.listdir(directory)):
        if not file.endswith(".h5"):
            continue
        name = file[:-3]
        model = tf_keras.models.load_model(os.path.join(directory, file))
        opt = model.optimizer
        report[name] = {"class": f"{type(opt).__module__}.{type(opt).__name__}",
                        "iterations": int(opt.iterations.numpy())}
        model.fit(data["x"], data["y"], batch_size=8, epochs=1, shuffle=False, verbose=0)
        for k, value in enumerate(model.get_weights()):
            arrays[f"{name}__{k}"] = value
    np.savez(os.path.join(directory, "resumed.npz"), **arrays)
    with open(os.path.join(directory, "resumed.json"), "w") as f:
        json.dump(report, f)
    print("done")


if __name__ == "__main__":
    if sys.argv[1] == "--resume":
        resume(sys.argv[2])
    else:
        main(sys.argv[1], sys.argv[2], sys.argv[3], models="--models" in sys.argv[4:])
