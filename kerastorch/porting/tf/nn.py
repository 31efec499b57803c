"""tf.nn on torch: NHWC convolutions and pooling with TensorFlow's SAME padding (the odd pixel
goes after), normalisation, activations, the cross-entropies on logits, dropout and embedding
lookup. Image tensors stay NHWC for the caller; torch's NCHW kernels run on permuted views."""

import builtins

import torch
import torch.nn.functional as F

from kerastorch.porting.tf import math as _math
from kerastorch.porting.tf._common import axis_list
from kerastorch.porting.tf._common import convert
from kerastorch.porting.tf._common import matching
from kerastorch.porting.tf._common import namespace_getattr
from kerastorch.porting.tf._common import require
from kerastorch.porting.tf._common import symbolic_ops
from kerastorch.porting.tf.array_ops import gather as _gather
from kerastorch.porting.tf.errors import InvalidArgumentError

__getattr__ = namespace_getattr("nn")

sigmoid, tanh, softplus, softsign = _math.sigmoid, _math.tanh, _math.softplus, _math.softsign
softmax, log_softmax, l2_normalize = _math.softmax, _math.log_softmax, _math.l2_normalize
top_k, in_top_k, zero_fraction = _math.top_k, _math.in_top_k, _math.zero_fraction


# -------------------------------------------------------------------------------- activations
def relu(features, name=None):
    """tf.nn.relu: max(features, 0)."""
    return torch.relu(require("Relu", convert(features), "float", "int"))


def relu6(features, name=None):
    return torch.clamp(require("Relu6", convert(features), "float", "int"), 0, 6)


def leaky_relu(features, alpha=0.2, name=None):
    x = require("LeakyRelu", convert(features), "float")
    return F.leaky_relu(x, alpha)


def elu(features, name=None):
    return F.elu(require("Elu", convert(features), "float"))


def selu(features, name=None):
    return F.selu(require("Selu", convert(features), "float"))


def gelu(features, approximate=False, name=None):
    """tf.nn.gelu: the erf form by default, the tanh form with approximate=True."""
    x = require("gelu", convert(features), "float")
    return F.gelu(x, approximate="tanh" if approximate else "none")


def silu(features, beta=1.0, name=None):
    x = require("silu", convert(features), "float")
    return x * torch.sigmoid(beta * x) if beta != 1.0 else F.silu(x)


swish = silu


def crelu(features, name=None, axis=-1):
    x = convert(features)
    return torch.cat([torch.relu(x), torch.relu(-x)], dim=axis)


def bias_add(value, bias, data_format=None, name=None):
    x, b = matching("BiasAdd", value, bias)
    if b.dim() != 1:
        raise ValueError(f"bias_add: bias must be 1-D, got shape {list(b.shape)}")
    channels_first = data_format is not None and data_format.startswith("NC")
    axis = 1 if channels_first else -1
    if x.shape[axis] != b.shape[0]:
        raise InvalidArgumentError(f"Must provide as many biases as the channel dimension of "
                                   f"the input tensor: {list(b.shape)} vs. {list(x.shape)}")
    return x + (b.reshape([-1] + [1] * (x.dim() - 2)) if channels_first else b)


# ------------------------------------------------------------------- convolution and pooling
def _spatial_arg(value, rank, channels_last, what, default=1):
    """TensorFlow's strides/dilations/ksize: an int, N ints or N+2 ints (1 at batch/channels)."""
    if value is None:
        value = default
    if isinstance(value, int):
        return [value] * rank
    value = [int(v) for v in value]
    if len(value) == 1:
        return value * rank
    if len(value) == rank:
        return value
    if len(value) == rank + 2:
        return value[1:-1] if channels_last else value[2:]
    raise ValueError(f"{what} should be of length 1, {rank} or {rank + 2}. Received: {what}="
                     f"{value} of length {len(value)}")


def _padding(x_spatial, window, strides, dilations, padding, rank, channels_last):
    """(before, after) per spatial dim: SAME as TensorFlow computes it, VALID, or explicit."""
    if isinstance(padding, str):
        mode = padding.upper()
        if mode == "VALID":
            return [(0, 0)] * rank
        if mode != "SAME":
            raise ValueError(f"padding must be 'SAME', 'VALID' or explicit pairs, got {padding!r}")
        pads = []
        for n, k, s, d in zip(x_spatial, window, strides, dilations, strict=True):
            total = builtins.max((-(-n // s) - 1) * s + d * (k - 1) + 1 - n, 0)
            pads.append((total // 2, total - total // 2))
        return pads
    pairs = [tuple(int(v) for v in p) for p in padding]
    if len(pairs) == rank + 2:
        pairs = pairs[1:-1] if channels_last else pairs[2:]
    if len(pairs) != rank:
        raise ValueError(f"explicit padding must have {rank + 2} pairs, got {padding!r}")
    return pairs


def _to_nc(x, rank, channels_last):
    return x.movedim(-1, 1) if channels_last else x


def _from_nc(x, channels_last):
    return x.movedim(1, -1) if channels_last else x


def _conv(op, input, filters, strides, padding, data_format, dilations, depthwise=False):
    x, w = matching(op, input, filters)
    require(op, x, "float")
    rank = w.dim() - 2
    if x.dim() != rank + 2:
        raise ValueError(f"{op}: input must be {rank + 2}-D, got shape {list(x.shape)}")
    channels_last = data_format is None or not str(data_format).startswith("NC")
    strides = _spatial_arg(strides, rank, channels_last, "strides")
    dilations = _spatial_arg(dilations, rank, channels_last, "dilations")
    channels = x.shape[-1] if channels_last else x.shape[1]
    if w.shape[-2] != channels and not (not depthwise and channels % w.shape[-2] == 0):
        raise InvalidArgumentError(f"{op}: input depth {channels} does not match the filter's "
                                   f"in_channels {w.shape[-2]} (filter shape {list(w.shape)})")
    xs = _to_nc(x, rank, channels_last)
    pads = _padding(list(xs.shape[2:]), list(w.shape[:rank]), strides, dilations, padding, rank,
                    channels_last)
    symmetric = [lo for lo, hi in pads] if builtins.all(lo == hi for lo, hi in pads) else None
    if symmetric is None:  # the odd pixel after: an explicit pad (a copy)
        xs = F.pad(xs, [p for pair in reversed(pads) for p in pair])
        symmetric = [0] * rank
    for n, k, d, p in zip(xs.shape[2:], w.shape[:rank], dilations, symmetric, strict=True):
        if n + 2 * p < d * (k - 1) + 1:  # TF 2.21's CPU Conv2D returns the input's size
            raise InvalidArgumentError(f"{op}: the (padded) input {list(x.shape)} is smaller "
                                       f"than the filter {list(w.shape)}")
    if depthwise:  # (k..., in, multiplier) -> (in * multiplier, 1, k...)
        kernel = w.reshape(tuple(w.shape[:rank]) + (1, -1)).permute(rank + 1, rank,
                                                                    *builtins.range(rank))
        groups = channels
    else:  # (k..., in / groups, out) -> (out, in / groups, k...)
        kernel = w.permute(rank + 1, rank, *builtins.range(rank))
        groups = channels // w.shape[-2]
    fn = (F.conv1d, F.conv2d, F.conv3d)[rank - 1]
    out = fn(xs, kernel, stride=strides, padding=symmetric, dilation=dilations, groups=groups)
    return _from_nc(out, channels_last)


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None,  # noqa: A002
           name=None):
    """tf.nn.conv1d: filters (width, in, out), NWC input."""
    return _conv("conv1d", input, filters, stride, padding, data_format, dilations)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
           name=None):
    """tf.nn.conv2d: filters (h, w, in, out), NHWC input, SAME/VALID/explicit padding."""
    return _conv("Conv2D", input, filters, strides, padding, data_format, dilations)


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None,  # noqa: A002
           name=None):
    return _conv("Conv3D", input, filters, strides, padding, data_format, dilations)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """tf.nn.atrous_conv2d: conv2d with dilation `rate`, stride 1."""
    return _conv("atrous_conv2d", value, filters, 1, padding, "NHWC", int(rate))


def convolution(input, filters, strides=None, padding="VALID", data_format=None,  # noqa: A002
                dilations=None, name=None):
    return _conv("convolution", input, filters, strides, padding, data_format, dilations)


def depthwise_conv2d(input, filter, strides, padding, data_format=None,  # noqa: A002
                     dilations=None, name=None):
    """tf.nn.depthwise_conv2d: filter (h, w, in, multiplier); out channels in * multiplier."""
    return _conv("DepthwiseConv2dNative", input, filter, strides, padding, data_format,
                 dilations, depthwise=True)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,  # noqa: A002
                     data_format=None, dilations=None, name=None):
    """tf.nn.separable_conv2d: a depthwise conv, then a 1x1 conv with pointwise_filter."""
    depth = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return _conv("separable_conv2d", depth, pointwise_filter, 1, "VALID", data_format, None)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", dilations=None, name=None):
    """tf.nn.conv2d_transpose: the gradient of conv2d with respect to an input of
    `output_shape`; filters (h, w, out_channels, in_channels)."""
    x = require("Conv2DBackpropInput", convert(input), "float")
    w = convert(filters)
    rank = w.dim() - 2
    channels_last = data_format is None or not str(data_format).startswith("NC")
    out_shape = [int(v) for v in (output_shape.tolist() if isinstance(output_shape, torch.Tensor)
                                  else output_shape)]
    if len(out_shape) != rank + 2:
        raise ValueError(f"conv2d_transpose: output_shape must have {rank + 2} entries, got "
                         f"{out_shape}")
    strides = _spatial_arg(strides, rank, channels_last, "strides")
    dilations = _spatial_arg(dilations, rank, channels_last, "dilations")
    target = out_shape[1:-1] if channels_last else out_shape[2:]
    out_channels = out_shape[-1] if channels_last else out_shape[1]
    channels = x.shape[-1] if channels_last else x.shape[1]
    if w.shape[-1] != channels or w.shape[-2] != out_channels:
        raise InvalidArgumentError(f"conv2d_transpose: filter {list(w.shape)} does not map "
                                   f"{channels} input channels to {out_channels}")
    pads = _padding(target, list(w.shape[:rank]), strides, dilations, padding, rank,
                    channels_last)
    xs = _to_nc(x, rank, channels_last)
    for n_in, n_out, k, s, d, (lo, hi) in zip(xs.shape[2:], target, w.shape[:rank], strides,
                                              dilations, pads, strict=True):
        expected = (n_out + lo + hi - d * (k - 1) - 1) // s + 1
        if expected != n_in:
            raise InvalidArgumentError(f"Conv2DBackpropInput: input spatial size {n_in} does "
                                       f"not match output_shape {out_shape} (expected {expected})")
    kernel = w.permute(rank + 1, rank, *builtins.range(rank))  # (in, out, k...)
    fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[rank - 1]
    full = fn(xs, kernel, stride=strides, dilation=dilations)
    index = [builtins.slice(None), builtins.slice(None)]
    extra = []
    for size, n_out, (lo, _) in zip(full.shape[2:], target, pads, strict=True):
        index.append(builtins.slice(lo, lo + n_out))
        extra.append(builtins.max(0, lo + n_out - size))
    out = full[tuple(index)]
    if builtins.any(extra):
        out = F.pad(out, [p for e in reversed(extra) for p in (0, e)])
    return _from_nc(out, channels_last)


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NWC", dilations=None, name=None):
    """tf.nn.conv1d_transpose: filters (width, out_channels, in_channels)."""
    return conv2d_transpose(input, filters, output_shape, strides, padding, data_format,
                            dilations)


def conv3d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NDHWC", dilations=None, name=None):
    return conv2d_transpose(input, filters, output_shape, strides, padding, data_format,
                            dilations)


conv_transpose = conv2d_transpose


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5,  # noqa: A002
                                 name=None):
    """x / (bias + alpha * sum of x**2 over depth_radius channels either side) ** beta."""
    x = require("LRN", convert(input), "float")
    if x.dim() != 4:
        raise InvalidArgumentError(f"LRN: input must be 4-D, got shape {list(x.shape)}")
    r = int(depth_radius)
    sq = F.pad(torch.square(x), [r, r])
    window = sq.unfold(-1, 2 * r + 1, 1).sum(-1)
    return x / (bias + alpha * window) ** beta


lrn = local_response_normalization


def _pool(op, input, ksize, strides, padding, data_format, rank, kind):
    x = require(op, convert(input), "float")
    if rank is None:
        rank = x.dim() - 2
    if x.dim() != rank + 2:
        raise ValueError(f"{op}: input must be {rank + 2}-D, got shape {list(x.shape)}")
    channels_last = data_format is None or not str(data_format).startswith("NC")
    ksize = _spatial_arg(ksize, rank, channels_last, "ksize")
    strides = _spatial_arg(strides, rank, channels_last, "strides")
    xs = _to_nc(x, rank, channels_last)
    pads = _padding(list(xs.shape[2:]), ksize, strides, [1] * rank, padding, rank,
                    channels_last)
    flat = [p for pair in reversed(pads) for p in pair]
    if builtins.any(n + lo + hi < k for n, k, (lo, hi) in zip(xs.shape[2:], ksize, pads,
                                                               strict=True)):
        # a window larger than the input: TensorFlow's AvgPool returns an empty tensor (its
        # CPU MaxPool aborts the process); both give the empty tensor here
        empty = list(xs.shape[:2]) + [0] * rank
        return _from_nc(xs.new_zeros(empty), channels_last)
    # torch pads symmetrically by at most half the window (-inf for max, left out of the
    # average with count_include_pad=False: TF's rules); other paddings are explicit
    native = builtins.all(lo == hi and 2 * lo <= k for (lo, hi), k in zip(pads, ksize,
                                                                        strict=True))
    if kind == "max":
        fn = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[rank - 1]
        if native:
            out = fn(xs, ksize, strides, padding=[lo for lo, _ in pads])
        else:
            out = fn(F.pad(xs, flat, value=-float("inf")), ksize, strides)
    else:
        fn = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[rank - 1]
        if native:
            out = fn(xs, ksize, strides, padding=[lo for lo, _ in pads], count_include_pad=False)
        elif builtins.any(flat):  # TensorFlow averages over the pixels inside the image only
            ones = F.pad(torch.ones_like(xs[:1, :1]), flat)
            out = fn(F.pad(xs, flat), ksize, strides) / fn(ones, ksize, strides)
        else:
            out = fn(xs, ksize, strides)
    return _from_nc(out, channels_last)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("MaxPool", input, ksize, strides, padding, data_format, 2, "max")


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("AvgPool", input, ksize, strides, padding, data_format, 2, "avg")


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("MaxPool1D", input, ksize, strides, padding, data_format, 1, "max")


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("AvgPool1D", input, ksize, strides, padding, data_format, 1, "avg")


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("MaxPool3D", input, ksize, strides, padding, data_format, 3, "max")


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("AvgPool3D", input, ksize, strides, padding, data_format, 3, "avg")


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    return _pool("MaxPool", input, ksize, strides, padding, data_format, None, "max")


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    return _pool("AvgPool", input, ksize, strides, padding, data_format, None, "avg")


# ------------------------------------------------------------------------------ normalisation
def moments(x, axes, shift=None, keepdims=False, name=None):
    """tf.nn.moments: (mean, variance) over `axes`, the variance without Bessel's correction."""
    x = require("moments", convert(x), "float")
    dims = axis_list(axes, x.dim(), "moments")
    mean = torch.mean(x, dim=dims, keepdim=True)
    variance = torch.mean(torch.square(x - mean), dim=dims, keepdim=True)
    if not keepdims:
        mean, variance = mean.squeeze(dims), variance.squeeze(dims)
    return mean, variance


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """(mean, variance) over `axes` with each element counted frequency_weights times."""
    x, w = matching("weighted_moments", x, frequency_weights)
    require("weighted_moments", x, "float")
    dims = axis_list(axes, x.dim(), "weighted_moments")
    w = w.expand(torch.broadcast_shapes(x.shape, w.shape))
    total = torch.sum(w, dim=dims, keepdim=True)
    mean = torch.sum(w * x, dim=dims, keepdim=True) / total
    variance = torch.sum(w * torch.square(x - mean), dim=dims, keepdim=True) / total
    if not keepdims:
        mean, variance = mean.squeeze(dims), variance.squeeze(dims)
    return mean, variance


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """(mean, variance) from a count and the (shifted) sums and sums of squares."""
    counts, mean_ss, variance_ss = matching("normalize_moments", counts, mean_ss, variance_ss)
    divisor = 1.0 / counts
    shifted_mean = mean_ss * divisor
    mean = shifted_mean if shift is None else shifted_mean + convert(shift)
    return mean, variance_ss * divisor - torch.square(shifted_mean)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """tf.nn.batch_normalization: (x - mean) / sqrt(variance + eps) * scale + offset."""
    x, mean, variance = matching("batch_normalization", x, mean, variance)
    inv = torch.rsqrt(variance + variance_epsilon)
    if scale is not None:
        inv = inv * convert(scale)
    out = x * inv
    return out + ((convert(offset) - mean * inv) if offset is not None else -mean * inv)


def l2_loss(t, name=None):
    x = require("L2Loss", convert(t), "float")
    return torch.sum(x * x) / 2


# -------------------------------------------------------------------------------- losses
def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log(1 + exp(-|x|)), element-wise; shapes must match."""
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    x, z = matching("sigmoid_cross_entropy_with_logits", logits, labels)
    if x.shape != z.shape:
        raise ValueError(f"`logits` and `labels` must have the same shape, received "
                         f"({tuple(x.shape)} vs {tuple(z.shape)}).")
    return torch.clamp(x, min=0) - x * z + torch.log1p(torch.exp(-torch.abs(x)))


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """exp(log_input) - targets * log_input (+ Stirling's term for targets > 1 when full)."""
    c, z = matching("log_poisson_loss", log_input, targets)
    if c.shape != z.shape:
        raise ValueError(f"log_input and targets must have the same shape "
                         f"({tuple(c.shape)} vs {tuple(z.shape)})")
    loss = torch.exp(c) - c * z
    if compute_full_loss:
        safe = torch.where(z > 0, z, torch.ones_like(z))
        stirling = z * torch.log(safe) - z + 0.5 * torch.log(2 * torch.pi * safe)
        loss = loss + torch.where((z >= 0) & (z <= 1), torch.zeros_like(z), stirling)
    return loss


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    x, z = matching("weighted_cross_entropy_with_logits", logits, labels)
    q = convert(pos_weight, x.dtype) if not isinstance(pos_weight, torch.Tensor) else pos_weight
    log_weight = 1 + (q - 1) * z
    return (1 - z) * x + log_weight * (torch.log1p(torch.exp(-torch.abs(x))) +
                                       torch.clamp(-x, min=0))


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """-sum(labels * log_softmax(logits), axis): one value per row; labels are cast to the
    logits' dtype (int one-hot labels too), as TensorFlow casts them."""
    x = require("SoftmaxCrossEntropyWithLogits", convert(logits), "float")
    y = convert(labels)
    y = (y if y.device == x.device else y.to(x.device)).to(x.dtype)
    if x.shape != y.shape:
        raise InvalidArgumentError(f"logits and labels must be broadcastable: logits_size="
                                   f"{list(x.shape)} labels_size={list(y.shape)}")
    return -torch.sum(y * torch.log_softmax(x, dim=axis), dim=axis)


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """-log_softmax(logits)[label] per row; labels are integer class ids."""
    x = require("SparseSoftmaxCrossEntropyWithLogits", convert(logits), "float")
    y = convert(labels)
    if y.is_floating_point():
        raise ValueError(f"labels must be an integer tensor, got {y.dtype}")
    if y.dim() != x.dim() - 1 or tuple(y.shape) != tuple(x.shape[:-1]):
        raise ValueError(f"Shape mismatch: The shape of labels (received {tuple(y.shape)}) "
                         f"should equal the shape of logits except for the last dimension "
                         f"(received {tuple(x.shape)}).")
    classes = x.shape[-1]
    if y.device.type == "cpu" and y.numel() and (int(y.min()) < 0 or int(y.max()) >= classes):
        raise InvalidArgumentError(f"Received a label value outside the valid range of "
                                   f"[0, {classes}).")
    logp = torch.log_softmax(x, dim=-1)
    return -logp.gather(-1, y.long().unsqueeze(-1)).squeeze(-1)


def ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True, unique=None,
             blank_index=None, name=None):
    """tf.nn.ctc_loss with dense labels: the per-example negative log likelihood (torch's
    CTC on log_softmax(logits)); blank_index defaults to 0, negative counts from the end."""
    x = require("CTCLoss", convert(logits), "float")
    y = convert(labels)
    if isinstance(y, torch.Tensor) and y.is_floating_point():
        raise TypeError(f"ctc_loss: labels must be integers, got {y.dtype}")
    if label_length is None:
        raise NotImplementedError("tensorflow.nn.ctc_loss with sparse labels (label_length=None)"
                                  " is not supported yet by kerastorch.")
    log_probs = torch.log_softmax(x if logits_time_major else x.transpose(0, 1), dim=-1)
    classes = log_probs.shape[-1]
    blank = 0 if blank_index is None else int(blank_index) % classes
    out = F.ctc_loss(log_probs.float(), y.long(), convert(logit_length).long(),
                     convert(label_length).long(), blank=blank, reduction="none",
                     zero_infinity=False)
    return out.to(x.dtype)


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    loss = convert(per_example_loss)
    if sample_weight is not None:
        loss = loss * convert(sample_weight, loss.dtype)
    n = loss.shape[0] if global_batch_size is None and loss.dim() else (global_batch_size or 1)
    return torch.sum(loss) / n


def scale_regularization_loss(regularization_loss):
    return torch.sum(torch.stack([convert(v) for v in regularization_loss])) \
        if isinstance(regularization_loss, (list, tuple)) else convert(regularization_loss)


# --------------------------------------------------------------------------- and the rest
def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """tf.nn.dropout: zeroes elements with probability `rate`, scales the rest by 1/(1-rate)."""
    x = require("dropout", convert(x), "float")
    rate = float(rate)
    if not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")
    if rate == 0:
        return x
    shape = tuple(x.shape) if noise_shape is None else tuple(
        x.shape[i] if n is None else int(n) for i, n in enumerate(noise_shape))
    generator = None
    if seed is not None:
        generator = torch.Generator(device=x.device).manual_seed(int(seed))
    keep = torch.rand(shape, generator=generator, device=x.device, dtype=x.dtype) >= rate
    return x * keep / (1 - rate)


def embedding_lookup(params, ids, max_norm=None, name=None):
    """tf.nn.embedding_lookup: rows of `params` (or of a list of shards, 'mod' split)."""
    if isinstance(params, (list, tuple)):
        if len(params) == 1:
            params = params[0]
        else:  # TensorFlow's default partition: id i lives in shard i % n, row i // n
            shards = [convert(p) for p in params]
            n = len(shards)
            full = torch.stack([shards[i % n][i // n] for i in builtins.range(
                builtins.sum(s.shape[0] for s in shards))])
            params = full
    out = _gather(params, ids)
    if max_norm is not None:
        norms = torch.linalg.vector_norm(out, dim=tuple(builtins.range(convert(ids).dim(),
                                                                         out.dim())),
                                         keepdim=True)
        out = out * torch.clamp(max_norm / torch.clamp(norms, min=1e-12), max=1.0)
    return out


def depth_to_space(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """tf.nn.depth_to_space (NHWC): channel (i * bs + j) * C + c moves to pixel (i, j)."""
    x, bs = convert(input), int(block_size)
    if data_format != "NHWC" or x.dim() != 4 or x.shape[-1] % (bs * bs):
        raise InvalidArgumentError(f"depth_to_space: needs NHWC input whose depth is divisible "
                                   f"by {bs * bs}, got shape {list(x.shape)}")
    b, h, w, c = x.shape
    out = x.reshape(b, h, w, bs, bs, c // (bs * bs)).permute(0, 1, 3, 2, 4, 5)
    return out.reshape(b, h * bs, w * bs, c // (bs * bs))


def space_to_depth(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """tf.nn.space_to_depth (NHWC): the inverse of depth_to_space."""
    x, bs = convert(input), int(block_size)
    if data_format != "NHWC" or x.dim() != 4 or x.shape[1] % bs or x.shape[2] % bs:
        raise InvalidArgumentError(f"space_to_depth: needs NHWC input whose height and width "
                                   f"are divisible by {bs}, got shape {list(x.shape)}")
    b, h, w, c = x.shape
    out = x.reshape(b, h // bs, bs, w // bs, bs, c).permute(0, 1, 3, 2, 4, 5)
    return out.reshape(b, h // bs, w // bs, bs * bs * c)


symbolic_ops("nn", globals())  # Keras tensors build TFOpLambda nodes
