"""keras.ops math group: segment reductions, top-k, logsumexp, FFTs and special functions."""

import torch

from kerastorch.ops.core import convert_to_tensor as _t
from kerastorch.ops.symbolic import op


def _segment_validation(data, segment_ids):
    if segment_ids.ndim > 1:
        raise ValueError("Argument `segment_ids` should be an 1-D vector, got shape: "
                         f"{segment_ids.ndim}. Consider either flatten input with "
                         "segment_ids.reshape((-1)) and data.reshape((-1, ) + "
                         "data.shape[len(segment_ids.shape):]) or vectorize with vmap.")
    if segment_ids.shape[0] != data.shape[0]:
        raise ValueError("Argument `segment_ids` and `data` should have same leading "
                         f"dimension. Got {tuple(segment_ids.shape)} v.s. {tuple(data.shape)}.")


_SEGMENT_INIT = {"sum": 0.0, "amax": float("-inf"), "amin": float("inf"), "prod": 1.0}


def _segment(data, segment_ids, reduce, num_segments):
    data, segment_ids = _t(data), _t(segment_ids)
    _segment_validation(data, segment_ids)
    ids = segment_ids.long()
    n = int(num_segments) if num_segments is not None else int(ids.max()) + 1
    ids = torch.where((ids >= 0) & (ids < n), ids, n)  # out-of-range ids go to a dropped row
    index = ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand(data.shape)
    out = torch.full((n + 1,) + tuple(data.shape[1:]), _SEGMENT_INIT[reduce],
                     dtype=torch.float32)
    out = out.scatter_reduce(0, index, data.float(), reduce)
    return out[:-1].to(data.dtype)


@op("tf.math.unsorted_segment_sum")
def segment_sum(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    """Sums of the rows of `data` that share a segment id."""
    return _segment(data, segment_ids, "sum", num_segments)


@op("tf.math.unsorted_segment_max")
def segment_max(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    """Maxima of the rows of `data` that share a segment id."""
    return _segment(data, segment_ids, "amax", num_segments)


@op("tf.math.unsorted_segment_min")
def segment_min(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(data, segment_ids, "amin", num_segments)


@op("tf.math.unsorted_segment_prod")
def segment_prod(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment(data, segment_ids, "prod", num_segments)


@op("tf.math.top_k")
def top_k(x, k, sorted=True):  # noqa: A002
    """The `k` largest entries of the last axis of `x` and their indices: `(values, indices)`."""
    return torch.topk(_t(x), k, sorted=sorted)


@op("tf.math.in_top_k")
def in_top_k(targets, predictions, k):
    """Whether each target class is among the `k` largest predictions of its row."""
    targets = _t(targets).long()[:, None]
    predictions = _t(predictions)
    kth = torch.topk(predictions, k).values
    return torch.any(torch.take_along_dim(predictions, targets, dim=-1) >= kth, dim=-1)


@op("tf.math.reduce_logsumexp")
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed stably."""
    x = _t(x)
    return torch.logsumexp(x, dim=tuple(range(x.ndim)) if axis is None else axis,
                           keepdim=keepdims)


@op("tf.math.rsqrt")
def rsqrt(x):
    """`1 / sqrt(x)`."""
    return torch.rsqrt(_t(x))


@op("tf.math.erf")
def erf(x):
    return torch.erf(_t(x))


@op("tf.math.erfc")
def erfc(x):
    return torch.erfc(_t(x))


@op("tf.math.erfinv")
def erfinv(x):
    return torch.erfinv(_t(x))


@op("tf.linalg.logdet")
def logdet(x):
    return torch.logdet(_t(x))


@op("tf.cdist")
def cdist(x, y):
    """Euclidean distances between the rows of `x` and of `y`."""
    x, y = _t(x), _t(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError("`cdist` inputs must have rank >= 2")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError("Last dimension of inputs to `cdist` must match")
    d = x.unsqueeze(-2) - y.unsqueeze(-3)
    return torch.sqrt(torch.sum(d * d, dim=-1))


@op("tf.signal.frame")
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` samples every `sequence_stride` along the last axis."""
    return torch.unfold_copy(_t(x), -1, sequence_length, sequence_stride)


def _complex(x):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError("Input `x` should be a tuple of two tensors - real and imaginary."
                         f"Received: x={x}")
    real, imag = _t(x[0]), _t(x[1])
    if real.shape != imag.shape:
        raise ValueError("Input `x` should be a tuple of two tensors - real and imaginary.Both "
                         "the real and imaginary parts should have the same shape. Received: "
                         f"x[0].shape = {real.shape}, x[1].shape = {imag.shape}")
    if not real.is_floating_point() or not imag.is_floating_point():
        raise ValueError(f"At least one tensor in input `x` is not of type float.Received: x={x}.")
    return torch.complex(real, imag)


@op("tf.signal.fft")
def fft(x):
    """FFT of the last axis of the complex `(real, imag)` pair; returns `(real, imag)`."""
    out = torch.fft.fft(_complex(x))
    return out.real, out.imag


@op("tf.signal.fft2d")
def fft2(x):
    out = torch.fft.fft2(_complex(x))
    return out.real, out.imag


@op("tf.signal.ifft2d")
def ifft2(x):
    out = torch.fft.ifft2(_complex(x))
    return out.real, out.imag


@op("tf.signal.rfft")
def rfft(x, fft_length=None):
    out = torch.fft.rfft(_t(x), n=fft_length, dim=-1, norm="backward")
    return out.real, out.imag


@op("tf.signal.irfft")
def irfft(x, fft_length=None):
    return torch.fft.irfft(_complex(x), n=fft_length, dim=-1, norm="backward")


def _window(window, length, dtype):
    if window is None:
        return torch.ones((length,), dtype=dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError('If a string is passed to `window`, it must be one of `"hann"`, '
                             f'`"hamming"`. Received: window={window}')
        fn = torch.hann_window if window == "hann" else torch.hamming_window
        return fn(length, periodic=True, dtype=dtype)
    win = _t(window, dtype)
    if win.ndim != 1 or win.shape[-1] != length:
        raise ValueError("The shape of `window` must be equal to [sequence_length].Received: "
                         f"window shape={tuple(win.shape)}")
    return win


@op("tf.signal.stft")
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform of the last axis; returns `(real, imag)`."""
    x = _t(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError("Invalid input type. Expected `float32` or `float64`. Received: "
                        f"input type={x.dtype}")
    if fft_length < sequence_length:
        raise ValueError("`fft_length` must equal or larger than `sequence_length`. Received: "
                         f"sequence_length={sequence_length}, fft_length={fft_length}")
    win = _window(window, sequence_length, x.dtype)
    batch = tuple(x.shape[:-1])
    flat = x.reshape(-1, x.shape[-1]) if x.ndim > 2 else x
    out = torch.stft(flat, n_fft=fft_length, hop_length=sequence_stride,
                     win_length=sequence_length, window=win, center=center,
                     return_complex=True)
    if x.ndim > 2:
        out = out.reshape(batch + tuple(out.shape[-2:]))
    out = out.swapaxes(-2, -1)
    return out.real, out.imag


@op("tf.signal.inverse_stft")
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    """Inverse of `stft` (torch.istft)."""
    spec = _complex(x)
    win = _window(window, sequence_length, spec.real.dtype)
    batch = tuple(spec.shape[:-2])
    flat = spec.reshape((-1,) + tuple(spec.shape[-2:])) if spec.ndim > 3 else spec
    out = torch.istft(flat.swapaxes(-2, -1), n_fft=fft_length, hop_length=sequence_stride,
                      win_length=sequence_length, window=win, center=center, length=length)
    return out.reshape(batch + (out.shape[-1],)) if spec.ndim > 3 else out


@op("tf.complex")
def view_as_complex(x):
    x = _t(x)
    if x.shape[-1] != 2:
        raise ValueError("Input tensor's last dimension must be 2 (real and imaginary).")
    return torch.view_as_complex(x.contiguous())


@op("tf.math.real")
def view_as_real(x):
    return torch.view_as_real(_t(x))
