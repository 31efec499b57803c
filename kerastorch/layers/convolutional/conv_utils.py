"""Argument normalisation and TensorFlow's padding arithmetic, shared by conv and pooling; the
config and repr every convolution shares."""

from kerastorch import activations
from kerastorch import initializers


def normalize_tuple(value, n, name, allow_zero=False):
    if isinstance(value, int):
        value = (value,) * n
    try:
        value = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. "
                         f"Received {name}={value}") from None
    if len(value) != n:
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. "
                         f"Received {name}={value}")
    smallest = 0 if allow_zero else 1
    if any(v < smallest for v in value):
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers >= {smallest}. "
                         f"Received {name}={value}")
    return value


def normalize_padding(value, allowed=("valid", "same")):
    padding = str(value).lower()
    if padding not in allowed:
        raise ValueError(f"The `padding` argument must be a string among {set(allowed)}. "
                         f"Received: padding={value}")
    return padding


def output_length(length, window, stride, padding, dilation=1):
    """Keras's output length of a conv or pooling window (None stays None)."""
    if length is None:
        return None
    if padding == "same":
        return (length - 1) // stride + 1
    if padding == "causal":
        return (length - 1) // stride + 1
    return (length - dilation * (window - 1) - 1) // stride + 1


def same_padding(length, window, stride, dilation=1):
    """TensorFlow's `same` padding: (before, after), the extra one after."""
    effective = (window - 1) * dilation + 1
    out = (length + stride - 1) // stride
    total = max((out - 1) * stride + effective - length, 0)
    return total // 2, total - total // 2


def torch_pad_arg(pads):
    """F.pad's argument from per-dimension (before, after) pairs, last dimension first."""
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]
    return flat


def finish_output(y, channels_last, to_last, activation):
    """The conv family's last step: back to the user's layout, *then* the activation.

    The kernels run on an NCHW view; the activation must see the layout the user sees, so that
    one reducing over an axis (softmax or log_softmax over the channels, the last layer of a
    segmentation model) reduces over the axis Keras does. Permuting back is a free view.
    """
    if channels_last:
        y = y.permute(to_last)
    return y if activation is None else activation(y)


def conv_config(layer, config, output_padding=False, groups=False):
    """Adds the arguments Conv* and Conv*Transpose share to `config` (their `get_config`), in
    Keras's key order; `output_padding` (transposed) and `groups` (Conv) where they have them."""
    config.update(filters=layer.filters, kernel_size=layer.kernel_size, strides=layer.strides,
                  padding=layer.padding)
    if output_padding:
        config["output_padding"] = layer.output_padding
    config.update(data_format=layer.data_format, dilation_rate=layer.dilation_rate)
    if groups:
        config["groups"] = layer.groups
    config.update(activation=activations.serialize(layer.activation), use_bias=layer.use_bias,
                  kernel_initializer=initializers.serialize(layer.kernel_initializer),
                  bias_initializer=initializers.serialize(layer.bias_initializer),
                  kernel_regularizer=layer.kernel_regularizer,
                  bias_regularizer=layer.bias_regularizer,
                  activity_regularizer=layer.activity_regularizer,
                  kernel_constraint=layer.kernel_constraint,
                  bias_constraint=layer.bias_constraint)
    return config


def conv_repr(layer):
    """The `extra_repr` line of a convolution."""
    return (f"filters={layer.filters}, kernel_size={layer.kernel_size}, "
            f"strides={layer.strides}, padding={layer.padding}, data_format={layer.data_format}")
