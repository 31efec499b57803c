"""GaussianDropout."""

import math

import torch

from kerastorch.layers.regularization.dropout import check_rate
from kerastorch.layers.regularization.dropout import generator_for
from kerastorch.layers.layer import Layer


class GaussianDropout(Layer):
    """Multiplies inputs by `1`-centred Gaussian noise of standard deviation
    `sqrt(rate / (1 - rate))` during training only.

    Args:
        rate: drop probability, as for `Dropout`.
        seed: integer seed of the layer's own random generator.

    Example:
        >>> GaussianDropout(0.2)(ops.ones((2, 3)), training=True).shape
        torch.Size([2, 3])
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(rate)
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        if not training or not 0 < self.rate < 1:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = torch.empty_like(inputs).normal_(1.0, stddev,
                                                 generator=generator_for(self, inputs.device))
        return inputs * noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config
