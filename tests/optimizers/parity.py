"""Shared by the optimizer test modules: run an optimizer and its Keras 3 twin over the same
gradients (reusing the runners of tests/test_optimizers.py) and compare weights, slots, config."""

import numpy as np

from kerastorch import optimizers
from tests.keras3 import import_keras3
from tests.test_optimizers import _data, _run_keras, _run_ours


def check_trajectory(cls_name, kwargs, steps=12, atol=1e-6):
    keras3 = import_keras3()
    init, grads = _data(steps=steps, seed=7)
    want, kopt = _run_keras(keras3, cls_name, kwargs, init, grads)
    got, opt = _run_ours(cls_name, kwargs, init, grads)
    for w, g in zip(want, got, strict=True):
        np.testing.assert_allclose(g, w, atol=atol, rtol=0)
    assert [tuple(v.shape) for v in opt.variables] == [tuple(v.shape) for v in kopt.variables]
    for a, b in zip(opt.variables, kopt.variables, strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.numpy(), atol=1e-5)


def check_config(cls_name, kwargs):
    keras3 = import_keras3()
    ours = getattr(optimizers, cls_name)(**kwargs)
    theirs = getattr(keras3.optimizers, cls_name)(**kwargs)
    a = {k: v for k, v in ours.get_config().items() if k != "name"}
    b = {k: v for k, v in theirs.get_config().items() if k != "name"}
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(b[key], float):
            assert a[key] == np.float32(b[key]) or a[key] == b[key], key
        else:
            assert a[key] == b[key], key
    clone = getattr(optimizers, cls_name).from_config(ours.get_config())
    assert clone.get_config() == ours.get_config()
