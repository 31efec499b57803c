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


@op("tf.image.sobel_edges")
def sobel_edges(images, data_format=None):
    """Sobel gradients `[dy, dx]` of each channel (zero padding, same size out).

    Args:
        images: `(batch, h, w, c)` (or `(batch, c, h, w)` with channels_first).

    Returns:
        `(batch, h, w, c, 2)` (channels_first: `(batch, c, h, w, 2)`).

    Example: `ops.image.sobel_edges(np.zeros((1, 8, 8, 1), "float32")).shape == (1, 8, 8, 1, 2)`
    """
    images = _t(images)
    if images.ndim != 4:
        raise ValueError("Invalid images rank: expected rank 4 (batch of images). Received: "
                         f"images.shape={list(images.shape)}")
    channels_last = backend.standardize_data_format(data_format) == "channels_last"
    x = images.permute(0, 3, 1, 2) if channels_last else images
    channels = x.shape[1]
    smooth = torch.tensor([1.0, 2.0, 1.0], dtype=x.dtype, device=x.device)
    diff = torch.tensor([-1.0, 0.0, 1.0], dtype=x.dtype, device=x.device)
    kernels = torch.stack((torch.outer(diff, smooth), torch.outer(smooth, diff)))  # dy, dx
    kernels = kernels.unsqueeze(1).repeat(channels, 1, 1, 1)
    # Depthwise conv with 2 outputs per channel: output channel 2k+j is kernel j on channel k.
    edges = F.conv2d(x, kernels, padding=1, groups=channels)
    n, _, h, w = edges.shape
    edges = edges.reshape(n, channels, 2, h, w).permute(0, 1, 3, 4, 2)
    return edges.permute(0, 2, 3, 1, 4) if channels_last else edges


@op("tf.image.ssim")
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Structural similarity of two images, averaged over pixels (valid window) and channels.

    Args:
        image1, image2: `(batch, h, w, c)` or one `(h, w, c)` image (channels first with
            data_format), same shape.
        max_val: dynamic range of the pixel values.
        filter_size, filter_sigma: Gaussian window.
        k1, k2: stabilising constants.

    Returns:
        `(batch,)` values, or a scalar for unbatched images.

    Example: `ops.image.ssim(img, img)` is 1.
    """
    image1, image2 = _t(image1), _t(image2)
    out_dtype = image1.dtype
    compute = out_dtype if out_dtype in (torch.float16, torch.bfloat16, torch.float32,
                                         torch.float64) else _backend_float()
    image1, image2 = image1.to(compute), image2.to(compute)
    for name, im in (("image1", image1), ("image2", image2)):
        if im.ndim not in (3, 4):
            raise ValueError(f"Invalid {name} rank: expected rank 3 (single image) or rank 4 "
                             f"(batch of images). Received input with shape: {name}.shape="
                             f"{im.shape}")
    unbatched = image1.ndim == 3
    if unbatched:
        image1, image2 = image1.unsqueeze(0), image2.unsqueeze(0)
    if backend.standardize_data_format(data_format) == "channels_last":
        image1, image2 = image1.permute(0, 3, 1, 2), image2.permute(0, 3, 1, 2)
    n, c, h, w = image1.shape
    t = torch.arange(filter_size, dtype=compute, device=image1.device) - (filter_size - 1) / 2.0
    g = torch.exp(-(t ** 2) / (2.0 * filter_sigma ** 2))
    g = g / g.sum()
    kernel = torch.outer(g, g).view(1, 1, filter_size, filter_size)
    a = image1.reshape(n * c, 1, h, w)
    b = image2.reshape(n * c, 1, h, w)
    stats = F.conv2d(torch.cat((a, b, a * a, b * b, a * b)), kernel)
    mu1, mu2, s11, s22, s12 = stats.chunk(5)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu12 = mu1 * mu2
    mu1_sq, mu2_sq = mu1 * mu1, mu2 * mu2
    num = (2.0 * mu12 + c1) * (2.0 * (s12 - mu12) + c2)
    den = (mu1_sq + mu2_sq + c1) * ((s11 - mu1_sq) + (s22 - mu2_sq) + c2)
    value = (num / den).mean(dim=(1, 2, 3)).reshape(n, c).mean(dim=-1)
    if unbatched:
        value = value.squeeze(0)
    return value.to(out_dtype)


def _backend_float():
    return getattr(torch, backend.floatx())


def _homography(start_points, end_points):
    """Solves for the 8 coefficients mapping output (end) points to input (start) points."""
    compute = torch.float64 if start_points.dtype == torch.float64 else torch.float32
    s, e = start_points.to(compute), end_points.to(compute)
    ex, ey, sx, sy = e[..., 0], e[..., 1], s[..., 0], s[..., 1]  # each (n, 4)
    one, zero = torch.ones_like(ex), torch.zeros_like(ex)
    rows_x = torch.stack((ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey), dim=-1)
    rows_y = torch.stack((zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey), dim=-1)
    matrix = torch.stack((rows_x, rows_y), dim=2).reshape(-1, 8, 8)
    target = torch.stack((sx, sy), dim=-1).reshape(-1, 8, 1)
    return torch.linalg.solve(matrix, target).reshape(-1, 8).to(start_points.dtype)


@op("tf.image.perspective_transform")
def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    """Warps images so that the 4 `start_points` land on the 4 `end_points` ((x, y) pairs).

    Args:
        images: `(batch, h, w, c)` or one `(h, w, c)` image (channels first with data_format).
        start_points, end_points: `(4, 2)` or `(batch, 4, 2)` corner coordinates.
        interpolation: 'nearest' or 'bilinear'; outside pixels take `fill_value`.

    Example: identical start and end points leave the images unchanged.
    """
    images = _t(images)
    start_points = _t(start_points).to(images.dtype)
    end_points = _t(end_points).to(images.dtype)
    if interpolation not in _AFFINE_ORDERS:
        raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                         f"{set(_AFFINE_ORDERS)}. Received: interpolation={interpolation}")
    _check_rank(images)
    for name, pts in (("start_points", start_points), ("end_points", end_points)):
        if tuple(pts.shape[-2:]) != (4, 2) or pts.ndim not in (2, 3):
            raise ValueError(f"Invalid {name} shape: expected (4,2) for a single image or "
                             f"(N,4,2) for a batch. Received shape: {pts.shape}")
    if start_points.shape != end_points.shape:
        raise ValueError("start_points and end_points must have the same shape. Received "
                         f"start_points.shape={start_points.shape}, "
                         f"end_points.shape={end_points.shape}")
    squeeze = images.ndim == 3
    if squeeze:
        images = images.unsqueeze(0)
    if start_points.ndim == 2:
        start_points, end_points = start_points.unsqueeze(0), end_points.unsqueeze(0)
    channels_first = backend.standardize_data_format(data_format) == "channels_first"
    if channels_first:
        images = images.permute(0, 2, 3, 1)
    n, h, w, c = images.shape
    coeffs = _homography(start_points, end_points)
    ys, xs = torch.meshgrid(torch.arange(h, dtype=images.dtype, device=images.device),
                            torch.arange(w, dtype=images.dtype, device=images.device),
                            indexing="ij")
    out = []
    for i in range(n):
        a0, a1, a2, a3, a4, a5, a6, a7 = coeffs[i % coeffs.shape[0]].unbind()
        denom = a6 * xs + a7 * ys + 1.0
        x_in = ((a0 * xs + a1 * ys + a2) / denom).unsqueeze(-1).expand(h, w, c)
        y_in = ((a3 * xs + a4 * ys + a5) / denom).unsqueeze(-1).expand(h, w, c)
        ch = torch.arange(c, dtype=images.dtype, device=images.device).expand(h, w, c)
        out.append(map_coordinates._raw(images[i], (y_in, x_in, ch),
                                        _AFFINE_ORDERS[interpolation], "constant", fill_value))
    out = torch.stack(out)
    if channels_first:
        out = out.permute(0, 3, 1, 2)
    return out.squeeze(0) if squeeze else out


_SCALE_AND_TRANSLATE_METHODS = ("linear", "bilinear", "trilinear", "cubic", "bicubic",
                                "tricubic", "lanczos3", "lanczos5")


def _triangle_kernel(x):
    return (1.0 - x.abs()).clamp(min=0.0)


def _keys_cubic_kernel(x):
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return torch.where(x >= 2.0, 0.0, torch.where(x >= 1.0, far, near))


def _lanczos_kernel(radius):
    def kernel(x):
        num = radius * torch.sin(torch.pi * x) * torch.sin(torch.pi * x / radius)
        value = torch.where(x > 1e-3, num / torch.where(x != 0, torch.pi ** 2 * x ** 2, 1.0),
                            1.0)
        return torch.where(x > radius, 0.0, value)
    return kernel


def _resample_matrix(in_size, out_size, scale, translation, kernel, antialias):
    """`(in_size, out_size)` weights of each input sample in each output sample."""
    inv = 1.0 / scale
    stretch = torch.clamp(inv, min=1.0) if antialias else 1.0
    centres = (torch.arange(out_size, dtype=scale.dtype, device=scale.device) + 0.5) * inv \
        - translation * inv - 0.5
    taps = torch.arange(in_size, dtype=scale.dtype, device=scale.device)
    weights = kernel((centres[None, :] - taps[:, None]).abs() / stretch)
    total = weights.sum(dim=0, keepdim=True)
    eps = 1000.0 * float(torch.finfo(torch.float32).eps)
    weights = torch.where(total.abs() > eps,
                          weights / torch.where(total != 0, total, 1.0), 0.0)
    inside = (centres >= -0.5) & (centres <= in_size - 0.5)
    return torch.where(inside[None, :], weights, 0.0)


@op("tf.image.scale_and_translate")
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Resamples `images` along `spatial_dims` with `out = in * scale + translation` (JAX's op).

    Args:
        images: any-rank tensor.
        output_shape: full output shape (only `spatial_dims` entries are used).
        scale, translation: one value per spatial dim.
        spatial_dims: axes to resample.
        method: 'linear'/'bilinear'/'trilinear', 'cubic'/'bicubic'/'tricubic', 'lanczos3' or
            'lanczos5'.
        antialias: widen the kernel when downsampling.

    Example: `scale_and_translate(x, (1, 8, 8, 3), [2., 2.], [0., 0.], (1, 2), "linear")`.
    """
    if method not in _SCALE_AND_TRANSLATE_METHODS:
        raise ValueError("Invalid value for argument `method`. Expected of one "
                         f"{set(_SCALE_AND_TRANSLATE_METHODS)}. Received: method={method}")
    if method in ("linear", "bilinear", "trilinear"):
        kernel = _triangle_kernel
    elif method in ("cubic", "bicubic", "tricubic"):
        kernel = _keys_cubic_kernel
    else:
        kernel = _lanczos_kernel(3.0 if method == "lanczos3" else 5.0)
    x, scale, translation = _t(images), _t(scale), _t(translation)
    dtype = torch.promote_types(scale.dtype, translation.dtype)
    if not dtype.is_floating_point:
        dtype = _backend_float()
    scale, translation = scale.to(dtype), translation.to(dtype)
    if len(spatial_dims) == 0:
        return x
    is_int = not x.is_floating_point()
    out = x.to(torch.float32) if is_int else x
    for i, d in enumerate(spatial_dims):
        d = d % x.ndim
        weights = _resample_matrix(x.shape[d], int(output_shape[d]), scale[i], translation[i],
                                   kernel, antialias).to(out.dtype)
        out = torch.movedim(torch.tensordot(out, weights, dims=([d], [0])), -1, d)
    if is_int:
        out = torch.clip(torch.round(out), x.min(), x.max()).to(x.dtype)
    return out


@op("tf.image.elastic_transform")
def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Randomly warps images with a Gaussian-smoothed displacement field scaled by `alpha`.

    Like Keras 3's torch backend on a real device, the noise comes from torch's global
    generator (so `torch.manual_seed` makes it reproducible; `seed` is accepted for API parity).

    Args:
        images: `(batch, h, w, c)` or one `(h, w, c)` image (channels first with data_format).
        alpha: displacement strength; sigma: smoothness of the displacement field.
        interpolation: 'nearest' or 'bilinear'; fill_mode/fill_value: as `affine_transform`.

    Example: `elastic_transform(x, alpha=0.0)` returns `x` unchanged.
    """
    data_format = backend.standardize_data_format(data_format)
    if interpolation not in _AFFINE_ORDERS:
        raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                         f"{set(_AFFINE_ORDERS)}. Received: interpolation={interpolation}")
    if fill_mode not in _FILL_MODES:
        raise ValueError("Invalid value for argument `fill_mode`. Expected of one "
                         f"{set(_FILL_MODES)}. Received: fill_mode={fill_mode}")
    images = _t(images)
    _check_rank(images)
    alpha, sigma = _t(alpha), _t(sigma)
    size = int(6 * sigma) | 1
    squeeze = images.ndim == 3
    if squeeze:
        images = images.unsqueeze(0)
    channels_last = data_format == "channels_last"
    x = images if channels_last else images.permute(0, 2, 3, 1)
    n, h, w, c = x.shape
    axis = -1 if channels_last else 1
    fields = []
    for _ in range(2):  # dx is drawn before dy
        noise = torch.normal(0.0, 1.0, size=(n, h, w), dtype=images.dtype,
                             device=images.device) * sigma
        blurred = gaussian_blur._raw(noise.unsqueeze(axis), kernel_size=(size, size),
                                     sigma=(sigma, sigma), data_format=data_format)
        fields.append(blurred.squeeze(axis))
    dx, dy = fields
    ys, xs = torch.meshgrid(torch.arange(h, device=images.device),
                            torch.arange(w, device=images.device), indexing="ij")
    src_x = xs + alpha * dx
    src_y = ys + alpha * dy
    order = _AFFINE_ORDERS[interpolation]
    out = torch.stack([torch.stack([map_coordinates._raw(x[b, ..., k], (src_y[b], src_x[b]),
                                                         order, fill_mode, fill_value)
                                    for k in range(c)], dim=-1) for b in range(n)])
    out = out.to(images.dtype)
    if not channels_last:
        out = out.permute(0, 3, 1, 2)
    return out.squeeze(0) if squeeze else out
