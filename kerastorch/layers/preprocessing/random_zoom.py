"""RandomZoom: zooms images in or out by a random factor on each axis."""

import torch

from kerastorch.layers.preprocessing.base_image_augmentation import BaseAffineLayer


def factor_range(factor, name, layer):
    message = (f"The `{name}` argument of {type(layer).__name__} should be a number or a pair of "
               f"numbers in the range (-1, 1]. Received: {name}={factor}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or any(f > 1.0 or f <= -1.0 for f in factor):
            raise ValueError(message)
        return tuple(sorted(float(f) for f in factor))
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        if factor > 1.0 or factor <= -1.0:
            raise ValueError(message)
        return -abs(float(factor)), abs(float(factor))
    raise ValueError(message)


class RandomZoom(BaseAffineLayer):
    """Randomly zooms images during training (identity in inference).

    Args:
        height_factor: fraction of the height: the zoom is `1 + U(lower, upper)`; positive
            values zoom out, negative values zoom in. A number `f` means `(-f, f)`.
        width_factor: the same for the width; `None` (default) zooms both axes equally.
        fill_mode, interpolation, seed, fill_value, data_format: as in `RandomRotation`.

    Example:
        >>> layers.RandomZoom(0.2)(images, training=True)
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed,
                         fill_value=fill_value, data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range(height_factor, "height_factor", self)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = factor_range(width_factor, "width_factor", self)

    def augment(self, images):
        n = images.shape[0]
        dev = images.device
        zoom_h = self._uniform((n,), 1.0 + self.height_lower, 1.0 + self.height_upper, dev)
        if self.width_factor is None:
            zoom_w = zoom_h
        else:
            zoom_w = self._uniform((n,), 1.0 + self.width_lower, 1.0 + self.width_upper, dev)
        zero = torch.zeros_like(zoom_h)
        theta = torch.stack([torch.stack([zoom_w, zero, zero], -1),
                             torch.stack([zero, zoom_h, zero], -1)], -2)
        return self.resample(images, theta)

    def get_config(self):
        config = super().get_config()
        config.update(height_factor=self.height_factor, width_factor=self.width_factor)
        return config
