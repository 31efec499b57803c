"""tf.image on torch: resizing with TensorFlow's methods and pixel centres, flips, rotations,
crops and pads, colour adjustments and conversions (TF's HSV), the random augmentations,
patches, SSIM and PSNR. Images are NHWC ([batch,] height, width, channels), as in TensorFlow."""

import builtins

import torch
import torch.nn.functional as F

from kerastorch import ops as _ops
from kerastorch.porting.errors import NotSupportedError
from kerastorch.porting.tf import random as _random
from kerastorch.porting.tf._common import INTS
from kerastorch.porting.tf._common import convert
from kerastorch.porting.tf._common import dtype_of
from kerastorch.porting.tf._common import namespace_getattr
from kerastorch.porting.tf._common import shape_tuple
from kerastorch.porting.tf._common import symbolic_ops
from kerastorch.porting.tf.errors import InvalidArgumentError

__getattr__ = namespace_getattr("image")


class ResizeMethod:
    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def _image(image, op, ranks=(3, 4)):
    x = convert(image)
    if x.dim() not in ranks:
        raise ValueError(f"{op}: 'image' must have rank {' or '.join(map(str, ranks))} "
                         f"([batch,] height, width, channels), got shape {list(x.shape)}")
    return x


# ------------------------------------------------------------------------------------ resize
def _keys(t, a=-0.5):
    t = t.abs()
    near = ((a + 2) * t - (a + 3)) * t * t + 1
    far = ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
    return torch.where(t <= 1, near, torch.where(t < 2, far, torch.zeros_like(t)))


def _resample(n_in, n_out, method, dtype):
    """(n_out, n_in) weights of TensorFlow's half-pixel bicubic (Keys a=-0.5; taps outside the
    image get no weight and the others are renormalised, as TF's kernel does) or area
    resampling."""
    scale = n_in / n_out
    weights = torch.zeros(n_out, n_in, dtype=torch.float64)
    if method == "bicubic":
        # float32 centres and the fraction rounded to 1/1024, TensorFlow's weight table
        centre = ((torch.arange(n_out, dtype=torch.float32) + 0.5) *
                  torch.tensor(scale, dtype=torch.float32) - 0.5).double()
        base = torch.floor(centre)
        frac = torch.round((centre - base) * 1024) / 1024
        for offset in (-1, 0, 1, 2):
            tap = base + offset
            inside = (tap >= 0) & (tap <= n_in - 1)
            w = torch.where(inside, _keys(frac - offset), torch.zeros_like(centre))
            index = tap.clamp(0, n_in - 1).long()
            weights.index_put_((torch.arange(n_out), index), w, accumulate=True)
        weights = weights / weights.sum(1, keepdim=True)
    else:  # area: the overlap of each output pixel's span with each input pixel
        lo = torch.arange(n_out, dtype=torch.float64) * scale
        hi = lo + scale
        left = torch.arange(n_in, dtype=torch.float64)
        overlap = (torch.minimum(hi[:, None], left[None, :] + 1) -
                   torch.maximum(lo[:, None], left[None, :])).clamp(min=0)
        weights = overlap / scale
    return weights.to(dtype)


def _separable(x, size, method):
    out = x
    for axis, n_out in ((1, size[0]), (2, size[1])):
        w = _resample(out.shape[axis], n_out, method, out.dtype).to(out.device)
        out = torch.movedim(torch.tensordot(out, w, dims=([axis], [1])), -1, axis)
    return out


def _aspect_size(shape, size):
    h, w = shape
    scale = builtins.min(size[0] / h, size[1] / w)
    return (builtins.max(int(round(h * scale)), 1), builtins.max(int(round(w * scale)), 1))


def resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False,
           name=None):
    """tf.image.resize: bilinear, nearest, bicubic, area, lanczos3/5 with half-pixel centres;
    float32 out, except nearest which keeps the input's dtype."""
    x = _image(images, "resize")
    method = getattr(method, "value", method)
    size = shape_tuple(size)
    if len(size) != 2:
        raise ValueError(f"'size' must be a 1-D Tensor of 2 elements: new_height, new_width, "
                         f"got {list(size)}")
    if builtins.min(size) <= 0:
        raise ValueError(f"'size' must be positive, got {list(size)}")
    if preserve_aspect_ratio:
        size = _aspect_size(x.shape[-3:-1], size)
    if method in ("gaussian", "mitchellcubic"):
        raise NotSupportedError(f"tensorflow.image.resize(method={method!r})")
    known = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")
    if method not in known:
        raise ValueError(f"Resize method is not implemented: {method}")
    squeeze = x.dim() == 3
    x = x.unsqueeze(0) if squeeze else x
    if method == "nearest":
        out = F.interpolate(x.movedim(-1, 1), size=size, mode="nearest-exact").movedim(1, -1) \
            if x.is_floating_point() else F.interpolate(
                x.movedim(-1, 1).float(), size=size, mode="nearest-exact").movedim(1, -1).to(
                    x.dtype)
    else:
        xf = x if x.dtype in (torch.float32, torch.float64) else x.float()
        if antialias or method in ("lanczos3", "lanczos5"):
            scale = torch.tensor([size[0] / x.shape[1], size[1] / x.shape[2]], device=x.device)
            kernel = {"bilinear": "linear", "bicubic": "cubic"}.get(method, method)
            if method == "area":
                out = _separable(xf, size, "area")
            else:
                out = _ops.image.scale_and_translate(
                    xf, (x.shape[0],) + size + (x.shape[3],), scale,
                    torch.zeros(2, device=x.device), (1, 2), kernel, antialias=antialias)
        elif method == "bilinear":
            out = F.interpolate(xf.movedim(-1, 1), size=size, mode="bilinear",
                                align_corners=False).movedim(1, -1)
        else:
            out = _separable(xf, size, method)
        out = out.to(torch.float32)
    return out.squeeze(0) if squeeze else out


def resize_with_pad(image, target_height, target_width, method="bilinear", antialias=False):
    x = _image(image, "resize_with_pad")
    h, w = x.shape[-3:-1]
    new = _aspect_size((h, w), (target_height, target_width))
    resized = resize(x, new, method=method, antialias=antialias)
    top, left = (target_height - new[0]) // 2, (target_width - new[1]) // 2
    return pad_to_bounding_box(resized, top, left, target_height, target_width)


# ------------------------------------------------------------------------ flips and rotations
def flip_left_right(image):
    x = _image(image, "flip_left_right")
    return torch.flip(x, [-2])


def flip_up_down(image):
    x = _image(image, "flip_up_down")
    return torch.flip(x, [-3])


def transpose(image, name=None):
    x = _image(image, "transpose")
    return x.transpose(-3, -2)


def rot90(image, k=1, name=None):
    """tf.image.rot90: k quarter turns counter-clockwise."""
    x = _image(image, "rot90")
    return torch.rot90(x, int(k) % 4, dims=(-3, -2))


def _random_flip(image, gen, axis, op):
    x = _image(image, op)
    if x.dim() == 3:
        return torch.flip(x, [axis]) if float(torch.rand((), generator=gen)) < 0.5 else x
    flip = (torch.rand(x.shape[0], generator=gen) < 0.5).to(x.device)
    return torch.where(flip[:, None, None, None], torch.flip(x, [axis]), x)


def random_flip_left_right(image, seed=None):
    return _random_flip(image, _random.op_generator(seed), -2, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    return _random_flip(image, _random.op_generator(seed), -3, "random_flip_up_down")


def stateless_random_flip_left_right(image, seed):
    return _random_flip(image, _random.stateless_op_generator(seed), -2,
                        "stateless_random_flip_left_right")


def stateless_random_flip_up_down(image, seed):
    return _random_flip(image, _random.stateless_op_generator(seed), -3,
                        "stateless_random_flip_up_down")


# -------------------------------------------------------------------------- crops and pads
def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    x = _image(image, "crop_to_bounding_box")
    h, w = x.shape[-3:-1]
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height,
                                       target_width))
    if oh < 0 or ow < 0 or th <= 0 or tw <= 0 or oh + th > h or ow + tw > w:
        raise ValueError(f"crop_to_bounding_box: the box (offset {oh}, {ow}, size {th}, {tw}) "
                         f"does not fit an image of height {h} and width {w}")
    return x[..., oh:oh + th, ow:ow + tw, :]


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    x = _image(image, "pad_to_bounding_box")
    h, w = x.shape[-3:-1]
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height,
                                       target_width))
    bottom, right = th - oh - h, tw - ow - w
    if oh < 0 or ow < 0 or bottom < 0 or right < 0:
        raise ValueError(f"pad_to_bounding_box: an image of height {h} and width {w} at offset "
                         f"({oh}, {ow}) does not fit a {th}x{tw} box")
    return F.pad(x, [0, 0, ow, right, oh, bottom])


def central_crop(image, central_fraction):
    x = _image(image, "central_crop")
    if not 0.0 < central_fraction <= 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    if central_fraction == 1.0:
        return x
    h, w = x.shape[-3:-1]
    top = int((h - h * central_fraction) / 2)
    left = int((w - w * central_fraction) / 2)
    return x[..., top:h - top, left:w - left, :]


def resize_with_crop_or_pad(image, target_height, target_width):
    """Centres the image in a target_height x target_width box, cropping or zero-padding."""
    x = _image(image, "resize_with_crop_or_pad")
    h, w = x.shape[-3:-1]
    th, tw = int(target_height), int(target_width)
    crop_top, crop_left = builtins.max((h - th) // 2, 0), builtins.max((w - tw) // 2, 0)
    pad_top, pad_left = builtins.max((th - h) // 2, 0), builtins.max((tw - w) // 2, 0)
    ch, cw = builtins.min(h, th), builtins.min(w, tw)
    cropped = crop_to_bounding_box(x, crop_top, crop_left, ch, cw)
    return pad_to_bounding_box(cropped, pad_top, pad_left, th, tw)


def random_crop(value, size, seed=None, name=None):
    """tf.image.random_crop: one random window of `size` (any rank)."""
    return _crop(value, size, _random.op_generator(seed))


def stateless_random_crop(value, size, seed, name=None):
    return _crop(value, size, _random.stateless_op_generator(seed))


def _crop(value, size, gen):
    x = convert(value)
    size = shape_tuple(size)
    if len(size) != x.dim() or builtins.any(s > n for s, n in zip(size, x.shape)):
        raise InvalidArgumentError(f"Need value.shape >= size, got {list(x.shape)} and "
                                   f"{list(size)}")
    starts = [int(torch.randint(0, n - s + 1, (), generator=gen)) for n, s in zip(x.shape, size)]
    return x[tuple(builtins.slice(b, b + s) for b, s in zip(starts, size))]


# ------------------------------------------------------------------------------ dtypes
def _limit(dtype):
    return float(torch.iinfo(dtype).max) if dtype in INTS else 1.0


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """tf.image.convert_image_dtype: ints scale to [0, max], floats to [0, 1]."""
    x = convert(image)
    dtype = dtype_of(dtype)
    if dtype == x.dtype:
        return x
    if x.dtype in INTS and dtype in INTS:
        src, dst = torch.iinfo(x.dtype).max + 1, torch.iinfo(dtype).max + 1
        wide = x.to(torch.int64)
        return (wide // (src // dst) if src > dst else wide * (dst // src)).to(dtype)
    if x.dtype in INTS:  # int -> float
        return (x.to(torch.float64 if dtype == torch.float64 else torch.float32) /
                _limit(x.dtype)).to(dtype)
    if dtype in INTS:  # float -> int
        scaled = x * (_limit(dtype) + 0.5)
        if saturate:
            info = torch.iinfo(dtype)
            scaled = scaled.clamp(info.min, info.max)
        return scaled.to(dtype)
    return x.to(dtype)


def _as_float(image):
    x = convert(image)
    return x, (convert_image_dtype(x, torch.float32) if x.dtype not in (
        torch.float16, torch.float32, torch.float64) else x)


def _back(original, out):
    return convert_image_dtype(out, original.dtype, saturate=True) \
        if original.dtype != out.dtype else out


# ------------------------------------------------------------------------- colour adjustments
def adjust_brightness(image, delta):
    x, xf = _as_float(image)
    return _back(x, xf + delta)


def adjust_contrast(images, contrast_factor):
    """(x - mean) * factor + mean, the mean per image and channel."""
    x, xf = _as_float(images)
    mean = xf.mean(dim=(-3, -2), keepdim=True)
    return _back(x, (xf - mean) * contrast_factor + mean)


def adjust_gamma(image, gamma=1, gain=1):
    x, xf = _as_float(image)
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    return _back(x, gain * xf ** gamma)


def rgb_to_grayscale(images, name=None):
    x, xf = _as_float(images)
    weights = torch.tensor([0.2989, 0.587, 0.114], dtype=xf.dtype, device=xf.device)
    return _back(x, (xf * weights).sum(-1, keepdim=True))


def grayscale_to_rgb(images, name=None):
    x = convert(images)
    if x.shape[-1] != 1:
        raise ValueError(f"grayscale_to_rgb: last dimension must be 1, got {list(x.shape)}")
    return x.expand(*x.shape[:-1], 3).clone()


def rgb_to_hsv(images, name=None):
    """TensorFlow's HSV: hue, saturation and value all in [0, 1]."""
    x = convert(images)
    if not x.is_floating_point():
        raise TypeError("rgb_to_hsv needs a floating point image")
    r, g, b = x.unbind(-1)
    value = x.amax(-1)
    minimum = x.amin(-1)
    rng = value - minimum
    safe = torch.where(rng > 0, rng, torch.ones_like(rng))
    sat = torch.where(value > 0, rng / torch.where(value > 0, value, torch.ones_like(value)),
                      torch.zeros_like(value))
    hue = torch.where(value == r, (g - b) / safe,
                      torch.where(value == g, 2 + (b - r) / safe, 4 + (r - g) / safe)) / 6
    hue = torch.where(rng > 0, hue, torch.zeros_like(hue))
    hue = torch.where(hue < 0, hue + 1, hue)
    return torch.stack([hue, sat, value], dim=-1)


def hsv_to_rgb(images, name=None):
    x = convert(images)
    h, s, v = x.unbind(-1)
    dh = (h % 1.0) * 6
    r = torch.clamp(torch.abs(dh - 3) - 1, 0, 1)
    g = torch.clamp(2 - torch.abs(dh - 2), 0, 1)
    b = torch.clamp(2 - torch.abs(dh - 4), 0, 1)
    rgb = torch.stack([r, g, b], dim=-1)
    return ((rgb - 1) * s.unsqueeze(-1) + 1) * v.unsqueeze(-1)


def adjust_saturation(image, saturation_factor, name=None):
    x, xf = _as_float(image)
    hsv = rgb_to_hsv(xf)
    hsv = torch.stack([hsv[..., 0], torch.clamp(hsv[..., 1] * saturation_factor, 0, 1),
                       hsv[..., 2]], dim=-1)
    return _back(x, hsv_to_rgb(hsv))


def adjust_hue(image, delta, name=None):
    if not -1 <= delta <= 1:
        raise ValueError(f"delta must be in the interval [-1, 1], got {delta}")
    x, xf = _as_float(image)
    hsv = rgb_to_hsv(xf)
    hue = (hsv[..., 0] + delta) % 1.0
    return _back(x, hsv_to_rgb(torch.stack([hue, hsv[..., 1], hsv[..., 2]], dim=-1)))


def per_image_standardization(image):
    x = convert(image)
    xf = x.float() if not x.is_floating_point() else x
    n = xf.shape[-1] * xf.shape[-2] * xf.shape[-3]
    mean = xf.mean(dim=(-3, -2, -1), keepdim=True)
    std = xf.std(dim=(-3, -2, -1), keepdim=True, correction=0)
    return (xf - mean) / torch.clamp(std, min=1.0 / n ** 0.5)


def _uniform(lower, upper, gen):
    return float(torch.rand((), generator=gen)) * (upper - lower) + lower


def _check_range(lower, upper):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def _brightness(image, max_delta, gen):
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, _uniform(-max_delta, max_delta, gen))


def _contrast(image, lower, upper, gen):
    _check_range(lower, upper)
    return adjust_contrast(image, _uniform(lower, upper, gen))


def _saturation(image, lower, upper, gen):
    _check_range(lower, upper)
    return adjust_saturation(image, _uniform(lower, upper, gen))


def _hue(image, max_delta, gen):
    if not 0 <= max_delta <= 0.5:
        raise ValueError("max_delta must be in the interval [0, 0.5].")
    return adjust_hue(image, _uniform(-max_delta, max_delta, gen))


def random_brightness(image, max_delta, seed=None):
    """Adds one delta drawn from [-max_delta, max_delta) to the image."""
    return _brightness(image, max_delta, _random.op_generator(seed))


def random_contrast(image, lower, upper, seed=None):
    """adjust_contrast with one factor drawn from [lower, upper)."""
    return _contrast(image, lower, upper, _random.op_generator(seed))


def random_saturation(image, lower, upper, seed=None):
    return _saturation(image, lower, upper, _random.op_generator(seed))


def random_hue(image, max_delta, seed=None):
    return _hue(image, max_delta, _random.op_generator(seed))


def stateless_random_brightness(image, max_delta, seed):
    return _brightness(image, max_delta, _random.stateless_op_generator(seed))


def stateless_random_contrast(image, lower, upper, seed):
    return _contrast(image, lower, upper, _random.stateless_op_generator(seed))


def stateless_random_saturation(image, lower, upper, seed):
    return _saturation(image, lower, upper, _random.stateless_op_generator(seed))


def stateless_random_hue(image, max_delta, seed):
    return _hue(image, max_delta, _random.stateless_op_generator(seed))


# ------------------------------------------------------------------ patches and measures
def extract_patches(images, sizes, strides, rates, padding, name=None):
    """tf.image.extract_patches: [batch, rows, cols, kh * kw * channels] patches."""
    x = _image(images, "extract_patches", (4,))
    ks, st, rt = (shape_tuple(v) for v in (sizes, strides, rates))
    if len(ks) != 4 or len(st) != 4 or len(rt) != 4:
        raise ValueError("sizes, strides and rates must be lists of 4 ints [1, rows, cols, 1]")
    kh, kw, sh, sw, rh, rw = ks[1], ks[2], st[1], st[2], rt[1], rt[2]
    b, h, w, c = x.shape
    xs = x.movedim(-1, 1)
    if padding.upper() == "SAME":
        pads = []
        for n, k, s, r in ((h, kh, sh, rh), (w, kw, sw, rw)):
            total = builtins.max((-(-n // s) - 1) * s + r * (k - 1) + 1 - n, 0)
            pads.append((total // 2, total - total // 2))
        xs = F.pad(xs, [pads[1][0], pads[1][1], pads[0][0], pads[0][1]])
    elif padding.upper() != "VALID":
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    hh, ww = xs.shape[2:]
    rows = (hh - rh * (kh - 1) - 1) // sh + 1
    cols = (ww - rw * (kw - 1) - 1) // sw + 1
    if rows <= 0 or cols <= 0:
        return x.new_zeros(b, builtins.max(rows, 0), builtins.max(cols, 0), kh * kw * c)
    patches = F.unfold(xs.float() if not xs.is_floating_point() else xs, (kh, kw),
                       dilation=(rh, rw), stride=(sh, sw))  # (b, c * kh * kw, rows * cols)
    patches = patches.reshape(b, c, kh * kw, rows, cols).permute(0, 3, 4, 2, 1)
    return patches.reshape(b, rows, cols, kh * kw * c).to(x.dtype)


def psnr(a, b, max_val, name=None):
    """tf.image.psnr: 10 * log10(max_val**2 / mse) per image (float32)."""
    x, y = convert(a), convert(b)
    if x.shape != y.shape:
        raise ValueError(f"Shapes {tuple(x.shape)} and {tuple(y.shape)} are incompatible")
    max_val = float(max_val) / (_limit(x.dtype) if x.dtype in INTS else 1.0)
    x, y = convert_image_dtype(x, torch.float32), convert_image_dtype(y, torch.float32)
    mse = torch.mean(torch.square(x - y), dim=(-3, -2, -1))
    return 20 * torch.log10(torch.tensor(max_val)) - 10 * torch.log10(mse)


def _gaussian(size, sigma, dtype, device):
    coords = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    g = torch.exp(-coords ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    return g


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         return_index_map=False):
    """tf.image.ssim: mean structural similarity per image, a Gaussian window (VALID)."""
    x, y = convert(img1), convert(img2)
    if x.shape != y.shape:
        raise ValueError(f"Shapes {tuple(x.shape)} and {tuple(y.shape)} are incompatible")
    max_val = float(max_val) / (_limit(x.dtype) if x.dtype in INTS else 1.0)
    x, y = convert_image_dtype(x, torch.float32), convert_image_dtype(y, torch.float32)
    squeeze = x.dim() == 3
    if squeeze:
        x, y = x.unsqueeze(0), y.unsqueeze(0)
    c = x.shape[-1]
    size = builtins.min(filter_size, x.shape[1], x.shape[2])
    g = _gaussian(size, filter_sigma, x.dtype, x.device)
    kernel = (g[:, None] * g[None, :]).expand(c, 1, size, size)

    def blur(t):
        return F.conv2d(t.movedim(-1, 1), kernel, groups=c).movedim(1, -1)

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu_x, mu_y = blur(x), blur(y)
    sigma_xx = blur(x * x) - mu_x ** 2
    sigma_yy = blur(y * y) - mu_y ** 2
    sigma_xy = blur(x * y) - mu_x * mu_y
    luminance = (2 * mu_x * mu_y + c1) / (mu_x ** 2 + mu_y ** 2 + c1)
    cs = (2 * sigma_xy + c2) / (sigma_xx + sigma_yy + c2)
    index_map = luminance * cs
    out = index_map if return_index_map else index_map.mean(dim=(-3, -2)).mean(-1)
    return out.squeeze(0) if squeeze else out


def total_variation(images, name=None):
    x = convert(images)
    dh = torch.abs(x[..., 1:, :, :] - x[..., :-1, :, :]).sum(dim=(-3, -2, -1))
    dw = torch.abs(x[..., :, 1:, :] - x[..., :, :-1, :]).sum(dim=(-3, -2, -1))
    return dh + dw


def image_gradients(image):
    x = _image(image, "image_gradients", (4,))
    dy = F.pad(x[:, 1:] - x[:, :-1], [0, 0, 0, 0, 0, 1])
    dx = F.pad(x[:, :, 1:] - x[:, :, :-1], [0, 0, 0, 1])
    return dy, dx


def sobel_edges(image):
    """[batch, h, w, channels, 2]: the Sobel y and x gradients (REFLECT-padded)."""
    x = _image(image, "sobel_edges", (4,))
    ky = torch.tensor([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=x.dtype, device=x.device)
    kernels = torch.stack([ky, ky.T])  # (2, 3, 3)
    b, h, w, c = x.shape
    xs = F.pad(x.movedim(-1, 1).reshape(b * c, 1, h, w), [1, 1, 1, 1], mode="reflect")
    out = F.conv2d(xs, kernels.unsqueeze(1))  # (b * c, 2, h, w)
    return out.reshape(b, c, 2, h, w).permute(0, 3, 4, 1, 2)


def crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear",
                    extrapolation_value=0.0, name=None):
    """tf.image.crop_and_resize: normalised [y1, x1, y2, x2] boxes sampled to crop_size,
    bilinear or nearest, `extrapolation_value` outside the image; float32."""
    x = _image(image, "crop_and_resize", (4,)).float()
    boxes = convert(boxes).float().to(x.device)
    index = convert(box_indices).long().to(x.device)
    ch, cw = shape_tuple(crop_size)
    if method not in ("bilinear", "nearest"):
        raise ValueError(f"method must be 'bilinear' or 'nearest', got {method!r}")
    if boxes.dim() != 2 or boxes.shape[-1] != 4 or index.shape != boxes.shape[:1]:
        raise InvalidArgumentError(f"crop_and_resize: boxes must be [num_boxes, 4] and "
                                   f"box_indices [num_boxes], got {list(boxes.shape)} and "
                                   f"{list(index.shape)}")
    _, h, w, _ = x.shape

    def coords(lo, hi, n_out, n_in):
        if n_out > 1:
            steps = torch.arange(n_out, device=x.device, dtype=torch.float32)
            step = (hi - lo) * (n_in - 1) / (n_out - 1)
            return lo[:, None] * (n_in - 1) + steps * step[:, None]
        return (0.5 * (lo + hi) * (n_in - 1))[:, None]
    ys = coords(boxes[:, 0], boxes[:, 2], ch, h)  # (n, ch)
    xs = coords(boxes[:, 1], boxes[:, 3], cw, w)  # (n, cw)
    inside = ((ys >= 0) & (ys <= h - 1))[:, :, None] & ((xs >= 0) & (xs <= w - 1))[:, None, :]
    imgs = x[index]  # (n, h, w, c)
    rows = torch.arange(len(index), device=x.device)[:, None, None]
    if method == "nearest":
        # std::round: halves away from zero (torch.round takes them to even)
        yi = torch.floor(ys + 0.5).clamp(0, h - 1).long()[:, :, None]
        xi = torch.floor(xs + 0.5).clamp(0, w - 1).long()[:, None, :]
        out = imgs[rows, yi, xi]
    else:
        y0, x0 = torch.floor(ys), torch.floor(xs)
        dy, dx = (ys - y0)[:, :, None, None], (xs - x0)[:, None, :, None]
        y0i, x0i = y0.clamp(0, h - 1).long(), x0.clamp(0, w - 1).long()
        y1i, x1i = (y0 + 1).clamp(0, h - 1).long(), (x0 + 1).clamp(0, w - 1).long()

        def at(yy, xx):
            return imgs[rows, yy[:, :, None], xx[:, None, :]]
        top = at(y0i, x0i) + (at(y0i, x1i) - at(y0i, x0i)) * dx
        bottom = at(y1i, x0i) + (at(y1i, x1i) - at(y1i, x0i)) * dx
        out = top + (bottom - top) * dy
    return torch.where(inside[..., None], out, torch.full_like(out, float(extrapolation_value)))


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
                        score_threshold=float("-inf"), name=None):
    """tf.image.non_max_suppression: int32 indices of the boxes kept, best score first; a
    box goes when its IoU with a kept one exceeds iou_threshold."""
    b, s = convert(boxes).float(), convert(scores).float()
    if b.dim() != 2 or b.shape[-1] != 4 or s.shape != b.shape[:1]:
        raise InvalidArgumentError(f"non_max_suppression: boxes must be [num_boxes, 4] and "
                                   f"scores [num_boxes], got {list(b.shape)} and "
                                   f"{list(s.shape)}")
    y1, y2 = torch.minimum(b[:, 0], b[:, 2]), torch.maximum(b[:, 0], b[:, 2])
    x1, x2 = torch.minimum(b[:, 1], b[:, 3]), torch.maximum(b[:, 1], b[:, 3])
    area = (y2 - y1) * (x2 - x1)
    ih = (torch.minimum(y2[:, None], y2[None]) - torch.maximum(y1[:, None], y1[None])).clamp(min=0)
    iw = (torch.minimum(x2[:, None], x2[None]) - torch.maximum(x1[:, None], x1[None])).clamp(min=0)
    inter = ih * iw
    union = area[:, None] + area[None] - inter
    iou = torch.where(union > 0, inter / torch.where(union > 0, union, torch.ones_like(union)),
                      torch.zeros_like(union)).tolist()
    order = torch.sort(s, descending=True, stable=True).indices.tolist()
    values = s.tolist()
    keep = []
    for i in order:
        if len(keep) >= int(max_output_size) or values[i] <= score_threshold:
            break
        if all(iou[i][j] <= iou_threshold for j in keep):
            keep.append(i)
    return torch.tensor(keep, dtype=torch.int32, device=b.device)


symbolic_ops("image", globals())  # Keras tensors build TFOpLambda nodes
