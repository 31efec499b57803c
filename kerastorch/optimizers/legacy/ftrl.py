"""Keras 2's legacy Ftrl (`tf.keras.optimizers.legacy.Ftrl`), with `decay`."""

import torch

from kerastorch.optimizers.legacy.optimizer_v2 import OptimizerV2


class Ftrl(OptimizerV2):
    """FTRL-Proximal as tf.keras 2's legacy optimizer computes it (TensorFlow's `ApplyFtrl`).

    With `n` the accumulator and `p = -learning_rate_power`:
    `z += g' - (n_new^p - n^p) / lr_t * w` (`g' = g + 2 * l2_shrinkage * w`), `n_new = n + g^2`,
    `w = (sign(z) * l1 - z) / (n_new^p / lr_t + 2 * l2)` where `|z| > l1`, else 0;
    `l2` includes `beta / (2 * lr_t)`, `lr_t = learning_rate / (1 + decay * iterations)`.
    Slots `accumulator` (from `initial_accumulator_value`) and `linear`, per variable in turn.

    Args:
        learning_rate: float or schedule (default 0.001).
        learning_rate_power: a float <= 0 (default -0.5).
        initial_accumulator_value: starting value of the accumulators (default 0.1).
        l1_regularization_strength: float >= 0 (default 0).
        l2_regularization_strength: float >= 0 (default 0).
        l2_shrinkage_regularization_strength: float >= 0 (default 0).
        beta: float (default 0).
        name: default "Ftrl".
        **kwargs: `clipnorm`, `clipvalue`, `global_clipnorm`, `decay`, `lr` (deprecated).

    Example:
        >>> keras.optimizers.legacy.Ftrl(learning_rate=0.1, l1_regularization_strength=0.01)
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, name="Ftrl",
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, **kwargs):
        super().__init__(name, learning_rate, **kwargs)
        for key, value, what in (
                ("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
                ("learning_rate_power", -learning_rate_power, "negative or zero"),
                ("l1_regularization_strength", l1_regularization_strength, "positive or zero"),
                ("l2_regularization_strength", l2_regularization_strength, "positive or zero"),
                ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength,
                 "positive or zero")):
            if value < 0.0:
                shown = learning_rate_power if key == "learning_rate_power" else value
                raise ValueError(f"`{key}` needs to be {what}. Received: {key}={shown}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta
        self._slot_names = (("accumulator", initial_accumulator_value), ("linear", 0.0))

    def _slot_groups(self):
        return [("accumulator", "linear")]

    def _update_step(self, params, grads, slots, lr):
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        shrink = self.l2_shrinkage_regularization_strength
        accum, linear = slots["accumulator"], slots["linear"]
        for w, g, n, z in zip(params, grads, accum, linear):
            new_n = n + g * g
            if power == 0.5:
                sigma = (new_n.sqrt() - n.sqrt()) / lr
                quadratic = new_n.sqrt() / lr + 2 * l2
            else:
                sigma = (new_n.pow(power) - n.pow(power)) / lr
                quadratic = new_n.pow(power) / lr + 2 * l2
            z.add_(g + 2 * shrink * w if shrink > 0 else g).sub_(sigma * w)
            w.copy_((z.clamp(-l1, l1) - z) / quadratic)
            n.copy_(new_n)

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "learning_rate_power": self.learning_rate_power,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "beta": self.beta,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength}
