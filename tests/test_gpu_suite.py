"""benchmarks/gpu_suite.py runs (`--small`, on CPU) and writes a row per model and mode with
positive times; nothing about speed is asserted. The full-size suite is for a GPU."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _suite(tmp_path, *args):
    out = tmp_path / "suite.json"
    env = dict(os.environ, KERAS_BACKEND="torch")
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "gpu_suite.py"),
                           "--small", "--out", str(out), *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text()), proc.stdout


def test_small_suite_every_model_fp32(tmp_path):
    result, stdout = _suite(tmp_path, "--modes", "fp32")
    rows = {(r["model"], r["mode"]): r for r in result["rows"]}
    assert set(rows) == {(m, "fp32") for m in ("mlp", "cnn", "transformer", "lstm", "xception")}
    for row in rows.values():
        assert row["kerastorch_s"] > 0 and row["torch_s"] > 0
        assert abs(row["ratio"] - row["kerastorch_s"] / row["torch_s"]) < 1e-12
    assert rows[("mlp", "fp32")]["same_init"] is True  # Dense kernels line up with nn.Linear
    assert "ratio" in stdout.splitlines()[1]


def test_small_suite_mixed_precision_and_jit_modes(tmp_path):
    result, _ = _suite(tmp_path, "--models", "mlp", "--modes", "fp16,bf16,jit", "--no-keras3")
    assert [(r["model"], r["mode"]) for r in result["rows"]] == [
        ("mlp", "fp16"), ("mlp", "bf16"), ("mlp", "jit")]
    assert all(r["keras3_s"] is None and r["kerastorch_s"] > 0 for r in result["rows"])
