"""Convolution layers, channels-last by default, on torch's NCHW kernels.

A channels-last input is permuted to NCHW as a *view* (no copy): torch's convolution reads that
channels_last-strided tensor directly and returns channels_last memory, which permutes back to
NHWC for free.
"""

import torch
import torch.nn.functional as F

from kerastorch import activations
from kerastorch import backend
from kerastorch import initializers
from kerastorch.layers.convolutional import conv_utils
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


class BaseConv(Layer):
    """N-D convolution with Keras's arguments; subclasses fix `rank`."""

    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        rank = self.rank
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError("Invalid value for argument `filters`. Expected a strictly positive "
                             f"value. Received filters={filters}.")
        self.filters = filters
        self.groups = groups
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides")
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = conv_utils.normalize_padding(
            padding, ("valid", "same", "causal") if rank == 1 else ("valid", "same"))
        if self.padding == "same" and max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                             f"Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        if filters % groups != 0:
            raise ValueError("The number of filters must be evenly divisible by the number of "
                             f"groups. Received: groups={groups}, filters={filters}.")
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self._act = None if self.activation is activations.linear else self.activation
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(ndim=rank + 2)
        self._channels_last = self.data_format == "channels_last"
        self._to_first = (0, rank + 1) + tuple(range(1, rank + 1))
        self._to_last = (0,) + tuple(range(2, rank + 2)) + (1,)
        self._conv = _CONV[rank]
        # Padding that torch can apply itself (an int per side, or 'same' at stride 1).
        self._torch_padding = 0
        self._dynamic_padding = False
        if self.padding == "same":
            # torch's own "same" pads even kernels by copying the input (and warns): pad here.
            if max(self.strides) == 1 and all((k - 1) * d % 2 == 0 for k, d in
                                              zip(self.kernel_size, self.dilation_rate)):
                self._torch_padding = "same"
            else:
                self._dynamic_padding = True

    def build(self, input_shape):
        channel_axis = -1 if self._channels_last else 1
        in_channels = input_shape[channel_axis]
        if in_channels is None:
            raise ValueError(f'The channel dimension of the inputs to layer "{self.name}" should '
                             f"be defined. Found None. Full input shape received: {input_shape}")
        if in_channels % self.groups != 0:
            raise ValueError(f"The number of input channels must be evenly divisible by the "
                             f"number of groups. Received groups={self.groups}, but the input has "
                             f"{in_channels} channels (full input shape is {input_shape}).")
        rank = self.rank
        kernel_shape = self.kernel_size + (in_channels // self.groups, self.filters)
        self.kernel = self.add_weight(shape=kernel_shape, name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, torch_name="weight",
                                      layout=tuple(range(2, rank + 2)) + (1, 0))
        if self._channels_last and rank in (2, 3):
            # A channels_last kernel matches the channels_last input view: no reorder per call.
            fmt = torch.channels_last if rank == 2 else torch.channels_last_3d
            self.weight.data = self.weight.data.contiguous(memory_format=fmt)
        if self.use_bias:
            self.bias_variable = self.add_weight(shape=(self.filters,), name="bias",
                                                 initializer=self.bias_initializer,
                                                 regularizer=self.bias_regularizer,
                                                 constraint=self.bias_constraint,
                                                 torch_name="bias")
        else:
            self.bias = None
        self.input_spec = InputSpec(ndim=rank + 2, axes={channel_axis: in_channels})
        if len(input_shape) == rank + 2:
            self.compute_output_shape(input_shape)  # a window larger than the input: ValueError
        self.built = True

    def _pad_input(self, x):
        spatial = x.shape[2:]
        pads = [conv_utils.same_padding(n, k, s, d) for n, k, s, d in
                zip(spatial, self.kernel_size, self.strides, self.dilation_rate)]
        if all(before == after for before, after in pads):
            return x, tuple(before for before, _ in pads)
        return F.pad(x, conv_utils.torch_pad_arg(pads)), 0

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        padding = self._torch_padding
        if self._dynamic_padding:
            x, padding = self._pad_input(x)
        elif self.padding == "causal":
            x = F.pad(x, [self.dilation_rate[0] * (self.kernel_size[0] - 1), 0])
        y = self._conv(x, self.weight, self.bias, self.strides, padding, self.dilation_rate,
                       self.groups)
        return conv_utils.finish_output(y, self._channels_last, self._to_last, self._act)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self._channels_last else input_shape[2:]
        out = []
        for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate):
            length = conv_utils.output_length(n, k, s, self.padding, d)
            if length is not None and length <= 0:
                raise ValueError(
                    f"Computed output size would be negative for layer \"{self.name}\". Received "
                    f"`inputs shape={input_shape}`, `kernel shape={self.kernel_size}`, "
                    f"`dilation_rate={self.dilation_rate}`, `strides={self.strides}`.")
            out.append(length)
        if self._channels_last:
            return (input_shape[0],) + tuple(out) + (self.filters,)
        return (input_shape[0], self.filters) + tuple(out)

    def get_config(self):
        return conv_utils.conv_config(self, super().get_config(), groups=True)

    def extra_repr(self):
        return conv_utils.conv_repr(self)


class Conv1D(BaseConv):
    """1D convolution (temporal): input `(batch, steps, channels)` by default."""
    rank = 1


class Conv2D(BaseConv):
    """2D convolution over images, `(batch, height, width, channels)` by default.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 2 ints.
        strides: int or tuple of 2 ints (default 1).
        padding: `"valid"` (none) or `"same"` (TensorFlow's, extra padding after).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: int or tuple of 2 ints.
        groups: number of channel groups.
        activation: activation name or callable.
        use_bias: whether to add a bias.

    Example:
        >>> Conv2D(32, 5, strides=2)(ops.ones((1, 250, 250, 3))).shape
        torch.Size([1, 123, 123, 32])
    """
    rank = 2


class Conv3D(BaseConv):
    """3D convolution over volumes, `(batch, d1, d2, d3, channels)` by default."""
    rank = 3


Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
