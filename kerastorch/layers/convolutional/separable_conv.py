"""Separable convolutions (SeparableConv1D, SeparableConv2D): depthwise, then pointwise (1x1)."""

from kerastorch import initializers
from kerastorch.layers.convolutional import conv_utils
from kerastorch.layers.convolutional.depthwise_conv import BaseDepthwiseConv
from kerastorch.layers.input_spec import InputSpec


class BaseSeparableConv(BaseDepthwiseConv):
    """N-D separable convolution with Keras's arguments; subclasses fix `rank`."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError("Invalid value for argument `filters`. Expected a strictly positive "
                             f"value. Received filters={filters}.")
        super().__init__(kernel_size, strides=strides, padding=padding,
                         depth_multiplier=depth_multiplier, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                         depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        self.filters = filters
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = pointwise_regularizer
        self.pointwise_constraint = pointwise_constraint

    def build(self, input_shape):
        in_channels = self._channels(input_shape)
        self.compute_output_shape(input_shape)
        self.groups = in_channels
        rank = self.rank
        self.depthwise_kernel = self._add_depthwise_kernel(in_channels, "depthwise_kernel")
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * rank + (in_channels * self.depth_multiplier, self.filters),
            name="pointwise_kernel", initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer, constraint=self.pointwise_constraint,
            torch_name="pointwise_weight", layout=tuple(range(2, rank + 2)) + (1, 0))
        if self.use_bias:
            self.bias_variable = self.add_weight(shape=(self.filters,), name="bias",
                                                 initializer=self.bias_initializer,
                                                 regularizer=self.bias_regularizer,
                                                 constraint=self.bias_constraint,
                                                 torch_name="bias")
        else:
            self.bias = None
        channel_axis = -1 if self._channels_last else 1
        self.input_spec = InputSpec(min_ndim=rank + 2, axes={channel_axis: in_channels})
        self.built = True

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        padding = self._torch_padding
        if self._dynamic_padding:
            x, padding = self._pad_input(x)
        y = self._conv(x, self.weight, None, self.strides, padding, self.dilation_rate,
                       self.groups)
        y = self._conv(y, self.pointwise_weight, self.bias)
        return conv_utils.finish_output(y, self._channels_last, self._to_last, self._act)

    def compute_output_shape(self, input_shape):
        shape = list(super(BaseDepthwiseConv, self).compute_output_shape(input_shape))
        self._channels(input_shape)
        shape[-1 if self._channels_last else 1] = self.filters
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters,
                      pointwise_initializer=initializers.serialize(self.pointwise_initializer),
                      pointwise_regularizer=self.pointwise_regularizer,
                      pointwise_constraint=self.pointwise_constraint)
        return config


class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution: a depthwise Conv1D, then a pointwise (size-1) convolution.

    Args:
        filters: number of output channels.
        kernel_size, strides, padding (`"valid"`/`"same"`), data_format, dilation_rate.
        depth_multiplier: depthwise output channels per input channel.

    Weights (Keras layout): `depthwise_kernel (k, in, mult)`, `pointwise_kernel (1, in * mult,
    filters)`, `bias (filters,)`.
    """
    rank = 1


class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution: a depthwise Conv2D, then a pointwise (1x1) convolution.

    Args:
        filters: number of output channels.
        kernel_size, strides, padding (`"valid"`/`"same"`), data_format, dilation_rate.
        depth_multiplier: depthwise output channels per input channel.
        depthwise_initializer, pointwise_initializer: default `"glorot_uniform"`.

    Weights (Keras layout): `depthwise_kernel (kh, kw, in, mult)`, `pointwise_kernel (1, 1,
    in * mult, filters)`, `bias (filters,)`.

    Example:
        >>> SeparableConv2D(16, 3, padding="same")(ops.ones((1, 8, 8, 4))).shape
        torch.Size([1, 8, 8, 16])
    """
    rank = 2


SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D
