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


# Scripts whose Keras 3 reference run needs TensorFlow (tf.data, TextVectorization, the
# dataset utilities) say so in their docstring; Keras 3 then runs them on its TensorFlow
# backend, in the TensorFlow venv (tests/keras2/oracle.py), as no TensorFlow is beside torch.
TF_REFERENCE = "keras3-reference-backend: tensorflow"


def _keras3_on_tensorflow(script, tmp_path):
    from tests.keras2.oracle import tf_env
    from tests.keras2.oracle import tf_python
    env = dict(tf_env(), KERAS_BACKEND="tensorflow")
    proc = subprocess.run([tf_python(), script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"{script} failed under Keras 3 (TensorFlow backend):\n" \
                                 f"{proc.stdout}\n{proc.stderr[-4000:]}"
    return proc.stdout


def test_every_script_is_listed():
    assert {"custom_train_step", "gan_two_optimizers", "custom_training_loop", "vae_add_loss",
            "masking_pipeline", "custom_metric", "augmentation_pipeline",
            "callback_reads_logs", "activity_regularization_only", "dcgan_torch_train_step",
            "masking_split_sequences", "timeseries_forecaster",
            "text_classifier_tf_data", "endpoint_layer_add_loss",
            "siamese_contrastive", "mlp_mixer_patches", "vit_extract_patches",
            "string_input_end_to_end"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_script_runs_under_kerastorch_as_under_keras3(name, tmp_path):
    script = str(SCRIPTS / f"{name}.py")
    ours = _run(["-m", "kerastorch", "run", script], tmp_path)
    assert ours.strip(), f"{name} printed nothing"
    assert "False" not in ours, f"{name} reported a failed check:\n{ours}"
    if TF_REFERENCE in (SCRIPTS / f"{name}.py").read_text():
        theirs = _keras3_on_tensorflow(script, tmp_path)
        assert ours.splitlines() == theirs.splitlines()
        return
    if not _keras3_available():
        pytest.skip("Keras 3 is not installed: kerastorch run checked alone")
    theirs = _run([script], tmp_path, KERAS_BACKEND="torch")
    assert ours.splitlines() == theirs.splitlines()
