"""kerastorch.optimizers.legacy against tf.keras 2.21's legacy optimizers (the oracle runs once,
in one TensorFlow subprocess: tests/keras2/tf_legacy_optimizers.py).

For each case of CASES: the variables after each of STEPS updates with the same gradients, the
optimizer state (`get_weights()`, in Keras 2's order) and `get_config()` match tf.keras's; for
those and NEW_CASES (tf.keras 2.11+'s Nadam, as kerastorch.optimizers.keras2.Nadam): one epoch
of fit() from tf.keras's initial weights lands on tf.keras's weights, and the model tf.keras then
saved as `.h5` loads with that optimizer and its state, so one more epoch lands on the weights
tf.keras reaches from the same file; kerastorch writes that file back as tf.keras wrote it, and
the `.h5` kerastorch writes after another epoch resumes in tf.keras (a second subprocess) where
it resumes in kerastorch.
Variables: atol 1e-6 (values of order 1, a handful of float32 updates); optimizer state and
resumed weights: the standard 1e-5 (Ftrl's `linear` reaches ~20, where float32 spacing is 2e-6).
"""

import json

import numpy as np
import pytest
import torch

import kerastorch as keras
from tests.keras2.oracle import run_tf

STEPS = 6
ATOL = 1e-6
CASES = [
    ("sgd", "SGD", {"learning_rate": 0.1}),
    ("sgd_momentum_decay", "SGD", {"learning_rate": 0.05, "momentum": 0.9, "decay": 0.1}),
    ("sgd_nesterov", "SGD", {"learning_rate": 0.05, "momentum": 0.8, "nesterov": True,
                             "decay": 0.01}),
    ("adam_decay", "Adam", {"learning_rate": 0.01, "decay": 0.05}),
    ("adam_amsgrad", "Adam", {"learning_rate": 0.02, "beta_1": 0.8, "amsgrad": True,
                              "decay": 0.01}),
    ("adam_lr_alias", "Adam", {"lr": 0.02}),
    ("rmsprop_decay", "RMSprop", {"learning_rate": 0.01, "decay": 0.02}),
    ("rmsprop_momentum", "RMSprop", {"learning_rate": 0.01, "momentum": 0.5}),
    ("rmsprop_centered", "RMSprop", {"learning_rate": 0.01, "rho": 0.8, "centered": True}),
    ("rmsprop_centered_momentum", "RMSprop", {"learning_rate": 0.01, "momentum": 0.3,
                                              "centered": True}),
    ("adagrad", "Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.2,
                            "decay": 0.05}),
    ("adadelta", "Adadelta", {"learning_rate": 1.0, "rho": 0.9, "decay": 0.01}),
    ("adamax", "Adamax", {"learning_rate": 0.02, "decay": 0.05}),
    ("nadam", "Nadam", {"learning_rate": 0.01}),
    ("nadam_schedule_decay", "Nadam", {"learning_rate": 0.01, "beta_1": 0.85,
                                       "schedule_decay": 0.02}),
    ("ftrl", "Ftrl", {"learning_rate": 0.1, "l1_regularization_strength": 0.01,
                      "l2_regularization_strength": 0.02, "decay": 0.01}),
    ("ftrl_power_shrinkage", "Ftrl", {"learning_rate": 0.1, "learning_rate_power": -0.3,
                                      "l2_shrinkage_regularization_strength": 0.05,
                                      "beta": 0.1}),
    ("sgd_clipvalue_clipnorm", "SGD", {"learning_rate": 0.1, "clipvalue": 0.3, "clipnorm": 0.5}),
    ("adam_clipvalue_global_clipnorm", "Adam", {"learning_rate": 0.01, "clipvalue": 0.2,
                                                "global_clipnorm": 0.4}),
]
NAMES = [c[0] for c in CASES]
# tf.keras 2.11+'s own (not legacy) Nadam, whose fit() step kerastorch.optimizers.keras2.Nadam
# reproduces (its per-variable u_product counter): models only.
NEW_CASES = [
    ("new_nadam", "Nadam", {"learning_rate": 0.01}),
    ("new_nadam_beta", "Nadam", {"learning_rate": 0.005, "beta_1": 0.8, "epsilon": 1e-5}),
]
MODEL_NAMES = NAMES + [c[0] for c in NEW_CASES]


def _inputs():
    rng = np.random.default_rng(21)
    arrays = {"w": rng.standard_normal((3, 4)).astype("float32"),
              "b": rng.standard_normal((4,)).astype("float32")}
    for step in range(STEPS):
        arrays[f"g_w_{step}"] = rng.standard_normal((3, 4)).astype("float32")
        arrays[f"g_b_{step}"] = (rng.standard_normal((4,)) * 0.3).astype("float32")
    return arrays


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    root = tmp_path_factory.mktemp("legacy_optimizers")
    (root / "cases.json").write_text(json.dumps(
        [{"name": n, "class": c, "kwargs": k} for n, c, k in CASES] +
        [{"name": n, "class": c, "kwargs": k, "new": True} for n, c, k in NEW_CASES]))
    inputs = _inputs()
    np.savez(root / "inputs.npz", **inputs)
    run_tf("tf_legacy_optimizers.py", root / "cases.json", root / "inputs.npz", root, "--models")
    with np.load(root / "steps.npz") as f:
        arrays = {k: f[k] for k in f.files}
    return root, inputs, arrays, json.loads((root / "report.json").read_text())


def _make(name):
    _, cls_name, kwargs = (CASES + NEW_CASES)[MODEL_NAMES.index(name)]
    module = keras.optimizers.keras2 if name not in NAMES else keras.optimizers.legacy
    cls = getattr(module, cls_name)
    if "lr" in kwargs:
        with pytest.warns(UserWarning, match="`lr` argument is deprecated"):
            return cls(**kwargs)
    return cls(**kwargs)


@pytest.mark.parametrize("name", NAMES)
def test_legacy_optimizer_steps_and_state_match_tf_keras(oracle, name):
    _, inputs, arrays, report = oracle
    w = keras.Variable(inputs["w"], name="w")
    b = keras.Variable(inputs["b"], name="b")
    opt = _make(name)
    for step in range(STEPS):
        opt.apply_gradients([(torch.tensor(inputs[f"g_w_{step}"]), w),
                             (torch.tensor(inputs[f"g_b_{step}"]), b)])
        np.testing.assert_allclose(w.numpy(), arrays[f"{name}__w_{step}"], rtol=0, atol=ATOL,
                                   err_msg=f"w after step {step}")
        np.testing.assert_allclose(b.numpy(), arrays[f"{name}__b_{step}"], rtol=0, atol=ATOL,
                                   err_msg=f"b after step {step}")
    ours = opt.get_weights()
    theirs = [arrays[f"{name}__opt_{k}"] for k in range(len(report[name]["weight_names"]))]
    assert len(ours) == len(theirs), report[name]["weight_names"]
    assert int(ours[0]) == int(theirs[0]) == STEPS
    for k, (a, t) in enumerate(zip(ours[1:], theirs[1:]), 1):
        np.testing.assert_allclose(a, t, rtol=0, atol=1e-5,
                                   err_msg=f"state {report[name]['weight_names'][k]}")


@pytest.mark.parametrize("name", NAMES)
def test_legacy_optimizer_config_is_tf_keras_config(oracle, name):
    _, _, _, report = oracle
    theirs = report[name]["config"]
    _assert_config(_make(name).get_config(), theirs)
    # tf.keras's config holds the float32 values of its hyperparameter variables; from_config
    # gives what tf.keras's does (its legacy Nadam forgets `decay`: back to 0.004).
    _assert_config(type(_make(name)).from_config(theirs).get_config(),
                   report[name]["config_round_trip"])


def _assert_config(ours, theirs):
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
        if isinstance(value, float):
            assert ours[key] == pytest.approx(value, rel=1e-6), key
        else:
            assert ours[key] == value, key


def _mlp(name):
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh",
                                                                   name="hidden"),
                             keras.layers.Dense(2, name="out")], name=f"mlp_{name}")


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_fit_with_a_keras2_optimizer_lands_on_tf_keras_weights(oracle, name):
    _, _, arrays, _ = oracle
    model = _mlp(name)
    n = len(model.get_weights())
    model.set_weights([arrays[f"{name}__init_{k}"] for k in range(n)])
    model.compile(optimizer=_make(name), loss="mse")
    model.fit(arrays["x"], arrays["y"], batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert f"{name}__trained_{n}" not in arrays
    for k, a in enumerate(model.get_weights()):
        np.testing.assert_allclose(a, arrays[f"{name}__trained_{k}"], rtol=0, atol=1e-5,
                                   err_msg=f"weight {k}")


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_h5_of_a_keras2_optimizer_resumes_where_tf_keras_does(oracle, name):
    root, _, arrays, _ = oracle
    model = keras.models.load_model(root / f"{name}.h5")
    assert type(model.optimizer) is type(_make(name))
    assert int(model.optimizer.iterations) == 4  # one epoch of 32 samples, batch 8
    model.fit(arrays["x"], arrays["y"], batch_size=8, epochs=1, shuffle=False, verbose=0)
    got = model.get_weights()
    assert f"{name}__resumed_{len(got)}" not in arrays
    for k, a in enumerate(got):
        np.testing.assert_allclose(a, arrays[f"{name}__resumed_{k}"], rtol=0, atol=1e-5,
                                   err_msg=f"weight {k}")


def _optimizer_part(path):
    import h5py
    with h5py.File(path, "r") as f:
        training = json.loads(f.attrs["training_config"])
        group = f["optimizer_weights"]
        names = [n.decode("utf8") if isinstance(n, bytes) else n
                 for n in group.attrs["weight_names"]]
        return training["optimizer_config"], names, [np.asarray(group[n]) for n in names]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_h5_kerastorch_writes_holds_the_optimizer_as_tf_keras_wrote_it(oracle, name, tmp_path):
    """Loaded from tf.keras's `.h5` and saved again, the optimizer config and state are what
    tf.keras wrote (legacy: class "Adam" with `decay`, `Adam/iter`, `Adam/hidden/kernel/m`...),
    and the file resumes where tf.keras resumes from its own."""
    root, _, arrays, report = oracle
    model = keras.models.load_model(root / f"{name}.h5")
    model.save(tmp_path / "again.h5")
    (their_config, their_names, their_values) = _optimizer_part(root / f"{name}.h5")
    (our_config, our_names, our_values) = _optimizer_part(tmp_path / "again.h5")
    assert our_config["class_name"] == their_config["class_name"]
    if name in NAMES:  # (the slot names of tf.keras's new optimizers are checked elsewhere)
        # what tf.keras loads from its file and would write again (Nadam: decay 0.004)
        _assert_config(our_config["config"], report[name]["config_round_trip"])
        assert our_names == their_names
    for ours, theirs in zip(our_values, their_values):
        np.testing.assert_array_equal(ours, theirs)
    assert len(our_values) == len(their_values)
    again = keras.models.load_model(tmp_path / "again.h5")
    assert type(again.optimizer) is type(model.optimizer)
    again.fit(arrays["x"], arrays["y"], batch_size=8, epochs=1, shuffle=False, verbose=0)
    for k, a in enumerate(again.get_weights()):
        np.testing.assert_allclose(a, arrays[f"{name}__resumed_{k}"], rtol=0, atol=1e-5,
                                   err_msg=f"weight {k}")


@pytest.fixture(scope="module")
def written_back(oracle, tmp_path_factory):
    """Each case's tf.keras `.h5` loaded, trained one more epoch and saved by kerastorch; then
    tf.keras loads those files and trains one epoch more (one TensorFlow subprocess), and so
    does kerastorch."""
    root, _, arrays, _ = oracle
    out = tmp_path_factory.mktemp("written_back")
    np.savez(out / "data.npz", x=arrays["x"], y=arrays["y"])
    ours = {}
    for name in MODEL_NAMES:
        model = keras.models.load_model(root / f"{name}.h5")
        model.fit(arrays["x"], arrays["y"], batch_size=8, epochs=1, shuffle=False, verbose=0)
        model.save(out / f"{name}.h5")
        again = keras.models.load_model(out / f"{name}.h5")
        again.fit(arrays["x"], arrays["y"], batch_size=8, epochs=1, shuffle=False, verbose=0)
        ours[name] = again.get_weights()
    run_tf("tf_legacy_optimizers.py", "--resume", out)
    with np.load(out / "resumed.npz") as f:
        theirs = {k: f[k] for k in f.files}
    return ours, theirs, json.loads((out / "resumed.json").read_text())


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_h5_kerastorch_wrote_resumes_in_tf_keras_where_it_resumes_in_kerastorch(written_back,
                                                                                 name):
    ours, theirs, report = written_back
    _, cls_name, _ = (CASES + NEW_CASES)[MODEL_NAMES.index(name)]
    module = "optimizers.legacy." if name in NAMES else "optimizers."
    assert report[name]["class"].startswith("tf_keras.src." + module), report[name]
    assert report[name]["class"].endswith("." + cls_name)
    assert report[name]["iterations"] == 8  # two epochs of 4 steps
    assert f"{name}__{len(ours[name])}" not in theirs
    for k, a in enumerate(ours[name]):
        np.testing.assert_allclose(a, theirs[f"{name}__{k}"], rtol=0, atol=1e-5,
                                   err_msg=f"weight {k}")
