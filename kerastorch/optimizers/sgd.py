"""SGD: gradient descent with optional (Nesterov) momentum, as Keras defines it."""

import torch

from kerastorch.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent: `w -= lr * g`, or with momentum `m = momentum * m - lr * g; w += m`.

    With `nesterov=True`: `w += momentum * m - lr * g` after the momentum update.

    Args:
        learning_rate: float or schedule (default 0.01).
        momentum: float in [0, 1] (default 0.0).
        nesterov: use Nesterov momentum.
        **kwargs: `Optimizer`'s arguments (clipnorm, weight_decay, name, ...).

    Example:
        >>> keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov
        self._slot_names = (("momentum", 0.0),) if momentum != 0 else ()

    def _update_step(self, params, grads, slots, lr):
        if self.momentum == 0:
            torch._foreach_add_(params, grads, alpha=-lr)
            return
        m = slots["momentum"]
        torch._foreach_mul_(m, self.momentum)
        torch._foreach_add_(m, grads, alpha=-lr)
        if self.nesterov:
            torch._foreach_add_(params, grads, alpha=-lr)
            torch._foreach_add_(params, m, alpha=self.momentum)
        else:
            torch._foreach_add_(params, m)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
