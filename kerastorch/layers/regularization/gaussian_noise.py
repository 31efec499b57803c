"""GaussianNoise."""

import torch

from kerastorch.layers.regularization.dropout import generator_for
from kerastorch.layers.layer import Layer


class GaussianNoise(Layer):
    """Adds zero-centred Gaussian noise of standard deviation `stddev` during training only.

    Args:
        stddev: standard deviation of the noise.
        seed: integer seed of the layer's own random generator.

    Example:
        >>> GaussianNoise(0.1)(ops.ones((2, 3)), training=True).shape
        torch.Size([2, 3])
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError("Invalid value received for argument `stddev`. Expected a float "
                             f"value between 0 and 1. Received: stddev={stddev}")
        self.stddev = stddev
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        if not training or self.stddev == 0:
            return inputs
        noise = torch.empty_like(inputs).normal_(0.0, self.stddev,
                                                 generator=generator_for(self, inputs.device))
        return inputs + noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(stddev=self.stddev, seed=self.seed)
        return config


