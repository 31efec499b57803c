"""Nadam: Adam with Nesterov momentum, with Keras's momentum schedule."""

import numpy as np
import torch

from kerastorch.optimizers.optimizer import Optimizer, f32


class Nadam(Optimizer):
    """Nadam: Adam whose first moment looks one step ahead (Dozat, 2016), as Keras computes it.

    Args:
        learning_rate: float or schedule (default 0.001).
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the second moment (default 0.999).
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
        self._slot_names = (("momentum", 0.0), ("velocity", 0.0))
        self._u_product = 1.0

    def _slot_groups(self):
        return [("momentum", "velocity")]

    def _build_extra(self):
        self._u_product = 1.0

    @property
    def variables(self):
        return super().variables + [torch.tensor(self._u_product, dtype=torch.float32)]

    def _extra_state(self):
        return {"u_product": self._u_product}

    def _load_extra_state(self, extra):
        self._u_product = float(extra.get("u_product", 1.0))

    def load_own_variables(self, store):
        super().load_own_variables(store)
        if len(store.keys()) == len(self.variables):
            self._u_product = float(store[str(len(store.keys()) - 1)])

    def _load_keras2_weights(self, values):
        """A tf.keras 2.11+ file's Nadam state: `iteration`, then the slots (its `u_product` is
        not among its variables: tf.keras restarts it at 1, and so does this); a kerastorch
        `.h5` also keeps `u_product`, last. False, with nothing changed, if it does not fit."""
        own = self._keras_layout(self.variables)
        k = 1 if callable(self._learning_rate) else 2
        slots = own[k:-1]
        n = len(values) - 1
        if n not in (len(slots), len(slots) + 1) or any(
                tuple(np.shape(v)) != tuple(s.shape) for v, s in zip(values[1:], slots)):
            return False
        u_product = values[-1] if n > len(slots) else np.float32(1.0)
        state = [values[0]] + ([] if k == 1 else [own[1].numpy()]) + list(values[1:1 + len(slots)])
        self.load_own_variables({str(i): v for i, v in enumerate(state + [u_product])})
        return True

    def _update_step(self, params, grads, slots, lr):
        t = self.iterations + 1
        b1 = f32(self.beta_1)
        u_t = f32(b1 * (1.0 - 0.5 * f32(f32(0.96) ** t)))
        u_t_1 = f32(b1 * (1.0 - 0.5 * f32(f32(0.96) ** (t + 1))))
        u_product_t = f32(self._u_product * u_t)
        u_product_t_1 = f32(u_product_t * u_t_1)
        beta_2_power = f32(f32(self.beta_2) ** t)
        self._u_product = u_product_t
        m, v = slots["momentum"], slots["velocity"]
        torch._foreach_mul_(m, self.beta_1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(v, self.beta_2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta_2)
        m_hat = torch._foreach_mul(m, u_t_1 / (1 - u_product_t_1))
        torch._foreach_add_(m_hat, grads, alpha=(1 - u_t) / (1 - u_product_t))
        denom = torch._foreach_div(v, 1 - beta_2_power)
        torch._foreach_sqrt_(denom)
        torch._foreach_add_(denom, self.epsilon)
        torch._foreach_addcdiv_(params, m_hat, denom, value=-lr)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}

