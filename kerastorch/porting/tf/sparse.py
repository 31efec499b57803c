"""tf.sparse on torch: the `SparseTensor` that `tf.io.VarLenFeature` parses into, and the calls
scripts make on it (`to_dense`)."""

import torch


class SparseTensor:
    """tf.sparse.SparseTensor: `indices` (int64, [n, rank]), `values` ([n]), `dense_shape`.

    Example:
        >>> st = tf.sparse.SparseTensor(indices=[[0, 1]], values=[3.0], dense_shape=[2, 2])
        >>> tf.sparse.to_dense(st)
    """

    def __init__(self, indices, values, dense_shape):
        self.indices = torch.as_tensor(indices, dtype=torch.int64).reshape(-1, len(dense_shape))
        self.values = values if not isinstance(values, (list, tuple)) else torch.as_tensor(values)
        self.dense_shape = torch.as_tensor(list(dense_shape), dtype=torch.int64)

    @property
    def shape(self):
        return torch.Size(int(d) for d in self.dense_shape)

    @property
    def dtype(self):
        return getattr(self.values, "dtype", None)

    def __repr__(self):
        return (f"SparseTensor(indices={self.indices!r}, values={self.values!r}, "
                f"dense_shape={self.dense_shape!r})")


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor of a SparseTensor (`default_value`, 0 or b"", where nothing is set)."""
    if not isinstance(sp_input, SparseTensor):
        raise TypeError(f"tf.sparse.to_dense expects a SparseTensor, received "
                        f"{type(sp_input).__name__}")
    shape = tuple(int(d) for d in sp_input.dense_shape)
    values = sp_input.values
    index = tuple(sp_input.indices.t())
    if isinstance(values, torch.Tensor):
        fill = 0 if default_value is None else default_value
        out = torch.full(shape, fill, dtype=values.dtype)
        out[index] = values
        return out
    import numpy as np
    out = np.full(shape, b"" if default_value is None else default_value, dtype=object)
    out[tuple(i.numpy() for i in index)] = np.asarray(values, dtype=object)
    return out


__all__ = ["SparseTensor", "to_dense"]
