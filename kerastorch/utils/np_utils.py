"""`keras.utils.np_utils`, the Keras 2 path of `to_categorical` and `normalize`, with Keras 2's
signature: `to_categorical(y, num_classes=None, dtype="float32")` (Keras 3's returns float64)."""

import numpy as np

from kerastorch.utils.numerical_utils import normalize  # noqa: F401
from kerastorch.utils.numerical_utils import to_categorical as _to_categorical


def to_categorical(y, num_classes=None, dtype="float32"):
    """One-hot encodes class ids `y` into a numpy array of `dtype` (float32 by default)."""
    return np.asarray(_to_categorical(np.asarray(y), num_classes)).astype(dtype)
