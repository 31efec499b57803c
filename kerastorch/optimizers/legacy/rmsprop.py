"""Keras 2's legacy RMSprop (`tf.keras.optimizers.legacy.RMSprop`), with `decay`."""

import torch

from kerastorch.optimizers.legacy.optimizer_v2 import OptimizerV2


class RMSprop(OptimizerV2):
    """RMSprop as tf.keras 2's legacy optimizer computes it.

    `rms = rho * rms + (1 - rho) * g^2` (centered: minus `mg^2`, `mg` the moving mean of `g`).
    Without momentum `w -= lr_t * g / (sqrt(rms) + epsilon)`; with momentum TensorFlow's
    `ApplyRMSProp` puts epsilon inside the root: `mom = momentum * mom + lr_t * g /
    sqrt(rms + epsilon); w -= mom`. `lr_t = learning_rate / (1 + decay * iterations)`. Slots
    `rms`, then `momentum` (if `momentum > 0`), then `mg` (if `centered`).

    Args:
        learning_rate: float or schedule (default 0.001).
        rho: decay of the moving average of squared gradients (default 0.9).
        momentum: momentum factor (default 0.0).
        epsilon: small constant for stability (default 1e-7).
        centered: normalise by the estimated variance of the gradient.
        name: default "RMSprop".
        **kwargs: `clipnorm`, `clipvalue`, `global_clipnorm`, `decay`, `lr` (deprecated).

    Example:
        >>> keras.optimizers.legacy.RMSprop(learning_rate=1e-3, rho=0.9, decay=1e-4)
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 name="RMSprop", **kwargs):
        super().__init__(name, learning_rate, **kwargs)
        if isinstance(momentum, (int, float)) and (momentum < 0 or momentum > 1):
            raise ValueError(f"`momentum` must be between [0, 1]. Received: momentum={momentum} "
                             f"(of type {type(momentum)}).")
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon or 1e-7
        self.centered = centered
        self._slot_names = ((("rms", 0.0),) + ((("momentum", 0.0),) if momentum > 0 else ())
                            + ((("mg", 0.0),) if centered else ()))

    def _update_step(self, params, grads, slots, lr):
        rho = self.rho
        rms = slots["rms"]
        torch._foreach_mul_(rms, rho)
        torch._foreach_addcmul_(rms, grads, grads, value=1 - rho)
        denom = rms
        if self.centered:
            mg = slots["mg"]
            torch._foreach_mul_(mg, rho)
            torch._foreach_add_(mg, grads, alpha=1 - rho)
            denom = torch._foreach_addcmul(rms, mg, mg, value=-1)
        if self.momentum > 0:
            denom = torch._foreach_add(denom, self.epsilon)
            torch._foreach_sqrt_(denom)
            mom = slots["momentum"]
            torch._foreach_mul_(mom, self.momentum)
            torch._foreach_addcdiv_(mom, grads, denom, value=lr)
            torch._foreach_sub_(params, mom)
        else:
            denom = torch._foreach_sqrt(denom)
            torch._foreach_add_(denom, self.epsilon)
            torch._foreach_addcdiv_(params, grads, denom, value=-lr)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
