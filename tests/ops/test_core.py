"""ops/core.py: conversion (convert_to_tensor / convert_to_numpy / shape / dtype / is_tensor) and
the control-flow ops (cond, switch, while_loop, fori_loop, scan, map, associative_scan,
vectorized_map, unstack, custom_gradient), each run the same way under Keras 3 and compared.
(The element-wise ops of this module are in tests/test_ops.py's table.)"""

import numpy as np
import pytest
import torch

from kerastorch import ops
from tests.keras3 import import_keras3


def _np(k, value):
    return k.ops.convert_to_numpy(value) if value is not None else None


def _programs(k):
    """The same control-flow programs written with `k.ops`; each returns numpy results."""
    o = k.ops
    x = np.arange(12, dtype="float32").reshape(4, 3)
    out = {}
    out["cond"] = [_np(k, o.cond(p, lambda: o.ones(2), lambda: o.zeros(2)))
                   for p in (True, False)]
    out["switch"] = [_np(k, o.switch(i, [lambda v: v + 1, lambda v: v * 10], np.ones(2, "float32")))
                     for i in (0, 1, 5, -3)]
    out["while"] = [_np(k, v) for v in o.while_loop(
        lambda i, s: i < 5, lambda i, s: (i + 1, s * 2.0), (0, np.ones(2, "float32")))]
    out["while_max"] = [_np(k, v) for v in o.while_loop(
        lambda i, s: i < 100, lambda i, s: (i + 1, s + 1.0), (0, 0.0), maximum_iterations=3)]
    out["while_single"] = _np(k, o.while_loop(lambda v: o.sum(v) < 50, lambda v: v * 3,
                                               np.ones(3, "float32")))
    out["fori"] = _np(k, o.fori_loop(0, 4, lambda i, v: v + i, np.zeros(2, "float32")))
    carry, ys = o.scan(lambda c, v: (c + v, c * v), np.zeros(3, "float32"), x)
    out["scan"] = [_np(k, carry), _np(k, ys)]
    carry, ys = o.scan(lambda c, v: (c + v, c), np.zeros(3, "float32"), x, reverse=True)
    out["scan_reverse"] = [_np(k, carry), _np(k, ys)]
    carry, ys = o.scan(lambda c, v: (c + 1.0, None), np.float32(0.0), None, length=5)
    # (Keras 3's torch backend stacks zeros for `y=None`; JAX's scan, and kerastorch, give None:
    # only the carry is compared)
    out["scan_length"] = [_np(k, carry)]
    out_none = ys
    carry, ys = o.scan(lambda c, v: (c + v["a"], {"twice": v["b"] * 2}), np.zeros(3, "float32"),
                       {"a": x, "b": x + 1})
    out["scan_dict"] = [_np(k, carry), _np(k, ys["twice"])]
    out["map"] = _np(k, o.map(lambda v: o.sum(v) * 2, x))
    out["associative"] = _np(k, o.associative_scan(lambda a, b: a + b, x, axis=0))
    out["associative_rev"] = _np(k, o.associative_scan(lambda a, b: a * b, x + 1, reverse=True,
                                                       axis=1))
    out["vmap"] = _np(k, o.vectorized_map(lambda v: o.sum(v * v), o.convert_to_tensor(x)))
    out["unstack"] = [_np(k, v) for v in o.unstack(o.convert_to_tensor(x), axis=1)]
    return out, out_none


def test_control_flow_matches_keras3():
    keras3 = import_keras3()
    import kerastorch
    ours, theirs = _programs(kerastorch)[0], _programs(keras3)[0]
    assert ours.keys() == theirs.keys()
    for key in theirs:
        a, b = ours[key], theirs[key]
        if isinstance(b, list):
            assert len(a) == len(b), key
            for u, v in zip(a, b, strict=True):
                if v is None:
                    assert u is None, key
                else:
                    np.testing.assert_allclose(np.asarray(u), np.asarray(v), atol=1e-5,
                                               err_msg=key)
        else:
            np.testing.assert_allclose(a, b, atol=1e-5, err_msg=key)


def test_control_flow_results_without_keras():
    out, scan_ys = _programs(__import__("kerastorch"))
    np.testing.assert_array_equal(out["switch"][2], [10.0, 10.0])  # index clamped to the last
    np.testing.assert_array_equal(out["switch"][3], [2.0, 2.0])  # and to the first
    assert float(out["while"][0]) == 5 and out["while"][1].tolist() == [32.0, 32.0]
    assert float(out["while_max"][0]) == 3
    assert out["fori"].tolist() == [6.0, 6.0]
    assert out["scan"][0].tolist() == [18.0, 22.0, 26.0]
    assert scan_ys is None and float(out["scan_length"][0]) == 5.0
    assert out["map"].tolist() == [6.0, 24.0, 42.0, 60.0]


@pytest.mark.parametrize("call, error, message", [
    (lambda: ops.scan("f", 0.0, np.ones(2)), TypeError, "`f` should be a callable"),
    (lambda: ops.scan(lambda c, x: (c, x), 0.0, np.ones(2), unroll=0), ValueError,
     "`unroll` must be an positive integer or boolean"),
    (lambda: ops.scan(lambda c, x: (c, x), 0.0), ValueError,
     "Got no `xs` to scan over and `length` not provided"),
    (lambda: ops.associative_scan(3, np.ones(2)), TypeError, "`f` should be a callable"),
    (lambda: ops.unstack(np.ones((2, 3)), num=3), ValueError,
     r"Cannot unstack axis 0 of size 2 into num=3"),
])
def test_argument_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_argument_error_types_match_keras3():
    keras3 = import_keras3()
    for k in (keras3, __import__("kerastorch")):
        with pytest.raises(TypeError):
            k.ops.scan("f", 0.0, np.ones(2))
        with pytest.raises(ValueError):
            k.ops.scan(lambda c, x: (c, x), 0.0, np.ones(2), unroll=0)
        with pytest.raises(ValueError):
            k.ops.scan(lambda c, x: (c, x), 0.0)


def test_custom_gradient_replaces_the_backward():
    @ops.custom_gradient
    def clipped_identity(x):
        def grad(upstream):
            return torch.clamp(upstream, -0.5, 0.5)
        return x * 1.0, grad

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = clipped_identity(x)
    (y * torch.tensor([3.0, -0.1])).sum().backward()
    assert y.tolist() == [1.0, 2.0] and x.grad.tolist() == pytest.approx([0.5, -0.1])


def test_conversions_match_keras3():
    keras3 = import_keras3()
    import kerastorch
    for value in (np.ones(2), [1, 2], np.array([1, 2], "uint8"), 1.5, [True], np.float16(1.0),
                  [[1.0, 2.0]]):
        ours = kerastorch.ops.convert_to_tensor(value)
        theirs = keras3.ops.convert_to_tensor(value)
        assert ours.dtype == theirs.dtype and tuple(ours.shape) == tuple(theirs.shape), value
        assert kerastorch.ops.dtype(ours) == keras3.ops.dtype(theirs)
        assert kerastorch.ops.shape(ours) == keras3.ops.shape(theirs)
    assert ops.convert_to_tensor([1, 2], dtype="float64").dtype == torch.float64
    # numpy scalars and 0-d arrays stay 0-d (they once became shape (1,))
    for scalar in (np.float32(1.0), np.int64(3), np.bool_(True), np.array(2.0)):
        assert ops.convert_to_tensor(scalar).shape == ()
    strided = np.ones((2, 4), "float32")[:, ::2]
    assert ops.convert_to_tensor(strided).shape == (2, 2)
    assert ops.is_tensor(torch.ones(1)) and not ops.is_tensor(np.ones(1))


def test_convert_to_numpy_detaches_and_moves_to_the_cpu():
    t = torch.ones(2, requires_grad=True) * 2
    arr = ops.convert_to_numpy(t)
    assert isinstance(arr, np.ndarray) and arr.tolist() == [2.0, 2.0]
    assert ops.convert_to_numpy(torch.ones(2, dtype=torch.bfloat16)).dtype is not None
    assert ops.convert_to_numpy([1, 2]).tolist() == [1, 2]
