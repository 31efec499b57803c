"""tf.keras 2.11+'s optimizers where their training step computes something other than Keras 3.

A tf.keras 2 file whose optimizer is one of these (`"Custom>Nadam"`, `is_legacy_optimizer:
false`) compiles with the class of this module (see `optimizers.keras2_config`), so `fit()`
continues exactly as tf.keras 2.21 continues from the same file. Their config, state and
serialization are those of the Keras 3 class of the same name.
"""

import torch

from kerastorch.optimizers import nadam
from kerastorch.optimizers.optimizer import f32


class Nadam(nadam.Nadam):
    """tf.keras 2.11+'s Nadam as its compiled `fit()` step computes it.

    tf.keras decides per variable whether to multiply `u_product` by this step's `u_t` with a
    Python counter compared to `iterations + 2`; inside the traced train step that counter is
    a constant per variable (`c + k` for the k-th variable, `c` the counter when the step was
    traced), so each step multiplies `u_product` once per variable except where `c + k ==
    iterations + 2`, and each variable uses the product reached at its turn. `c` is 1 when the
    optimizer was built before the first step (its state loaded from a file), else `1 + n`
    (tf.keras builds it while tracing, and traces twice). `u_product` is not saved by tf.keras:
    it restarts at 1 on load. So a model of one trainable variable gets non-finite weights at
    its first step, as in tf.keras. Not reproduced: a retraced step (another batch shape) has
    its own counter constants.

    Args:
        The arguments of `keras.optimizers.Nadam`.

    Example:
        >>> opt = keras.optimizers.keras2.Nadam(learning_rate=2e-3)
    """

    def _build_extra(self):
        super()._build_extra()
        self._state_loaded = False
        self._first_count = None

    def _load_keras2_weights(self, values):
        loaded = super()._load_keras2_weights(values)
        if loaded:
            self._state_loaded = True
        return loaded

    def _keras2_weights(self):
        """`(names, values)` of the state as tf.keras 2.11+ writes it in an `.h5`: `iteration`,
        then the slots; no learning rate, no `u_product`."""
        values = [v.detach().cpu().numpy() for v in self._keras_layout(self.variables)]
        slots = values[1 if callable(self._learning_rate) else 2:-1]
        return (["iteration:0"] + [f"Nadam/slot_{i}:0" for i in range(len(slots))],
                [values[0]] + slots)

    def _update_step(self, params, grads, slots, lr):
        it = self.iterations
        if self._first_count is None:  # fixed when tf.keras traces its train step
            self._first_count = 1 if self._state_loaded else 1 + len(params)
        t = it + 1
        b1 = f32(self.beta_1)
        u_t = f32(b1 * (1.0 - 0.5 * f32(f32(0.96) ** t)))
        u_t_1 = f32(b1 * (1.0 - 0.5 * f32(f32(0.96) ** (t + 1))))
        beta_2_power = f32(f32(self.beta_2) ** t)
        u_product, m_scale, g_scale = self._u_product, [], []
        for k in range(len(params)):
            if self._first_count + k != it + 2:
                u_product = f32(u_product * u_t)
            m_scale.append(f32(u_t_1 / (1.0 - f32(u_product * u_t_1))))
            # u_product 1 (one variable, at the first step): tf.keras divides by 0 (inf, NaN)
            g_scale.append(f32((1.0 - u_t) / (1.0 - u_product)) if u_product != 1.0
                           else float("inf"))
        self._u_product = u_product
        m, v = slots["momentum"], slots["velocity"]
        torch._foreach_lerp_(m, grads, 1 - self.beta_1)
        torch._foreach_mul_(v, self.beta_2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta_2)
        m_hat = torch._foreach_mul(m, m_scale)
        torch._foreach_add_(m_hat, torch._foreach_mul(grads, g_scale))
        denom = torch._foreach_div(v, 1 - beta_2_power)
        torch._foreach_sqrt_(denom)
        torch._foreach_add_(denom, self.epsilon)
        torch._foreach_addcdiv_(params, m_hat, denom, value=-lr)


__all__ = ["Nadam"]
