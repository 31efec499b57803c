"""RMSNormalization."""

import torch
import torch.nn.functional as F

from kerastorch import backend
from kerastorch.layers.layer import Layer


class RMSNormalization(Layer):
    """Root-mean-square normalization: `x * rsqrt(mean(x**2) + epsilon) * scale`.

    Args:
        axis: the axis or axes to normalize over (default -1); `scale` has their sizes.
        epsilon: added to the mean square (default 1e-6).

    Example:
        >>> RMSNormalization()(ops.ones((2, 8))).shape
        torch.Size([2, 8])
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = sorted(self.axis) if isinstance(self.axis, (list, tuple)) else [self.axis]
        for a in axes:
            if a >= ndim or a < -ndim:
                raise ValueError(f"Axis {a} is out of bounds for input shape "
                                 f"{tuple(input_shape)}. Received: axis={self.axis}")
        dims = sorted(a % ndim for a in axes)
        shape = tuple(input_shape[d] for d in dims)
        self.scale = self.add_weight(shape=shape, name="scale", initializer="ones",
                                     torch_name="weight")
        self._dims = tuple(dims)
        self._trailing = list(dims) == list(range(ndim - len(dims), ndim))
        self._shape = shape
        self._broadcast = tuple(input_shape[d] if d in dims else 1 for d in range(ndim))
        self.built = True

    def call(self, inputs):
        eps = backend.epsilon() if self.epsilon is None else self.epsilon
        if self._trailing:
            return F.rms_norm(inputs, self._shape, self.weight, eps)
        rrms = torch.rsqrt(inputs.square().mean(dim=self._dims, keepdim=True) + eps)
        return inputs * rrms * self.weight.reshape(self._broadcast)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis, epsilon=self.epsilon)
        return config
