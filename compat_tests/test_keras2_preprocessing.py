"""Keras 2-style preprocessing scripts (keras2_preprocessing/) run unchanged under real tf.keras
2.21 and under `python -m kerastorch run`, and print the same lines (shapes, counts, history
keys, class indices, file order)."""

import os
import pathlib
import subprocess
import sys

import pytest

from tests.keras2.oracle import tf_env
from tests.keras2.oracle import tf_python

SCRIPTS = pathlib.Path(__file__).parent / "keras2_preprocessing"
ROOT = pathlib.Path(__file__).resolve().parents[1]
NAMES = sorted(p.stem for p in SCRIPTS.glob("*.py"))


def _run(args, tmp_path, env):
    env = dict(env, TMPDIR=str(tmp_path))  # the scripts' temporary directories go there
    proc = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr[-6000:]}"
    return proc.stdout


def test_the_keras2_scripts_are_listed():
    assert {"text_and_image_classifiers", "training_api_and_defaults",
            "cnn_fit_generator_and_vae"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_script_prints_what_it_prints_under_tf_keras(name, tmp_path):
    script = str(SCRIPTS / f"{name}.py")
    theirs = _run([tf_python(), script], tmp_path, tf_env())
    ours = _run([sys.executable, "-m", "kerastorch", "run", script], tmp_path,
                dict(os.environ, PYTHONPATH=str(ROOT)))
    assert len(theirs.splitlines()) > 10, theirs
    assert ours.splitlines() == theirs.splitlines()
    # torch puts its inductor cache folder (`torchinductor_<user>`) in TMPDIR when a meta
    # tensor op first imports torch._dynamo (shape inference of K.* / ops nodes): not the
    # script's files.
    left = [p for p in tmp_path.iterdir() if not p.name.startswith("torchinductor_")]
    assert not left, f"the script left files behind: {left}"
