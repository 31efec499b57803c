"""Reshape layer."""

import math

from kerastorch.layers.layer import Layer


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (the batch axis is kept).

    Args:
        target_shape: tuple of ints, without the batch axis; one entry may be `-1`.

    Input shape: `(batch_size, ...)`. Output shape: `(batch_size, *target_shape)`.

    Example:
        >>> Reshape((3, 4))(ops.ones((2, 12))).shape
        torch.Size([2, 3, 4])
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if isinstance(target_shape, int):
            target_shape = (target_shape,)
        target_shape = tuple(target_shape)
        if sum(1 for d in target_shape if d == -1) > 1:
            raise ValueError("There must be at most one unknown dimension (-1) in "
                             f"`target_shape`. Received: target_shape={target_shape}")
        if any(not isinstance(d, int) or (d < 0 and d != -1) for d in target_shape):
            raise ValueError("`target_shape` must be a tuple of non-negative integers and at "
                             f"most one -1. Received: target_shape={target_shape}")
        self.target_shape = target_shape

    def _resolve(self, input_shape):
        """The target shape with `-1` filled in (or `None` when the input size is unknown)."""
        dims = input_shape[1:]
        known = math.prod(d for d in self.target_shape if d != -1)
        if any(d is None for d in dims):
            return tuple(None if d == -1 else d for d in self.target_shape)
        total = math.prod(dims)
        if -1 in self.target_shape:
            if known == 0 or total % known:
                raise ValueError(self._error(input_shape))
            return tuple(total // known if d == -1 else d for d in self.target_shape)
        if total != known:
            raise ValueError(self._error(input_shape))
        return self.target_shape

    def _error(self, input_shape):
        return (f'Layer "{self.name}": the total size of the new array must be unchanged, '
                f"input_shape = {tuple(input_shape[1:])}, output_shape = {self.target_shape}")

    def build(self, input_shape):
        self._resolve(tuple(input_shape))
        self.built = True

    def call(self, inputs):
        return inputs.reshape((inputs.shape[0],) + self.target_shape)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape))

    def get_config(self):
        config = super().get_config()
        config.update(target_shape=self.target_shape)
        return config
