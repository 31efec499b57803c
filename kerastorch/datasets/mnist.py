"""keras.datasets.mnist: 28x28 grayscale digits."""

import numpy as np

from kerastorch.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def load_data(path="mnist.npz"):
    """`(x_train, y_train), (x_test, y_test)`: uint8 arrays `(60000, 28, 28)`, `(60000,)`,
    `(10000, 28, 28)`, `(10000,)`, from `mnist.npz` in Keras's cache."""
    path = get_file(fname=path, origin=f"{ORIGIN}mnist.npz",
                    file_hash="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1")
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
