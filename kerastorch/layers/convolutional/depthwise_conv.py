"""Depthwise convolutions (DepthwiseConv1D, DepthwiseConv2D): one filter bank per channel.

torch runs them as a grouped convolution (`groups = in_channels`) whose weight is
`(in_channels * depth_multiplier, 1, *kernel_size)`; the layer shows it as Keras's kernel
`(*kernel_size, in_channels, depth_multiplier)`. Output channel `c * depth_multiplier + m` comes
from input channel `c`, in both.
"""

from kerastorch.layers.convolutional import conv_utils
from kerastorch.layers.convolutional.conv import BaseConv
from kerastorch.layers.input_spec import InputSpec
from kerastorch.variables import add_mapped_weight


def depthwise_to_keras(weight, rank, in_channels):
    """torch `(in * mult, 1, *k)` -> Keras `(*k, in, mult)`."""
    w = weight.squeeze(1).permute(tuple(range(1, rank + 1)) + (0,))
    return w.reshape(tuple(w.shape[:rank]) + (in_channels, -1))


def depthwise_to_torch(kernel, rank):
    """Keras `(*k, in, mult)` -> torch `(in * mult, 1, *k)`."""
    k = kernel.reshape(tuple(kernel.shape[:rank]) + (-1,))
    return k.permute((rank,) + tuple(range(rank))).unsqueeze(1)


class BaseDepthwiseConv(BaseConv):
    """N-D depthwise convolution with Keras's arguments; subclasses fix `rank`."""

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        if not isinstance(depth_multiplier, int) or depth_multiplier <= 0:
            raise ValueError("Invalid value for argument `depth_multiplier`. Expected a strictly "
                             f"positive value. Received depth_multiplier={depth_multiplier}.")
        conv_utils.normalize_padding(padding)  # no "causal" for depthwise convolutions
        super().__init__(depth_multiplier, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        self.depth_multiplier = depth_multiplier
        self.input_spec = InputSpec(min_ndim=self.rank + 2)

    @property
    def depthwise_initializer(self):
        return self.kernel_initializer

    def _channels(self, input_shape):
        in_channels = input_shape[-1 if self._channels_last else 1]
        if in_channels is None:
            raise ValueError(f'The channel dimension of the inputs to layer "{self.name}" should '
                             f"be defined. Found None. Full input shape received: {input_shape}")
        return in_channels

    def _add_depthwise_kernel(self, in_channels, name):
        rank = self.rank
        return add_mapped_weight(
            self, self.kernel_size + (in_channels, self.depth_multiplier), name,
            self.kernel_initializer, "weight",
            to_keras=lambda w: depthwise_to_keras(w, rank, in_channels),
            to_torch=lambda k: depthwise_to_torch(k, rank),
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)

    def build(self, input_shape):
        in_channels = self._channels(input_shape)
        self.compute_output_shape(input_shape)
        self.groups = in_channels
        self.filters = in_channels * self.depth_multiplier
        self.kernel = self._add_depthwise_kernel(in_channels, "kernel")
        if self.use_bias:
            self.bias_variable = self.add_weight(shape=(self.filters,), name="bias",
                                                 initializer=self.bias_initializer,
                                                 regularizer=self.bias_regularizer,
                                                 constraint=self.bias_constraint,
                                                 torch_name="bias")
        else:
            self.bias = None
        channel_axis = -1 if self._channels_last else 1
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={channel_axis: in_channels})
        self.built = True

    def compute_output_shape(self, input_shape):
        shape = list(super().compute_output_shape(input_shape))
        shape[-1 if self._channels_last else 1] = \
            self._channels(input_shape) * self.depth_multiplier
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        for key in ("filters", "groups"):
            config.pop(key)
        config["depth_multiplier"] = self.depth_multiplier
        for keras_key, key in (("depthwise_initializer", "kernel_initializer"),
                               ("depthwise_regularizer", "kernel_regularizer"),
                               ("depthwise_constraint", "kernel_constraint")):
            config[keras_key] = config.pop(key)
        return config


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution: each channel convolved with its own `depth_multiplier` filters.

    Args:
        kernel_size: int or tuple of 1 int.
        strides, padding (`"valid"` or `"same"`), data_format, dilation_rate: as in Conv1D.
        depth_multiplier: output channels per input channel (default 1).

    Kernel (Keras layout): `(kernel_size, in_channels, depth_multiplier)`.
    """
    rank = 1


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution: each channel convolved with its own `depth_multiplier` filters.

    Args:
        kernel_size: int or tuple of 2 ints.
        strides, padding (`"valid"` or `"same"`), data_format, dilation_rate: as in Conv2D.
        depth_multiplier: output channels per input channel (default 1).
        depthwise_initializer: default `"glorot_uniform"`.

    Kernel (Keras layout): `(kh, kw, in_channels, depth_multiplier)`; output channels
    `in_channels * depth_multiplier`.

    Example:
        >>> DepthwiseConv2D(3, depth_multiplier=2)(ops.ones((1, 8, 8, 4))).shape
        torch.Size([1, 6, 6, 8])
    """
    rank = 2

