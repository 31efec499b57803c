"""Permute layer."""

from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class Permute(Layer):
    """Permutes the non-batch axes of the input (a view: no copy).

    Args:
        dims: tuple of ints, a permutation of `1..ndim-1` (1-indexed: the batch axis is 0 and
            is not included), e.g. `(2, 1)` swaps the two axes of a 3D input.

    Input shape: `(batch_size, *dims_in)`. Output shape: the permuted shape.

    Example:
        >>> Permute((2, 1))(ops.ones((2, 10, 64))).shape
        torch.Size([2, 64, 10])
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set of "
                             "indices in `dims` must be consecutive and start from 1. "
                             f"Received dims={self.dims}")
        self._perm = (0,) + self.dims
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return inputs.permute(self._perm)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[i] for i in self._perm)

    def get_config(self):
        config = super().get_config()
        config.update(dims=self.dims)
        return config
