"""Activation layers with their own arguments: ReLU, LeakyReLU, PReLU, ELU, Softmax,
ThresholdedReLU (Keras 2)."""

import warnings

import torch
import torch.nn.functional as F

from kerastorch import activations
from kerastorch import initializers
from kerastorch.layers.layer import Layer


class _Elementwise(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_output_shape(self, input_shape):
        return input_shape


class ReLU(_Elementwise):
    """Rectified linear unit: `x` above `threshold`, `negative_slope * (x - threshold)` below,
    capped at `max_value`.

    Args:
        max_value: upper bound of the output (default none).
        negative_slope: slope below the threshold (default 0).
        threshold: where the activation switches (default 0).

    Example:
        >>> ReLU(max_value=6.0)(ops.convert_to_tensor([-1.0, 8.0]))
        tensor([0., 6.])
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError("max_value of a ReLU layer cannot be a negative value. "
                             f"Received: max_value={max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be None or a negative value. "
                             f"Received: negative_slope={negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be None or a negative value. "
                             f"Received: threshold={threshold}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def get_config(self):
        config = super().get_config()
        config.update(max_value=self.max_value, negative_slope=self.negative_slope,
                      threshold=self.threshold)
        return config


class LeakyReLU(_Elementwise):
    """Leaky ReLU: `x` if `x >= 0` else `negative_slope * x`.

    Args:
        negative_slope: slope for negative inputs (default 0.3, Keras's; `alpha` is the
            deprecated Keras 2 name).

    Example:
        >>> LeakyReLU()(ops.convert_to_tensor([-1.0, 2.0]))
        tensor([-0.3000,  2.0000])
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or "
                             f"negative value. Expected a float. Received: "
                             f"negative_slope={negative_slope}")
        self.negative_slope = negative_slope

    def call(self, inputs):
        return F.leaky_relu(inputs, self.negative_slope)

    def get_config(self):
        config = super().get_config()
        config.update(negative_slope=self.negative_slope)
        return config


class ELU(_Elementwise):
    """Exponential linear unit: `x` if `x > 0` else `alpha * (exp(x) - 1)`.

    Args:
        alpha: scale of the negative part (default 1.0).
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha

    def call(self, inputs):
        return F.elu(inputs, self.alpha)

    def get_config(self):
        config = super().get_config()
        config.update(alpha=self.alpha)
        return config


class PReLU(_Elementwise):
    """Parametric ReLU: `x` if `x >= 0` else `alpha * x`, with `alpha` learned per element
    (or shared along `shared_axes`).

    Args:
        alpha_initializer: default `"zeros"`.
        alpha_regularizer, alpha_constraint: optional.
        shared_axes: axes (1-indexed, batch excluded) along which `alpha` is shared, e.g.
            `[1, 2]` for one `alpha` per channel of NHWC images.

    Example:
        >>> PReLU(shared_axes=[1, 2])(ops.ones((1, 4, 4, 3))).shape
        torch.Size([1, 4, 4, 3])
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer, self.alpha_constraint = alpha_regularizer, alpha_constraint
        if shared_axes is None or isinstance(shared_axes, (list, tuple)):
            self.shared_axes = None if shared_axes is None else list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for i in self.shared_axes or ():
            shape[i - 1] = 1
        if any(d is None for d in shape):
            raise ValueError(f'Layer "{self.name}" needs known non-batch dimensions (or '
                             f"`shared_axes` over the unknown ones). Received: "
                             f"input_shape={tuple(input_shape)}")
        self.alpha = self.add_weight(shape=tuple(shape), name="alpha",
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint, torch_name="weight")
        self.built = True

    def call(self, inputs):
        return torch.relu(inputs) - self.weight * torch.relu(-inputs)

    def get_config(self):
        config = super().get_config()
        config.update(alpha_initializer=initializers.serialize(self.alpha_initializer),
                      alpha_regularizer=self.alpha_regularizer,
                      alpha_constraint=self.alpha_constraint, shared_axes=self.shared_axes)
        return config


class Softmax(_Elementwise):
    """Softmax over `axis`; positions where `mask` is False get (almost) zero probability.

    Args:
        axis: int or tuple of ints (default -1).

    Call arguments:
        inputs; mask: boolean tensor broadcastable to the inputs (True = keep).

    Example:
        >>> Softmax()(ops.convert_to_tensor([[1.0, 1.0]]))
        tensor([[0.5000, 0.5000]])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs, mask=None):
        if mask is not None:
            if mask.dtype != torch.bool:
                mask = mask > 0.5
            big = -65504.0 if inputs.dtype == torch.float16 else -1e9
            inputs = torch.where(mask, inputs, big)
        if isinstance(self.axis, (list, tuple)):
            if len(self.axis) > 1:
                return torch.exp(inputs - torch.logsumexp(inputs, dim=tuple(self.axis),
                                                          keepdim=True))
            return inputs.softmax(dim=self.axis[0])
        return inputs.softmax(dim=self.axis)

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis)
        return config


class ThresholdedReLU(_Elementwise):
    """Thresholded ReLU, a Keras 2 layer (Keras 3 dropped it; files and scripts written for
    tf.keras still use it): `x` where `x > theta`, else 0.

    Args:
        theta: threshold (float >= 0, default 1).

    Example:
        >>> ThresholdedReLU(theta=1.0)(ops.convert_to_tensor([0.5, 1.0, 2.0]))
        tensor([0., 0., 2.])
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError("theta of a ThresholdedReLU layer cannot be None, expected a float "
                             f">= 0. Received: theta={theta}")
        if theta < 0:
            raise ValueError("theta of a ThresholdedReLU layer cannot be negative, expected a "
                             f"float >= 0. Received: theta={theta}")
        self.theta = float(theta)

    def call(self, inputs):
        return inputs * (inputs > self.theta).to(inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config.update(theta=self.theta)
        return config
