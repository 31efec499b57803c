"""Adam, with Keras's placement of epsilon (outside the bias correction)."""

import math

import torch

from kerastorch.optimizers.optimizer import Optimizer, f32


class Adam(Optimizer):
    """Adam: `w -= alpha * m / (sqrt(v) + epsilon)` with `alpha = lr * sqrt(1 - b2^t) / (1 - b1^t)`.

    Keras's epsilon is the "epsilon hat" of the paper: it is added after the bias correction
    of `v`, so it is not torch's `eps`.

    Args:
        learning_rate: float or schedule (default 0.001).
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the second moment (default 0.999).
        epsilon: small constant for stability (default 1e-7).
        amsgrad: use the AMSGrad variant.
        **kwargs: `Optimizer`'s arguments (clipnorm, weight_decay, name, ...).

    Example:
        >>> keras.optimizers.Adam(learning_rate=1e-3)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
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
        self.amsgrad = amsgrad
        self._slot_names = (("momentum", 0.0), ("velocity", 0.0)) + (
            (("velocity_hat", 0.0),) if amsgrad else ())

    def _slot_groups(self):
        return [("momentum", "velocity")] + ([("velocity_hat",)] if self.amsgrad else [])

    def _build_extra(self):
        # torch's fused Adam kernel does the whole update in one pass over each tensor; it is
        # used when every parameter is a dense floating tensor on one device.
        params = self._params
        self._fused = bool(params) and all(
            p.device == params[0].device and p.dtype == params[0].dtype and p.layout == torch.strided
            for p in params) and params[0].is_floating_point() and \
            params[0].device.type in ("cpu", "cuda")
        self._step_tensor = None

    def _follow_parameters(self):
        super()._follow_parameters()
        self._build_extra()

    def _update_step(self, params, grads, slots, lr):
        t = self.iterations + 1
        beta_1_power = f32(f32(self.beta_1) ** t)
        beta_2_power = f32(f32(self.beta_2) ** t)
        alpha = lr * math.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m, v = slots["momentum"], slots["velocity"]
        if self._fused and all(g.dtype == p.dtype and g.stride() == p.stride()
                               for g, p in zip(grads, params)):
            # torch's kernel computes p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps) with its own
            # bias corrections bc; choosing lr and eps per step makes that Keras's update
            # p -= alpha * m / (sqrt(v) + epsilon).
            bc1, bc2_sqrt = 1 - self.beta_1 ** t, math.sqrt(1 - self.beta_2 ** t)
            if self._step_tensor is None:
                self._step_tensor = torch.zeros((), dtype=torch.float32, device=params[0].device)
            self._step_tensor.fill_(t)
            torch._fused_adam_(params, grads, m, v,
                               slots["velocity_hat"] if self.amsgrad else [],
                               [self._step_tensor] * len(params), lr=alpha * bc1 / bc2_sqrt,
                               beta1=self.beta_1, beta2=self.beta_2, weight_decay=0.0,
                               eps=self.epsilon / bc2_sqrt, amsgrad=self.amsgrad, maximize=False)
            return
        torch._foreach_lerp_(m, grads, 1 - self.beta_1)  # m += (g - m) * (1 - beta_1), one pass
        torch._foreach_mul_(v, self.beta_2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta_2)
        if self.amsgrad:
            torch._foreach_maximum_(slots["velocity_hat"], v)
            v = slots["velocity_hat"]
        denom = torch._foreach_sqrt(v)
        torch._foreach_add_(denom, self.epsilon)
        torch._foreach_addcdiv_(params, m, denom, value=-alpha)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
