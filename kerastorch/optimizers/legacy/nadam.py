"""Keras 2's legacy Nadam (`tf.keras.optimizers.legacy.Nadam`), with its momentum schedule."""

import numpy as np
import torch

from kerastorch.optimizers.legacy.optimizer_v2 import OptimizerV2
from kerastorch.optimizers.optimizer import f32


class Nadam(OptimizerV2):
    """Nadam as tf.keras 2's legacy optimizer computes it (Dozat, 2015).

    The momentum schedule `mu_t = beta_1 * (1 - 0.5 * 0.96^(schedule_decay * t))` multiplies
    into `momentum_cache` once per step; `w -= lr * m_bar / (sqrt(v / (1 - beta_2^t)) + epsilon)`
    with `m_bar = (1 - mu_t) * g / (1 - cache_t) + mu_{t+1} * m / (1 - cache_t * mu_{t+1})`.
    As in Keras 2, `decay` is the schedule decay (`schedule_decay`, default 0.004) and does not
    decay the learning rate; learning-rate schedules are not accepted. State: `iterations`,
    `momentum_cache`, then slots `m`, then `v`.

    Args:
        learning_rate: float (default 0.001).
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the second moment (default 0.999).
        epsilon: small constant for stability (default 1e-7).
        name: default "Nadam".
        **kwargs: `clipnorm`, `clipvalue`, `global_clipnorm`, `schedule_decay`, `lr`.

    Example:
        >>> keras.optimizers.legacy.Nadam(learning_rate=0.002)
    """

    _keras2_extras = ("momentum_cache",)

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="Nadam", **kwargs):
        from kerastorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
        kwargs["decay"] = kwargs.pop("schedule_decay", 0.004)  # as Keras 2 does
        if isinstance(kwargs.get("lr", learning_rate), LearningRateSchedule):
            raise ValueError("The Nadam optimizer does not support "
                             "tf.keras.optimizers.LearningRateSchedules as the learning rate.")
        super().__init__(name, learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon or 1e-7
        self._slot_names = (("m", 0.0), ("v", 0.0))
        self._momentum_cache = 1.0

    def _step_lr(self):
        return self._current_lr()  # `decay` is the momentum schedule's

    def _build_extra(self):
        self._momentum_cache = 1.0

    @property
    def variables(self):
        return super().variables + [torch.tensor(self._momentum_cache, dtype=torch.float32)]

    @property
    def weights(self):
        values = self._keras_layout(self.variables)
        first = 1 if callable(self._learning_rate) else 2
        return values[:1] + values[-1:] + values[first:-1]

    def set_weights(self, weights):
        weights = list(weights)
        super().set_weights(weights[:1] + weights[2:] + weights[1:2])

    def _extra_state(self):
        return {"momentum_cache": self._momentum_cache}

    def _load_extra_state(self, extra):
        self._momentum_cache = float(extra.get("momentum_cache", 1.0))

    def load_own_variables(self, store):
        super().load_own_variables(store)
        if len(store.keys()) == len(self.variables):
            self._momentum_cache = float(np.asarray(store[str(len(store.keys()) - 1)]))

    def _update_step(self, params, grads, slots, lr):
        f = np.float32
        t = self.iterations + 1
        b1, b2, decay = f(self.beta_1), f(self.beta_2), f(self.decay)
        mu_t = b1 * (f(1.0) - f(0.5) * f(0.96) ** (decay * f(t)))
        mu_next = b1 * (f(1.0) - f(0.5) * f(0.96) ** (decay * f(t + 1)))
        cache = f(self._momentum_cache) * mu_t
        cache_next = cache * mu_next
        self._momentum_cache = float(cache)
        m, v = slots["m"], slots["v"]
        torch._foreach_mul_(m, self.beta_1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(v, self.beta_2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta_2)
        m_bar = torch._foreach_mul(m, float(mu_next / (f(1.0) - cache_next)))
        torch._foreach_add_(m_bar, grads, alpha=float((f(1.0) - mu_t) / (f(1.0) - cache)))
        denom = torch._foreach_div(v, f32(1.0 - f32(b2 ** f(t))))
        torch._foreach_sqrt_(denom)
        torch._foreach_add_(denom, self.epsilon)
        torch._foreach_addcdiv_(params, m_bar, denom, value=-lr)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
