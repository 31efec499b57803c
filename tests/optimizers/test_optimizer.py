"""The Optimizer base: clipping, weight decay and its exclusions, EMA, gradient accumulation,
loss scaling, learning-rate forms, minimize/apply_gradients/step, zero_grad, errors; the
update paths against Keras 3 over many steps."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import optimizers
from tests.keras3 import import_keras3
from tests.optimizers.parity import check_trajectory

BASE_CASES = [
    {"clipnorm": 0.3}, {"clipvalue": 0.05}, {"global_clipnorm": 0.5},
    {"weight_decay": 0.3}, {"use_ema": True, "ema_momentum": 0.5},
    {"use_ema": True, "ema_momentum": 0.8, "ema_overwrite_frequency": 3},
    {"gradient_accumulation_steps": 3}, {"gradient_accumulation_steps": 2, "clipnorm": 0.5},
    {"loss_scale_factor": 8.0, "global_clipnorm": 1.0},
]


@pytest.mark.parametrize("kwargs", BASE_CASES, ids=[str(i) for i in range(len(BASE_CASES))])
@pytest.mark.parametrize("cls_name", ["SGD", "Adam"])
def test_base_options_match_keras3(cls_name, kwargs):
    check_trajectory(cls_name, dict(kwargs, learning_rate=0.05))


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        optimizers.SGD(gradient_accumulation_steps=1)
    with pytest.raises(ValueError, match="ema_momentum"):
        optimizers.SGD(use_ema=True, ema_momentum=1.5)
    with pytest.raises(ValueError, match="ema_overwrite_frequency"):
        optimizers.SGD(use_ema=True, ema_overwrite_frequency=-1)  # (0 is allowed, as in Keras 3)
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.SGD(learning_rate="fast")
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.SGD(momentom=0.9)


def test_lr_alias_and_decay_warn():
    with pytest.warns(UserWarning, match="learning_rate"):
        opt = optimizers.SGD(lr=0.5)
    assert float(opt.learning_rate) == 0.5
    with pytest.warns(UserWarning, match="decay"):
        optimizers.SGD(decay=0.1)


def test_learning_rate_forms():
    opt = optimizers.SGD(learning_rate=0.1)
    assert float(opt.learning_rate) == pytest.approx(0.1)
    opt.learning_rate = 0.25
    assert float(opt.learning_rate) == 0.25 and float(opt.lr) == 0.25
    calls = []
    opt = optimizers.SGD(learning_rate=lambda: calls.append(1) or 0.5)
    w = torch.nn.Parameter(torch.ones(2))
    opt.build([w])
    w.grad = torch.ones(2)
    opt.step()
    np.testing.assert_allclose(w.detach().numpy(), [0.5, 0.5])
    assert calls


def test_minimize_apply_gradients_and_step_agree():
    def fresh():
        return keras.Variable(np.array([1.0, -2.0, 3.0], "float32"))

    def loss_of(v):
        return (keras.ops.convert_to_tensor(v) ** 2).sum()

    a, b, c = fresh(), fresh(), fresh()
    opt_a, opt_b = optimizers.SGD(0.1), optimizers.SGD(0.1)
    opt_a.minimize(lambda: loss_of(a), [a])
    opt_b.apply_gradients([(torch.tensor([2.0, -4.0, 6.0]), b)])
    np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-7)
    np.testing.assert_allclose(a.numpy(), [0.8, -1.6, 2.4], atol=1e-6)
    assert int(opt_a.iterations) == int(opt_b.iterations) == 1
    with pytest.raises(ValueError, match="None"):
        opt_a.get_gradients(loss_of(a), [a, c])


def test_zero_grad_and_parameters_without_gradients():
    opt = optimizers.Adam(0.1)
    p, q = torch.nn.Parameter(torch.ones(3)), torch.nn.Parameter(torch.ones(3))
    opt.build([p, q])
    p.grad = torch.ones(3)
    opt.step()
    assert not torch.equal(p.detach(), torch.ones(3)) and torch.equal(q.detach(), torch.ones(3))
    opt.zero_grad(set_to_none=False)
    assert torch.equal(p.grad, torch.zeros(3)) and q.grad is None
    opt.zero_grad()
    assert p.grad is None
    before = int(opt.iterations)
    opt.step()  # nothing has a gradient: nothing happens
    assert int(opt.iterations) == before


def test_exclude_from_weight_decay():
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    keep, decay = keras.Variable(np.ones(2, "float32"), name="bias"), \
        keras.Variable(np.ones(2, "float32"), name="kernel")
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.apply([torch.zeros(2), torch.zeros(2)], [keep, decay])
    np.testing.assert_allclose(keep.numpy(), [1.0, 1.0])
    np.testing.assert_allclose(decay.numpy(), [0.95, 0.95], atol=1e-6)
    with pytest.raises(ValueError, match="before"):
        opt.exclude_from_weight_decay(var_names=["kernel"])


def test_scale_loss_and_config_round_trip():
    opt = optimizers.Adam(learning_rate=0.01, loss_scale_factor=4.0, clipnorm=2.0, name="my")
    assert float(opt.scale_loss(torch.tensor(1.5))) == 6.0
    assert float(optimizers.Adam().scale_loss(torch.tensor(1.5))) == 1.5
    config = opt.get_config()
    clone = optimizers.Adam.from_config(config)
    assert clone.get_config() == config and config["name"] == "my"


def test_scale_loss_matches_keras3():
    k3 = import_keras3()
    assert float(k3.optimizers.SGD(loss_scale_factor=3.0).scale_loss(2.0)) == \
        float(optimizers.SGD(loss_scale_factor=3.0).scale_loss(torch.tensor(2.0)))
