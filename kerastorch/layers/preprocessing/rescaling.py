"""Rescaling layer."""

import torch

from kerastorch.layers.layer import Layer


class Rescaling(Layer):
    """Computes `inputs * scale + offset` (e.g. `scale=1/255` to map pixels to [0, 1]).

    Args:
        scale: float, or a sequence broadcast over the last axis.
        offset: float, or a sequence broadcast over the last axis (default 0).

    Input shape: any. Output shape: same as the input, in the layer's float dtype.

    Example:
        >>> Rescaling(1 / 255)(ops.convert_to_tensor([255.0]))
        tensor([1.])
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self._scale_t = self._as_tensor(scale)
        self._offset_t = self._as_tensor(offset)

    def _as_tensor(self, value):
        if isinstance(value, (int, float)):
            return float(value)
        return torch.as_tensor(value, dtype=torch.float32)

    def _moved(self, value, like):
        if isinstance(value, float):
            return value
        if value.device != like.device or value.dtype != like.dtype:
            value = value.to(device=like.device, dtype=like.dtype)
        return value

    def call(self, inputs):
        if not inputs.is_floating_point():
            inputs = inputs.to(torch.get_default_dtype())
        return inputs * self._moved(self._scale_t, inputs) + self._moved(self._offset_t, inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        as_list = lambda v: v if isinstance(v, (int, float)) else torch.as_tensor(v).tolist()  # noqa: E731
        config.update(scale=as_list(self.scale), offset=as_list(self.offset))
        return config
