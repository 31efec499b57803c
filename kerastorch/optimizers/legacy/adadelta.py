"""Keras 2's legacy Adadelta (`tf.keras.optimizers.legacy.Adadelta`), with `decay`."""

import torch

from kerastorch.optimizers.legacy.optimizer_v2 import OptimizerV2


class Adadelta(OptimizerV2):
    """Adadelta as tf.keras 2's legacy optimizer computes it (TensorFlow's `ApplyAdadelta`).

    `accum_grad = rho * accum_grad + (1 - rho) * g^2;
    update = sqrt(accum_var + epsilon) / sqrt(accum_grad + epsilon) * g; w -= lr_t * update;
    accum_var = rho * accum_var + (1 - rho) * update^2`, with
    `lr_t = learning_rate / (1 + decay * iterations)`. Slots `accum_grad`, then `accum_var`.

    Args:
        learning_rate: float or schedule (default 0.001).
        rho: decay rate (default 0.95).
        epsilon: small constant for stability (default 1e-7).
        name: default "Adadelta".
        **kwargs: `clipnorm`, `clipvalue`, `global_clipnorm`, `decay`, `lr` (deprecated).

    Example:
        >>> keras.optimizers.legacy.Adadelta(learning_rate=1.0, rho=0.95)
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name="Adadelta", **kwargs):
        super().__init__(name, learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon or 1e-7
        self._slot_names = (("accum_grad", 0.0), ("accum_var", 0.0))

    def _update_step(self, params, grads, slots, lr):
        rho, eps = self.rho, self.epsilon
        accum_grad, accum_var = slots["accum_grad"], slots["accum_var"]
        torch._foreach_mul_(accum_grad, rho)
        torch._foreach_addcmul_(accum_grad, grads, grads, value=1 - rho)
        num = torch._foreach_add(accum_var, eps)
        torch._foreach_sqrt_(num)
        den = torch._foreach_add(accum_grad, eps)
        torch._foreach_sqrt_(den)
        update = torch._foreach_div(num, den)
        torch._foreach_mul_(update, grads)
        torch._foreach_add_(params, update, alpha=-lr)
        torch._foreach_mul_(accum_var, rho)
        torch._foreach_addcmul_(accum_var, update, update, value=1 - rho)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
