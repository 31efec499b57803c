"""Keras 2's legacy Adamax (`tf.keras.optimizers.legacy.Adamax`), with `decay`."""

import torch

from kerastorch.optimizers.legacy.optimizer_v2 import OptimizerV2
from kerastorch.optimizers.optimizer import f32


class Adamax(OptimizerV2):
    """Adamax as tf.keras 2's legacy optimizer computes it (TensorFlow's `ApplyAdaMax`).

    `m += (g - m) * (1 - beta_1); v = max(beta_2 * v, |g|);
    w -= lr_t / (1 - beta_1^t) * m / (v + epsilon)`, with
    `lr_t = learning_rate / (1 + decay * iterations)`. Slots `m`, then `v`.

    Args:
        learning_rate: float or schedule (default 0.001).
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the infinity norm (default 0.999).
        epsilon: small constant for stability (default 1e-7).
        name: default "Adamax".
        **kwargs: `clipnorm`, `clipvalue`, `global_clipnorm`, `decay`, `lr` (deprecated).

    Example:
        >>> keras.optimizers.legacy.Adamax(learning_rate=0.002)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="Adamax", **kwargs):
        super().__init__(name, learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon or 1e-7
        self._slot_names = (("m", 0.0), ("v", 0.0))

    def _update_step(self, params, grads, slots, lr):
        t = self.iterations + 1
        beta_1_power = f32(f32(self.beta_1) ** t)
        m, v = slots["m"], slots["v"]
        torch._foreach_lerp_(m, grads, 1 - self.beta_1)
        torch._foreach_mul_(v, self.beta_2)
        torch._foreach_maximum_(v, torch._foreach_abs(grads))
        denom = torch._foreach_add(v, self.epsilon)
        torch._foreach_addcdiv_(params, m, denom, value=-f32(lr / (1 - beta_1_power)))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
