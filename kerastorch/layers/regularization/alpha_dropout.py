"""AlphaDropout."""

import torch

from kerastorch.layers.regularization.dropout import Dropout
from kerastorch.layers.regularization.dropout import generator_for

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Dropout):
    """Dropout for SELU networks: dropped units are set to SELU's negative saturation value and
    the result is affinely corrected to keep the input's mean and variance (training only).

    Args:
        rate: drop probability.
        noise_shape: shape of the binary mask, as for `Dropout`.
        seed: integer seed of the layer's own random generator.

    Example:
        >>> AlphaDropout(0.1)(ops.ones((2, 3)), training=True).shape
        torch.Size([2, 3])
    """

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        if not training or not 0 < self.rate < 1:
            return inputs
        shape = self._noise_shape(inputs) or inputs.shape
        kept = torch.empty(shape, dtype=inputs.dtype, device=inputs.device)
        kept.uniform_(generator=generator_for(self, inputs.device)).ge_(self.rate)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        x = inputs * kept + alpha_p * (1 - kept)
        return a * x + b
