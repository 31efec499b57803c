"""Embedding layer."""

import warnings

import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch import initializers
from kerastorch.layers.layer import Layer


class Embedding(Layer):
    """Turns non-negative integer indices into dense vectors of size `output_dim`.

    The table is stored as `weight` of shape `(input_dim, output_dim)` (Keras's and
    `nn.Embedding`'s layout alike); `layer.embeddings` is its Keras view.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: size of each vector.
        embeddings_initializer: default `"uniform"` (uniform in [-0.05, 0.05]).
        embeddings_regularizer: regularizer of the table.
        embeddings_constraint: constraint of the table.
        mask_zero: whether index 0 is padding: `compute_mask` then returns `inputs != 0`.

    Input shape: `(batch_size, ...)` integers. Output shape: `(batch_size, ..., output_dim)`.

    Example:
        >>> Embedding(1000, 64)(ops.convert_to_tensor([[1, 2, 3]])).shape
        torch.Size([1, 3, 64])
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, **kwargs):
        input_length = kwargs.pop("input_length", None)
        if backend.keras2_defaults():
            # Keras 2's Embedding always has an input shape, `(input_length,)` (None: any
            # length), so `Sequential([Embedding(...), ...])` is built at once.
            if kwargs.get("input_shape") is None and kwargs.get("batch_input_shape") is None:
                kwargs["input_shape"] = (input_length,)
        elif input_length is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.")
        super().__init__(**kwargs)
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Received an invalid value for argument `{arg}`, expected a "
                                 f"positive integer. Received: {arg}={value}")
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(
            "random_uniform" if embeddings_initializer == "uniform" else embeddings_initializer)
        self.embeddings_regularizer = embeddings_regularizer
        self.embeddings_constraint = embeddings_constraint
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        if weights is not None:  # built at once, as Keras does (the table needs no input shape)
            self._maybe_build(None)
            self.set_weights(weights if isinstance(weights, (list, tuple)) else [weights])

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          name="embeddings",
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint,
                                          torch_name="weight")
        self.built = True

    def call(self, inputs):
        if inputs.is_floating_point():
            inputs = inputs.to(torch.int64)
        out = F.embedding(inputs, self.weight)
        if self.mask_zero:  # Keras 3 attaches the mask to the output
            out._keras_mask = inputs != 0
        return out

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return inputs != 0

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        config = super().get_config()
        config.update(input_dim=self.input_dim, output_dim=self.output_dim,
                      embeddings_initializer=initializers.serialize(self.embeddings_initializer),
                      embeddings_regularizer=self.embeddings_regularizer,
                      embeddings_constraint=self.embeddings_constraint, mask_zero=self.mask_zero)
        return config
