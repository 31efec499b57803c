"""Optimizers against Keras 3: same weights, same gradients, same updates."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import optimizers
from tests.keras3 import import_keras3

ATOL = 1e-6
SHAPES = [(3, 4), (4,), (2, 3, 2)]


def _data(steps=5, seed=0):
    rng = np.random.default_rng(seed)
    init = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grads = [[rng.normal(size=s).astype("float32") * 2 for s in SHAPES] for _ in range(steps)]
    return init, grads


def _run_keras(keras3, cls_name, kwargs, init, grads):
    kwargs = dict(kwargs)
    if "learning_rate" in kwargs and isinstance(kwargs["learning_rate"], tuple):
        name, cfg = kwargs["learning_rate"]
        kwargs["learning_rate"] = getattr(keras3.optimizers.schedules, name)(**cfg)
    opt = getattr(keras3.optimizers, cls_name)(**kwargs)
    variables = [keras3.Variable(w) for w in init]
    for step in grads:
        opt.apply([torch.tensor(g) for g in step], variables)
    return [v.numpy() for v in variables], opt


def _run_ours(cls_name, kwargs, init, grads):
    kwargs = dict(kwargs)
    if "learning_rate" in kwargs and isinstance(kwargs["learning_rate"], tuple):
        name, cfg = kwargs["learning_rate"]
        kwargs["learning_rate"] = getattr(optimizers.schedules, name)(**cfg)
    opt = getattr(optimizers, cls_name)(**kwargs)
    params = [torch.nn.Parameter(torch.tensor(w)) for w in init]
    opt.build(params)
    for step in grads:
        for p, g in zip(params, step, strict=True):
            p.grad = torch.tensor(g)
        opt.step()
        opt.zero_grad()
    return [p.detach().numpy() for p in params], opt


CASES = [
    ("SGD", {}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"learning_rate": 0.1, "clipnorm": 1.0}),
    ("SGD", {"learning_rate": 0.1, "clipvalue": 0.5}),
    ("SGD", {"learning_rate": 0.1, "global_clipnorm": 1.5}),
    ("SGD", {"learning_rate": 0.1, "weight_decay": 0.1}),
    ("Adam", {}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
    ("Adam", {"learning_rate": 0.01, "beta_1": 0.8, "epsilon": 1e-3, "clipnorm": 0.5}),
    ("Adam", {"learning_rate": 0.01, "weight_decay": 0.05}),
    ("AdamW", {"learning_rate": 0.01}),
    ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.1, "global_clipnorm": 1.0}),
    ("RMSprop", {}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.9, "centered": True}),
    ("RMSprop", {"learning_rate": 0.01, "rho": 0.8, "clipvalue": 0.3}),
    ("Adagrad", {}),
    ("Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5}),
    ("Adamax", {"learning_rate": 0.01}),
    ("Nadam", {"learning_rate": 0.01}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("Lion", {"learning_rate": 0.01}),
    ("Lion", {"learning_rate": 0.01, "beta_1": 0.5, "weight_decay": 0.1}),
    ("SGD", {"learning_rate": ("ExponentialDecay", {"initial_learning_rate": 0.1,
                                                    "decay_steps": 2, "decay_rate": 0.5})}),
    ("SGD", {"learning_rate": ("ExponentialDecay",
                               {"initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5,
                                "staircase": True}), "momentum": 0.5}),
    ("Adam", {"learning_rate": ("CosineDecay", {"initial_learning_rate": 0.05, "decay_steps": 4})}),
    ("Adam", {"learning_rate": ("CosineDecay", {"initial_learning_rate": 0.0, "decay_steps": 4,
                                                 "warmup_target": 0.05, "warmup_steps": 2})}),
    ("SGD", {"learning_rate": ("PiecewiseConstantDecay",
                               {"boundaries": [1, 3], "values": [0.1, 0.05, 0.01]}),
             "weight_decay": 0.2}),
    ("SGD", {"learning_rate": 0.1, "use_ema": True, "ema_momentum": 0.9,
             "ema_overwrite_frequency": 2}),
    ("Adam", {"learning_rate": 0.01, "gradient_accumulation_steps": 2}),
    ("SGD", {"learning_rate": 0.1, "loss_scale_factor": 4.0}),
]


@pytest.mark.parametrize("cls_name,kwargs", CASES,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_optimizer_matches_keras(cls_name, kwargs):
    keras3 = import_keras3()
    init, grads = _data(steps=6)
    expected, kopt = _run_keras(keras3, cls_name, kwargs, init, grads)
    got, opt = _run_ours(cls_name, kwargs, init, grads)
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, atol=ATOL, rtol=0)
    assert int(opt.iterations) == int(kopt.iterations.numpy())
    np.testing.assert_allclose(float(opt.learning_rate), float(kopt.learning_rate), rtol=1e-6)
    ours_vars, keras_vars = opt.variables, kopt.variables
    assert len(ours_vars) == len(keras_vars)
    for a, b in zip(ours_vars, keras_vars, strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.numpy(), atol=1e-5)


@pytest.mark.parametrize("cls_name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax",
                                      "Nadam", "Adadelta", "Lion"])
def test_defaults_and_config_match_keras(cls_name):
    keras3 = import_keras3()
    ours = getattr(optimizers, cls_name)().get_config()
    theirs = getattr(keras3.optimizers, cls_name)().get_config()
    ours.pop("name"), theirs.pop("name")
    assert ours == theirs
    again = getattr(optimizers, cls_name).from_config(getattr(optimizers, cls_name)().get_config())
    assert type(again).__name__ == cls_name


def test_schedule_config_roundtrip_and_values_match_keras():
    keras3 = import_keras3()
    cases = [("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=3, decay_rate=0.9)),
             ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=10, alpha=0.1)),
             ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=10, warmup_target=0.1,
                                  warmup_steps=3)),
             ("PiecewiseConstantDecay", dict(boundaries=[2, 5], values=[1.0, 0.5, 0.1])),
             ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=5, power=2.0)),
             ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=5, cycle=True)),
             ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=2, decay_rate=0.5)),
             ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=3))]
    for name, cfg in cases:
        ours = getattr(optimizers.schedules, name)(**cfg)
        theirs = getattr(keras3.optimizers.schedules, name)(**cfg)
        assert ours.get_config() == theirs.get_config()
        for step in range(0, 14):
            np.testing.assert_allclose(float(ours(step)), float(theirs(step)), rtol=1e-6,
                                       atol=1e-9, err_msg=f"{name} step {step}")
        opt = optimizers.SGD(learning_rate=ours)
        again = optimizers.SGD.from_config(opt.get_config())
        assert type(again._learning_rate).__name__ == name


def test_get_resolves_strings_dicts_and_instances():
    for name, cls in [("adam", optimizers.Adam), ("sgd", optimizers.SGD),
                      ("rmsprop", optimizers.RMSprop), ("adamw", optimizers.AdamW),
                      ("adagrad", optimizers.Adagrad), ("adamax", optimizers.Adamax),
                      ("nadam", optimizers.Nadam), ("adadelta", optimizers.Adadelta),
                      ("Adam", optimizers.Adam)]:
        assert type(optimizers.get(name)) is cls
    opt = optimizers.Adam(learning_rate=0.5)
    assert optimizers.get(opt) is opt
    again = optimizers.get(optimizers.serialize(opt))
    assert isinstance(again, optimizers.Adam) and float(again.learning_rate) == 0.5
    assert optimizers.get("adam").get_config()["learning_rate"] == float(np.float32(0.001))
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get("nope")


def test_bad_arguments_raise_what_keras_raises():
    keras3 = import_keras3()
    for kwargs in [dict(clipnorm=1.0, clipvalue=1.0), dict(learning_rate=1),
                   dict(foo=1), dict(use_ema=True, ema_momentum=2.0)]:
        with pytest.raises(ValueError) as theirs:
            keras3.optimizers.Adam(**kwargs)
        with pytest.raises(ValueError) as ours:
            optimizers.Adam(**kwargs)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="`momentum` must be a float between"):
        optimizers.SGD(momentum=1)
    with pytest.raises(ValueError, match="weight_decay=None"):
        optimizers.AdamW(weight_decay=None)
    sched = optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)
    with pytest.raises(TypeError, match="not settable"):
        optimizers.SGD(learning_rate=sched).learning_rate = 0.1
    with pytest.raises(ValueError, match="decay_steps"):
        optimizers.schedules.CosineDecay(0.1, 0)


def test_learning_rate_set_and_read_like_keras():
    opt = optimizers.Adam(learning_rate=0.01)
    assert float(opt.learning_rate) == float(np.float32(0.01))  # float32, as Keras stores it
    opt.learning_rate = 0.5
    assert opt.learning_rate == 0.5 and opt.learning_rate.numpy() == np.float32(0.5)
    opt.learning_rate.assign(0.25)
    assert opt.get_config()["learning_rate"] == 0.25


def test_apply_with_kerastorch_variables_uses_keras_layout():
    keras3 = import_keras3()
    layer = kerastorch.layers.Dense(3)
    layer.build((None, 4))
    rng = np.random.default_rng(1)
    weights = [rng.normal(size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    grads = [[rng.normal(size=w.shape).astype("float32") for w in weights] for _ in range(3)]
    opt = optimizers.Adam(learning_rate=0.1)
    for g in grads:
        opt.apply_gradients(zip([torch.tensor(x) for x in g], layer.trainable_weights))
    expected, _ = _run_keras(keras3, "Adam", {"learning_rate": 0.1}, weights, grads)
    for e, g in zip(expected, layer.get_weights(), strict=True):
        np.testing.assert_allclose(g, e, atol=ATOL)
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply([torch.zeros(2)], [torch.nn.Parameter(torch.zeros(2))])


def test_step_skips_parameters_without_gradients_and_state_dict_roundtrips():
    init, grads = _data(steps=3)
    params = [torch.nn.Parameter(torch.tensor(w)) for w in init]
    opt = optimizers.Adam(learning_rate=0.1)
    opt.build(params)
    frozen = params[1].detach().clone()
    for step in grads:
        params[0].grad, params[2].grad = torch.tensor(step[0]), torch.tensor(step[2])
        opt.step()
    assert torch.equal(params[1].detach(), frozen)
    assert opt.iterations == 3
    state = opt.state_dict()
    other = optimizers.Adam(learning_rate=0.1)
    other.load_state_dict(state)  # before build: kept until build
    other.build([torch.nn.Parameter(p.detach().clone()) for p in params])
    assert other.iterations == 3
    for a, b in zip(other.state_dict()["slots"]["momentum"], state["slots"]["momentum"],
                    strict=True):
        assert torch.equal(a, b)
    bad = optimizers.Adam()
    bad.build(params[:2])
    with pytest.raises(ValueError, match="built on 2 parameters"):
        bad.load_state_dict(state)


def test_step_runs_without_host_sync_and_on_a_model():
    model = kerastorch.Sequential([kerastorch.Input((4,)), kerastorch.layers.Dense(2)])
    opt = optimizers.SGD(learning_rate=0.1, momentum=0.9)
    opt.build([p for p in model.parameters() if p.requires_grad])
    before = [p.detach().clone() for p in model.parameters()]
    loss = model(torch.ones(2, 4)).sum()
    loss.backward()
    opt.step()
    opt.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert not any(torch.equal(a, b.detach())
                   for a, b in zip(before, model.parameters(), strict=True))


def test_saved_variables_match_keras_layout_and_load_back():
    keras3 = import_keras3()
    layer = kerastorch.layers.Dense(3)
    layer.build((None, 4))
    rng = np.random.default_rng(2)
    weights = [rng.normal(size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    grads = [[rng.normal(size=w.shape).astype("float32") for w in weights] for _ in range(2)]
    opt = optimizers.Adam(learning_rate=0.1)
    for g in grads:
        opt.apply([torch.tensor(x) for x in g], layer.trainable_weights)
    _, kopt = _run_keras(keras3, "Adam", {"learning_rate": 0.1}, weights, grads)
    store = {}
    opt.save_own_variables(store)
    assert len(store) == len(kopt.variables)
    for i, v in enumerate(kopt.variables):
        np.testing.assert_allclose(store[str(i)], v.numpy(), atol=1e-6)
    fresh = optimizers.Adam(learning_rate=0.5)
    fresh.build(layer.trainable_weights)
    fresh.load_own_variables(store)
    assert fresh.iterations == 2 and float(fresh.learning_rate) == pytest.approx(0.1)
    for a, b in zip(fresh.state_dict()["slots"]["velocity"], opt.state_dict()["slots"]["velocity"],
                    strict=True):
        assert torch.equal(a, b)


def test_custom_optimizer_written_the_keras_way():
    class MomentumSGD(optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, momentum=0.5, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)
            self.momentum = momentum

        def build(self, variables):
            super().build(variables)
            self.velocities = [self.add_variable_from_reference(v, "velocity") for v in variables]

        def update_step(self, gradient, variable, learning_rate):
            v = self.velocities[self._get_variable_index(variable)]
            self.assign(v, self.momentum * v - learning_rate * gradient)
            self.assign_add(variable, v)

    init, grads = _data(steps=3)
    got, opt = _run_ours_custom(MomentumSGD(), init, grads)
    expected, _ = _run_ours("SGD", {"learning_rate": 0.1, "momentum": 0.5}, init, grads)
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, atol=1e-6)
    assert opt.name == "momentum_sgd" and opt.iterations == 3


def _run_ours_custom(opt, init, grads):
    params = [torch.nn.Parameter(torch.tensor(w)) for w in init]
    opt.build(params)
    for step in grads:
        for p, g in zip(params, step, strict=True):
            p.grad = torch.tensor(g)
        opt.step()
    return [p.detach().numpy() for p in params], opt


def test_exclude_from_weight_decay_by_name_matches_keras():
    keras3 = import_keras3()
    layer = kerastorch.layers.Dense(2)
    layer.build((None, 3))
    klayer = keras3.layers.Dense(2)
    klayer.build((None, 3))
    rng = np.random.default_rng(4)
    weights = [rng.normal(size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    klayer.set_weights(weights)
    ours = optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    ours.exclude_from_weight_decay(var_names=["bias"])
    theirs = keras3.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    theirs.exclude_from_weight_decay(var_names=["bias"])
    for _ in range(3):
        grads = [rng.normal(size=w.shape).astype("float32") for w in weights]
        ours.apply([torch.tensor(g) for g in grads], layer.trainable_weights)
        theirs.apply([torch.tensor(g) for g in grads], klayer.trainable_weights)
    for a, b in zip(layer.get_weights(), klayer.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=ATOL)
    with pytest.raises(ValueError, match="before the optimizer is built"):
        ours.exclude_from_weight_decay(var_names=["kernel"])


def test_user_schedule_receives_the_step_and_drives_the_rate():
    class Halving(optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            assert isinstance(step, torch.Tensor)
            return 0.4 * 0.5 ** (step // 2)

    opt = optimizers.SGD(learning_rate=Halving())
    param = torch.nn.Parameter(torch.zeros(1))
    opt.build([param])
    for _ in range(4):
        param.grad = torch.ones(1)
        opt.step()
    # rates 0.4, 0.4, 0.2, 0.2 at steps 0..3
    assert float(param.detach()) == pytest.approx(-1.2, abs=1e-6)
    assert float(opt.learning_rate) == pytest.approx(0.1)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_fused_and_multi_tensor_paths_agree(amsgrad):
    init, grads = _data(steps=5)
    results = []
    for fused in (True, False):
        params = [torch.nn.Parameter(torch.tensor(w)) for w in init]
        opt = optimizers.Adam(learning_rate=0.05, amsgrad=amsgrad)
        opt.build(params)
        assert opt._fused
        opt._fused = fused
        for step in grads:
            for p, g in zip(params, step, strict=True):
                p.grad = torch.tensor(g)
            opt.step()
        results.append([p.detach().clone() for p in params])
    for a, b in zip(*results, strict=True):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=0)


# ---------------------------------------------------------------- Keras 2's minimize / get_gradients
def _dense_loss():
    layer = kerastorch.layers.Dense(2)
    x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    return layer, lambda: (layer(x) ** 2).sum()


def test_minimize_with_a_callable_loss_matches_apply_gradients():
    layer, loss_fn = _dense_loss()
    layer(torch.zeros((1, 3)))
    start = [w.numpy() for w in layer.trainable_weights]
    grads = optimizers.SGD(0.1).get_gradients(loss_fn(), layer.trainable_weights)
    assert [tuple(g.shape) for g in grads] == [(3, 2), (2,)]
    opt = optimizers.SGD(0.1)
    opt.minimize(loss_fn, layer.trainable_weights)
    for w, w0, g in zip(layer.trainable_weights, start, grads):
        np.testing.assert_allclose(w.numpy(), w0 - 0.1 * g.numpy(), atol=ATOL)
    assert opt.iterations == 1


def test_minimize_with_a_tape_and_get_gradients_of_an_unused_variable():
    from kerastorch.porting import tf
    layer, loss_fn = _dense_loss()
    layer(torch.zeros((1, 3)))
    opt = optimizers.Adam(0.01)
    with tf.GradientTape() as tape:
        loss = loss_fn()
    opt.minimize(loss, lambda: layer.trainable_weights, tape=tape)
    assert opt.iterations == 1
    unused = kerastorch.Variable(np.ones(2, "float32"))
    with pytest.raises(ValueError, match="has `None` for gradient"):
        opt.get_gradients(loss_fn(), [layer.trainable_weights[0], unused])
