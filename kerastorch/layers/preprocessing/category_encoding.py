"""CategoryEncoding: integer category ids -> one-hot, multi-hot or count vectors."""

import numpy as np
import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch.layers.layer import Layer

_MODES = ("count", "one_hot", "multi_hot")


def _one_hot(ids, depth, dtype):
    """One-hot rows; ids outside `[0, depth)` give a row of zeros (as Keras on torch)."""
    valid = (ids >= 0) & (ids < depth)
    out = F.one_hot(torch.where(valid, ids, 0).long(), depth).to(dtype)
    return out * valid.unsqueeze(-1).to(dtype)


def encode_categorical(ids, output_mode, depth, dtype, count_weights=None):
    """Encodes integer `ids` as Keras's `encode_categorical_inputs` does (shared by lookups)."""
    if output_mode == "int":
        return ids.to(dtype)
    if ids.dim() == 0:
        ids = ids.unsqueeze(-1)
    axis = 1 if ids.dim() > 1 else 0
    if output_mode == "multi_hot":
        return _one_hot(ids, depth, dtype).amax(dim=axis)
    if output_mode == "one_hot":
        if ids.dim() > 1 and ids.shape[-1] == 1:
            ids = ids.squeeze(-1)
        return _one_hot(ids, depth, dtype)
    if count_weights is not None:
        dtype = count_weights.dtype
        return (_one_hot(ids, depth, dtype) * count_weights.unsqueeze(-1)).sum(dim=axis)
    return _one_hot(ids, depth, dtype).sum(dim=axis)


def as_int_tensor(x):
    if isinstance(x, torch.Tensor):
        return x
    return torch.as_tensor(np.asarray(x))


class CategoryEncoding(Layer):
    """Encodes integer features as one-hot, multi-hot or count vectors of length `num_tokens`.

    Args:
        num_tokens: the number of categories (ids are in `[0, num_tokens)`).
        output_mode: `"multi_hot"` (default), `"one_hot"` or `"count"` (`"binary"` is
            `"multi_hot"`).
        sparse: not supported on torch (must be False).

    Input shape: `(batch,)` or `(batch, n)`; output `(batch, num_tokens)` (`one_hot` on
    `(batch, n)` with `n > 1` gives `(batch, n, num_tokens)`).

    Example:
        >>> layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")([[0, 1], [0, 0]])
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in _MODES:
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of tokens "
                             "is not known beforehand, use the IntegerLookup layer instead.")
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError("Unsupported value `sparse=True` with torch backend")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def _convert_input(self, x):
        return as_int_tensor(x) if not isinstance(x, torch.Tensor) else x

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError("`count_weights` is not used when `output_mode` is not "
                                 f"`'count'`. Received `count_weights={count_weights}`.")
            count_weights = torch.as_tensor(count_weights,
                                            dtype=backend.to_torch_dtype(self.compute_dtype))
        ids = as_int_tensor(inputs)
        if ids.is_floating_point():
            ids = ids.long()
        if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= self.num_tokens):
            raise ValueError(f'Input values of layer "{self.name}" must be in the range '
                             f"0 <= values < num_tokens with num_tokens={self.num_tokens}. "
                             f"Received: values in [{int(ids.min())}, {int(ids.max())}]")
        return encode_categorical(ids, self.output_mode, self.num_tokens,
                                  backend.to_torch_dtype(self.compute_dtype), count_weights)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            return input_shape + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def get_config(self):
        config = super().get_config()
        config.update(num_tokens=self.num_tokens, output_mode=self.output_mode)
        return config
