"""Keras 3 style scripts run unchanged under `python -m kerastorch run`, and print what they
print under real Keras 3 on torch (shapes, parameter counts, log keys, training outcomes)."""

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

SCRIPTS = pathlib.Path(__file__).parent / "keras3_scripts"
ROOT = pathlib.Path(__file__).resolve().parents[1]
NAMES = sorted(p.stem for p in SCRIPTS.glob("*.py"))


def _run(args, tmp_path, **env):
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    proc = subprocess.run([sys.executable, *args], cwd=tmp_path, env=full_env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _keras3_available():
    if importlib.util.find_spec("keras") is None:
        return False
    try:
        from importlib.metadata import version
        return version("keras").startswith("3")
    except Exception:  # noqa: BLE001 - no metadata: treat as absent
        return False


def test_every_script_is_listed():
    assert {"custom_train_step", "gan_two_optimizers", "custom_training_loop", "vae_add_loss",
            "masking_pipeline", "custom_metric", "augmentation_pipeline"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_script_runs_under_kerastorch_as_under_keras3(name, tmp_path):
    script = str(SCRIPTS / f"{name}.py")
    ours = _run(["-m", "kerastorch", "run", script], tmp_path)
    assert ours.strip(), f"{name} printed nothing"
    assert "False" not in ours, f"{name} reported a failed check:\n{ours}"
    if not _keras3_available():
        pytest.skip("Keras 3 is not installed: kerastorch run checked alone")
    theirs = _run([script], tmp_path, KERAS_BACKEND="torch")
    assert ours.splitlines() == theirs.splitlines()
