"""Runs the case functions of a module under a `tf` module and flattens their results.

Used twice by the parity tests: in the TensorFlow venv with real `tensorflow` (run as a script:
`case_runner.py <cases.py> <out.npz>`), and in-process with kerastorch's `tensorflow`. A case is
`def case_<name>(tf, np)` returning a (nested) list of tensors, numbers, None or strings; an
exception inside `catch` becomes the string `"!<ExceptionType>"`.

This file imports neither TensorFlow nor kerastorch itself.
"""

import importlib.util
import sys

import numpy as np


def load(path):
    spec = importlib.util.spec_from_file_location("parity_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flatten(value, out):
    if isinstance(value, (list, tuple)):
        for v in value:
            _flatten(v, out)
    elif isinstance(value, dict):
        for k in sorted(value):
            _flatten(value[k], out)
    elif value is None:
        out.append("None")
    elif isinstance(value, str):
        out.append(value)
    else:
        if hasattr(value, "detach"):
            value = value.detach().cpu()
        if hasattr(value, "numpy"):
            value = value.numpy()
        arr = np.asarray(value)
        out.append(arr)
    return out


def run(module, tf):
    """{case name: flat list of results}."""
    results = {}
    for name in sorted(n for n in dir(module) if n.startswith("case_")):
        results[name] = _flatten(getattr(module, name)(tf, np), [])
    return results


def save(results, path):
    arrays = {}
    for name, values in results.items():
        for i, v in enumerate(values):
            key = f"{name}/{i:03d}"
            arrays[key] = np.asarray(v) if not isinstance(v, str) else np.array("s:" + v)
    np.savez(path, **arrays)


def load_results(path):
    data = np.load(path, allow_pickle=False)
    results = {}
    for key in sorted(data.files):
        name, _ = key.split("/")
        v = data[key]
        if v.dtype.kind == "U" and str(v).startswith("s:"):
            v = str(v)[2:]
        results.setdefault(name, []).append(v)
    return results


if __name__ == "__main__":
    import tensorflow as tf
    tf.keras.utils.set_random_seed(0)
    save(run(load(sys.argv[1]), tf), sys.argv[2])
