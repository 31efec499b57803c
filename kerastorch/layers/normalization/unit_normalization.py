"""UnitNormalization."""

import torch.nn.functional as F

from kerastorch.layers.layer import Layer


class UnitNormalization(Layer):
    """Scales each sample to unit L2 norm along `axis`: `x / max(||x||, 1e-12)`.

    Args:
        axis: int or list of ints (default -1).

    Example:
        >>> UnitNormalization()(ops.convert_to_tensor([[3.0, 4.0]]))
        tensor([[0.6000, 0.8000]])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError("Invalid value for `axis` argument: expected an int or a list/tuple "
                            f"of ints. Received: axis={axis}")
        self._dims = tuple(self.axis) if isinstance(self.axis, list) else (self.axis,)
        self.supports_masking = True

    def call(self, inputs):
        if len(self._dims) == 1:
            return F.normalize(inputs, p=2.0, dim=self._dims[0], eps=1e-12)
        norm = inputs.square().sum(dim=self._dims, keepdim=True).sqrt()
        return inputs / norm.clamp_min(1e-12)

    def compute_output_shape(self, input_shape):
        for a in self._dims:
            if a >= len(input_shape) or a < -len(input_shape):
                raise ValueError(f"Axis {a} is out of bounds for input shape "
                                 f"{tuple(input_shape)}. Received: axis={self.axis}")
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis)
        return config
