"""Transposed convolutions (Conv1DTranspose, Conv2DTranspose, Conv3DTranspose), channels-last.

TensorFlow defines `conv_transpose` as the gradient of a convolution: its output length is
`input * stride` for `"same"` (`(input - 1) * stride + kernel` for `"valid"`), plus
`output_padding` when given, and `"same"` crops the full transposed output asymmetrically (one
more at the end). torch's `conv_transpose` crops `padding` from both ends and adds
`output_padding` at the end only, so where TensorFlow's crop cannot be written that way the layer
runs torch's uncropped kernel and slices (or zero-extends) the result.
"""

import torch.nn.functional as F

from kerastorch import activations
from kerastorch import backend
from kerastorch import initializers
from kerastorch.layers.convolutional import conv_utils
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer

_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def transpose_output_length(length, kernel, stride, padding, output_padding, dilation):
    """TensorFlow's output length of a transposed convolution (None stays None)."""
    if length is None:
        return None
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        return (length - 1) * stride + effective + extra
    if output_padding is None:
        return length * stride
    return (length - 1) * stride + effective % 2 + output_padding


def transpose_crops(kernel, stride, padding, output_padding, dilation):
    """(start, end) to remove from torch's uncropped output `(n - 1) * stride + effective`.

    Negative values mean zeros to add. For `"same"`, TensorFlow pads the dilated input by
    `pad - left` before and `pad - right` after (`pad = effective - 1`), with the larger half
    of the total before, up to `pad`.
    """
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        return 0, -extra
    if output_padding is None:
        total = stride + effective - 2
    else:
        total = effective + effective % 2 - 2 + output_padding
    left = min(total - total // 2, effective - 1)
    return effective - 1 - left, effective - 1 - (total - left)


class BaseConvTranspose(Layer):
    """N-D transposed convolution with Keras's arguments; subclasses fix `rank`."""

    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        rank = self.rank
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError("Invalid value for argument `filters`. Expected a strictly positive "
                             f"value. Received filters={filters}.")
        self.filters = filters
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides")
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = conv_utils.normalize_padding(padding)
        self.output_padding = None if output_padding is None else conv_utils.normalize_tuple(
            output_padding, rank, "output_padding", allow_zero=True)
        if self.output_padding is not None:
            for i, (op, s) in enumerate(zip(self.output_padding, self.strides)):
                if op >= s:
                    raise ValueError(
                        "`output_padding` must be strictly less than `strides` for all "
                        f"dimensions. At dimension {i}, `output_padding` is {op} but `strides` "
                        f"is {s}. Received: output_padding={self.output_padding}, "
                        f"strides={self.strides}")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                             f"Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
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
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self._channels_last = self.data_format == "channels_last"
        self._to_first = (0, rank + 1) + tuple(range(1, rank + 1))
        self._to_last = (0,) + tuple(range(2, rank + 2)) + (1,)
        self._conv = _CONV_TRANSPOSE[rank]
        ops = tuple([None] * rank) if self.output_padding is None else self.output_padding
        self._crops = [transpose_crops(k, s, self.padding, op, d) for k, s, op, d in
                       zip(self.kernel_size, self.strides, ops, self.dilation_rate)]
        # torch crops `padding` from both ends and adds `output_padding` (< stride or
        # dilation) at the end: usable where TensorFlow's crop has that form.
        self._torch_args = None
        if all(start >= 0 and 0 <= start - end < max(s, d) for (start, end), s, d in
               zip(self._crops, self.strides, self.dilation_rate)):
            self._torch_args = (tuple(start for start, _ in self._crops),
                                tuple(start - end for start, end in self._crops))

    def build(self, input_shape):
        if self.padding == "same" and self.output_padding is not None:
            for i, (k, d, op) in enumerate(zip(self.kernel_size, self.dilation_rate,
                                               self.output_padding)):
                if ((k - 1) * d + 1) % 2 == 0 and op == 0:
                    # (n - 1) * stride would not convolve back to n ('same'): TensorFlow
                    # raises InvalidArgumentError at the call; Keras 3 on torch returns a tensor.
                    raise ValueError(
                        f'Layer "{self.name}": with padding="same" and an even (dilated) kernel '
                        f"along axis {i} (kernel_size={self.kernel_size}, dilation_rate="
                        f"{self.dilation_rate}), `output_padding` must be at least 1 there: with "
                        f"output_padding={self.output_padding} the output length "
                        "(input - 1) * strides is not the length a 'same' convolution maps back "
                        f"to the input. Received input shape {tuple(input_shape)}.")
        channel_axis = -1 if self._channels_last else 1
        in_channels = input_shape[channel_axis]
        if in_channels is None:
            raise ValueError(f'The channel dimension of the inputs to layer "{self.name}" should '
                             f"be defined. Found None. Full input shape received: {input_shape}")
        rank = self.rank
        # Keras: (*kernel_size, filters, in_channels); torch: (in_channels, filters, *kernel).
        self.kernel = self.add_weight(shape=self.kernel_size + (self.filters, in_channels),
                                      name="kernel", initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, torch_name="weight",
                                      layout=tuple(range(2, rank + 2)) + (1, 0))
        if self.use_bias:
            self.bias_variable = self.add_weight(shape=(self.filters,), name="bias",
                                                 initializer=self.bias_initializer,
                                                 regularizer=self.bias_regularizer,
                                                 constraint=self.bias_constraint,
                                                 torch_name="bias")
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=rank + 2, axes={channel_axis: in_channels})
        self.built = True

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        if self._torch_args is not None:
            padding, output_padding = self._torch_args
            y = self._conv(x, self.weight, self.bias, self.strides, padding, output_padding, 1,
                           self.dilation_rate)
        else:
            y = self._conv(x, self.weight, None, self.strides, 0, 0, 1, self.dilation_rate)
            y = self._crop(y)
            if self.bias is not None:
                y = y + self.bias.reshape((-1,) + (1,) * self.rank)
        return conv_utils.finish_output(y, self._channels_last, self._to_last, self._act)

    def _crop(self, y):
        index = [slice(None), slice(None)]
        pads = []
        for (start, end), n in zip(self._crops, y.shape[2:]):
            index.append(slice(max(start, 0), n - max(end, 0)))
            pads.append((max(-start, 0), max(-end, 0)))
        y = y[tuple(index)]
        if any(a or b for a, b in pads):
            y = F.pad(y, conv_utils.torch_pad_arg(pads))
        return y

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self._channels_last else input_shape[2:]
        ops = [None] * self.rank if self.output_padding is None else self.output_padding
        out = tuple(transpose_output_length(n, k, s, self.padding, op, d) for n, k, s, op, d in
                    zip(spatial, self.kernel_size, self.strides, ops, self.dilation_rate))
        if self._channels_last:
            return (input_shape[0],) + out + (self.filters,)
        return (input_shape[0], self.filters) + out

    def get_config(self):
        return conv_utils.conv_config(self, super().get_config(), output_padding=True)

    def extra_repr(self):
        return conv_utils.conv_repr(self)


class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution ("deconvolution"): `(batch, steps, channels)` by default.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 1 int.
        strides: int or tuple of 1 int; the upsampling factor.
        padding: `"valid"` or `"same"` (output length `steps * strides`).
        output_padding: extra length added at the end (less than `strides`), or None.
        data_format, dilation_rate, activation, use_bias, initializers: as in Conv1D.

    Kernel (Keras layout): `(kernel_size, filters, in_channels)`.
    """
    rank = 1


class Conv2DTranspose(BaseConvTranspose):
    """2D transposed convolution ("deconvolution"): `(batch, height, width, channels)` default.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 2 ints.
        strides: int or tuple of 2 ints; the upsampling factors.
        padding: `"valid"` or `"same"` (output `input * strides`, TensorFlow's cropping).
        output_padding: extra rows/columns added at the end (less than `strides`), or None.
        data_format, dilation_rate, activation, use_bias, initializers: as in Conv2D.

    Kernel (Keras layout): `(kh, kw, filters, in_channels)`.

    Example:
        >>> Conv2DTranspose(8, 3, strides=2, padding="same")(ops.ones((1, 5, 5, 4))).shape
        torch.Size([1, 10, 10, 8])
    """
    rank = 2


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution: `(batch, d1, d2, d3, channels)` by default."""
    rank = 3


Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = (
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
