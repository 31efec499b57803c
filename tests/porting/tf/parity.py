"""Runs a cases module (see case_runner.py) under real TensorFlow and under kerastorch's
`tensorflow`, and compares the flattened results: values (float32 atol 1e-5, relative 1e-5),
dtypes of the numbers, shapes, strings (error types) and None where TensorFlow gives None."""

from pathlib import Path

import numpy as np

from tests.keras2.oracle import run_tf
from tests.porting.tf import case_runner

HERE = Path(__file__).resolve().parent


def case_names(cases_file):
    module = case_runner.load(HERE / cases_file)
    return sorted(n for n in dir(module) if n.startswith("case_"))


def both(cases_file, tmp_path):
    """(ours, theirs): {case: [values]} from kerastorch's tf and from TensorFlow."""
    import kerastorch
    from kerastorch.porting import tf
    out = Path(tmp_path) / "tf_results.npz"
    run_tf(HERE / "case_runner.py", HERE / cases_file, out)
    theirs = case_runner.load_results(out)
    kerastorch.utils.set_random_seed(0)
    ours = case_runner.run(case_runner.load(HERE / cases_file), tf)
    mine = Path(tmp_path) / "kt_results.npz"
    case_runner.save(ours, mine)
    return case_runner.load_results(mine), theirs


def assert_same(ours, theirs, name, atol=1e-5, rtol=1e-5):
    assert len(ours) == len(theirs), f"{name}: {len(ours)} results, TensorFlow {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        where = f"{name}[{i}]"
        if isinstance(b, str) or isinstance(a, str):
            assert a == b, f"{where}: {a!r} != TensorFlow's {b!r}"
            continue
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape, f"{where}: shape {a.shape} != TensorFlow's {b.shape}"
        assert a.dtype == b.dtype, f"{where}: dtype {a.dtype} != TensorFlow's {b.dtype}"
        if a.dtype.kind in "fc":
            np.testing.assert_allclose(a, b, atol=atol, rtol=rtol, err_msg=where)
        else:
            np.testing.assert_array_equal(a, b, err_msg=where)


def run_kerastorch(script, cwd, timeout=300):
    """stdout of `python -m kerastorch run script` (this checkout's kerastorch first)."""
    import os
    import subprocess
    import sys
    root = HERE.parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    proc = subprocess.run([sys.executable, "-m", "kerastorch", "run", str(script)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{script} failed under kerastorch run:\n{proc.stdout}\n" \
                                 f"{proc.stderr[-4000:]}"
    return proc.stdout
