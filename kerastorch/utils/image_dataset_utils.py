"""`keras.utils.image_dataset_from_directory`: batches of images (and labels) from folders."""

import numpy as np
import torch

from kerastorch import backend
from kerastorch.utils import dataset_utils

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_MODES = {"rgb": ("RGB", 3), "rgba": ("RGBA", 4), "grayscale": ("L", 1)}


def load_image(path, image_size, color_mode="rgb", interpolation="bilinear",
               crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, data_format=None):
    """One image file as a float32 tensor `(height, width, channels)` with values 0-255."""
    from PIL import Image
    from kerastorch.ops import image as image_ops
    mode, _ = _MODES[color_mode]
    with Image.open(path) as img:
        arr = np.asarray(img.convert(mode), dtype="float32")
    if arr.ndim == 2:
        arr = arr[:, :, None]
    out = image_ops.resize(torch.from_numpy(arr), tuple(image_size), interpolation=interpolation,
                           crop_to_aspect_ratio=crop_to_aspect_ratio,
                           pad_to_aspect_ratio=pad_to_aspect_ratio)
    if backend.standardize_data_format(data_format) == "channels_first":
        out = out.permute(2, 0, 1)
    return out


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, verbose=True):
    """Batches `(images, labels)` from `directory/<class_name>/<image files>`.

    Images are float32 tensors `(batch, height, width, channels)` with values 0-255, resized
    to `image_size`; labels follow `label_mode` ('int', 'categorical', 'binary' or None).
    Files are found, shuffled and split as Keras does (same seed, same files per subset).

    Returns:
        A `BatchDataset` with `class_names` and `file_paths`; `subset="both"` gives
        `(training, validation)`.
    """
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError("`labels` argument should be a list/tuple of integer labels, of the "
                         "same size as the number of image files in the target directory. If "
                         "you wish to infer the labels from the subdirectory names in the target "
                         'directory, pass `labels="inferred"`. If you wish to get a dataset that '
                         f"only contains images (no labels), pass `labels=None`. Received: "
                         f"labels={labels}")
    if color_mode not in _MODES:
        raise ValueError('`color_mode` must be one of {"rgb", "rgba", "grayscale"}. Received: '
                         f"color_mode={color_mode}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", '
                         f"or None. Received: label_mode={label_mode}")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, found, names = dataset_utils.index_directory(
        directory, labels, ALLOWLIST_FORMATS, class_names=class_names, shuffle=shuffle,
        seed=seed, follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={names}")

    def load(path):
        return load_image(path, image_size, color_mode, interpolation, crop_to_aspect_ratio,
                          pad_to_aspect_ratio, data_format)

    def make(subset_name):
        p, lab = dataset_utils.training_or_validation_split(paths, found, validation_split,
                                                            subset_name)
        if not p:
            raise ValueError(f"No images found in directory {directory}. Allowed formats: "
                             f"{ALLOWLIST_FORMATS}")
        encoded = None if lab is None else torch.from_numpy(
            dataset_utils.encode_labels(lab, label_mode, len(names)))
        samples = dataset_utils.FileDataset(p, load, encoded)
        return dataset_utils.BatchDataset(samples, batch_size, shuffle=shuffle, seed=seed,
                                          class_names=names, file_paths=p)

    if subset == "both":
        return make("training"), make("validation")
    return make(subset)
