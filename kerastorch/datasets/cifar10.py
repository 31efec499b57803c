"""keras.datasets.cifar10: 32x32 colour images of 10 classes."""

import os

import numpy as np

from kerastorch.datasets.cifar import load_batch
from kerastorch.datasets.cifar import to_keras_layout
from kerastorch.utils.file_utils import get_file


def load_data():
    """`(x_train, y_train), (x_test, y_test)`: uint8 `(50000, 32, 32, 3)`, `(50000, 1)`,
    `(10000, 32, 32, 3)`, `(10000, 1)` (channels_last), from Keras's cached
    `cifar-10-batches-py-target` archive."""
    path = get_file(fname="cifar-10-batches-py-target",
                    origin="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz", extract=True,
                    file_hash="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce")
    path = os.path.join(path, "cifar-10-batches-py")
    parts = [load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([p[0] for p in parts]).astype("uint8")
    y_train = np.concatenate([np.asarray(p[1]) for p in parts]).astype("uint8")
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    x_test, y_test = x_test.astype("uint8"), np.asarray(y_test).astype("uint8")
    return to_keras_layout(x_train, y_train, x_test, y_test)
