"""Keras 2's legacy SGD (`tf.keras.optimizers.legacy.SGD`), with `decay`."""

import torch

from kerastorch.optimizers.legacy.optimizer_v2 import OptimizerV2


class SGD(OptimizerV2):
    """Gradient descent as tf.keras 2's legacy SGD computes it (TensorFlow's `KerasMomentum`).

    `w -= lr_t * g`; with momentum `m = momentum * m - lr_t * g; w += m` (Nesterov:
    `w += momentum * m - lr_t * g`), `lr_t = learning_rate / (1 + decay * iterations)`.
    Slot `momentum` when `momentum > 0`.

    Args:
        learning_rate: float or schedule (default 0.01).
        momentum: float in [0, 1] (default 0.0).
        nesterov: use Nesterov momentum.
        name: default "SGD".
        **kwargs: `clipnorm`, `clipvalue`, `global_clipnorm`, `decay`, `lr` (deprecated).

    Example:
        >>> keras.optimizers.legacy.SGD(learning_rate=0.05, momentum=0.9, decay=1e-3)
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(name, learning_rate, **kwargs)
        if isinstance(momentum, (int, float)) and (momentum < 0 or momentum > 1):
            raise ValueError(f"`momentum` must be between [0, 1]. Received: momentum={momentum} "
                             f"(of type {type(momentum)}).")
        self.momentum = momentum
        self.nesterov = nesterov
        self._slot_names = (("momentum", 0.0),) if momentum > 0 else ()

    def _update_step(self, params, grads, slots, lr):
        if not self.momentum > 0:
            torch._foreach_add_(params, grads, alpha=-lr)
            return
        m = slots["momentum"]
        torch._foreach_mul_(m, self.momentum)
        torch._foreach_add_(m, grads, alpha=-lr)
        if self.nesterov:
            torch._foreach_add_(params, m, alpha=self.momentum)
            torch._foreach_add_(params, grads, alpha=-lr)
        else:
            torch._foreach_add_(params, m)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
