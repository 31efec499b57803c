"""Masking layer."""

from kerastorch.layers.layer import Layer


class Masking(Layer):
    """Masks timesteps whose features all equal `mask_value`: they are zeroed in the output and
    `compute_mask` marks them False, so mask-aware layers downstream skip them.

    Args:
        mask_value: the padding value (default 0).

    Input shape: `(batch_size, timesteps, features)`. Output shape: the same.

    Example:
        >>> layer = Masking(0.0)
        >>> layer.compute_mask(ops.convert_to_tensor([[[0.0], [1.0]]]))
        tensor([[False,  True]])
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return (inputs != self.mask_value).any(dim=-1)

    def call(self, inputs):
        keep = (inputs != self.mask_value).any(dim=-1, keepdim=True)
        out = inputs * keep.to(inputs.dtype)
        out._keras_mask = keep.squeeze(-1)  # Keras 3 attaches the mask to the output
        return out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(mask_value=self.mask_value)
        return config
