"""`keras.utils.to_categorical` and `keras.utils.normalize`."""

import numpy as np
import torch


def to_categorical(x, num_classes=None):
    """One-hot encodes class ids: numpy in, float64 numpy out (a tensor gives a float32 tensor);
    float32 in a Keras 2 script, as tf.keras 2's `to_categorical(y, num_classes, dtype="float32")`.

    Args:
        x: class ids, any shape (a trailing axis of size 1 is dropped).
        num_classes: number of classes (default: `max(x) + 1`).

    Example:
        >>> to_categorical([0, 2], 3)
        array([[1., 0., 0.], [0., 0., 1.]])
    """
    if isinstance(x, torch.Tensor):
        from kerastorch import ops
        if x.ndim > 1 and x.shape[-1] == 1:
            x = x.reshape(tuple(x.shape[:-1]))
        return ops.one_hot(x, num_classes)
    x = np.array(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1
    from kerastorch import backend
    out = np.zeros((x.shape[0], num_classes), "float32" if backend.keras2_defaults() else "float64")
    out[np.arange(x.shape[0]), x] = 1
    return out.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """`x` divided by its `order`-norm along `axis` (zero norms leave `x` unchanged).

    A numpy array gives a numpy array; a tensor goes through `ops.normalize`.
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis or -1)
    from kerastorch import ops
    return ops.normalize(x, axis=axis, order=order)
