"""RandomTranslation: shifts images by a random fraction of their height and width."""

import torch

from kerastorch.layers.preprocessing.base_image_augmentation import BaseAffineLayer
from kerastorch.layers.preprocessing.random_zoom import factor_range


class RandomTranslation(BaseAffineLayer):
    """Randomly translates images during training (identity in inference).

    Args:
        height_factor: fraction of the height; positive shifts down, negative up. A number
            `f` means `(-f, f)`.
        width_factor: fraction of the width; positive shifts right, negative left.
        fill_mode, interpolation, seed, fill_value, data_format: as in `RandomRotation`.

    Example:
        >>> layers.RandomTranslation(0.1, 0.1)(images, training=True)
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed,
                         fill_value=fill_value, data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range(height_factor, "height_factor", self)
        self.width_factor = width_factor
        self.width_lower, self.width_upper = factor_range(width_factor, "width_factor", self)

    def augment(self, images):
        n = images.shape[0]
        dev = images.device
        dy = self._uniform((n,), self.height_lower, self.height_upper, dev)
        dx = self._uniform((n,), self.width_lower, self.width_upper, dev)
        one, zero = torch.ones_like(dx), torch.zeros_like(dx)
        # normalized coordinates span 2 per image side: a shift of `d` of the side is 2 * d
        theta = torch.stack([torch.stack([one, zero, -2 * dx], -1),
                             torch.stack([zero, one, -2 * dy], -1)], -2)
        return self.resample(images, theta)

    def get_config(self):
        config = super().get_config()
        config.update(height_factor=self.height_factor, width_factor=self.width_factor)
        return config
