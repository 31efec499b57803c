"""RandomRotation: rotates images by a random angle (a fraction of a full turn)."""

import math

from kerastorch.layers.preprocessing.base_image_augmentation import BaseAffineLayer
from kerastorch.layers.preprocessing.base_image_augmentation import parse_factor
from kerastorch.layers.preprocessing.base_image_augmentation import rotation_theta


class RandomRotation(BaseAffineLayer):
    """Randomly rotates images during training (identity in inference).

    Args:
        factor: a fraction of 2*pi: `f` gives angles in `[-f * 2pi, f * 2pi]`, a pair
            `(lower, upper)` gives `[lower * 2pi, upper * 2pi]`; positive is counter-clockwise.
        fill_mode: `"reflect"` (default), `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: integer seed.
        fill_value: the value outside the image with `fill_mode="constant"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Example:
        >>> layers.RandomRotation(0.1)(images, training=True)
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed,
                         fill_value=fill_value, data_format=data_format, **kwargs)
        self.factor = parse_factor(factor, "factor", self)

    def augment(self, images):
        n, _, h, w = images.shape
        lower, upper = self.factor
        angles = self._uniform((n,), lower * 2 * math.pi, upper * 2 * math.pi, images.device)
        return self.resample(images, rotation_theta(-angles, h, w))

    def get_config(self):
        config = super().get_config()
        config.update(factor=self.factor)
        return config
