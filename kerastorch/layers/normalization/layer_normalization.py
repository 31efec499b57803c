"""LayerNormalization."""

import torch
import torch.nn.functional as F

from kerastorch import initializers
from kerastorch.layers.layer import Layer


def _axes(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)


class LayerNormalization(Layer):
    """Normalizes each sample over `axis`: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    Args:
        axis: the axis or axes to normalize over (default -1); `gamma`/`beta` have their sizes.
        epsilon: added to the variance (default 1e-3).
        center: whether to add `beta`.
        scale: whether to multiply by `gamma`.
        rms_scaling: Keras's deprecated mode: `x * gamma / sqrt(var + epsilon)`, no centring.
        beta_initializer, gamma_initializer: default `zeros`, `ones`.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: optional.

    Input shape: any. Output shape: same as the input.

    Example:
        >>> LayerNormalization()(ops.ones((2, 5, 16))).shape
        torch.Size([2, 5, 16])
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, (int, list, tuple)):
            raise TypeError("Expected an int or a list/tuple of ints for the argument 'axis', "
                            f"but received: {axis}")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = float(epsilon)
        self.center, self.scale, self.rms_scaling = center, scale, rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.supports_masking = True

    def _check_axes(self, input_shape):
        ndim = len(input_shape)
        for a in _axes(self.axis):
            if a >= ndim or a < -ndim:
                raise ValueError(f"Axis {a} is out of bounds for input shape "
                                 f"{tuple(input_shape)}. Received: axis={self.axis}")
        return sorted(a % ndim for a in _axes(self.axis))

    def build(self, input_shape):
        ndim = len(input_shape)
        dims = self._check_axes(input_shape)
        shape = tuple(input_shape[d] for d in dims)
        if isinstance(self.axis, list):
            self.axis = sorted(self.axis)
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, torch_name="weight")
        else:
            self.weight = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, torch_name="bias")
        else:
            self.bias = None
        self._dims = tuple(dims)
        # F.layer_norm handles trailing axes; other axes broadcast gamma/beta by hand.
        self._trailing = list(dims) == list(range(ndim - len(dims), ndim))
        self._normalized_shape = shape
        self._broadcast = tuple(input_shape[d] if d in dims else 1 for d in range(ndim))
        self.built = True

    def call(self, inputs):
        if self._trailing and not self.rms_scaling:
            return F.layer_norm(inputs, self._normalized_shape, self.weight, self.bias,
                                self.epsilon)
        var, mean = torch.var_mean(inputs, dim=self._dims, correction=0, keepdim=True)
        inv = (var + self.epsilon).rsqrt()
        shape = self._broadcast
        if self.rms_scaling:
            out = inputs * inv
            return out if self.weight is None else out * self.weight.reshape(shape)
        if self.weight is not None:
            inv = inv * self.weight.reshape(shape)
        res = -mean * inv
        if self.bias is not None:
            res = res + self.bias.reshape(shape)
        return inputs * inv + res

    def compute_output_shape(self, input_shape):
        self._check_axes(input_shape)
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis, epsilon=self.epsilon, center=self.center, scale=self.scale,
                      rms_scaling=self.rms_scaling,
                      beta_initializer=initializers.serialize(self.beta_initializer),
                      gamma_initializer=initializers.serialize(self.gamma_initializer),
                      beta_regularizer=self.beta_regularizer,
                      gamma_regularizer=self.gamma_regularizer,
                      beta_constraint=self.beta_constraint, gamma_constraint=self.gamma_constraint)
        return config
