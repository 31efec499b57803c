"""RandomBrightness: adds a random offset (a fraction of the value range) to each image."""

from kerastorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentationLayer
from kerastorch.layers.preprocessing.base_image_augmentation import parse_factor


class RandomBrightness(BaseImageAugmentationLayer):
    """Randomly adjusts brightness during training (identity in inference).

    Args:
        factor: a number `f` (offsets in `[-f, f]` of the value range) or a pair in `[-1, 1]`.
        value_range: `(low, high)` of the pixel values (default `(0, 255)`); results are
            clipped to it.
        seed: integer seed.

    Example:
        >>> layers.RandomBrightness(0.2, value_range=(0, 1))(images, training=True)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = parse_factor(factor, "factor", self)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError("The `value_range` argument should be a list of two numbers. "
                             f"Received: value_range={value_range}")
        self.value_range = sorted(value_range)

    def augment(self, images):
        low, high = self.value_range
        delta = self._uniform((images.shape[0], 1, 1, 1), self.factor[0], self.factor[1],
                              images.device).to(images.dtype) * (high - low)
        return (images + delta).clamp(low, high)

    def get_config(self):
        config = super().get_config()
        config.update(factor=self.factor, value_range=self.value_range)
        return config
