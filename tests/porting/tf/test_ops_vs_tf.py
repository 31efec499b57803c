"""The op namespaces of kerastorch's `tensorflow` (tf.math, tf.nn, tf.image, tf.linalg,
tf.signal, tf.strings, tf.random and the array ops) against real TensorFlow 2.21 (issue #17).

op_cases.py is a table of (op, arguments) cases; tf_op_cases.py runs it in TensorFlow in one
subprocess and pickles each result. Here each case runs in the shim and must give TensorFlow's
shapes, dtypes and values (atol 1e-5 and rtol 1e-5 for float32: TF's and torch's kernels
round differently near 1 ulp of large results; a looser atol is written beside the cases that
need it: stft/FFTs, area and antialiased resizing, SSIM, expm, lstsq), or raise the error
TensorFlow raised (same class name: ValueError, TypeError, InvalidArgumentError). Random ops
are compared by shape and dtype here; their distributions and seeding are tested below.
"""

import pickle

import numpy as np
import pytest
import torch

import kerastorch.porting.tf as tf
from kerastorch.porting.errors import NotSupportedAttributeError
from tests.keras2.oracle import run_tf
from tests.porting.tf import op_cases

from pathlib import Path

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def tf_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("tf_ops") / "ops.pkl"
    run_tf(HERE / "tf_op_cases.py", out)
    with open(out, "rb") as f:
        return pickle.load(f)


def pack(value):
    if isinstance(value, torch.Tensor):
        return ("T", value.detach().cpu().numpy(), str(value.dtype).replace("torch.", ""))
    if isinstance(value, np.ndarray) and value.dtype == object:
        return ("S", value)
    if isinstance(value, (list, tuple)):
        return ("L", [pack(v) for v in value])
    if isinstance(value, bytes):
        return ("S", value)
    return ("P", value)


def resolve(path):
    obj = tf
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _sign_columns(m):
    """Eigen/singular vectors are defined up to sign: make each column's largest entry > 0."""
    idx = np.argmax(np.abs(m), axis=-2)
    signs = np.sign(np.take_along_axis(m, idx[..., None, :], axis=-2))
    return m * np.where(signs == 0, 1, signs)


def _canonical(packed, mode):
    if mode in ("eigh", "svd"):
        parts = [p[1] for p in packed[1]]
        vectors = [1, 2] if mode == "svd" else [1]
        return ("L", [("T", _sign_columns(a) if i in vectors else a, p[2])
                      for i, (a, p) in enumerate(zip(parts, packed[1], strict=True))])
    if mode == "qr":
        q, r = packed[1][0][1], packed[1][1][1]
        s = np.sign(np.diagonal(r, axis1=-2, axis2=-1))
        return ("L", [("T", q * s[..., None, :], packed[1][0][2]),
                      ("T", r * s[..., :, None], packed[1][1][2])])
    return packed


def assert_same(ours, theirs, spec, where="output"):
    kind = theirs[0]
    assert ours[0] == kind, f"{where}: {ours[0]} vs TensorFlow's {kind}"
    if kind == "L":
        assert len(ours[1]) == len(theirs[1]), f"{where}: {len(ours[1])} vs {len(theirs[1])}"
        for i, (a, b) in enumerate(zip(ours[1], theirs[1], strict=True)):
            assert_same(a, b, spec, f"{where}[{i}]")
        return
    if kind in ("S", "P"):
        a, b = ours[1], theirs[1]
        if isinstance(b, np.ndarray):
            assert isinstance(a, np.ndarray) and a.shape == b.shape, f"{where}: {a!r} vs {b!r}"
            assert a.tolist() == b.tolist(), f"{where}: {a!r} vs {b!r}"
        else:
            assert a == b, f"{where}: {a!r} vs {b!r}"
        return
    a, dtype = ours[1], ours[2]
    b, tf_dtype = theirs[1], theirs[2]
    assert dtype == tf_dtype, f"{where}: dtype {dtype} vs TensorFlow's {tf_dtype}"
    assert a.shape == b.shape, f"{where}: shape {a.shape} vs TensorFlow's {b.shape}"
    if spec["compare"] == "meta":
        return
    if spec["compare"] == "sorted":
        a, b = np.sort(a.reshape(-1)), np.sort(b.reshape(-1))
    if a.dtype.kind in "fc":
        tol = spec["atol"] if a.dtype != np.float16 else 1e-2
        np.testing.assert_allclose(a, b, atol=tol, rtol=1e-5, equal_nan=True, err_msg=where)
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


@pytest.mark.parametrize("spec", op_cases.CASES, ids=[c["id"] for c in op_cases.CASES])
def test_op_matches_tensorflow(tf_results, spec):
    expected = tf_results[spec["id"]]
    fn = resolve(spec["fn"])
    args = op_cases.materialize(spec["args"], torch.as_tensor)
    kwargs = op_cases.materialize(spec["kwargs"], torch.as_tensor)
    if expected[0] == "E":
        with pytest.raises(Exception) as info:
            fn(*args, **kwargs)
        names = [k.__name__ for k in type(info.value).__mro__]
        assert expected[1] in names, (f"raised {type(info.value).__name__}: {info.value}; "
                                      f"TensorFlow raised {expected[1]}: {expected[2]}")
        return
    got = pack(fn(*args, **kwargs))
    mode = spec["compare"]
    assert_same(_canonical(got, mode), _canonical(expected, mode), spec)
