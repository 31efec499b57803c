"""Lion: sign of an interpolated momentum (Chen et al., 2023), as Keras defines it."""

import torch

from kerastorch.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Lion: `w -= lr * sign(b1 * m + (1 - b1) * g)`, then `m = b2 * m + (1 - b2) * g`.

    Args:
        learning_rate: float or schedule (default 0.001).
        beta_1: interpolation factor of the update (in (0, 1]; default 0.9).
        beta_2: decay of the momentum (default 0.99).
        **kwargs: `Optimizer`'s arguments (clipnorm, weight_decay, name, ...).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the "
                             f"optimizer degenerates to SignSGD. Received: beta_1={beta_1}.")
        self._slot_names = (("momentum", 0.0),)

    def _update_step(self, params, grads, slots, lr):
        m = slots["momentum"]
        update = torch._foreach_mul(m, self.beta_1)
        torch._foreach_add_(update, grads, alpha=1 - self.beta_1)
        torch._foreach_sign_(update)
        torch._foreach_add_(params, update, alpha=-lr)
        torch._foreach_mul_(m, self.beta_2)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_2)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
