"""optimizers.keras2.Nadam (tf.keras 2.11+'s Nadam fit step): Keras 3's config and state, a
step that differs from Keras 3's Nadam where tf.keras's per-variable u_product does, and the
non-finite first step on a single variable. (Its numbers against tf.keras are in
tests/keras2/test_legacy_optimizers.py.)"""

import numpy as np
import torch

from kerastorch import optimizers
from tests.keras3 import import_keras3


def _run(opt, n_vars, steps=3):
    params = [torch.nn.Parameter(torch.full((3,), 1.0 + i)) for i in range(n_vars)]
    opt.build(params)
    for s in range(steps):
        for i, p in enumerate(params):
            p.grad = torch.full((3,), 0.1 * (s + 1) * (i + 1))
        opt.step()
    return [p.detach().numpy().copy() for p in params], opt


def test_config_and_state_are_keras3_nadams():
    k3 = import_keras3()
    ours = optimizers.keras2.Nadam(learning_rate=0.01, beta_1=0.8)
    theirs = k3.optimizers.Nadam(learning_rate=0.01, beta_1=0.8)
    a = {k: v for k, v in ours.get_config().items() if k != "name"}
    b = {k: v for k, v in theirs.get_config().items() if k != "name"}
    assert a.keys() == b.keys() and a["beta_1"] == b["beta_1"]
    assert isinstance(ours, optimizers.Nadam)
    _, built = _run(ours, 2, steps=1)
    _, plain = _run(optimizers.Nadam(learning_rate=0.01, beta_1=0.8), 2, steps=1)
    assert [tuple(v.shape) for v in built.variables] == [tuple(v.shape) for v in plain.variables]


def test_step_differs_from_keras3_nadam_with_several_variables():
    got, _ = _run(optimizers.keras2.Nadam(learning_rate=0.01), 3)
    want, _ = _run(optimizers.Nadam(learning_rate=0.01), 3)
    assert all(np.isfinite(g).all() for g in got)
    assert not all(np.allclose(g, w, atol=1e-7) for g, w in zip(got, want))
    # both move every weight against its (positive) gradient
    for i, g in enumerate(got):
        assert (g < 1.0 + i).all()


def test_one_variable_first_step_is_not_finite_as_in_tf_keras():
    got, _ = _run(optimizers.keras2.Nadam(learning_rate=0.01), 1, steps=1)
    assert not np.isfinite(got[0]).all()
