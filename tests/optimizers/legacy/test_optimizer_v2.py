"""OptimizerV2 (the legacy base): Keras 2's kwargs only (TypeError otherwise), no negative
values, `lr` alias, time-based `decay` (lr / (1 + decay * iterations)), clipvalue applied before
clipnorm; the combined clipping against tf.keras 2.21 is in oracle_steps.ALL_CASES (Adam)."""

import numpy as np
import pytest
import torch

from kerastorch import optimizers


def test_kwargs_are_keras2s():
    with pytest.raises(TypeError, match="weight_decay"):
        optimizers.legacy.SGD(weight_decay=0.1)
    with pytest.raises(ValueError, match="clipnorm"):
        optimizers.legacy.Adam(clipnorm=-1.0)
    with pytest.warns(UserWarning, match="lr"):
        opt = optimizers.legacy.SGD(lr=0.3)
    assert float(opt.learning_rate) == pytest.approx(0.3)


def test_time_based_decay():
    opt = optimizers.legacy.SGD(learning_rate=0.5, decay=1.0)
    w = torch.nn.Parameter(torch.zeros(1))
    opt.build([w])
    moves = []
    for _ in range(3):
        before = float(w)
        w.grad = torch.ones(1)
        opt.step()
        moves.append(before - float(w))
    np.testing.assert_allclose(moves, [0.5 / (1 + k) for k in range(3)], rtol=1e-6)


def test_clipvalue_then_clipnorm():
    opt = optimizers.legacy.SGD(learning_rate=1.0, clipvalue=0.5, clipnorm=0.6)
    w = torch.nn.Parameter(torch.zeros(2))
    opt.build([w])
    w.grad = torch.tensor([3.0, 4.0])
    opt.step()
    # clipvalue -> [0.5, 0.5] (norm 0.707) -> clipnorm 0.6 -> 0.6 / sqrt(2) each
    np.testing.assert_allclose(w.detach().numpy(), [-0.6 / np.sqrt(2)] * 2, rtol=1e-6)
