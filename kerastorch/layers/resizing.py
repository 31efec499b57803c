"""Resizing layer, and `resize_images`, the image resize it shares with UpSampling2D and
CenterCrop (torch's `interpolate` with half-pixel centres, as Keras's torch backend calls it)."""

import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch.layers.layer import Layer

_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}


def check_interpolation(interpolation):
    if interpolation not in _MODES:
        raise ValueError(f"Invalid value for argument `interpolation`: expected one of "
                         f"{sorted(_MODES)}. Received: interpolation={interpolation}")
    return interpolation


def resize_images(x, size, interpolation="bilinear", crop_to_aspect_ratio=False,
                  pad_to_aspect_ratio=False, fill_value=0.0, antialias=False):
    """Resizes a float NCHW batch `x` to `size` = `(height, width)`."""
    height, width = x.shape[-2], x.shape[-1]
    target_h, target_w = size
    if crop_to_aspect_ratio:
        crop_h = max(min(height, int(float(width * target_h) / target_w)), 1)
        crop_w = max(min(width, int(float(height * target_w) / target_h)), 1)
        top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
        x = x[:, :, top:top + crop_h, left:left + crop_w]
    elif pad_to_aspect_ratio:
        pad_h = max(height, int(float(width * target_h) / target_w))
        pad_w = max(width, int(float(height * target_w) / target_h))
        top, left = int(float(pad_h - height) / 2), int(float(pad_w - width) / 2)
        if top > 0 or left > 0:
            x = F.pad(x, (left, left, top, top), value=float(fill_value))
    mode = _MODES[interpolation]
    if (x.shape[-2], x.shape[-1]) == tuple(size) and mode != "bicubic":
        return x
    return F.interpolate(x, size=tuple(size), mode=mode,
                         align_corners=False if mode in ("bilinear", "bicubic") else None,
                         antialias=bool(antialias) and mode in ("bilinear", "bicubic"))


class Resizing(Layer):
    """Resizes images to `(height, width)`.

    Args:
        height, width: the output size.
        interpolation: `"bilinear"` (default), `"nearest"` or `"bicubic"`.
        crop_to_aspect_ratio: crop the largest centred window of the target aspect ratio first.
        pad_to_aspect_ratio: pad (with `fill_value`) to the target aspect ratio first.
        fill_mode: only `"constant"`.
        fill_value: the padding value.
        antialias: antialias when downsampling (bilinear and bicubic).
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape: `(batch, h, w, c)` or one image `(h, w, c)` (channels_last).
    Output shape: `(batch, height, width, c)`.

    Example:
        >>> Resizing(64, 64)(ops.ones((2, 32, 48, 3))).shape
        torch.Size([2, 64, 64, 3])
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, antialias=False,
                 data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = int(height), int(width)
        self.interpolation = check_interpolation(interpolation)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be "
                             "`True`.")
        if fill_mode != "constant":
            raise ValueError("Invalid value for argument `fill_mode`. Only `'constant'` is "
                             f"supported. Received: fill_mode={fill_mode}")
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode, self.fill_value, self.antialias = fill_mode, fill_value, antialias
        self.data_format = backend.standardize_data_format(data_format)
        self._channels_last = self.data_format == "channels_last"

    def call(self, inputs):
        x = inputs if inputs.is_floating_point() else inputs.to(torch.get_default_dtype())
        if x.ndim not in (3, 4):
            raise ValueError(f'Layer "{self.name}" expects images of rank 3 or 4. Received '
                             f"input with shape {tuple(x.shape)}")
        single = x.ndim == 3
        if single:
            x = x.unsqueeze(0)
        if self._channels_last:
            x = x.permute(0, 3, 1, 2)
        y = resize_images(x, (self.height, self.width), self.interpolation,
                          self.crop_to_aspect_ratio, self.pad_to_aspect_ratio, self.fill_value,
                          self.antialias)
        if self._channels_last:
            y = y.permute(0, 2, 3, 1)
        return y[0] if single else y

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if len(shape) not in (3, 4):
            raise ValueError(f'Layer "{self.name}" expects images of rank 3 or 4. Received '
                             f"input_shape={tuple(input_shape)}")
        h = len(shape) - 3 if self._channels_last else len(shape) - 2
        shape[h], shape[h + 1] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update(height=self.height, width=self.width, interpolation=self.interpolation,
                      crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                      pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
                      fill_value=self.fill_value, antialias=self.antialias,
                      data_format=self.data_format)
        return config
