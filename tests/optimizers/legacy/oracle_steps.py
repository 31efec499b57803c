"""Shared by the legacy optimizer test modules: every case of ALL_CASES stepped in one
tf.keras 2.21 subprocess per test session (apply_gradients on tf.Variables), and the same steps
on kerastorch's legacy class."""

import json
import tempfile
from pathlib import Path

import numpy as np
import torch

from kerastorch import optimizers
from tests.keras2.oracle import run_tf

STEPS = 8
ALL_CASES = {
    "SGD": [{"learning_rate": 0.05, "momentum": 0.7, "nesterov": True, "decay": 0.05}],
    "Adam": [{"learning_rate": 0.01, "amsgrad": True, "decay": 0.02, "clipnorm": 0.5}],
    "RMSprop": [{"learning_rate": 0.01, "momentum": 0.4, "centered": True, "decay": 0.01}],
    "Adagrad": [{"learning_rate": 0.1, "initial_accumulator_value": 0.05, "clipvalue": 0.2}],
    "Adadelta": [{"learning_rate": 1.0, "rho": 0.8, "epsilon": 1e-5}],
    "Adamax": [{"learning_rate": 0.02, "beta_1": 0.7, "global_clipnorm": 0.6}],
    "Nadam": [{"learning_rate": 0.01, "beta_2": 0.9, "decay": 0.01}],
    "Ftrl": [{"learning_rate": 0.1, "l1_regularization_strength": 0.02,
              "l2_regularization_strength": 0.01, "beta": 0.1}],
}

SCRIPT = """
import json, sys
import numpy as np
import tensorflow as tf
import tf_keras as k
cases = json.loads(sys.argv[1])
data = np.load(sys.argv[2])
out = {}
for cls_name, kwargs_list in cases.items():
    out[cls_name] = []
    for kwargs in kwargs_list:
        opt = getattr(k.optimizers.legacy, cls_name)(**kwargs)
        vs = [tf.Variable(data["w0"]), tf.Variable(data["w1"])]
        for s in range(int(sys.argv[3])):
            opt.apply_gradients([(tf.constant(data[f"g{i}_{s}"]), v) for i, v in enumerate(vs)])
        out[cls_name].append([v.numpy().tolist() for v in vs])
print(json.dumps(out))
"""

_CACHE = {}


def _inputs():
    rng = np.random.default_rng(31)
    arrays = {"w0": rng.normal(size=(3, 2)).astype("float32"),
              "w1": rng.normal(size=(4,)).astype("float32")}
    for s in range(STEPS):
        arrays[f"g0_{s}"] = rng.normal(size=(3, 2)).astype("float32")
        arrays[f"g1_{s}"] = (rng.normal(size=(4,)) * 0.3).astype("float32")
    return arrays


def tf_weights(cls_name, index):
    if "out" not in _CACHE:
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            np.savez(folder / "inputs.npz", **_inputs())
            (folder / "steps.py").write_text(SCRIPT)
            out = run_tf(folder / "steps.py", json.dumps(ALL_CASES), folder / "inputs.npz", STEPS)
        _CACHE["out"] = json.loads(out.strip().splitlines()[-1])
    return _CACHE["out"][cls_name][index]


def our_weights(cls_name, kwargs):
    data = _inputs()
    opt = getattr(optimizers.legacy, cls_name)(**kwargs)
    params = [torch.nn.Parameter(torch.tensor(data[k])) for k in ("w0", "w1")]
    opt.build(params)
    for s in range(STEPS):
        for i, p in enumerate(params):
            p.grad = torch.tensor(data[f"g{i}_{s}"])
        opt.step()
    return [p.detach().numpy() for p in params], opt


def check(cls_name):
    for index, kwargs in enumerate(ALL_CASES[cls_name]):
        want = tf_weights(cls_name, index)
        got, opt = our_weights(cls_name, kwargs)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_allclose(g, np.asarray(w, "float32"), atol=1e-6, rtol=1e-6,
                                       err_msg=f"{cls_name} {kwargs}")
        assert int(opt.iterations) == STEPS
