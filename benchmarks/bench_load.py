"""Loading a Keras 2 Xception: kerastorch vs tf.keras 2.21 on the same files.

    python benchmarks/bench_load.py [--repeats 3] [--tf-python PATH]

A TensorFlow subprocess (the venv of `make install-tf`, or `--tf-python` / KERASTORCH_TF_PYTHON)
writes `tf_keras.applications.Xception(weights=None)` into a temporary directory as a full-model
`.h5` and as a SavedModel (`save_format="tf"`), and times `tf_keras.models.load_model` on each
(median of `--repeats`, after one warm-up load). This process then times kerastorch's
`keras.models.load_model` on the same files the same way and prints both and the ratio
kerastorch / tf.keras (target <= 1.5). Both load without compiling (the model is not compiled).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kerastorch as keras  # noqa: E402
from _timing import header  # noqa: E402

_TF_SIDE = r"""
import json, os, statistics, sys, time
import numpy as np
import tf_keras
out, repeats = sys.argv[1], int(sys.argv[2])
tf_keras.utils.set_random_seed(0)
model = tf_keras.applications.Xception(weights=None)
x = np.random.default_rng(0).uniform(-1, 1, (1, 299, 299, 3)).astype("float32")
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "pred.npy"), model.predict(x, verbose=0))
paths = {"h5": os.path.join(out, "xception.h5"), "savedmodel": os.path.join(out, "savedmodel")}
model.save(paths["h5"])
model.save(paths["savedmodel"], save_format="tf")
times = {}
for kind, path in paths.items():
    samples = []
    for i in range(repeats + 1):
        tf_keras.backend.clear_session()
        start = time.perf_counter()
        tf_keras.models.load_model(path, compile=False)
        if i:
            samples.append(time.perf_counter() - start)
    times[kind] = statistics.median(samples)
print(json.dumps(times))
"""

_DEFAULT_TF = Path.home() / ".cache" / "kerastorch" / "tf-2.21" / "bin" / "python"


def _tf_python(given):
    path = given or os.environ.get("KERASTORCH_TF_PYTHON") or str(_DEFAULT_TF)
    if not Path(path).exists():
        raise SystemExit(f"No TensorFlow interpreter at {path}: run `make install-tf` or pass "
                         "--tf-python.")
    return path


def _time_load(path, repeats):
    samples = []
    for i in range(repeats + 1):
        keras.backend.clear_session()
        start = time.perf_counter()
        model = keras.models.load_model(path, compile=False)
        if i:
            samples.append(time.perf_counter() - start)
    return statistics.median(samples), model


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tf-python", default=None)
    args = parser.parse_args(argv)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="",
               TF_USE_LEGACY_KERAS="1")
    env.pop("KERAS_BACKEND", None)
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run([_tf_python(args.tf_python), "-c", _TF_SIDE, out,
                               str(args.repeats)], capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise SystemExit(f"The TensorFlow side failed:\n{proc.stderr[-4000:]}")
        tf_times = json.loads(proc.stdout.strip().splitlines()[-1])
        import numpy as np
        x = np.load(os.path.join(out, "x.npy"))
        pred = np.load(os.path.join(out, "pred.npy"))
        print(header())
        ratios = {}
        for kind, name in (("h5", "xception.h5"), ("savedmodel", "savedmodel")):
            ours, model = _time_load(os.path.join(out, name), args.repeats)
            diff = float(np.abs(np.asarray(model.predict(x, verbose=0)) - pred).max())
            ratios[kind] = ours / tf_times[kind]
            print(f"Xception {kind:10s}: kerastorch {ours:.2f} s, tf.keras {tf_times[kind]:.2f} s"
                  f", ratio {ratios[kind]:.2f} (max |pred - tf.keras pred| = {diff:.2g})")
    return ratios


if __name__ == "__main__":
    main()
