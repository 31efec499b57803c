"""The base of the random image augmentation layers: active in training, identity otherwise.

`fit` (and `training=True`) augments; `predict`, `evaluate`, `training=False` and a plain call
do not (kerastorch layers start in inference mode; Keras 3 augments on a plain direct call).
Images are `(batch, h, w, c)` (or `(h, w, c)`) channels-last by default; the geometric layers
sample torch's `grid_sample` on an NCHW permuted view.
"""

import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch import random
from kerastorch.layers.layer import Layer

_FILL_MODES = ("reflect", "wrap", "constant", "nearest")
_INTERPOLATIONS = {"bilinear": "bilinear", "nearest": "nearest"}


def parse_factor(factor, name, layer, bounds=(-1.0, 1.0)):
    """`(lower, upper)` from a number `f` (-> `(-f, f)`) or a pair, as Keras reads `factor`."""
    error = (f"The `{name}` argument of {type(layer).__name__} should be a number (or a list "
             f"of two numbers) in the range [{bounds[0]}, {bounds[1]}]. Received: "
             f"{name}={factor}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > bounds[1] or factor[1] < bounds[0]:
            raise ValueError(error)
        lower, upper = sorted(float(f) for f in factor)
    elif isinstance(factor, (int, float)) and not isinstance(factor, bool):
        if factor < bounds[0] or factor > bounds[1]:
            raise ValueError(error)
        factor = abs(float(factor))
        lower, upper = max(-factor, bounds[0]), factor
    else:
        raise ValueError(error)
    return lower, upper


class BaseImageAugmentationLayer(Layer):
    """Shared by the Random* image layers: seeds, data format, training switch."""

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ValueError(f"Argument `seed` of {type(self).__name__} must be an integer. "
                             f"Received: seed={seed}")
        self.seed = seed
        self.data_format = backend.standardize_data_format(data_format)
        self.generator = random.SeedGenerator(seed)
        self.supports_masking = False

    def call(self, inputs, training=None):
        if training is None:
            training = self.training
        x = inputs
        if not torch.is_tensor(x):
            x = backend.convert_to_tensor(x)
        if not training:
            return x
        batched = x.dim() == 4
        if not batched:
            x = x.unsqueeze(0)
        if not x.is_floating_point():
            x = x.to(backend.to_torch_dtype(self.compute_dtype))
        nchw = x.permute(0, 3, 1, 2) if self.data_format == "channels_last" else x
        out = self.augment(nchw)
        if self.data_format == "channels_last":
            out = out.permute(0, 2, 3, 1)
        return out if batched else out[0]

    def augment(self, images):
        """Augments an NCHW float batch (subclasses)."""
        raise NotImplementedError

    def _uniform(self, shape, low, high, device):
        return random.uniform(shape, minval=low, maxval=high, seed=self.generator).to(device)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(seed=self.seed, data_format=self.data_format)
        return config


class BaseAffineLayer(BaseImageAugmentationLayer):
    """Rotation, zoom and translation: an affine resampling with Keras's fill modes."""

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if fill_mode not in _FILL_MODES:
            raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one "
                                      f"{_FILL_MODES}.")
        if interpolation not in _INTERPOLATIONS:
            raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of one "
                                      f"{tuple(_INTERPOLATIONS)}.")
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def resample(self, images, theta):
        """Samples `images` (NCHW) at `theta @ [x, y, 1]` (normalized output -> input coords)."""
        n, c, h, w = images.shape
        grid = F.affine_grid(theta.to(images.dtype), (n, c, h, w), align_corners=False)
        mode = _INTERPOLATIONS[self.interpolation]
        if self.fill_mode == "wrap":
            grid = torch.remainder(grid + 1.0, 2.0) - 1.0
            return F.grid_sample(images, grid, mode=mode, padding_mode="border",
                                 align_corners=False)
        if self.fill_mode == "constant":
            fill = float(self.fill_value)
            out = F.grid_sample(images - fill, grid, mode=mode, padding_mode="zeros",
                                align_corners=False)
            return out + fill
        padding = "reflection" if self.fill_mode == "reflect" else "border"
        return F.grid_sample(images, grid, mode=mode, padding_mode=padding, align_corners=False)

    def get_config(self):
        config = super().get_config()
        config.update(fill_mode=self.fill_mode, interpolation=self.interpolation,
                      fill_value=self.fill_value)
        return config


def rotation_theta(angles, h, w):
    """Affine matrices rotating by `angles` (radians, counter-clockwise) about the centre."""
    cos, sin = torch.cos(angles), torch.sin(angles)
    aspect = h / w
    zero = torch.zeros_like(angles)
    # normalized coords: x in [-1, 1] spans w, y spans h; rotate in pixel space
    row1 = torch.stack([cos, -sin * aspect, zero], dim=-1)
    row2 = torch.stack([sin / aspect, cos, zero], dim=-1)
    return torch.stack([row1, row2], dim=-2)
