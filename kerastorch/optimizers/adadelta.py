"""Adadelta: step sizes from moving averages of squared gradients and squared updates."""

import torch

from kerastorch.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta: `delta = -sqrt(acc_delta + eps) / sqrt(acc_grad + eps) * g; w += lr * delta`.

    Args:
        learning_rate: float or schedule (default 0.001).
        rho: decay of the moving averages (default 0.95).
        epsilon: small constant for stability (default 1e-7).
        **kwargs: `Optimizer`'s arguments (clipnorm, weight_decay, name, ...).
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.rho = rho
        self.epsilon = epsilon
        self._slot_names = (("accumulated_grad", 0.0), ("accumulated_delta_var", 0.0))

    def _slot_groups(self):
        return [("accumulated_grad", "accumulated_delta_var")]

    def _update_step(self, params, grads, slots, lr):
        rho = self.rho
        acc_grad, acc_delta = slots["accumulated_grad"], slots["accumulated_delta_var"]
        torch._foreach_mul_(acc_grad, rho)
        torch._foreach_addcmul_(acc_grad, grads, grads, value=1 - rho)
        rms_delta = torch._foreach_sqrt(torch._foreach_add(acc_delta, self.epsilon))
        rms_grad = torch._foreach_sqrt(torch._foreach_add(acc_grad, self.epsilon))
        delta = torch._foreach_mul(rms_delta, grads)
        torch._foreach_div_(delta, rms_grad)
        torch._foreach_neg_(delta)
        torch._foreach_mul_(acc_delta, rho)
        torch._foreach_addcmul_(acc_delta, delta, delta, value=1 - rho)
        torch._foreach_add_(params, delta, alpha=lr)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
