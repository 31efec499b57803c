"""RMSprop, with Keras's placement of epsilon (inside the square root)."""

import torch

from kerastorch.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop: `v = rho * v + (1 - rho) * g^2; w -= lr * g / sqrt(v + epsilon)`.

    Keras adds epsilon inside the square root (torch adds it outside). `centered=True`
    subtracts the squared moving mean of the gradient from `v`; `momentum > 0` accumulates
    the increments.

    Args:
        learning_rate: float or schedule (default 0.001).
        rho: decay of the moving average of squared gradients (default 0.9).
        momentum: momentum factor (default 0.0).
        epsilon: small constant for stability (default 1e-7).
        centered: normalise by the estimated variance of the gradient.
        **kwargs: `Optimizer`'s arguments (clipnorm, weight_decay, name, ...).

    Example:
        >>> keras.optimizers.RMSprop(learning_rate=1e-3, rho=0.9)
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        self._slot_names = ((("velocity", 0.0),) + ((("momentum", 0.0),) if momentum > 0 else ())
                            + ((("average_gradient", 0.0),) if centered else ()))

    def _update_step(self, params, grads, slots, lr):
        rho = self.rho
        v = slots["velocity"]
        torch._foreach_mul_(v, rho)
        torch._foreach_addcmul_(v, grads, grads, value=1 - rho)
        denom = torch._foreach_add(v, self.epsilon)
        if self.centered:
            a = slots["average_gradient"]
            torch._foreach_mul_(a, rho)
            torch._foreach_add_(a, grads, alpha=1 - rho)
            torch._foreach_addcmul_(denom, a, a, value=-1)
        torch._foreach_sqrt_(denom)
        if self.momentum > 0:
            m = slots["momentum"]
            torch._foreach_mul_(m, self.momentum)
            torch._foreach_addcdiv_(m, grads, denom, value=lr)
            torch._foreach_sub_(params, m)
        else:
            torch._foreach_addcdiv_(params, grads, denom, value=-lr)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
