"""keras.datasets.cifar100: 32x32 colour images of 100 classes (20 coarse)."""

import os

from kerastorch.datasets.cifar import load_batch
from kerastorch.datasets.cifar import to_keras_layout
from kerastorch.utils.file_utils import get_file


def load_data(label_mode="fine"):
    """`(x_train, y_train), (x_test, y_test)`: uint8 `(50000, 32, 32, 3)`, `(50000, 1)`, ...

    Args:
        label_mode: 'fine' (100 classes) or 'coarse' (20 superclasses).
    """
    if label_mode not in ["fine", "coarse"]:
        raise ValueError('`label_mode` must be one of `"fine"`, `"coarse"`. Received: '
                         f"label_mode={label_mode}.")
    path = get_file(fname="cifar-100-python-target",
                    origin="https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
                    extract=True,
                    file_hash="85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7")
    path = os.path.join(path, "cifar-100-python")
    x_train, y_train = load_batch(os.path.join(path, "train"), label_key=f"{label_mode}_labels")
    x_test, y_test = load_batch(os.path.join(path, "test"), label_key=f"{label_mode}_labels")
    return to_keras_layout(x_train, y_train, x_test, y_test)
