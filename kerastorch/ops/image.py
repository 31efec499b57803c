"""keras.ops.image: resizing, patches, affine warps, crops and pads, colour conversions.

Images are `(batch, height, width, channels)` (or one image without the batch axis) unless
`data_format="channels_first"`; torch's NCHW kernels run on permuted views.
"""

import functools
import itertools
import operator

import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch.ops import nn as _nn
from kerastorch.ops.core import convert_to_tensor as _t
from kerastorch.ops.symbolic import op

_RESIZE_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}
_AFFINE_ORDERS = {"nearest": 0, "bilinear": 1}
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _check_rank(images):
    if images.ndim not in (3, 4):
        raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 (batch "
                         f"of images). Received input with shape: images.shape={images.shape}")


@op("tf.image.resize")
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resizes images to `size` = (height, width).

    Args:
        images: `(batch, h, w, c)` or `(h, w, c)` (channels_last).
        size: (height, width) of the output.
        interpolation: 'bilinear', 'nearest' or 'bicubic'.
        crop_to_aspect_ratio / pad_to_aspect_ratio: keep the aspect ratio by a centred crop,
            or by padding with `fill_value`.
    """
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    if interpolation in ("lanczos3", "lanczos5"):
        raise ValueError("Resizing with Lanczos interpolation is not supported by the PyTorch "
                         f"backend. Received: interpolation={interpolation}.")
    if interpolation not in _RESIZE_MODES:
        raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                         f"{_RESIZE_MODES}. Received: interpolation={interpolation}")
    if fill_mode != "constant":
        raise ValueError("Invalid value for argument `fill_mode`. Only `'constant'` is "
                         f"supported. Received: fill_mode={fill_mode}")
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be "
                         "`True`.")
    if len(size) != 2:
        raise ValueError("Argument `size` must be a tuple of two elements (height, width). "
                         f"Received: size={size}")
    size = tuple(int(s) for s in size)
    images = _t(images)
    _check_rank(images)
    squeeze = images.ndim == 3
    if squeeze:
        images = images.unsqueeze(0)
    out_dtype = images.dtype
    if out_dtype not in (torch.float32, torch.float64):
        images = images.to(torch.float32)
    if channels_last:
        images = images.permute(0, 3, 1, 2)
    h, w = images.shape[-2:]
    th, tw = size
    if crop_to_aspect_ratio:
        ch = max(min(h, int(float(w * th) / tw)), 1)
        cw = max(min(w, int(float(h * tw) / th)), 1)
        top, left = int(float(h - ch) / 2), int(float(w - cw) / 2)
        images = images[:, :, top:top + ch, left:left + cw]
    elif pad_to_aspect_ratio:
        ph = max(h, int(float(w * th) / tw))
        pw = max(w, int(float(h * tw) / th))
        top, left = int(float(ph - h) / 2), int(float(pw - w) / 2)
        images = F.pad(images, (left, left, top, top), value=fill_value)
    if antialias and interpolation not in ("bilinear", "bicubic"):
        antialias = False
    out = F.interpolate(images, size=size, mode=_RESIZE_MODES[interpolation],
                        align_corners=False if interpolation in ("bilinear", "bicubic") else None,
                        antialias=antialias)
    if interpolation == "bicubic" and out_dtype == torch.uint8:
        out = out.clamp(0, 255)
    if channels_last:
        out = out.permute(0, 2, 3, 1)
    if squeeze:
        out = out.squeeze(0)
    if out.dtype != out_dtype:
        if not out_dtype.is_floating_point:
            out = torch.round(out)
        out = out.to(out_dtype)
    return out


@op("tf.image.extract_patches")
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    """Patches of `size` from images, flattened into the channel axis.

    Returns `(batch, out_h, out_w, size_h * size_w * channels)` for channels_last images.
    """
    if not isinstance(size, int) and len(size) == 3:
        return extract_patches_3d._raw(images, size, strides, dilation_rate, padding,
                                       data_format)
    if isinstance(size, int):
        size = (size, size)
    elif len(size) != 2:
        raise TypeError("Invalid `size` argument. Expected an int or a tuple of length 2. "
                        f"Received: size={size}")
    return _patches(images, tuple(size), strides, dilation_rate, padding, data_format, 3)


@op("tf.extract_volume_patches")
def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """Patches of `size` (3 ints) from volumes, flattened into the channel axis."""
    if isinstance(size, int):
        size = (size, size, size)
    elif len(size) != 3:
        raise TypeError("Invalid `size` argument. Expected an int or a tuple of length 3. "
                        f"Received: size={size}")
    return _patches(volumes, tuple(size), strides, dilation_rate, padding, data_format, 4)


def _patches(images, size, strides, dilation_rate, padding, data_format, unbatched_rank):
    images = _t(images)
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    channels = images.shape[-1] if channels_last else images.shape[-1 - len(size)]
    out_dim = channels
    for s in size:
        out_dim *= s
    kernel = torch.eye(out_dim, dtype=images.dtype).reshape(size + (channels, out_dim))
    squeeze = images.ndim == unbatched_rank
    if squeeze:
        images = images.unsqueeze(0)
    out = _nn.conv._raw(images, kernel, strides or size, padding, data_format, dilation_rate)
    return out.squeeze(0) if squeeze else out


@op("tf.image.rgb_to_grayscale")
def rgb_to_grayscale(images, data_format=None):
    """Luma of RGB images (one channel)."""
    images = _t(images)
    _check_rank(images)
    axis = -3 if backend.standardize_data_format(data_format) == "channels_first" else -1
    if images.shape[axis] not in (1, 3):
        raise ValueError("Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received "
                         f"input with shape: images.shape={images.shape}")
    if images.shape[axis] == 1:
        return images.clone()
    r, g, b = images.unbind(dim=axis)
    return (0.2989 * r + 0.587 * g + 0.114 * b).to(images.dtype).unsqueeze(axis)


def _index_fixer(fill_mode):
    def mirror(index, size):
        s = size - 1
        return torch.abs((index + s) % (2 * s) - s)

    def reflect(index, size):
        return torch.floor_divide(mirror(2 * index + 1, 2 * size + 1) - 1, 2)

    return {"constant": lambda i, n: torch.clip(i, 0, n - 1),
            "nearest": lambda i, n: torch.clip(i, 0, n - 1),
            "wrap": lambda i, n: i % n, "mirror": mirror, "reflect": reflect}[fill_mode]


@op("tf.map_coordinates")
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at `coordinates` (one array per input axis), order 0 or 1."""
    x = _t(inputs)
    coords = [_t(c) for c in coordinates]
    if len(coords) != x.ndim:
        raise ValueError("First dim of `coordinates` must be the same as the rank of `inputs`. "
                         f"Received inputs with shape: {x.shape} and coordinate leading dim of "
                         f"{len(coords)}")
    if coords[0].ndim < 1:
        raise ValueError("Invalid coordinates rank: expected at least rank 2. Received input "
                         f"with shape: {(len(coords),) + tuple(coords[0].shape)}")
    if fill_mode not in _FILL_MODES:
        raise ValueError("Invalid value for argument `fill_mode`. Expected one of "
                         f"{set(_FILL_MODES)}. Received: fill_mode={fill_mode}")
    is_int = not x.is_floating_point() and not x.is_complex()
    if isinstance(fill_value, (int, float)) and is_int:
        fill_value = int(fill_value)
    fix = _index_fixer(fill_mode)
    if order == 0:
        nodes_of = lambda c: [(c.round().to(torch.int32) if c.is_floating_point()  # noqa: E731
                               else c.to(torch.int32), 1)]
    elif order == 1:
        def nodes_of(c):
            lower = torch.floor(c)
            w = c - lower
            i = lower.to(torch.int32)
            return [(i, 1 - w), (i + 1, w)]
    else:
        raise NotImplementedError("map_coordinates currently requires order<=1")
    per_axis = []
    for c, n in zip(coords, x.shape):
        per_axis.append([(fix(i, n), (0 <= i) & (i < n) if fill_mode == "constant" else None, w)
                         for i, w in nodes_of(c)])
    total = None
    for combo in itertools.product(*per_axis):
        idx, valid, weights = zip(*combo)
        value = x[tuple(i.long() for i in idx)]
        masks = [v for v in valid if v is not None]
        if masks:
            value = torch.where(functools.reduce(operator.and_, masks), value, fill_value)
        term = functools.reduce(operator.mul, weights) * value
        total = term if total is None else total + term
    if is_int and total.is_floating_point():
        total = torch.round(total)
    return total.to(x.dtype)


@op("tf.raw_ops.ImageProjectiveTransformV3")
def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Warps images by `transform` = [a0, a1, a2, b0, b1, b2, c0, c1] (per image or one).

    Output pixel (x, y) takes the input at (a0 x + a1 y + a2, b0 x + b1 y + b2).
    """
    if interpolation not in _AFFINE_ORDERS:
        raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                         f"{set(_AFFINE_ORDERS)}. Received: interpolation={interpolation}")
    if fill_mode not in _FILL_MODES:
        raise ValueError("Invalid value for argument `fill_mode`. Expected of one "
                         f"{set(_FILL_MODES)}. Received: fill_mode={fill_mode}")
    images, transform = _t(images), _t(transform)
    _check_rank(images)
    if transform.ndim not in (1, 2):
        raise ValueError("Invalid transform rank: expected rank 1 (single transform) or rank 2 "
                         "(batch of transforms). Received input with shape: "
                         f"transform.shape={transform.shape}")
    squeeze = images.ndim == 3
    if squeeze:
        images = images.unsqueeze(0)
    if transform.ndim == 1:
        transform = transform.unsqueeze(0)
    channels_first = backend.standardize_data_format(data_format) == "channels_first"
    if channels_first:
        images = images.permute(0, 2, 3, 1)
    n, h, w, c = images.shape
    grid = torch.meshgrid(*[torch.arange(s, dtype=transform.dtype) for s in (h, w, c)],
                          indexing="ij")
    out = []
    for i in range(n):
        a0, a1, a2, b0, b1, b2, c0, c1 = transform[i % transform.shape[0]].unbind()
        ys = b1 * grid[0] + b0 * grid[1] + c0 * grid[2] + b2
        xs = a1 * grid[0] + a0 * grid[1] + c1 * grid[2] + a2
        out.append(map_coordinates._raw(images[i], (ys, xs, grid[2]),
                                        _AFFINE_ORDERS[interpolation], fill_mode, fill_value))
    out = torch.stack(out)
    if channels_first:
        out = out.permute(0, 3, 1, 2)
    return out.squeeze(0) if squeeze else out


def _image_hw(images, data_format):
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    return (images.shape[-3], images.shape[-2]) if channels_last else \
        (images.shape[-2], images.shape[-1])


@op("tf.image.pad_to_bounding_box")
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    """Pads images with zeros on each side (or to a target size)."""
    images = _t(images)
    if images.ndim not in (3, 4):
        raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 (batch "
                         f"of images). Received: images.shape={tuple(images.shape)}")
    if [top_padding, bottom_padding, target_height].count(None) != 1:
        raise ValueError("Must specify exactly two of top_padding, bottom_padding, "
                         f"target_height. Received: top_padding={top_padding}, bottom_padding="
                         f"{bottom_padding}, target_height={target_height}")
    if [left_padding, right_padding, target_width].count(None) != 1:
        raise ValueError("Must specify exactly two of left_padding, right_padding, "
                         f"target_width. Received: left_padding={left_padding}, right_padding="
                         f"{right_padding}, target_width={target_width}")
    h, w = _image_hw(images, data_format)
    if top_padding is None:
        top_padding = target_height - bottom_padding - h
    if bottom_padding is None:
        bottom_padding = target_height - top_padding - h
    if left_padding is None:
        left_padding = target_width - right_padding - w
    if right_padding is None:
        right_padding = target_width - left_padding - w
    for name, v in (("top_padding", top_padding), ("left_padding", left_padding),
                    ("right_padding", right_padding), ("bottom_padding", bottom_padding)):
        if v < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={v}")
    if backend.standardize_data_format(data_format) == "channels_last":
        pads = (0, 0, left_padding, right_padding, top_padding, bottom_padding)
    else:
        pads = (left_padding, right_padding, top_padding, bottom_padding)
    return F.pad(images, pads)


@op("tf.image.crop_to_bounding_box")
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crops images on each side (or to a target size)."""
    images = _t(images)
    if images.ndim not in (3, 4):
        raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 (batch "
                         f"of images). Received: images.shape={tuple(images.shape)}")
    if [top_cropping, bottom_cropping, target_height].count(None) != 1:
        raise ValueError("Must specify exactly two of top_cropping, bottom_cropping, "
                         f"target_height. Received: top_cropping={top_cropping}, "
                         f"bottom_cropping={bottom_cropping}, target_height={target_height}")
    if [left_cropping, right_cropping, target_width].count(None) != 1:
        raise ValueError("Must specify exactly two of left_cropping, right_cropping, "
                         f"target_width. Received: left_cropping={left_cropping}, "
                         f"right_cropping={right_cropping}, target_width={target_width}")
    h, w = _image_hw(images, data_format)
    if top_cropping is None:
        top_cropping = h - target_height - bottom_cropping
    if target_height is None:
        target_height = h - bottom_cropping - top_cropping
    if left_cropping is None:
        left_cropping = w - target_width - right_cropping
    if target_width is None:
        target_width = w - right_cropping - left_cropping
    for name, v in (("top_cropping", top_cropping), ("target_height", target_height),
                    ("left_cropping", left_cropping), ("target_width", target_width)):
        if v < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={v}")
    rows = slice(top_cropping, top_cropping + target_height)
    cols = slice(left_cropping, left_cropping + target_width)
    if backend.standardize_data_format(data_format) == "channels_last":
        return images[..., rows, cols, :]
    return images[..., rows, cols]


def _float_images(images, data_format):
    images = _t(images)
    _check_rank(images)
    if not images.is_floating_point():
        raise ValueError("Invalid images dtype: expected float dtype. Received: images.dtype="
                         f"{str(images.dtype).replace('torch.', '')}")
    axis = -3 if backend.standardize_data_format(data_format) == "channels_first" else -1
    return images, axis


@op("tf.image.rgb_to_hsv")
def rgb_to_hsv(images, data_format=None):
    """RGB in [0, 1] to HSV, each of hue, saturation and value in [0, 1]."""
    images, axis = _float_images(images, data_format)
    tiny = torch.finfo(images.dtype).eps
    images = images.masked_fill(images.abs() < tiny, 0.0)
    r, g, b = images.unbind(dim=axis)
    value = torch.maximum(torch.maximum(r, g), b)
    spread = value - torch.minimum(torch.minimum(r, g), b)
    saturation = torch.where(value > 0, spread / value.where(value > 0, 1.0), 0.0)
    scale = 1.0 / (6.0 * spread.where(spread > 0, 1.0))
    # Hue: which channel is the largest decides the sextant (red wins ties, then green).
    hue = torch.where(value == g, (b - r) * scale + 1.0 / 3.0, (r - g) * scale + 2.0 / 3.0)
    hue = torch.where(value == r, (g - b) * scale, hue)
    hue = torch.where(spread > 0, hue, 0.0)
    hue = hue + (hue < 0).to(hue.dtype)
    return torch.stack((hue, saturation, value), dim=axis)


@op("tf.image.hsv_to_rgb")
def hsv_to_rgb(images, data_format=None):
    """HSV (each in [0, 1]) to RGB in [0, 1]."""
    images, axis = _float_images(images, data_format)
    hue, saturation, value = images.unbind(dim=axis)
    sextant = torch.remainder(hue, 1.0) * 6.0
    red = (torch.abs(sextant - 3.0) - 1.0).clamp(0.0, 1.0)
    green = (2.0 - torch.abs(sextant - 2.0)).clamp(0.0, 1.0)
    blue = (2.0 - torch.abs(sextant - 4.0)).clamp(0.0, 1.0)
    grey = 1.0 - saturation
    return torch.stack([value * (grey + saturation * c) for c in (red, green, blue)], dim=axis)


@op("tf.image.gaussian_blur")
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs each channel with a normalised Gaussian kernel (zero padding, same size out).

    Args:
        images: `(batch, h, w, c)` or one `(h, w, c)` image (channels first with data_format).
        kernel_size: two odd sizes, `(along width, along height)` as Keras orders them.
        sigma: `(sigma along width, sigma along height)`, in the same order.
    """
    images = _t(images)
    _check_rank(images)
    single = images.ndim == 3
    x = images.unsqueeze(0) if single else images
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    if channels_last:
        x = x.permute(0, 3, 1, 2)
    kw, kh = (int(k) for k in kernel_size)
    sw, sh = (float(s) for s in sigma)

    def taps(size, s):
        t = torch.arange(size, dtype=x.dtype, device=x.device) - (size - 1) / 2
        w = torch.exp(-0.5 * (t / s) ** 2)
        return w / w.sum()

    kernel = torch.outer(taps(kh, sh), taps(kw, sw))
    channels = x.shape[1]
    y = F.conv2d(x, kernel.expand(channels, 1, kh, kw), padding=(kh // 2, kw // 2),
                 groups=channels)
    if channels_last:
        y = y.permute(0, 2, 3, 1)
    return y.squeeze(0) if single else y
