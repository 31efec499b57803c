"""Resizing layer, and `resize_images`, the image resize it shares with UpSampling2D and
CenterCrop (torch's `interpolate` with half-pixel centres, as Keras's torch backend calls it).

Resizing computes TensorFlow's resize (`tf.image.resize`, what tf.keras 2 runs) for every
interpolation: bilinear and nearest are torch's `interpolate` (the same numbers); bicubic
(Keys' cubic, a = -0.5, where torch's has a = -0.75), area, lanczos3, lanczos5, gaussian and
mitchellcubic are TensorFlow's separable kernels, applied as one (out, in) weight matrix per
spatial axis.
"""

import functools
import math

import numpy as np
import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch.layers.layer import Layer

_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}
# tf.image.resize's methods beyond torch's: TensorFlow's sampling kernels and their radii.
_TF_KERNELS = {
    "lanczos3": (3.0, lambda x: _lanczos(x, 3.0)),
    "lanczos5": (5.0, lambda x: _lanczos(x, 5.0)),
    "gaussian": (1.5, lambda x: np.where(x >= 1.5, 0.0, np.exp(-x * x / (2.0 * 0.5 * 0.5)))),
    "mitchellcubic": (2.0, lambda x: np.where(
        x >= 2.0, 0.0, np.where(x >= 1.0, (((-7.0 / 18.0) * x + 2.0) * x - 10.0 / 3.0) * x
                                + 16.0 / 9.0, (((7.0 / 6.0) * x - 2.0) * x) * x + 8.0 / 9.0))),
}
RESIZING_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area") + tuple(_TF_KERNELS)


def check_interpolation(interpolation, supported=tuple(_MODES)):
    if interpolation not in supported:
        raise ValueError(f"Invalid value for argument `interpolation`: expected one of "
                         f"{sorted(supported)}. Received: interpolation={interpolation}")
    return interpolation


def _lanczos(x, radius):
    with np.errstate(divide="ignore", invalid="ignore"):
        px = np.float32(math.pi) * x
        value = radius * np.sin(px) * np.sin(px / radius) / (px * px)
    return np.where(x > radius, 0.0, np.where(x <= 1e-3, 1.0, value))


def _keys_cubic(x):  # Keys' cubic convolution kernel, a = -0.5
    return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0,
                                            ((1.5 * x - 2.5) * x) * x + 1.0))


@functools.lru_cache(maxsize=256)
def _tf_resize_weights(size_in, size_out, method):
    """TensorFlow's (size_out, size_in) resampling matrix along one axis, in float32."""
    f32 = np.float32
    w = np.zeros((size_out, size_in), np.float64)
    out = np.arange(size_out)
    if method == "bicubic":  # ResizeBicubic, half-pixel centres
        scale = f32(size_in) / f32(size_out)
        loc = (out.astype(f32) + f32(0.5)) * scale - f32(0.5)
        base = np.floor(loc).astype(np.int64)
        # its coefficient table has 1024 entries: the fractional offset is rounded to it
        delta = np.rint((loc - base) * 1024).astype(np.float64) / 1024
        for tap, dist in zip((-1, 0, 1, 2), (1 + delta, delta, 1 - delta, 2 - delta)):
            index = base + tap
            inside = (index >= 0) & (index < size_in)
            w[out[inside], index[inside]] += _keys_cubic(dist[inside])
        total = w.sum(axis=1, keepdims=True)  # taps outside the image: renormalized
        w = np.where(np.abs(total) > 0, w / np.where(total == 0, 1, total), w)
    elif method == "area":  # ResizeArea: the exact overlap of each input cell
        scale = f32(size_in) / f32(size_out)
        for o in range(size_out):
            start, end = f32(o) * scale, f32(o + 1) * scale
            for v in range(int(np.floor(start)), int(np.ceil(end))):
                overlap = min(v + 1.0, float(end)) - max(float(v), float(start))
                w[o, min(v, size_in - 1)] += overlap / float(scale)
    else:  # ScaleAndTranslate without antialiasing
        radius, kernel = _TF_KERNELS[method]
        inv_scale = f32(1.0) / (f32(size_out) / f32(size_in))
        for o in range(size_out):
            sample = (f32(o) + f32(0.5)) * inv_scale
            start = int(np.clip(np.ceil(sample - f32(radius) - f32(0.5)), 0, size_in - 1))
            end = int(np.clip(np.floor(sample + f32(radius) - f32(0.5)), 0, size_in - 1)) + 1
            source = np.arange(start, end)
            weights = kernel(np.abs(source.astype(f32) + f32(0.5) - sample).astype(np.float64))
            total = weights.sum()
            w[o, start:end] = weights / total if abs(total) > 0 else weights
    return torch.from_numpy(w.astype(np.float32))


def _tf_resize(x, size, method):
    """TensorFlow's resize of a float NCHW batch by a weight matrix per spatial axis."""
    wh = _tf_resize_weights(x.shape[-2], size[0], method).to(x.device, x.dtype)
    ww = _tf_resize_weights(x.shape[-1], size[1], method).to(x.device, x.dtype)
    return torch.einsum("oh,nchw,pw->ncop", wh, x, ww)


def resize_images(x, size, interpolation="bilinear", crop_to_aspect_ratio=False,
                  pad_to_aspect_ratio=False, fill_value=0.0, antialias=False,
                  tf_bicubic=False):
    """Resizes a float NCHW batch `x` to `size` = `(height, width)`.

    `tf_bicubic`: bicubic with TensorFlow's kernel (Keys, a = -0.5) instead of torch's.
    """
    height, width = x.shape[-2], x.shape[-1]
    target_h, target_w = size
    if crop_to_aspect_ratio:
        crop_h = min(height, int(float(width * target_h) / target_w))
        crop_w = min(width, int(float(height * target_w) / target_h))
        if crop_h < 1 or crop_w < 1:  # tf.keras raises here too
            raise ValueError(f"Cannot crop an image of size {(height, width)} to the aspect "
                             f"ratio of {(target_h, target_w)}: the crop would be "
                             f"{(crop_h, crop_w)}.")
        top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
        x = x[:, :, top:top + crop_h, left:left + crop_w]
    elif pad_to_aspect_ratio:
        pad_h = max(height, int(float(width * target_h) / target_w))
        pad_w = max(width, int(float(height * target_w) / target_h))
        top, left = int(float(pad_h - height) / 2), int(float(pad_w - width) / 2)
        if top > 0 or left > 0:
            x = F.pad(x, (left, left, top, top), value=float(fill_value))
    if interpolation in _TF_KERNELS or interpolation == "area" or (
            interpolation == "bicubic" and tf_bicubic and not antialias):
        return _tf_resize(x, tuple(size), interpolation)
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
        interpolation: `"bilinear"` (default), `"nearest"`, `"bicubic"`, `"area"`,
            `"lanczos3"`, `"lanczos5"`, `"gaussian"` or `"mitchellcubic"`, computed as
            TensorFlow's `tf.image.resize` computes them.
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
        self.interpolation = check_interpolation(interpolation, RESIZING_INTERPOLATIONS)
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
                          self.antialias, tf_bicubic=True)
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
