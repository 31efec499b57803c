"""`keras.utils.text_dataset_from_directory`: batches of texts (and labels) from folders."""

import numpy as np
import torch

from kerastorch.utils import dataset_utils


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None, shuffle=True,
                                seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True):
    """Batches `(texts, labels)` from `directory/<class_name>/<.txt files>`.

    Texts are numpy object arrays of Python strings (at most `max_length` characters).
    Files are found, shuffled and split as Keras does.

    Returns:
        A `BatchDataset` with `class_names` and `file_paths`; `subset="both"` gives
        `(training, validation)`.
    """
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError("`labels` argument should be a list/tuple of integer labels, of the "
                         "same size as the number of text files in the target directory. If you "
                         "wish to infer the labels from the subdirectory names in the target "
                         'directory, pass `labels="inferred"`. If you wish to get a dataset that '
                         f"only contains text (no labels), pass `labels=None`. Received: "
                         f"labels={labels}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", '
                         f"or None. Received: label_mode={label_mode}")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, found, names = dataset_utils.index_directory(
        directory, labels, (".txt",), class_names=class_names, shuffle=shuffle, seed=seed,
        follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={names}")

    def load(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return text if max_length is None else text[:max_length]

    def make(subset_name):
        p, lab = dataset_utils.training_or_validation_split(paths, found, validation_split,
                                                            subset_name)
        encoded = None if lab is None else torch.from_numpy(
            dataset_utils.encode_labels(lab, label_mode, len(names)))
        return dataset_utils.BatchDataset(dataset_utils.FileDataset(p, load, encoded),
                                          batch_size, shuffle=shuffle, seed=seed,
                                          class_names=names, file_paths=p)

    if subset == "both":
        return make("training"), make("validation")
    return make(subset)
