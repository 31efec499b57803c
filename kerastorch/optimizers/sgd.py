"""SGD: gradient descent with optional (Nesterov) momentum, as Keras defines it."""

import numpy as np
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

    def _keras_shapes(self):
        return [tuple((p if f is None else f(p)).shape) for p, f in zip(self._params,
                                                                          self._keras_of)]

    def _load_keras2_weights(self, values):
        """A tf.keras 2.11+ file's SGD state: `iteration`, then one `m` slot per variable, which
        tf.keras keeps even with momentum 0 (all zeros then: not kept here). False, with
        nothing changed, if it does not fit."""
        if not self._slots and len(values) == 1 + len(self._params) and \
                [tuple(np.shape(v)) for v in values[1:]] == self._keras_shapes():
            values = values[:1]
        own = self._keras_layout(self.variables)
        k = 1 if callable(self._learning_rate) else 2
        if len(values) - 1 != len(own) - k or any(
                tuple(np.shape(v)) != tuple(o.shape) for v, o in zip(values[1:], own[k:])):
            return False
        state = list(values[:1]) + [o.detach().cpu().numpy() for o in own[1:k]] + list(values[1:])
        self.load_own_variables({str(i): v for i, v in enumerate(state)})
        return True

    def _keras2_weights(self):
        """`(names, values)` of the state as tf.keras 2.11+ writes it in an `.h5`: `iteration`,
        then the `m` slots (zeros with momentum 0, as tf.keras keeps them)."""
        values = [v.detach().cpu().numpy() for v in self._keras_layout(self.variables)]
        slots = values[1 if callable(self._learning_rate) else 2:]
        if not self._slots:
            slots = [np.zeros(shape, "float32") for shape in self._keras_shapes()]
        return (["iteration:0"] + [f"SGD/slot_{i}:0" for i in range(len(slots))],
                [values[0]] + slots)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
