"""Keras 2's legacy Adagrad (`tf.keras.optimizers.legacy.Adagrad`), with `decay`."""

import torch

from kerastorch.optimizers.legacy.optimizer_v2 import OptimizerV2


class Adagrad(OptimizerV2):
    """Adagrad as tf.keras 2's legacy optimizer computes it (TensorFlow's `ApplyAdagradV2`).

    `accumulator += g^2; w -= lr_t * g / (sqrt(accumulator) + epsilon)`, with
    `lr_t = learning_rate / (1 + decay * iterations)`. Slot `accumulator`.

    Args:
        learning_rate: float or schedule (default 0.001).
        initial_accumulator_value: starting value of the accumulators (default 0.1).
        epsilon: small constant for stability (default 1e-7).
        name: default "Adagrad".
        **kwargs: `clipnorm`, `clipvalue`, `global_clipnorm`, `decay`, `lr` (deprecated).

    Example:
        >>> keras.optimizers.legacy.Adagrad(learning_rate=0.1, decay=1e-3)
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name="Adagrad", **kwargs):
        if initial_accumulator_value < 0.0:
            raise ValueError("initial_accumulator_value must be non-negative: "
                             f"{initial_accumulator_value}")
        super().__init__(name, learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon or 1e-7
        self._slot_names = (("accumulator", initial_accumulator_value),)

    def _update_step(self, params, grads, slots, lr):
        acc = slots["accumulator"]
        torch._foreach_addcmul_(acc, grads, grads)
        denom = torch._foreach_sqrt(acc)
        torch._foreach_add_(denom, self.epsilon)
        torch._foreach_addcdiv_(params, grads, denom, value=-lr)

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config.setdefault("initial_accumulator_value", 0.1)
        return super().from_config(config, custom_objects)
