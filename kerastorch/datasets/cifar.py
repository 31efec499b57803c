"""Reading the CIFAR python batches (pickled dicts of bytes keys)."""

import numpy as np

from kerastorch.datasets.npz_utils import RestrictedUnpickler


def load_batch(fpath, label_key="labels"):
    """`(data, labels)` of one CIFAR batch file: uint8 `(n, 3, 32, 32)` and a list of ints."""
    with open(fpath, "rb") as f:
        d = RestrictedUnpickler(f, encoding="bytes").load()  # numpy arrays only, no code
    d = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in d.items()}
    data = d["data"].reshape(len(d["data"]), 3, 32, 32)
    return data, d[label_key]


def to_keras_layout(x_train, y_train, x_test, y_test):
    from kerastorch import backend
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    if backend.image_data_format() == "channels_last":
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
