"""Adagrad: per-parameter rates shrinking with the sum of squared gradients."""

import torch

from kerastorch.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad: `acc += g^2; w -= lr * g / sqrt(acc + epsilon)`.

    Args:
        learning_rate: float or schedule (default 0.001).
        initial_accumulator_value: starting value of the accumulators (default 0.1).
        epsilon: small constant for stability (default 1e-7).
        **kwargs: `Optimizer`'s arguments (clipnorm, weight_decay, name, ...).

    Example:
        >>> keras.optimizers.Adagrad(learning_rate=0.01)
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon
        self._slot_names = (("accumulator", initial_accumulator_value),)

    def _update_step(self, params, grads, slots, lr):
        acc = slots["accumulator"]
        torch._foreach_addcmul_(acc, grads, grads)
        denom = torch._foreach_add(acc, self.epsilon)
        torch._foreach_sqrt_(denom)
        torch._foreach_addcdiv_(params, grads, denom, value=-lr)

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
