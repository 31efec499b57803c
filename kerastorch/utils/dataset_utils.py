"""`keras.utils.split_dataset` and the thin datasets the `*_dataset_from_*` utilities return.

Keras returns `tf.data.Dataset`s; kerastorch returns `Dataset` (samples) and `BatchDataset`
(batches): plain Python iterables that `fit` accepts, with the few `tf.data` methods scripts
call on them (`batch`, `map`, `take`, `shuffle`, `prefetch`, `cache`).
"""

import numpy as np
import torch

from kerastorch import tree


def _num_samples(structure):
    return len(tree.flatten(structure)[0])


def _take_rows(structure, index):
    return tree.map_structure(lambda a: a[index], structure)


def _stack(samples):
    first = samples[0]
    if isinstance(first, (tuple, list)):
        return type(first)(_stack([s[i] for s in samples]) for i in range(len(first)))
    if isinstance(first, dict):
        return {k: _stack([s[k] for s in samples]) for k in first}
    if isinstance(first, torch.Tensor):
        return torch.stack(samples)
    if isinstance(first, str):
        return np.array(samples, dtype=object)
    return np.stack([np.asarray(s) for s in samples])


class _Chainable:
    def take(self, count):
        return _Taken(self, count)

    def map(self, fn, num_parallel_calls=None):
        return _Mapped(self, fn)

    def prefetch(self, buffer_size=None):
        return self

    def cache(self, filename=""):
        return self

    def as_numpy_iterator(self):
        return iter(self)


class _Taken(_Chainable):
    def __init__(self, source, count):
        self.source, self.count = source, count

    def __iter__(self):
        for i, item in enumerate(self.source):
            if self.count >= 0 and i >= self.count:
                return
            yield item

    def __len__(self):
        n = len(self.source)
        return n if self.count < 0 else min(n, self.count)


class _Mapped(_Chainable):
    def __init__(self, source, fn):
        self.source, self.fn = source, fn

    def __iter__(self):
        for item in self.source:
            yield self.fn(*item) if isinstance(item, tuple) else self.fn(item)

    def __len__(self):
        return len(self.source)


class Dataset(_Chainable):
    """Samples (rows of arrays, or a list of items), iterable one at a time."""

    def __init__(self, data):
        self.data = data

    def __len__(self):
        return _num_samples(self.data) if not isinstance(self.data, list) else len(self.data)

    def __getitem__(self, index):
        if isinstance(self.data, list):
            return self.data[index]
        return _take_rows(self.data, index)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def batch(self, batch_size, drop_remainder=False):
        return BatchDataset(self, batch_size, drop_remainder=drop_remainder)

    def shuffle(self, buffer_size=None, seed=None, reshuffle_each_iteration=None):
        order = np.random.default_rng(seed).permutation(len(self))
        return Dataset([self[int(i)] for i in order])


class BatchDataset(_Chainable):
    """Batches of a `Dataset`, by index (so `fit` reads it as a PyDataset).

    Args:
        samples: the `Dataset` (or anything with `len` and `[i]` giving one sample).
        batch_size: samples per batch (None: one sample per item, no batch axis).
        shuffle: reorder the samples at the start of each epoch.
        seed: seed of that reordering.
    """

    def __init__(self, samples, batch_size, shuffle=False, seed=None, drop_remainder=False,
                 class_names=None, file_paths=None):
        self.samples = samples
        self.batch_size = batch_size
        self._shuffle = shuffle
        self._rng = np.random.default_rng(seed)
        self._drop_remainder = drop_remainder
        self._order = np.arange(len(samples))
        if shuffle:
            self._order = self._rng.permutation(len(samples))
        if class_names is not None:
            self.class_names = class_names
        if file_paths is not None:
            self.file_paths = file_paths

    def __len__(self):
        if self.batch_size is None:
            return len(self.samples)
        n = len(self.samples)
        return n // self.batch_size if self._drop_remainder else -(-n // self.batch_size)

    def __getitem__(self, index):
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} out of range for {len(self)} batches")
        if self.batch_size is None:
            return self.samples[int(self._order[index])]
        rows = self._order[index * self.batch_size:(index + 1) * self.batch_size]
        return _stack([self.samples[int(i)] for i in rows])

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]
        self.on_epoch_end()

    def on_epoch_end(self):
        if self._shuffle:
            self._order = self._rng.permutation(len(self.samples))

    def unbatch(self):
        return Dataset([s for batch in self for s in _unstack(batch)])

    def shuffle(self, buffer_size=None, seed=None, reshuffle_each_iteration=None):
        return BatchDataset(self.samples, self.batch_size, shuffle=True, seed=seed,
                            drop_remainder=self._drop_remainder)


def _unstack(batch):
    n = _num_samples(batch)
    return [_take_rows(batch, i) for i in range(n)]


def _split_sizes(left_size, right_size, total):
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(f"Invalid `{name}` Type. Expected: int or float or None, Received: "
                            f"type({name})={type(size)}")
    if left_size == 0 and right_size == 0:
        raise ValueError("Both `left_size` and `right_size` are zero. At least one of the split "
                         "sizes must be non-zero.")
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if (type(size) is int and (size <= 0 or size >= total)) or \
                (type(size) is float and (size <= 0 or size >= 1)):
            raise ValueError(f"`{name}` should be either a positive integer smaller than "
                             f"{total}, or a float within the range `[0, 1]`. Received: "
                             f"{name}={size}")
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It must be "
                         "less than or equal to 1.")
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    if left is None:
        left = total - right
    elif right is None:
        right = total - left
    if left + right > total:
        raise ValueError("The sum of `left_size` and `right_size` should be smaller than the "
                         f"{total}. Received: left_size + right_size = {left + right}and "
                         f"total_length = {total}")
    for name, size in (("left", left), ("right", right)):
        if size == 0:
            raise ValueError(f"With `dataset` of length {total}, `left_size`={left_size} and "
                             f"`right_size`={right_size}. Resulting {name} side dataset split "
                             "will be empty. Adjust any of the aforementioned parameters")
    return int(left), int(right)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits arrays (or a tuple/dict of them, or a list of samples) into two `Dataset`s.

    Args:
        dataset: numpy arrays / tensors with a common first axis, a tuple or dict of them, or
            a sequence of samples.
        left_size, right_size: int (samples) or float (fraction); by default half and half.
        shuffle: shuffle the samples before splitting.
        seed: seed of the shuffle.

    Returns:
        `(left, right)`: two `Dataset`s of samples; call `.batch(n)` to batch them.
    """
    if left_size is None and right_size is None:
        left_size = 0.5
    if isinstance(dataset, (Dataset, BatchDataset, list)) or (
            hasattr(dataset, "__getitem__") and not isinstance(dataset, (np.ndarray, tuple, dict))
            and not isinstance(dataset, torch.Tensor)):
        samples = list(dataset.unbatch() if isinstance(dataset, BatchDataset) else dataset)
        total = len(samples)
        take = lambda idx: Dataset([samples[int(i)] for i in idx])  # noqa: E731
    else:
        total = _num_samples(dataset)
        take = lambda idx: Dataset(_take_rows(dataset, idx))  # noqa: E731
    left, right = _split_sizes(left_size, right_size, total)
    order = np.arange(total)
    if shuffle:
        seed = seed if seed is not None else np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(order)
    return take(order[:left]), take(order[left:left + right])


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True):
    """File paths (in Keras's order), their int labels and the class names under `directory`.

    With `labels="inferred"` each subdirectory is a class (sorted by name); files are listed
    in sorted walk order, then shuffled with `numpy.random.RandomState(seed)` as Keras does.
    """
    import os
    if labels == "inferred":
        subdirs = [d for d in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError("The `class_names` passed did not match the names of the "
                                 f"subdirectories of the target directory. Expected: {subdirs} "
                                 f"(or a subset of it), but received: class_names={class_names}")
            subdirs = list(class_names)
    else:
        subdirs = [""]
        if class_names is not None:
            raise ValueError("When `labels=None` (no labels), argument `class_names` cannot be "
                             "specified." if labels is None else
                             "When argument `labels` is specified, argument `class_names` "
                             "cannot be specified (the `class_names` will be the sorted list "
                             "of labels).")
    filenames, found_labels = [], []
    for index, subdir in enumerate(subdirs):
        root_dir = os.path.join(directory, subdir)
        walk = os.walk(root_dir, followlinks=follow_links)
        for root, _, files in sorted(walk, key=lambda w: w[0]):
            for fname in sorted(files):
                if fname.lower().endswith(formats):
                    path = os.path.join(root, fname)
                    filenames.append(os.path.join(subdir, os.path.relpath(path, root_dir)))
                    found_labels.append(index)
    if labels == "inferred":
        label_array = np.array(found_labels, dtype="int32")
        names = subdirs
    elif labels is None:
        label_array, names = None, None
    else:
        if len(labels) != len(filenames):
            raise ValueError("Expected the lengths of `labels` to match the number of files in "
                             f"the target directory. len(labels) is {len(labels)} while we "
                             f"found {len(filenames)} files in directory {directory}.")
        label_array = np.asarray(labels)
        names = [str(label) for label in sorted(set(labels))]
    if verbose:
        print(f"Found {len(filenames)} files." if label_array is None else
              f"Found {len(filenames)} files belonging to {len(names)} classes.")
    paths = [os.path.join(directory, f) for f in filenames]
    if shuffle:
        seed = seed if seed is not None else np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(paths)
        if label_array is not None:
            np.random.RandomState(seed).shuffle(label_array)
    return paths, label_array, names


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError("`validation_split` must be between 0 and 1, received: "
                         f"{validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError('`subset` must be either "training", "validation" or "both", '
                         f"received: {subset}")
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must provide "
                         "a `seed` argument, to make sure that there is no overlap between the "
                         "training and validation subset.")


def training_or_validation_split(samples, labels, validation_split, subset):
    if not validation_split:
        return samples, labels
    num_val = int(validation_split * len(samples))
    if subset == "training":
        print(f"Using {len(samples) - num_val} files for training.")
        return samples[:-num_val], None if labels is None else labels[:-num_val]
    print(f"Using {num_val} files for validation.")
    return samples[-num_val:], None if labels is None else labels[-num_val:]


def encode_labels(labels, label_mode, num_classes):
    """Int labels as Keras gives them: 'int' int32, 'categorical' one-hot float32,
    'binary' float32 `(n, 1)`."""
    labels = np.asarray(labels)
    if label_mode == "int":
        return labels.astype("int32")
    if label_mode == "binary":
        return labels.astype("float32").reshape(-1, 1)
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels.astype("int64")]
    raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", or '
                     f"None. Received: label_mode={label_mode}")


class FileDataset:
    """Samples read from files on demand: `load(path)` for each, with an optional label."""

    def __init__(self, paths, load, labels=None):
        self.paths, self.load, self.labels = paths, load, labels

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        sample = self.load(self.paths[index])
        return sample if self.labels is None else (sample, self.labels[index])
