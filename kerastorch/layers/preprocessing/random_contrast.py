"""RandomContrast: scales each image's deviation from its per-channel mean by a random factor."""

from kerastorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentationLayer
from kerastorch.layers.preprocessing.base_image_augmentation import parse_factor


class RandomContrast(BaseImageAugmentationLayer):
    """Randomly adjusts contrast during training (identity in inference).

    `(x - mean) * c + mean` per image and channel, `c` drawn from `[1 - lower, 1 + upper]` as
    Keras 3 reads `factor` (bounds `[0, 1]`), then clipped to `value_range`.

    Args:
        factor: a number or a pair in `[0, 1]`.
        value_range: `(low, high)` of the pixel values (default `(0, 255)`).
        seed: integer seed.

    Example:
        >>> layers.RandomContrast(0.2)(images, training=True)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = parse_factor(factor, "factor", self, bounds=(0.0, 1.0))
        self.value_range = value_range

    def augment(self, images):
        n = images.shape[0]
        c = self._uniform((n, 1, 1, 1), 1.0 - self.factor[0], 1.0 + self.factor[1],
                          images.device).to(images.dtype)
        mean = images.mean(dim=(-2, -1), keepdim=True)
        out = (images - mean) * c + mean
        return out.clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.pop("data_format", None)
        config.update(factor=self.factor, value_range=self.value_range)
        return config
