"""RandomFlip: flips images left-right and/or up-down, each image by a coin toss."""

import torch

from kerastorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentationLayer

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"


class RandomFlip(BaseImageAugmentationLayer):
    """Randomly flips images during training (identity in inference).

    Args:
        mode: `"horizontal"`, `"vertical"` or `"horizontal_and_vertical"` (default).
        seed: integer seed.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input/output shape: `(batch, height, width, channels)` or `(height, width, channels)`.

    Example:
        >>> flip = layers.RandomFlip("horizontal", seed=1)
        >>> flip(images, training=True).shape == images.shape
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(f"RandomFlip layer {self.name} received an unknown mode argument "
                             f"{mode}")
        self.mode = mode

    def augment(self, images):
        n = images.shape[0]
        out = images
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            flip = self._uniform((n, 1, 1, 1), 0.0, 1.0, images.device) > 0.5
            out = torch.where(flip, out.flip(-1), out)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            flip = self._uniform((n, 1, 1, 1), 0.0, 1.0, images.device) > 0.5
            out = torch.where(flip, out.flip(-2), out)
        return out

    def get_config(self):
        config = super().get_config()
        config.update(mode=self.mode)
        return config
