"""Dropout layer, and the seeded random-mask helper the other noise layers share."""

import torch
import torch.nn.functional as F

from kerastorch.layers.layer import Layer


def check_rate(rate, name="rate"):
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
        raise ValueError(f"Invalid value received for argument `{name}`. Expected a float value "
                         f"between 0 and 1. Received: {name}={rate}")
    return rate


def generator_for(layer, device):
    """The layer's own torch.Generator on `device` when it has a `seed`, else None."""
    if layer.seed is None:
        return None
    gens = layer.__dict__.setdefault("_generators", {})
    gen = gens.get(device)
    if gen is None:
        gen = gens[device] = torch.Generator(device=device).manual_seed(int(layer.seed))
    return gen


def dropout_mask(layer, shape, rate, like):
    """A `{0, 1/(1-rate)}` mask of `shape` (broadcastable to `like`)."""
    keep = 1.0 - rate
    mask = torch.empty(shape, dtype=like.dtype, device=like.device)
    mask.bernoulli_(keep, generator=generator_for(layer, like.device))
    return mask.div_(keep)


class Dropout(Layer):
    """Sets a fraction `rate` of inputs to zero during training and scales the rest by
    `1 / (1 - rate)`; does nothing at inference.

    Args:
        rate: float between 0 and 1, the fraction of inputs to drop.
        noise_shape: shape of the binary mask, broadcast over the input (`None` entries take the
            input's size), e.g. `(batch_size, 1, features)` to drop the same features at every
            timestep.
        seed: integer seed of the layer's own random generator.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> Dropout(0.5)(ops.ones((2, 3)), training=True).shape
        torch.Size([2, 3])
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(rate)
        self.noise_shape = tuple(noise_shape) if noise_shape is not None else None
        self.seed = seed
        self.supports_masking = True

    def _noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        return tuple(n if s is None else s for s, n in zip(self.noise_shape, inputs.shape))

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        if not training or self.rate == 0:
            return inputs
        noise_shape = self._noise_shape(inputs)
        if noise_shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, True)
        if self.rate == 1:
            return inputs * 0
        return inputs * dropout_mask(self, noise_shape or inputs.shape, self.rate, inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return config
