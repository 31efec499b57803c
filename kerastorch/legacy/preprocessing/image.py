"""Keras 2's image preprocessing (`keras.preprocessing.image`): `ImageDataGenerator` and its
iterators, the affine transforms and the random augmentation helpers.

Everything is numpy (and PIL for files and brightness), drawing from `np.random` in Keras 2's
order, so a seeded generator yields tf.keras 2's batches. The affine warp is scipy.ndimage's
`affine_transform` (orders 0 and 1, the four fill modes) written in numpy, so scipy is not
needed; other spline orders use scipy when it is installed.

The iterators are `keras.utils.PyDataset`s: `fit` takes them directly. Setting
`iterator.workers = n` (with `use_multiprocessing=True`: a torch DataLoader with `n` worker
processes; without: `n` threads) prepares batches ahead of the training step.
"""

import collections
import concurrent.futures
import os
import threading
import warnings

import numpy as np

from kerastorch import backend
from kerastorch.utils import image_utils
from kerastorch.utils.image_utils import array_to_img  # noqa: F401
from kerastorch.utils.image_utils import img_to_array  # noqa: F401
from kerastorch.utils.image_utils import load_img  # noqa: F401
from kerastorch.utils.image_utils import save_img  # noqa: F401
from kerastorch.utils.image_utils import smart_resize  # noqa: F401
from kerastorch.utils.py_dataset import PyDataset

FILL_MODES = ("constant", "nearest", "reflect", "wrap")


# ---------------------------------------------------------------------------- the affine warp
def _map_coordinates(coords, n, mode):
    """scipy.ndimage's mapping of sample coordinates outside `[0, n - 1]` along one axis.

    Returns the mapped coordinates, and for `"constant"` a mask of those that take `cval`.
    """
    lo, hi = coords < 0, coords > n - 1
    if not (lo.any() or hi.any()):
        return coords, None
    if mode == "constant":
        return coords, lo | hi
    coords = coords.copy()
    if mode == "nearest" or n <= 1:
        coords[lo], coords[hi] = 0, n - 1
        if n <= 1:
            coords[:] = 0
    elif mode == "reflect":  # half-sample symmetric: d c b a | a b c d | d c b a
        period = 2 * n
        v = coords[lo]
        v = np.where(v < -period, period * np.trunc(-v / period) + v, v)
        coords[lo] = np.where(v < -n, v + period, -v - 1)
        v = coords[hi]
        v = v - period * np.trunc(v / period)
        coords[hi] = np.where(v >= n, period - v - 1, v)
    else:  # "wrap": scipy's, whose period is n - 1 (the last sample lies on the first)
        period = n - 1
        v = coords[lo]
        coords[lo] = v + period * (np.trunc(-v / period) + 1)
        v = coords[hi]
        coords[hi] = v - period * np.trunc(v / period)
    return coords, None


def _sample_index(i, n, mode):
    if mode == "reflect":
        i = np.where(i < 0, -i - 1, i)
        i = np.where(i >= n, 2 * n - i - 1, i)
    return np.clip(i, 0, n - 1)


_GRIDS = {}


def _grid(h, w):
    """Row and column coordinates of an `h` by `w` output, broadcastable (cached)."""
    grid = _GRIDS.get((h, w))
    if grid is None:
        grid = (np.arange(h, dtype=np.float64)[:, None], np.arange(w, dtype=np.float64)[None, :])
        if len(_GRIDS) < 64:
            _GRIDS[(h, w)] = grid
    return grid


def _warp(channels, matrix, offset, order, mode, cval):
    """`channels` `(c, h, w)` resampled at `matrix @ (row, col) + offset` for every output
    pixel: scipy.ndimage.affine_transform of each channel, in one vectorised pass (float64
    arithmetic, as scipy's)."""
    c, h, w = channels.shape
    rows, cols = _grid(h, w)
    # scipy's order of the sums (offset first): the same float64 coordinates, so the same
    # pixels fall outside the image at the edges.
    src_r = (offset[0] + matrix[0, 0] * rows) + matrix[0, 1] * cols
    src_c = (offset[1] + matrix[1, 0] * rows) + matrix[1, 1] * cols
    src_r, out_r = _map_coordinates(src_r, h, mode)
    src_c, out_c = _map_coordinates(src_c, w, mode)
    flat = channels.reshape(c, h * w)
    if order == 0:
        r = _sample_index(np.floor(src_r + 0.5).astype(np.intp), h, mode)
        col = _sample_index(np.floor(src_c + 0.5).astype(np.intp), w, mode)
        out = np.take(flat, (r * w + col).ravel(), axis=1).astype(np.float64)
    else:
        fr, fc = np.floor(src_r), np.floor(src_c)
        tr, tc = (src_r - fr).ravel(), (src_c - fc).ravel()
        r0, c0 = fr.astype(np.intp), fc.astype(np.intp)
        r1, c1 = _sample_index(r0 + 1, h, mode) * w, _sample_index(c0 + 1, w, mode)
        r0, c0 = _sample_index(r0, h, mode) * w, _sample_index(c0, w, mode)
        corners = np.stack([(r0 + c0).ravel(), (r0 + c1).ravel(), (r1 + c0).ravel(),
                            (r1 + c1).ravel()])
        v = np.take(flat, corners, axis=1).astype(np.float64)  # (c, 4, h * w)
        uc = 1 - tc
        out = (1 - tr) * (uc * v[:, 0] + tc * v[:, 1]) + tr * (uc * v[:, 2] + tc * v[:, 3])
    out = out.reshape(c, h, w)
    if out_r is not None or out_c is not None:
        outside = np.zeros((h, w), bool)
        for mask in (out_r, out_c):
            if mask is not None:
                outside |= mask
        out[:, outside] = cval
    return out.astype(channels.dtype, copy=False)


def _scipy_warp(channels, matrix, offset, order, mode, cval):
    try:
        from scipy import ndimage
    except ImportError as err:
        raise ValueError(f"apply_affine_transform: order={order} needs scipy (orders 0 and 1 "
                         "do not); install scipy or use order=0 or 1.") from err
    return np.stack([ndimage.affine_transform(c, matrix, offset, order=order, mode=mode,
                                              cval=cval) for c in channels])


def transform_matrix_offset_center(matrix, x, y):
    """`matrix` (3 x 3, homogeneous) applied about the centre of an `x` by `y` image."""
    o_x, o_y = float(x) / 2 - 0.5, float(y) / 2 - 0.5
    offset_matrix = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset_matrix = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return np.dot(np.dot(offset_matrix, matrix), reset_matrix)


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=1, col_axis=2,
                           channel_axis=0, fill_mode="nearest", cval=0.0, order=1):
    """Rotates, shifts, shears and zooms one image (a 3-D array) about its centre.

    Args:
        x: the image, rank 3.
        theta: rotation, in degrees.
        tx, ty: shifts along the row and column axes, in pixels.
        shear: shear angle, in degrees.
        zx, zy: zoom along the row and column axes (> 1 shows less of the image).
        row_axis, col_axis, channel_axis: the axes of `x` (channels first or last).
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"` (scipy.ndimage's modes).
        cval: the value outside the image for `"constant"`.
        order: spline order of the interpolation (0: nearest, 1: bilinear).

    Returns:
        the transformed image, the shape and dtype of `x`.
    """
    if np.unique([row_axis, col_axis, channel_axis]).size != 3:
        raise ValueError("'row_axis', 'col_axis', and 'channel_axis' must be distinct")
    actual = {row_axis, col_axis, channel_axis}
    if actual != {0, 1, 2}:
        raise ValueError(f"Invalid axis' indices: {actual - {0, 1, 2}}")
    if x.ndim != 3:
        raise ValueError(f"Input arrays must be multi-channel 2D images; received shape "
                         f"{x.shape}.")
    if channel_axis not in (0, 2):
        raise ValueError("Channels are allowed and the first and last dimensions.")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"Invalid fill_mode {fill_mode!r}; expected one of {FILL_MODES}.")
    transform = None

    def chain(m):
        return m if transform is None else np.dot(transform, m)

    if theta != 0:
        t = np.deg2rad(theta)
        transform = chain(np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0],
                                    [0, 0, 1]]))
    if tx != 0 or ty != 0:
        transform = chain(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]))
    if shear != 0:
        s = np.deg2rad(shear)
        transform = chain(np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        transform = chain(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]))
    if transform is None:
        return x
    h, w = x.shape[row_axis], x.shape[col_axis]
    transform = transform_matrix_offset_center(transform, h, w)
    channels = np.rollaxis(x, channel_axis, 0)
    if col_axis > row_axis:
        transform[:, [0, 1]] = transform[:, [1, 0]]
        transform[[0, 1]] = transform[[1, 0]]
    # `channels` is (c, row, col) or (c, col, row): the matrix above is in that axis order.
    warp = _warp if order in (0, 1) else _scipy_warp
    out = warp(channels, transform[:2, :2], transform[:2, 2], order, fill_mode, cval)
    return np.rollaxis(out, 0, channel_axis + 1)


def flip_axis(x, axis):
    """`x` reversed along `axis`."""
    return np.flip(np.asarray(x), axis)


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds `intensity` to every channel, clipped to the image's own min and max."""
    x = np.rollaxis(x, channel_axis, 0)
    min_x, max_x = np.min(x), np.max(x)
    x = np.stack([np.clip(c + intensity, min_x, max_x) for c in x], axis=0)
    return np.rollaxis(x, 0, channel_axis + 1)


def random_channel_shift(x, intensity_range, channel_axis=0):
    """`apply_channel_shift` by a uniform draw from `[-intensity_range, intensity_range]`."""
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def apply_brightness_shift(x, brightness, scale=True):
    """Scales the brightness by `brightness` (PIL's `ImageEnhance.Brightness`; channels last).

    The image goes through an 8-bit PIL image: values outside `[0, 255]` are rescaled there and
    back (`scale=False`), or left in `[0, 255]` (`scale=True`).
    """
    try:
        from PIL import ImageEnhance
    except ImportError as err:
        raise ImportError("Using brightness shifts requires PIL. Install PIL or Pillow.") \
            from err
    x_min, x_max = np.min(x), np.max(x)
    local_scale = (x_min < 0) or (x_max > 255)
    img = array_to_img(x, scale=local_scale or scale)
    img = ImageEnhance.Brightness(img).enhance(brightness)
    x = img_to_array(img)
    if not scale and local_scale:
        x = x / 255 * (x_max - x_min) + x_min
    return x


def random_brightness(x, brightness_range, scale=True):
    """`apply_brightness_shift` by a uniform draw from `brightness_range` (two floats)."""
    if len(brightness_range) != 2:
        raise ValueError("`brightness_range should be tuple or list of two floats. "
                         f"Received: {brightness_range}")
    u = np.random.uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, u, scale)


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                    cval=0.0, interpolation_order=1):
    """Rotates by a uniform draw from `[-rg, rg]` degrees."""
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(x, theta=theta, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0.0, interpolation_order=1):
    """Shifts by uniform draws from `[-hrg, hrg]` of the height and `[-wrg, wrg]` of the width."""
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    return apply_affine_transform(x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0.0, interpolation_order=1):
    """Shears by a uniform draw from `[-intensity, intensity]` degrees."""
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(x, shear=shear, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                cval=0.0, interpolation_order=1):
    """Zooms rows and columns by two uniform draws from `zoom_range` (two floats)."""
    if len(zoom_range) != 2:
        raise ValueError("`zoom_range` should be a tuple or list of two floats. Received: "
                         f"{zoom_range}")
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


# ---------------------------------------------------------------------------- iterators
def _identity(batch):
    return batch


def _seed_worker(worker_id):
    import torch
    np.random.seed(torch.initial_seed() % 2 ** 32)


class _Batches:
    """An iterator's batches by key `(number, draws_order, indices)` (see `_EpochKeys`): the
    map-style dataset the DataLoader workers index."""

    def __init__(self, iterator):
        self.iterator = iterator

    def __getitem__(self, key):
        return self.iterator._batch_at(*key)


class _EpochKeys:
    """The keys of the rest of the current epoch, from `iterator._ahead_start` on; read in
    this process each time the DataLoader starts an epoch, so persistent workers always get
    the current order."""

    def __init__(self, iterator):
        self.iterator = iterator

    def __len__(self):
        return len(self.iterator) - self.iterator._ahead_start

    def __iter__(self):
        return self.iterator._keys(self.iterator._ahead_start)


class Iterator(PyDataset):
    """The base of the image iterators: batches of `n` samples by index (a `PyDataset`).

    `it[i]` is batch `i` of the current order (reshuffled by `on_epoch_end()` when
    `shuffle`); `next(it)` runs through the batches forever, as in Keras 2. With `seed`, batch
    `k` (the `k`-th produced) draws its random transforms after `np.random.seed(seed + k)`.

    Subclasses implement `_get_batches_of_transformed_samples(index_array)`.
    """

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n, batch_size, shuffle, seed):
        super().__init__()
        self.n = n
        self.batch_size = batch_size
        self.seed = seed
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()
        self._ahead = None  # (next index, source of prepared batches, its closer)
        self._drawn_order_at = None  # the batch number whose seed also drew the order
        self._ahead_start = 0
        self._loader = None  # the DataLoader of `workers` processes, made at first use

    # `fit(workers=..., use_multiprocessing=...)` in Keras 2 terms: set on the iterator.
    @property
    def workers(self):
        return self._workers

    @workers.setter
    def workers(self, value):
        self._workers = int(value)

    @property
    def use_multiprocessing(self):
        return self._use_multiprocessing

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = bool(value)

    def _set_index_array(self):
        self.index_array = np.arange(self.n)
        if self.shuffle:
            self.index_array = np.random.permutation(self.n)

    def __getitem__(self, idx):
        if idx >= len(self):
            raise ValueError(f"Asked to retrieve element {idx}, but the Sequence has length "
                             f"{len(self)}")
        if self._workers > 1:
            return self._prepared(idx)
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        return self._get_batches_of_transformed_samples(
            self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)])

    def _keys(self, start):
        """`(number, draws_order, indices)` of batches `start, start + 1, ...` of this epoch:
        the batch's number among all produced (its seed), whether the serial path drew the
        order from that seed first, and its sample indices."""
        base = self.total_batches_seen - start
        for idx in range(start, len(self)):
            yield (base + idx, base + idx == self._drawn_order_at,
                   self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)])

    def _batch_at(self, number, draws_order, index_array):
        """One batch, seeded as the `number`-th (in a worker: as the serial path seeds it)."""
        if self.seed is not None:
            np.random.seed(self.seed + number)
            if draws_order and self.shuffle:
                np.random.permutation(self.n)  # the serial batch drew the order first
        return self._get_batches_of_transformed_samples(index_array)

    def _prepared(self, idx):
        """Batch `idx` from the workers, which run ahead through the rest of the epoch."""
        if self._ahead is None or self._ahead[0] != idx:
            self._close_ahead()
            if self.index_array is None:
                if self.seed is not None:  # as the first batch of `__getitem__` seeds it
                    np.random.seed(self.seed + self.total_batches_seen)
                self._set_index_array()
                self._drawn_order_at = self.total_batches_seen
            self._ahead_start = idx
            if self._use_multiprocessing:
                self._ahead = [idx, iter(self._dataloader()), None]
            else:
                pool = concurrent.futures.ThreadPoolExecutor(self._workers)
                keys = self._keys(idx)
                queue = collections.deque(pool.submit(self._batch_at, *key) for _, key in
                                          zip(range(self._max_queue_size), keys))

                def results():
                    while queue:
                        future = queue.popleft()
                        queue.extend(pool.submit(self._batch_at, *key) for _, key in
                                     zip(range(1), keys))
                        yield future.result()

                self._ahead = [idx, results(), lambda: pool.shutdown(cancel_futures=True)]
        batch = next(self._ahead[1])
        self._ahead[0] += 1
        self.total_batches_seen += 1
        if self._ahead[0] >= len(self):
            self._close_ahead()
        return batch

    def _dataloader(self):
        """A DataLoader of `workers` processes over this iterator's batches; its workers
        persist from epoch to epoch (they hold a copy of the iterator as it was when they
        started: change the generator, e.g. `fit` it again, before the first batch)."""
        if self._loader is None or self._loader.num_workers != self._workers:
            import torch
            self._loader = torch.utils.data.DataLoader(
                _Batches(self), batch_size=None, sampler=_EpochKeys(self),
                num_workers=self._workers, collate_fn=_identity, worker_init_fn=_seed_worker,
                persistent_workers=True,
                prefetch_factor=max(2, self._max_queue_size // self._workers))
        return self._loader

    def _close_ahead(self):
        if self._ahead is not None and self._ahead[2] is not None:
            self._ahead[2]()
        self._ahead = None

    def __getstate__(self):  # for DataLoader workers started by spawn
        state = dict(self.__dict__)
        for key in ("lock", "index_generator", "_ahead", "_loader"):
            state.pop(key, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.lock = threading.Lock()
        self.index_generator = self._flow_index()
        self._ahead = self._loader = None

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        if self._ahead is not None or self._workers > 1:
            # The workers drew the transforms: this process's `np.random` did not move, so
            # the next order is seeded here (deterministic, though not the serial order).
            self._close_ahead()
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            current = 0 if self.n == 0 else (self.batch_index * self.batch_size) % self.n
            if self.n > current + self.batch_size:
                self.batch_index += 1
            else:
                self.batch_index = 0
            self.total_batches_seen += 1
            yield self.index_array[current:current + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def next(self):
        """The next batch (Keras 2's endless iteration)."""
        with self.lock:
            index_array = next(self.index_generator)
        return self._get_batches_of_transformed_samples(index_array)

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError(f"{type(self).__name__} must define "
                                  "`_get_batches_of_transformed_samples`.")


def _iter_valid_files(directory, white_list_formats, follow_links):
    """`(root, filename)` of the image files under `directory`, in sorted walk order."""
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links),
                                 key=lambda entry: entry[0]):
        for fname in sorted(files):
            if fname.lower().endswith(".tiff"):
                warnings.warn('Using ".tiff" files with multiple bands will cause distortion. '
                              "Please verify your output.")
            if fname.lower().endswith(white_list_formats):
                yield root, fname


def _list_valid_filenames_in_directory(directory, white_list_formats, split, class_indices,
                                       follow_links):
    """The class index and path (relative to `directory`'s parent) of each image file of one
    class directory, or of the `split` fraction `(start, stop)` of them."""
    dirname = os.path.basename(directory)
    files = list(_iter_valid_files(directory, white_list_formats, follow_links))
    if split:
        files = files[int(split[0] * len(files)):int(split[1] * len(files))]
    classes, filenames = [], []
    for root, fname in files:
        classes.append(class_indices[dirname])
        filenames.append(os.path.join(dirname, os.path.relpath(os.path.join(root, fname),
                                                               directory)))
    return classes, filenames


class BatchFromFilesMixin:
    """Batches of images read from `self.filepaths` (DirectoryIterator, DataFrameIterator)."""

    def set_processing_attrs(self, image_data_generator, target_size, color_mode, data_format,
                             save_to_dir, save_prefix, save_format, subset, interpolation,
                             keep_aspect_ratio):
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.keep_aspect_ratio = keep_aspect_ratio
        channels = {"rgba": 4, "rgb": 3, "grayscale": 1}.get(color_mode)
        if channels is None:
            raise ValueError(f"Invalid color mode: {color_mode!r}; expected \"rgb\", \"rgba\", "
                             "or \"grayscale\".")
        self.color_mode = color_mode
        self.data_format = data_format
        self.image_shape = (self.target_size + (channels,) if data_format == "channels_last"
                            else (channels,) + self.target_size)
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        self.interpolation = interpolation
        if subset is not None:
            validation_split = self.image_data_generator._validation_split
            if subset == "validation":
                split = (0, validation_split)
            elif subset == "training":
                split = (validation_split, 1)
            else:
                raise ValueError(f"Invalid subset name: {subset!r}; expected \"training\" or "
                                 "\"validation\"")
        else:
            split = None
        self.split = split
        self.subset = subset

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        filepaths = self.filepaths
        generator = self.image_data_generator
        for i, j in enumerate(index_array):
            img = image_utils.load_img(filepaths[j], color_mode=self.color_mode,
                                       target_size=self.target_size,
                                       interpolation=self.interpolation,
                                       keep_aspect_ratio=self.keep_aspect_ratio)
            x = img_to_array(img, data_format=self.data_format)
            img.close()
            if generator:
                params = generator.get_random_transform(x.shape)
                x = generator.apply_transform(x, params)
                x = generator.standardize(x)
            batch_x[i] = x
        if self.save_to_dir:
            for i, j in enumerate(index_array):
                img = array_to_img(batch_x[i], self.data_format, scale=True)
                fname = f"{self.save_prefix}_{j}_{np.random.randint(1e7)}.{self.save_format}"
                img.save(os.path.join(self.save_to_dir, fname))
        if self.class_mode == "input":
            batch_y = batch_x.copy()
        elif self.class_mode in ("binary", "sparse"):
            batch_y = np.empty(len(batch_x), dtype=self.dtype)
            for i, n in enumerate(index_array):
                batch_y[i] = self.classes[n]
        elif self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), len(self.class_indices)), dtype=self.dtype)
            for i, n in enumerate(index_array):
                batch_y[i, self.classes[n]] = 1.0
        elif self.class_mode == "multi_output":
            batch_y = [output[index_array] for output in self.labels]
        elif self.class_mode == "raw":
            batch_y = self.labels[index_array]
        else:
            return batch_x
        if self.sample_weight is None:
            return batch_x, batch_y
        return batch_x, batch_y, self.sample_weight[index_array]

    @property
    def filepaths(self):
        """Absolute paths of the image files."""
        raise NotImplementedError(f"`filepaths` is not implemented in {type(self).__name__}.")

    @property
    def labels(self):
        """Class labels of every sample."""
        raise NotImplementedError(f"`labels` is not implemented in {type(self).__name__}.")

    @property
    def sample_weight(self):
        raise NotImplementedError(f"`sample_weight` is not implemented in "
                                  f"{type(self).__name__}.")


class DirectoryIterator(BatchFromFilesMixin, Iterator):
    """Batches of images from a directory with one subdirectory per class.

    Classes are the subdirectories in sorted order (or `classes`); files are listed in sorted
    order within each, as `class_name/file` in `filenames`; `classes` holds each file's class
    index. Arguments as `ImageDataGenerator.flow_from_directory`.
    """

    allowed_class_modes = {"categorical", "binary", "sparse", "input", None}

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png",
                 follow_links=False, subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype=None):
        data_format = data_format or backend.image_data_format()
        self.dtype = dtype or backend.floatx()
        self.set_processing_attrs(image_data_generator, target_size, color_mode, data_format,
                                  save_to_dir, save_prefix, save_format, subset, interpolation,
                                  keep_aspect_ratio)
        if class_mode not in self.allowed_class_modes:
            raise ValueError(f"Invalid class_mode: {class_mode}; expected one of: "
                             f"{self.allowed_class_modes}")
        if not os.path.exists(directory):  # the errors os.listdir raises in Keras 2
            raise FileNotFoundError(f"flow_from_directory: no such directory: {directory!r}")
        if not os.path.isdir(directory):
            raise NotADirectoryError(f"flow_from_directory: {directory!r} is not a directory "
                                     "(expected one subdirectory per class)")
        self.directory = directory
        self.class_mode = class_mode
        if not classes:
            classes = [d for d in sorted(os.listdir(directory))
                       if os.path.isdir(os.path.join(directory, d))]
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))
        self.filenames, labels = [], []
        for subdir in classes:
            found, names = _list_valid_filenames_in_directory(
                os.path.join(directory, subdir), self.white_list_formats, self.split,
                self.class_indices, follow_links)
            labels += found
            self.filenames += names
        self.samples = len(self.filenames)
        self.classes = np.array(labels, dtype="int32")
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        self._filepaths = [os.path.join(directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self.classes

    @property
    def sample_weight(self):
        return None


class NumpyArrayIterator(Iterator):
    """Batches of (augmented) images from a rank-4 array `x`, with `y` and `sample_weight`.

    `x` may be `(images, other_inputs)` where `other_inputs` is an array or a list of arrays
    batched alongside. Arguments as `ImageDataGenerator.flow`.
    """

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None, ignore_class_split=False,
                 dtype=None):
        data_format = data_format or backend.image_data_format()
        self.dtype = dtype or backend.floatx()
        if isinstance(x, (tuple, list)):
            x_misc = ([np.asarray(xx) for xx in x[1]] if isinstance(x[1], list)
                      else [np.asarray(x[1])])
            x = x[0]
            for xx in x_misc:
                if len(x) != len(xx):
                    raise ValueError("All of the arrays in `x` should have the same length. "
                                     f"Found a pair with: len(x[0]) = {len(x)}, len(x[?]) = "
                                     f"{len(xx)}")
        else:
            x_misc = []
        if y is not None and len(x) != len(y):
            raise ValueError("`x` (images tensor) and `y` (labels) should have the same length. "
                             f"Found: x.shape = {np.asarray(x).shape}, y.shape = "
                             f"{np.asarray(y).shape}")
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError("`x` (images tensor) and `sample_weight` should have the same "
                             f"length. Found: x.shape = {np.asarray(x).shape}, "
                             f"sample_weight.shape = {np.asarray(sample_weight).shape}")
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(f"Invalid subset name: {subset!r}; expected \"training\" or "
                                 "\"validation\".")
            split_idx = int(len(x) * image_data_generator._validation_split)
            if (y is not None and not ignore_class_split and not np.array_equal(
                    np.unique(y[:split_idx]), np.unique(y[split_idx:]))):
                raise ValueError("Training and validation subsets have different number of "
                                 "classes after the split. If your numpy arrays are sorted by "
                                 "the label, you might want to shuffle them.")
            part = slice(None, split_idx) if subset == "validation" else slice(split_idx, None)
            x = x[part]
            x_misc = [np.asarray(xx[part]) for xx in x_misc]
            if y is not None:
                y = y[part]
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = x_misc
        if self.x.ndim != 4:
            raise ValueError("Input data in `NumpyArrayIterator` should have rank 4. You passed "
                             f"an array with shape {self.x.shape}")
        channels_axis = 3 if data_format == "channels_last" else 1
        if self.x.shape[channels_axis] not in (1, 3, 4):
            warnings.warn(f'NumpyArrayIterator is set to use the data format convention '
                          f'"{data_format}" (channels on axis {channels_axis}), i.e. expected '
                          f"either 1, 3, or 4 channels on axis {channels_axis}. However, it was "
                          f"passed an array with shape {self.x.shape} "
                          f"({self.x.shape[channels_axis]} channels).")
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        self.data_format = data_format
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.x.shape[1:], dtype=self.dtype)
        generator = self.image_data_generator
        for i, j in enumerate(index_array):
            x = self.x[j]
            params = generator.get_random_transform(x.shape)
            x = generator.apply_transform(x.astype(self.dtype), params)
            batch_x[i] = generator.standardize(x)
        if self.save_to_dir:
            for i, j in enumerate(index_array):
                img = array_to_img(batch_x[i], self.data_format, scale=True)
                fname = f"{self.save_prefix}_{j}_{np.random.randint(1e4)}.{self.save_format}"
                img.save(os.path.join(self.save_to_dir, fname))
        misc = [xx[index_array] for xx in self.x_misc]
        output = (batch_x if not misc else [batch_x] + misc,)
        if self.y is None:
            return output[0]
        output += (self.y[index_array],)
        if self.sample_weight is not None:
            output += (self.sample_weight[index_array],)
        return output


def validate_filename(filename, white_list_formats):
    """True when `filename` is an existing file with an image extension."""
    return filename.lower().endswith(white_list_formats) and os.path.isfile(filename)


def _column(frame, name):
    values = frame[name]
    return values.tolist() if hasattr(values, "tolist") else list(values)


class DataFrameIterator(BatchFromFilesMixin, Iterator):
    """Batches of images whose paths (and labels) are columns of a data frame.

    `dataframe` is a pandas DataFrame (or any mapping from column name to a column of equal
    length). Arguments as `ImageDataGenerator.flow_from_dataframe`.
    """

    allowed_class_modes = {"binary", "categorical", "input", "multi_output", "raw", "sparse",
                           None}

    def __init__(self, dataframe, directory=None, image_data_generator=None, x_col="filename",
                 y_col="class", weight_col=None, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 data_format="channels_last", save_to_dir=None, save_prefix="",
                 save_format="png", subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype="float32", validate_filenames=True):
        self.set_processing_attrs(image_data_generator, target_size, color_mode, data_format,
                                  save_to_dir, save_prefix, save_format, subset, interpolation,
                                  keep_aspect_ratio)
        self.directory = directory or ""
        self.class_mode = class_mode
        self.dtype = dtype
        if class_mode not in self.allowed_class_modes:
            raise ValueError(f"Invalid class_mode: {class_mode}; expected one of: "
                             f"{self.allowed_class_modes}")
        if class_mode == "multi_output" and not isinstance(y_col, list):
            raise TypeError(f'If class_mode="{class_mode}", y_col must be a list. Received '
                            f"{type(y_col).__name__}.")
        filenames = _column(dataframe, x_col)
        if not all(isinstance(f, str) for f in filenames):
            raise TypeError(f"All values in column x_col={x_col} must be strings.")
        label_cols = y_col if class_mode == "multi_output" else [y_col]
        labelled = class_mode not in ("input", None)
        columns = [_column(dataframe, c) for c in label_cols] if labelled else []
        weights = _column(dataframe, weight_col) if weight_col else None
        if weights is not None and not all(isinstance(w, (int, float, np.number))
                                           and not isinstance(w, bool) for w in weights):
            raise TypeError(f"Column weight_col={weight_col} must be numeric.")
        rows = list(range(len(filenames)))
        if class_mode in ("binary", "sparse") and not all(isinstance(v, str)
                                                          for v in columns[0]):
            raise TypeError(f'If class_mode="{class_mode}", y_col="{y_col}" column values '
                            "must be strings.")
        if class_mode == "binary":
            count = len(set(classes)) if classes else len(set(columns[0]))
            if count != 2:
                raise ValueError(f'If class_mode="binary" there must be 2 classes. Found '
                                 f"{count} classes.")
        if class_mode == "categorical" and not all(isinstance(v, (str, list, tuple))
                                                   for v in columns[0]):
            raise TypeError(f'If class_mode="{class_mode}", y_col="{y_col}" column values '
                            "must be type string, list or tuple.")
        if classes and class_mode in ("input", "multi_output", "raw", None):
            warnings.warn(f'`classes` will be ignored given the class_mode="{class_mode}"')
        if validate_filenames:
            valid = [r for r in rows if validate_filename(
                os.path.join(self.directory, filenames[r]), self.white_list_formats)]
            if len(valid) != len(rows):
                warnings.warn(f'Found {len(rows) - len(valid)} invalid image filename(s) in '
                              f'x_col="{x_col}". These filename(s) will be ignored.')
            rows = valid
        by_class = class_mode not in ("input", "multi_output", "raw", None)
        if by_class:
            rows, labels, classes = self._filter_classes(rows, columns[0], classes, y_col)
            self.class_indices = dict(zip(classes, range(len(classes))))
        if self.split:
            rows = rows[int(self.split[0] * len(rows)):int(self.split[1] * len(rows))]
        if by_class:
            self.classes = [[self.class_indices[c] for c in labels[r]]
                            if isinstance(labels[r], (list, tuple))
                            else self.class_indices[labels[r]] for r in rows]
        self.filenames = [filenames[r] for r in rows]
        self._sample_weight = None if weights is None else np.array([weights[r] for r in rows])
        if class_mode == "multi_output":
            self._targets = [np.array([col[r] for r in rows]) for col in columns]
        if class_mode == "raw":
            self._targets = np.array([columns[0][r] for r in rows])
        self.samples = len(self.filenames)
        checked = "validated" if validate_filenames else "non-validated"
        if by_class:
            print(f"Found {self.samples} {checked} image filenames belonging to "
                  f"{len(classes)} classes.")
        else:
            print(f"Found {self.samples} {checked} image filenames.")
        self._filepaths = [os.path.join(self.directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @staticmethod
    def _filter_classes(rows, column, classes, y_col):
        """Rows whose label is (or includes) a known class, the labels restricted to those
        classes, and the classes (given, or sorted)."""
        for v in column:
            if not isinstance(v, (str, list, tuple)):
                raise TypeError(f"Expect string, list or tuple but found {type(v)} in {y_col} "
                                "column ")
        if classes:
            classes = list(dict.fromkeys(classes))
            known = set(classes)
            labels = [[c for c in v if c in known] or None if isinstance(v, (list, tuple))
                      else (v if v in known else None) for v in column]
        else:
            found = set()
            for r in rows:
                v = column[r]
                found.update(v) if isinstance(v, (list, tuple)) else found.add(v)
            classes, labels = sorted(found), list(column)
        return [r for r in rows if labels[r] is not None], labels, classes

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        if self.class_mode in ("multi_output", "raw"):
            return self._targets
        return self.classes

    @property
    def sample_weight(self):
        return self._sample_weight


# ---------------------------------------------------------------------------- the generator
class ImageDataGenerator:
    """Real-time image augmentation and normalisation for batches of images (Keras 2).

    Each image gets, in order: a random affine transform (rotation, shift, shear, zoom), a
    channel shift, flips and a brightness change (`apply_transform`), then
    `preprocessing_function`, `rescale`, sample-wise and feature-wise normalisation and ZCA
    whitening (`standardize`; the feature-wise statistics come from `fit`).

    Args:
        featurewise_center: subtract the per-channel mean of the `fit` data.
        samplewise_center: subtract each image's mean.
        featurewise_std_normalization: divide by the per-channel std of the `fit` data.
        samplewise_std_normalization: divide each image by its std.
        zca_whitening: apply ZCA whitening (implies `featurewise_center`).
        zca_epsilon: the epsilon of ZCA whitening.
        rotation_range: degrees; rotations drawn from `[-rotation_range, rotation_range]`.
        width_shift_range, height_shift_range: a float (< 1: a fraction of the size, else
            pixels) drawn from `[-r, r]`, or an int / list (pixels drawn from those values with a
            random sign).
        brightness_range: two floats, the brightness factor's range.
        shear_range: shear angle range, in degrees.
        zoom_range: a float (`[1 - z, 1 + z]`) or `[lower, upper]`.
        channel_shift_range: channel shifts drawn from `[-r, r]`.
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"`: the points outside the
            image.
        cval: the value outside the image for `"constant"`.
        horizontal_flip, vertical_flip: random flips.
        rescale: a factor every image is multiplied by (after the transforms).
        preprocessing_function: a function of one image (rank 3) to one image of the same
            shape, run first in `standardize`.
        data_format: `"channels_last"` or `"channels_first"` (default: the backend's).
        validation_split: the fraction held out for `subset="validation"`.
        interpolation_order: the spline order of the affine transforms.
        dtype: the dtype of the batches (default: `floatx()`).

    Example:
        >>> gen = ImageDataGenerator(rescale=1 / 255, rotation_range=20, horizontal_flip=True)
        >>> model.fit(gen.flow_from_directory("data/train", target_size=(64, 64)), epochs=5)
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0, width_shift_range=0.0,
                 height_shift_range=0.0, brightness_range=None, shear_range=0.0, zoom_range=0.0,
                 channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None,
                 data_format=None, validation_split=0.0, interpolation_order=1, dtype=None):
        data_format = data_format or backend.image_data_format()
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.zca_epsilon = zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.shear_range = shear_range
        self.zoom_range = zoom_range
        self.channel_shift_range = channel_shift_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.dtype = dtype or backend.floatx()
        self.interpolation_order = interpolation_order
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError('`data_format` should be `"channels_last"` (channel after row and '
                             'column) or `"channels_first"` (channel before row and column). '
                             f"Received: {data_format}")
        if fill_mode not in FILL_MODES:
            raise ValueError(f"ImageDataGenerator: invalid fill_mode {fill_mode!r}; expected one "
                             f"of {FILL_MODES}.")
        self.data_format = data_format
        if data_format == "channels_first":
            self.channel_axis, self.row_axis, self.col_axis = 1, 2, 3
        else:
            self.channel_axis, self.row_axis, self.col_axis = 3, 1, 2
        if validation_split and not 0 < validation_split < 1:
            raise ValueError("`validation_split` must be strictly between 0 and 1.  Received: "
                             f"{validation_split}")
        self._validation_split = validation_split
        self.mean = None
        self.std = None
        self.zca_whitening_matrix = None
        if isinstance(zoom_range, (float, int)):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif len(zoom_range) == 2 and all(isinstance(v, (float, int)) for v in zoom_range):
            self.zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError("`zoom_range` should be a float or a tuple or list of two floats. "
                             f"Received: {zoom_range}")
        if zca_whitening:
            if not featurewise_center:
                self.featurewise_center = True
                warnings.warn("This ImageDataGenerator specifies `zca_whitening`, which "
                              "overrides setting of `featurewise_center`.")
            if featurewise_std_normalization:
                self.featurewise_std_normalization = False
                warnings.warn("This ImageDataGenerator specifies `zca_whitening` which "
                              "overrides setting of`featurewise_std_normalization`.")
        if featurewise_std_normalization and not featurewise_center:
            self.featurewise_center = True
            warnings.warn("This ImageDataGenerator specifies `featurewise_std_normalization`, "
                          "which overrides setting of `featurewise_center`.")
        if samplewise_std_normalization and not samplewise_center:
            self.samplewise_center = True
            warnings.warn("This ImageDataGenerator specifies `samplewise_std_normalization`, "
                          "which overrides setting of `samplewise_center`.")
        if brightness_range is not None and (not isinstance(brightness_range, (tuple, list))
                                             or len(brightness_range) != 2):
            raise ValueError("`brightness_range should be tuple or list of two floats. "
                             f"Received: {brightness_range}")
        self.brightness_range = brightness_range

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
             subset=None):
        """A `NumpyArrayIterator` of augmented batches of `x` (rank 4) with `y`.

        Args:
            x: images, or `(images, other_inputs)`.
            y: labels (or None: batches of `x` only).
            batch_size, shuffle, seed: batching; `seed` also seeds the transforms.
            sample_weight: per-sample weights, batched alongside.
            save_to_dir, save_prefix, save_format: write the augmented images there.
            ignore_class_split: allow a `subset` split with different classes on each side.
            subset: `"training"` or `"validation"` (with `validation_split`).
        """
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle,
                                  sample_weight=sample_weight, seed=seed,
                                  data_format=self.data_format, save_to_dir=save_to_dir,
                                  save_prefix=save_prefix, save_format=save_format,
                                  ignore_class_split=ignore_class_split, subset=subset,
                                  dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32, shuffle=True,
                            seed=None, save_to_dir=None, save_prefix="", save_format="png",
                            follow_links=False, subset=None, interpolation="nearest",
                            keep_aspect_ratio=False):
        """A `DirectoryIterator`: augmented batches of the images in `directory`'s class
        subdirectories.

        Args:
            directory: the directory with one subdirectory per class.
            target_size: `(height, width)` every image is resized to.
            color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
            classes: the class subdirectories, in index order (default: all, sorted).
            class_mode: `"categorical"` (one-hot), `"binary"`, `"sparse"` (indices), `"input"`
                (the images themselves) or None (no labels).
            batch_size, shuffle, seed: batching; `seed` also seeds the transforms.
            save_to_dir, save_prefix, save_format: write the augmented images there.
            follow_links: follow symbolic links to subdirectories.
            subset: `"training"` or `"validation"` (with `validation_split`).
            interpolation: PIL's resampling for `target_size`.
            keep_aspect_ratio: crop the centre to the target's aspect ratio first.
        """
        return DirectoryIterator(directory, self, target_size=target_size,
                                 color_mode=color_mode, keep_aspect_ratio=keep_aspect_ratio,
                                 classes=classes, class_mode=class_mode,
                                 data_format=self.data_format, batch_size=batch_size,
                                 shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
                                 save_prefix=save_prefix, save_format=save_format,
                                 follow_links=follow_links, subset=subset,
                                 interpolation=interpolation, dtype=self.dtype)

    def flow_from_dataframe(self, dataframe, directory=None, x_col="filename", y_col="class",
                            weight_col=None, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32, shuffle=True,
                            seed=None, save_to_dir=None, save_prefix="", save_format="png",
                            subset=None, interpolation="nearest", validate_filenames=True,
                            **kwargs):
        """A `DataFrameIterator`: augmented batches of the images named in a data frame.

        Args:
            dataframe: a pandas DataFrame (or a dict of equal-length columns).
            directory: the directory the `x_col` paths are relative to (None: as they are).
            x_col: the column of file paths.
            y_col: the label column (a list of columns for `"multi_output"`).
            weight_col: a column of sample weights.
            class_mode: as `flow_from_directory`, plus `"raw"` (the `y_col` values) and
                `"multi_output"`.
            validate_filenames: drop rows whose file is missing or not an image.
            Others: as `flow_from_directory`.
        """
        for name, message in (("has_ext", "has_ext is deprecated, filenames in the dataframe "
                                          "have to match the exact filenames in disk."),
                              ("sort", "sort is deprecated, batches will be created in the "
                                       "same order than the filenames provided if shuffle is "
                                       "set to False."),
                              ("drop_duplicates", "drop_duplicates is deprecated, you can drop "
                                                  "duplicates by using the "
                                                  "pandas.DataFrame.drop_duplicates method.")):
            if name in kwargs:
                warnings.warn(message, DeprecationWarning)
        if class_mode == "other":
            warnings.warn('`class_mode` "other" is deprecated, please use `class_mode` "raw".',
                          DeprecationWarning)
            class_mode = "raw"
        return DataFrameIterator(dataframe, directory, self, x_col=x_col, y_col=y_col,
                                 weight_col=weight_col, target_size=target_size,
                                 color_mode=color_mode, classes=classes, class_mode=class_mode,
                                 data_format=self.data_format, batch_size=batch_size,
                                 shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
                                 save_prefix=save_prefix, save_format=save_format,
                                 subset=subset, interpolation=interpolation,
                                 validate_filenames=validate_filenames, dtype=self.dtype)

    def standardize(self, x):
        """Normalises one image (or a batch), in place where it can, as configured."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        if self.featurewise_center:
            if self.mean is not None:
                x -= self.mean
            else:
                warnings.warn(self._unfit("featurewise_center"))
        if self.featurewise_std_normalization:
            if self.std is not None:
                x /= self.std + 1e-6
            else:
                warnings.warn(self._unfit("featurewise_std_normalization"))
        if self.zca_whitening:
            if self.zca_whitening_matrix is not None:
                flat_x = x.reshape(-1, np.prod(x.shape[-3:]))
                x = np.reshape(flat_x @ self.zca_whitening_matrix, x.shape)
            else:
                warnings.warn(self._unfit("zca_whitening"))
        return x

    @staticmethod
    def _unfit(option):
        return (f"This ImageDataGenerator specifies `{option}`, but it hasn't been fit on any "
                "training data. Fit it first by calling `.fit(numpy_data)`.")

    def get_random_transform(self, img_shape, seed=None):
        """Random parameters for `apply_transform` for an image of shape `img_shape`."""
        img_row_axis, img_col_axis = self.row_axis - 1, self.col_axis - 1
        if seed is not None:
            np.random.seed(seed)
        theta = (np.random.uniform(-self.rotation_range, self.rotation_range)
                 if self.rotation_range else 0)
        tx = self._draw_shift(self.height_shift_range, img_shape[img_row_axis])
        ty = self._draw_shift(self.width_shift_range, img_shape[img_col_axis])
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift_intensity = None
        if self.channel_shift_range != 0:
            channel_shift_intensity = np.random.uniform(-self.channel_shift_range,
                                                        self.channel_shift_range)
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0], self.brightness_range[1])
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
                "channel_shift_intensity": channel_shift_intensity, "brightness": brightness}

    @staticmethod
    def _draw_shift(shift_range, size):
        if not shift_range:
            return 0
        try:  # an int or a list: pixels, drawn from the values, with a random sign
            shift = np.random.choice(shift_range)
            shift *= np.random.choice([-1, 1])
        except ValueError:  # a float
            shift = np.random.uniform(-shift_range, shift_range)
        if np.max(shift_range) < 1:
            shift *= size
        return shift

    def apply_transform(self, x, transform_parameters):
        """Applies `transform_parameters` (`get_random_transform`'s keys) to one image."""
        img_row_axis, img_col_axis = self.row_axis - 1, self.col_axis - 1
        img_channel_axis = self.channel_axis - 1
        p = transform_parameters
        x = apply_affine_transform(x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0),
                                   p.get("shear", 0), p.get("zx", 1), p.get("zy", 1),
                                   row_axis=img_row_axis, col_axis=img_col_axis,
                                   channel_axis=img_channel_axis, fill_mode=self.fill_mode,
                                   cval=self.cval, order=self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(x, p["channel_shift_intensity"], img_channel_axis)
        if p.get("flip_horizontal", False):
            x = flip_axis(x, img_col_axis)
        if p.get("flip_vertical", False):
            x = flip_axis(x, img_row_axis)
        if p.get("brightness") is not None:
            x = apply_brightness_shift(x, p["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """One image with random transforms applied (`get_random_transform` then
        `apply_transform`)."""
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the feature-wise mean, std and ZCA matrix from sample images `x` (rank 4).

        Args:
            x: the images.
            augment: fit on `rounds` randomly transformed copies of `x` instead.
            rounds: the number of augmented copies.
            seed: seeds the augmentation.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError("Input to `.fit()` should have rank 4. Got array with shape: "
                             f"{x.shape}")
        if x.shape[self.channel_axis] not in (1, 3, 4):
            warnings.warn("Expected input to be images (as Numpy array) following the data "
                          f'format convention "{self.data_format}" (channels on axis '
                          f"{self.channel_axis}), i.e. expected either 1, 3 or 4 channels on "
                          f"axis {self.channel_axis}. However, it was passed an array with "
                          f"shape {x.shape} ({x.shape[self.channel_axis]} channels).")
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            ax = np.zeros((rounds * x.shape[0],) + x.shape[1:], dtype=self.dtype)
            for r in range(rounds):
                for i in range(x.shape[0]):
                    ax[i + r * x.shape[0]] = self.random_transform(x[i])
            x = ax
        broadcast_shape = [1, 1, 1]
        broadcast_shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=(0, self.row_axis, self.col_axis)),
                                   broadcast_shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=(0, self.row_axis, self.col_axis)),
                                  broadcast_shape)
            x /= self.std + 1e-6
        if self.zca_whitening:
            n = len(x)
            flat_x = np.reshape(x, (n, -1))
            u, s, _ = np.linalg.svd(flat_x.T, full_matrices=False)
            s_inv = np.sqrt(n) / (s + self.zca_epsilon)
            self.zca_whitening_matrix = (u * s_inv).dot(u.T)


__all__ = ["DataFrameIterator", "DirectoryIterator", "ImageDataGenerator", "Iterator",
           "NumpyArrayIterator", "apply_affine_transform", "apply_brightness_shift",
           "apply_channel_shift", "array_to_img", "img_to_array", "load_img", "random_brightness",
           "random_channel_shift", "random_rotation", "random_shear", "random_shift",
           "random_zoom", "save_img", "smart_resize"]
