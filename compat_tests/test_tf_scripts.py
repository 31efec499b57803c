"""TensorFlow-style scripts (custom GradientTape loops, Keras 2 train_step, WGAN-GP, checkpoints)
run under real TensorFlow 2.21 with tf.keras and under `kerastorch run`, and print the same
lines: shapes, counts and, as the scripts are deterministic, the same numbers."""

import os
import pathlib
import subprocess
import sys

import pytest

from tests.keras2.oracle import tf_env
from tests.keras2.oracle import tf_python

SCRIPTS = pathlib.Path(__file__).parent / "tf_scripts"
ROOT = pathlib.Path(__file__).resolve().parents[1]
NAMES = sorted(p.stem for p in SCRIPTS.glob("*.py"))


def _run(cmd, cwd, env):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    return proc.stdout


def test_every_script_is_listed():
    assert {"gradient_tape_loop", "keras2_train_step", "wgan_gp",
            "checkpoint_restore"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_script_prints_what_it_prints_under_tensorflow(name, tmp_path):
    script = str(SCRIPTS / f"{name}.py")
    theirs = _run([tf_python(), script], tmp_path, tf_env())
    ours = _run([sys.executable, "-m", "kerastorch", "run", script], tmp_path,
                dict(os.environ, PYTHONPATH=str(ROOT)))
    assert ours.strip(), f"{name} printed nothing"
    assert ours.splitlines() == theirs.splitlines()
