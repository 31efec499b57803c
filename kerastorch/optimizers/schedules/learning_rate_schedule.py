"""Learning-rate schedules: the learning rate as a function of the optimizer's step count.

Each built-in schedule computes its value in float32 arithmetic, as Keras does, from a plain
Python step number, so an optimizer reads it without touching the device.
"""

import math

import numpy as np
import torch

_F = np.float32


class LearningRateSchedule:
    """Base class: subclass it and define `__call__(step)` and `get_config()`.

    Example:
        >>> class Halving(keras.optimizers.schedules.LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 0.1 * 0.5 ** (step // 100)
    """

    def __call__(self, step):
        if type(self)._value is not LearningRateSchedule._value:
            return torch.tensor(self._value(_step(step)), dtype=torch.float32)
        raise NotImplementedError(f"Learning rate schedule '{self.__class__.__name__}' "
                                  "must override `__call__(self, step)`.")

    # Built-in schedules define `_value(step) -> float`; the optimizer calls it directly.
    _value = None

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{self.__class__.__name__}' must "
                                  "override `get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _step(step):
    return float(step.detach().cpu()) if isinstance(step, torch.Tensor) else float(step)


def _check_decay_steps(value, name="decay_steps"):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)` (floored with `staircase`).

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps per decay period (> 0).
        decay_rate: the factor per period.
        staircase: decay in discrete steps.
        name: the schedule's name.

    Example:
        >>> lr = keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=1000, decay_rate=0.9)
        >>> keras.optimizers.SGD(learning_rate=lr)
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_decay_steps(decay_steps)

    def _value(self, step):
        p = _F(step) / _F(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return float(_F(self.initial_learning_rate) * np.power(_F(self.decay_rate), p))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` up to `boundaries[0]` (inclusive), `values[1]` up to `boundaries[1]`, ...

    Args:
        boundaries: increasing step numbers.
        values: one more rate than there are boundaries.
        name: the schedule's name.

    Example:
        >>> lr = keras.optimizers.schedules.PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} "
                f"of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def _value(self, step):
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return float(_F(value))
        return float(_F(self.values[-1]))

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Polynomial decay from `initial_learning_rate` to `end_learning_rate` over `decay_steps`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps to reach `end_learning_rate` (> 0).
        end_learning_rate: the final rate.
        power: the polynomial's power.
        cycle: restart after `decay_steps`, with a longer period each time.
        name: the schedule's name.
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_decay_steps(decay_steps)

    def _value(self, step):
        step, decay_steps = _F(step), _F(self.decay_steps)
        if self.cycle:
            multiplier = _F(1.0) if step == 0 else np.ceil(step / decay_steps)
            decay_steps = decay_steps * multiplier
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        init, end = _F(self.initial_learning_rate), _F(self.end_learning_rate)
        return float((init - end) * np.power(_F(1) - p, _F(self.power)) + end)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps per decay period (> 0).
        decay_rate: the decay rate.
        staircase: decay in discrete steps.
        name: the schedule's name.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_decay_steps(decay_steps)

    def _value(self, step):
        p = _F(step) / _F(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return float(_F(self.initial_learning_rate) / (_F(1) + _F(self.decay_rate) * p))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay over `decay_steps`, after an optional linear warmup to `warmup_target`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps of the cosine decay (> 0).
        alpha: the final rate as a fraction of the starting one.
        name: the schedule's name.
        warmup_target: the rate reached after warmup (None: no warmup).
        warmup_steps: steps of linear warmup.

    Example:
        >>> lr = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=10_000)
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_decay_steps(decay_steps)

    def _decay(self, step, decay_steps, start):
        fraction = step / decay_steps
        cosine = _F(0.5) * (_F(1) + np.cos(_F(math.pi) * fraction))
        return start * ((_F(1) - _F(self.alpha)) * cosine + _F(self.alpha))

    def _value(self, step):
        init, decay_steps, step = _F(self.initial_learning_rate), _F(self.decay_steps), _F(step)
        if self.warmup_target is None:
            return float(self._decay(min(step, decay_steps), decay_steps, init))
        target, warmup = _F(self.warmup_target), _F(self.warmup_steps)
        step = min(step, decay_steps + warmup)
        if step < warmup:
            return float((target - init) * (step / warmup) + init)
        return float(self._decay(step - warmup, decay_steps, target))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): periods grow by `t_mul`, peaks shrink by `m_mul`.

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: steps of the first period (> 0).
        t_mul: period growth factor.
        m_mul: peak decay factor.
        alpha: the minimum rate as a fraction of the starting one.
        name: the schedule's name.
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_decay_steps(first_decay_steps, "first_decay_steps")

    def _value(self, step):
        fraction = _F(step) / _F(self.first_decay_steps)
        t_mul, m_mul, alpha = _F(self._t_mul), _F(self._m_mul), _F(self.alpha)
        if t_mul == 1.0:
            i_restart = np.floor(fraction)
            fraction = fraction - i_restart
        else:
            i_restart = np.floor(np.log(_F(1) - fraction * (_F(1) - t_mul)) / np.log(t_mul))
            sum_r = (_F(1) - np.power(t_mul, i_restart)) / (_F(1) - t_mul)
            fraction = (fraction - sum_r) / np.power(t_mul, i_restart)
        cosine = _F(0.5) * np.power(m_mul, i_restart) * (_F(1) + np.cos(_F(math.pi) * fraction))
        return float(_F(self.initial_learning_rate) * ((_F(1) - alpha) * cosine + alpha))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}
