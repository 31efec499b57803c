"""Keras 2's legacy Adam (`tf.keras.optimizers.legacy.Adam`), with `decay`."""

import math

import torch

from kerastorch.optimizers.legacy.optimizer_v2 import OptimizerV2
from kerastorch.optimizers.optimizer import f32


class Adam(OptimizerV2):
    """Adam as tf.keras 2's legacy optimizer computes it (TensorFlow's `ApplyAdam`).

    `m += (g - m) * (1 - beta_1); v += (g^2 - v) * (1 - beta_2);
    w -= lr_t * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon)`, with
    `lr_t = learning_rate / (1 + decay * iterations)`. Slots `m` (all variables), then `v`, then
    `vhat` with `amsgrad=True`.

    Args:
        learning_rate: float or schedule (default 0.001).
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the second moment (default 0.999).
        epsilon: small constant added to `sqrt(v)` (default 1e-7).
        amsgrad: use the maximum of past `v`.
        name: default "Adam".
        **kwargs: `clipnorm`, `clipvalue`, `global_clipnorm`, `decay`, `lr` (deprecated).

    Example:
        >>> keras.optimizers.legacy.Adam(learning_rate=0.01, decay=1e-4)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name="Adam", **kwargs):
        super().__init__(name, learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon or 1e-7
        self.amsgrad = amsgrad
        self._slot_names = (("m", 0.0), ("v", 0.0)) + ((("vhat", 0.0),) if amsgrad else ())

    def _update_step(self, params, grads, slots, lr):
        t = self.iterations + 1
        beta_1_power = f32(f32(self.beta_1) ** t)
        beta_2_power = f32(f32(self.beta_2) ** t)
        alpha = f32(lr * math.sqrt(1 - beta_2_power) / (1 - beta_1_power))
        m, v = slots["m"], slots["v"]
        torch._foreach_lerp_(m, grads, 1 - self.beta_1)
        torch._foreach_mul_(v, self.beta_2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta_2)
        if self.amsgrad:
            torch._foreach_maximum_(slots["vhat"], v)
            v = slots["vhat"]
        denom = torch._foreach_sqrt(v)
        torch._foreach_add_(denom, self.epsilon)
        torch._foreach_addcdiv_(params, m, denom, value=-alpha)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
