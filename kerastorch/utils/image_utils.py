"""`keras.utils.load_img`, `img_to_array`, `array_to_img`, `save_img`: PIL images and arrays.

Pillow is needed only when these are called (it comes with torchvision); the arrays are
Keras's: `(height, width, channels)` in `channels_last`, float32 by default.
"""

import io
import pathlib
import warnings

import numpy as np

from kerastorch import backend

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def _pil_image(api):
    try:
        from PIL import Image
    except ImportError as err:
        raise ImportError(f"Could not import PIL.Image. The use of `{api}` requires PIL "
                          "(`pip install pillow`).") from err
    return Image


def _resample(image_module, interpolation):
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"Invalid interpolation method {interpolation} specified. Supported "
                         f"methods are {', '.join(_INTERPOLATIONS)}")
    return getattr(image_module.Resampling, interpolation.upper())


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A PIL image from a 3-D array (`RGBA`, `RGB`, or `L` / `I` for one channel).

    Args:
        x: an array of rank 3.
        data_format: `"channels_last"` or `"channels_first"` (default: the backend's).
        scale: rescale the values to `[0, 255]` (min to 0, max to 255) first.
        dtype: the dtype the array is read as (default: `floatx()`).
    """
    data_format = data_format or backend.image_data_format()
    dtype = dtype or backend.floatx()
    image_module = _pil_image("array_to_img")
    x = np.asarray(x, dtype=dtype)
    if x.ndim != 3:
        raise ValueError("Expected image array to have rank 3 (single image). "
                         f"Got array with shape: {x.shape}")
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Invalid data_format: {data_format}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return image_module.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image_module.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit integer grey levels
            return image_module.fromarray(x[:, :, 0].astype("int32"), "I")
        return image_module.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def img_to_array(img, data_format=None, dtype=None):
    """A PIL image (or anything `np.asarray` takes) as a 3-D float array.

    Args:
        img: the image.
        data_format: `"channels_last"` (`(h, w, c)`) or `"channels_first"` (`(c, h, w)`).
        dtype: the array's dtype (default: `floatx()`).
    """
    data_format = data_format or backend.image_data_format()
    dtype = dtype or backend.floatx()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Unknown data_format: {data_format}")
    x = np.asarray(img, dtype=dtype)
    if x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    elif x.ndim == 2:
        x = x.reshape((1,) + x.shape if data_format == "channels_first" else x.shape + (1,))
    else:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image array to `path` (format from the extension, or `file_format`).

    Extra keyword arguments go to `PIL.Image.save` (`quality=` for JPEG, ...).
    """
    img = array_to_img(x, data_format=data_format or backend.image_data_format(), scale=scale)
    if img.mode == "RGBA" and file_format in ("jpg", "jpeg"):
        warnings.warn("The JPG format does not support RGBA images, converting to RGB.")
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def load_img(path, grayscale=False, color_mode="rgb", target_size=None,
             interpolation="nearest", keep_aspect_ratio=False):
    """Loads an image file as a PIL image.

    Args:
        path: a path (str, bytes, `pathlib.Path`) or an `io.BytesIO`.
        grayscale: deprecated; `color_mode="grayscale"`.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        target_size: `(height, width)` to resize to, or None (the file's size).
        interpolation: PIL's resampling: `"nearest"`, `"bilinear"`, `"bicubic"`, `"hamming"`,
            `"box"` or `"lanczos"`.
        keep_aspect_ratio: crop the centre to the target's aspect ratio before resizing.

    Example:
        >>> x = img_to_array(load_img("cat.png", target_size=(64, 64)))  # (64, 64, 3)
    """
    if grayscale:
        warnings.warn('grayscale is deprecated. Please use color_mode = "grayscale"')
        color_mode = "grayscale"
    image_module = _pil_image("load_img")
    if isinstance(path, io.BytesIO):
        img = image_module.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as f:
            img = image_module.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif color_mode == "rgb":
        if img.mode != "RGB":
            img = img.convert("RGB")
    else:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"; received '
                         f"{color_mode!r}")
    if target_size is not None:
        size = (target_size[1], target_size[0])  # PIL sizes are (width, height)
        if img.size != size:
            resample = _resample(image_module, interpolation)
            if keep_aspect_ratio:
                width, height = img.size
                crop_height = min(height, (width * size[1]) // size[0])
                crop_width = min(width, (height * size[0]) // size[1])
                top, left = (height - crop_height) // 2, (width - crop_width) // 2
                img = img.resize(size, resample,
                                 box=[left, top, left + crop_width, top + crop_height])
            else:
                img = img.resize(size, resample)
    return img


_RESIZE_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact"}


def smart_resize(x, size, interpolation="bilinear"):
    """Resizes images to `size` without distorting them: the largest centred crop with the
    target's aspect ratio, then resized.

    Args:
        x: an image `(height, width, channels)` or a batch `(batch, height, width, channels)`,
            a numpy array or a torch tensor.
        size: `(height, width)`.
        interpolation: `"bilinear"` or `"nearest"` (half-pixel centres, as `tf.image.resize`).

    Returns:
        the resized image(s), a numpy array for a numpy input (float32 for `"bilinear"`, the
        input's dtype for `"nearest"`), else a torch tensor.
    """
    import torch
    import torch.nn.functional as F

    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    if interpolation not in _RESIZE_MODES:
        raise ValueError(f"smart_resize: interpolation {interpolation!r} is not supported; "
                         f"expected one of {sorted(_RESIZE_MODES)}.")
    is_numpy = not isinstance(x, torch.Tensor)
    img = torch.as_tensor(np.asarray(x)) if is_numpy else x
    if img.ndim not in (3, 4):
        raise ValueError("Expected an image array with shape `(height, width, channels)`, or "
                         "`(batch_size, height, width, channels)`, but got input with "
                         f"incorrect rank, of shape {tuple(img.shape)}.")
    height, width = img.shape[-3], img.shape[-2]
    target_height, target_width = size
    # The crop in float32, as tf.keras computes it.
    crop_height = min(height, int(np.float32(width * target_height) / np.float32(target_width)))
    crop_width = min(width, int(np.float32(height * target_width) / np.float32(target_height)))
    top = int(np.float32(height - crop_height) / np.float32(2))
    left = int(np.float32(width - crop_width) / np.float32(2))
    img = img[..., top:top + crop_height, left:left + crop_width, :]
    batch = img if img.ndim == 4 else img[None]
    dtype = batch.dtype
    work = batch.permute(0, 3, 1, 2)
    if interpolation == "bilinear" or not work.is_floating_point():
        work = work.float() if dtype != torch.float64 else work
    out = F.interpolate(work, size=(int(target_height), int(target_width)),
                        mode=_RESIZE_MODES[interpolation],
                        **({"align_corners": False} if interpolation == "bilinear" else {}))
    if interpolation == "nearest":
        out = out.to(dtype)
    out = out.permute(0, 2, 3, 1)
    out = out if img.ndim == 4 else out[0]
    return out.numpy() if is_numpy else out


__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]
