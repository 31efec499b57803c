"""Learning-rate schedules: values over many steps against Keras 3, configs, bad arguments."""

import numpy as np
import pytest
import torch

from kerastorch.optimizers import schedules
from tests.keras3 import import_keras3

STEPS = [0, 1, 2, 5, 9, 10, 11, 37, 50, 99, 100, 101, 250, 1000]

CASES = [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.9)),
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.9,
                              staircase=True)),
    ("PiecewiseConstantDecay", dict(boundaries=[10, 100], values=[1.0, 0.5, 0.1])),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=100)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=100, end_learning_rate=0.01,
                             power=2.0, cycle=True)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5,
                              staircase=True)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=100)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=100, alpha=0.1)),
    ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=100, warmup_target=0.2,
                         warmup_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10, t_mul=1.0,
                                 m_mul=0.5, alpha=0.05)),
]


def _ids():
    return [f"{name}-{i}" for i, (name, _) in enumerate(CASES)]


@pytest.mark.parametrize("name,kwargs", CASES, ids=_ids())
def test_values_match_keras3(name, kwargs):
    keras = import_keras3()
    ours = getattr(schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    got = [float(ours(s)) for s in STEPS]
    want = [float(keras.ops.convert_to_numpy(theirs(s))) for s in STEPS]
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert ours.get_config() == theirs.get_config()


@pytest.mark.parametrize("name,kwargs", CASES, ids=_ids())
def test_config_round_trip_and_tensor_steps(name, kwargs):
    cls = getattr(schedules, name)
    s = cls(**kwargs)
    clone = cls.from_config(s.get_config())
    assert clone.get_config() == s.get_config()
    for step in STEPS:
        value = s(torch.tensor(step))
        assert isinstance(value, torch.Tensor) and value.dtype == torch.float32
        assert float(value) == float(clone(step))


def test_values_by_hand():
    exp = schedules.ExponentialDecay(1.0, decay_steps=10, decay_rate=0.5)
    assert float(exp(10)) == pytest.approx(0.5)
    assert float(exp(5)) == pytest.approx(0.5 ** 0.5)
    stair = schedules.ExponentialDecay(1.0, decay_steps=10, decay_rate=0.5, staircase=True)
    assert float(stair(19)) == pytest.approx(0.5)
    pw = schedules.PiecewiseConstantDecay([10, 20], [3.0, 2.0, 1.0])
    assert [float(pw(s)) for s in (0, 10, 11, 20, 21)] == [3.0, 3.0, 2.0, 2.0, 1.0]
    cos = schedules.CosineDecay(1.0, decay_steps=100)
    assert float(cos(50)) == pytest.approx(0.5, abs=1e-6)
    assert float(cos(100)) == pytest.approx(0.0, abs=1e-6)
    assert float(cos(500)) == pytest.approx(0.0, abs=1e-6)  # held at the end
    poly = schedules.PolynomialDecay(1.0, decay_steps=10, end_learning_rate=0.0)
    assert float(poly(5)) == pytest.approx(0.5)
    assert float(poly(50)) == pytest.approx(0.0)


def test_bad_arguments():
    with pytest.raises(ValueError, match="boundaries"):
        schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5])
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, decay_steps=0, decay_rate=0.9)
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.CosineDecay(0.1, decay_steps=-1)
    with pytest.raises(ValueError, match="first_decay_steps"):
        schedules.CosineDecayRestarts(0.1, first_decay_steps=0)


def test_base_class_needs_call_and_config():
    class NoCall(schedules.LearningRateSchedule):
        pass

    with pytest.raises(NotImplementedError, match="NoCall"):
        NoCall()(3)
    with pytest.raises(NotImplementedError, match="get_config"):
        NoCall().get_config()

    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.1 * 0.5 ** (step // 10)

        def get_config(self):
            return {}

    assert Halving()(25) == pytest.approx(0.025)
    assert isinstance(Halving.from_config({}), Halving)
