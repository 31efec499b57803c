"""Adamax: Adam with the infinity norm in place of the second moment."""

import torch

from kerastorch.optimizers.optimizer import Optimizer, f32


class Adamax(Optimizer):
    """Adamax: `u = max(beta_2 * u, |g|); w -= lr * m / ((u + epsilon) * (1 - beta_1^t))`.

    Args:
        learning_rate: float or schedule (default 0.001).
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the infinity norm (default 0.999).
        epsilon: small constant for stability (default 1e-7).
        **kwargs: `Optimizer`'s arguments (clipnorm, weight_decay, name, ...).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self._slot_names = (("momentum", 0.0), ("norm", 0.0))

    def _slot_groups(self):
        return [("momentum", "norm")]

    def _update_step(self, params, grads, slots, lr):
        beta_1_power = f32(f32(self.beta_1) ** (self.iterations + 1))
        m, u = slots["momentum"], slots["norm"]
        torch._foreach_mul_(m, self.beta_1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(u, self.beta_2)
        torch._foreach_maximum_(u, torch._foreach_abs(grads))
        denom = torch._foreach_add(u, self.epsilon)
        torch._foreach_mul_(denom, 1 - beta_1_power)
        torch._foreach_addcdiv_(params, m, denom, value=-lr)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
