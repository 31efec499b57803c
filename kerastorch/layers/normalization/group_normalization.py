"""GroupNormalization."""

import torch.nn.functional as F

from kerastorch import initializers
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class GroupNormalization(Layer):
    """Normalizes groups of consecutive channels of each sample (torch's `group_norm`).

    Args:
        groups: number of groups (default 32); must divide the channels. `-1` is instance
            normalization, `1` layer normalization over all axes.
        axis: the channel axis (default -1).
        epsilon: added to the variance (default 1e-3).
        center, scale: whether to add `beta` / multiply by `gamma` (per channel).
        beta_initializer, gamma_initializer, regularizers and constraints: as Keras.

    Input shape: `(batch, ..., channels)`. Output shape: the same.

    Example:
        >>> GroupNormalization(groups=4)(ops.ones((2, 8, 8, 16))).shape
        torch.Size([2, 8, 8, 16])
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups, self.axis, self.epsilon = groups, axis, float(epsilon)
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint

    def build(self, input_shape):
        ndim = len(input_shape)
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined dimension "
                             "but the layer received an input with shape "
                             f"{tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"Number of groups ({self.groups}) cannot be more than the number of "
                             f"channels ({dim}).")
        if dim % self.groups != 0:
            raise ValueError(f"Number of groups ({self.groups}) must be a multiple of the number "
                             f"of channels ({dim}).")
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: dim})
        if self.scale:
            self.gamma = self.add_weight(shape=(dim,), name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, torch_name="weight")
        else:
            self.weight = None
        if self.center:
            self.beta = self.add_weight(shape=(dim,), name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, torch_name="bias")
        else:
            self.bias = None
        self._channel_dim = self.axis % ndim
        self.built = True

    def call(self, inputs):
        c = self._channel_dim
        x = inputs if c == 1 else inputs.movedim(c, 1)
        y = F.group_norm(x, self.groups, self.weight, self.bias, self.epsilon)
        return y if c == 1 else y.movedim(1, c)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(groups=self.groups, axis=self.axis, epsilon=self.epsilon,
                      center=self.center, scale=self.scale,
                      beta_initializer=initializers.serialize(self.beta_initializer),
                      gamma_initializer=initializers.serialize(self.gamma_initializer),
                      beta_regularizer=self.beta_regularizer,
                      gamma_regularizer=self.gamma_regularizer,
                      beta_constraint=self.beta_constraint, gamma_constraint=self.gamma_constraint)
        return config
