"""Real tf.keras 2 (tf_keras on TensorFlow 2.21) as the test oracle, run in its own venv.

TensorFlow lives in a venv of its own (`make install-tf`; `make test` creates it and passes its
interpreter as `KERASTORCH_TF_PYTHON`). Tests talk to it through subprocesses: `run_tf(script,
*args)` runs a script of this folder under that interpreter and returns its stdout.

Where no TensorFlow interpreter is configured, a test that needs it is skipped on a developer's
machine, and fails in CI (`CI` set): the oracle tests never skip themselves into passing there.
"""

import os
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
_DEFAULT = Path.home() / ".cache" / "kerastorch" / "tf-2.21" / "bin" / "python"


def tf_python():
    """The TensorFlow venv's interpreter; skips (or, in CI, fails) the test where there is none."""
    path = os.environ.get("KERASTORCH_TF_PYTHON") or (str(_DEFAULT) if _DEFAULT.exists() else "")
    if path and Path(path).exists():
        return path
    message = ("real tf.keras 2 is not installed: run `make install-tf` (or set "
               "KERASTORCH_TF_PYTHON to a Python with tensorflow-cpu==2.21.0 and tf-keras==2.21.0)")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def tf_env():
    env = dict(os.environ)
    env.update(TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="", TF_USE_LEGACY_KERAS="1",
               PYTHONHASHSEED="0", TF_ENABLE_ONEDNN_OPTS="0")
    env.pop("KERAS_BACKEND", None)
    env.pop("PYTHONPATH", None)
    return env


def run_tf(script, *args, timeout=600, env=None):
    """Runs `script` (a path, or a file name in tests/keras2/) under TensorFlow; its stdout.
    `env` overrides variables of `tf_env()` (e.g. TF_ENABLE_ONEDNN_OPTS)."""
    script = Path(script)
    if not script.is_absolute():
        script = HERE / script
    proc = subprocess.run([tf_python(), str(script), *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env={**tf_env(), **(env or {})},
                          cwd=str(HERE))
    if proc.returncode != 0:
        raise AssertionError(f"{script.name} failed under TensorFlow (exit {proc.returncode}):\n"
                             f"{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    return proc.stdout


def fixture_dir(name):
    """`tests/keras2/fixtures/<name>`, written by `make keras2-fixtures`."""
    path = FIXTURES / name
    if not path.exists():
        raise AssertionError(f"missing Keras 2 fixture {path}: run `make keras2-fixtures`")
    return path


__all__ = ["FIXTURES", "fixture_dir", "run_tf", "tf_env", "tf_python"]
