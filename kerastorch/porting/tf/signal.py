"""tf.signal on torch: `frame`, `stft` (TensorFlow's framing: no centring, a periodic Hann
window by default, the FFT length the next power of two of frame_length), windows and FFTs."""

import builtins
import math as _pymath

import torch

from kerastorch.porting.tf._common import convert
from kerastorch.porting.tf._common import dtype_of
from kerastorch.porting.tf._common import namespace_getattr
from kerastorch.porting.tf._common import place
from kerastorch.porting.tf._common import require
from kerastorch.porting.tf._common import symbolic_ops

__getattr__ = namespace_getattr("signal")


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """tf.signal.frame: windows of frame_length every frame_step samples along `axis`."""
    x = convert(signal)
    axis = int(axis) % x.dim()
    length, step = int(frame_length), int(frame_step)
    n = x.shape[axis]
    if pad_end:
        frames = -(-n // step)
        total = builtins.max((frames - 1) * step + length - n, 0)
        pad = [0, 0] * (x.dim() - 1 - axis) + [0, total]
        x = torch.nn.functional.pad(x, pad, value=convert(pad_value, x.dtype).item())
    elif n < length:
        shape = list(x.shape)
        shape[axis:axis + 1] = [0, length]
        return x.new_zeros(shape)
    return x.unfold(axis, length, step).movedim(-1, axis + 1)


def _cosine_window(window_length, periodic, a, dtype):
    """a - (1 - a) cos(2 pi n / N): N is the length, less one unless periodic with an even
    length (TensorFlow ignores `periodic` for odd lengths)."""
    n = int(window_length)
    dtype = dtype_of(dtype)
    if n <= 1:
        return place(torch.ones(n, dtype=dtype))
    denominator = n - 1 + (1 if periodic and n % 2 == 0 else 0)
    steps = torch.arange(n, dtype=torch.float64)
    return place((a - (1 - a) * torch.cos(2 * _pymath.pi * steps / denominator)).to(dtype))


def hann_window(window_length, periodic=True, dtype="float32", name=None):
    return _cosine_window(window_length, periodic, 0.5, dtype)


def hamming_window(window_length, periodic=True, dtype="float32", name=None):
    return _cosine_window(window_length, periodic, 0.54, dtype)


def _fft_length(frame_length):
    return 2 ** int(_pymath.ceil(_pymath.log2(frame_length))) if frame_length > 1 else 1


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=hann_window,
         pad_end=False, name=None):
    """tf.signal.stft: complex64 [..., frames, fft_length // 2 + 1]."""
    x = require("stft", convert(signals), "float")
    frame_length = int(frame_length)
    fft_length = _fft_length(frame_length) if fft_length is None else int(fft_length)
    frames = frame(x, frame_length, frame_step, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * convert(window_fn(frame_length, dtype=x.dtype)).to(x.device)
    return torch.fft.rfft(frames, n=fft_length, dim=-1)


def rfft(input_tensor, fft_length=None, name=None):
    x = convert(input_tensor)
    n = None if fft_length is None else int(convert(fft_length).reshape(-1)[0])
    return torch.fft.rfft(x, n=n, dim=-1)


def irfft(input_tensor, fft_length=None, name=None):
    x = convert(input_tensor)
    n = None if fft_length is None else int(convert(fft_length).reshape(-1)[0])
    return torch.fft.irfft(x, n=n, dim=-1)


def fft(input, name=None):  # noqa: A002
    return torch.fft.fft(require("FFT", convert(input), "complex"), dim=-1)


def ifft(input, name=None):  # noqa: A002
    return torch.fft.ifft(require("IFFT", convert(input), "complex"), dim=-1)


def fft2d(input, name=None):  # noqa: A002
    return torch.fft.fft2(require("FFT2D", convert(input), "complex"))


def ifft2d(input, name=None):  # noqa: A002
    return torch.fft.ifft2(require("IFFT2D", convert(input), "complex"))


def _hertz_to_mel(frequencies):
    return 1127.0 * torch.log1p(frequencies / 700.0)


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0,
                                dtype="float32", name=None):
    """[num_spectrogram_bins, num_mel_bins] triangular HTK-mel filters (the DC bin zero)."""
    dtype = dtype_of(dtype)
    if not 0 <= lower_edge_hertz < upper_edge_hertz <= sample_rate / 2:
        raise ValueError(f"need 0 <= lower_edge_hertz < upper_edge_hertz <= sample_rate / 2, got "
                         f"{lower_edge_hertz}, {upper_edge_hertz}, {sample_rate}")
    nyquist = sample_rate / 2.0
    linear = torch.linspace(0.0, nyquist, int(num_spectrogram_bins), dtype=dtype)[1:]
    bins_mel = _hertz_to_mel(linear)[:, None]
    edges = torch.linspace(float(_hertz_to_mel(torch.tensor(lower_edge_hertz, dtype=dtype))),
                           float(_hertz_to_mel(torch.tensor(upper_edge_hertz, dtype=dtype))),
                           int(num_mel_bins) + 2, dtype=dtype)
    lower, center, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    lower_slopes = (bins_mel - lower) / (center - lower)
    upper_slopes = (upper - bins_mel) / (upper - center)
    weights = torch.clamp(torch.minimum(lower_slopes, upper_slopes), min=0.0)
    return place(torch.nn.functional.pad(weights, [0, 0, 1, 0]))



def _dct_matrix(n, kind, norm, dtype, device):
    """(n, n) matrix M with y = x @ M: scipy's (and TensorFlow's) DCT type II or III."""
    k = torch.arange(n, dtype=torch.float64)
    if kind == 2:  # y_k = 2 sum_n x_n cos(pi k (2n + 1) / 2N)
        m = 2 * torch.cos(torch.pi * k[None, :] * (2 * k[:, None] + 1) / (2 * n))
        if norm == "ortho":
            scale = torch.full((n,), (1 / (2 * n)) ** 0.5, dtype=torch.float64)
            scale[0] = (1 / (4 * n)) ** 0.5
            m = m * scale[None, :]
    else:  # type III: y_k = x_0 + 2 sum_{n>0} x_n cos(pi n (2k + 1) / 2N)
        m = 2 * torch.cos(torch.pi * k[:, None] * (2 * k[None, :] + 1) / (2 * n))
        m[0] = 1.0
        if norm == "ortho":
            m = m * (1 / (2 * n)) ** 0.5
            m[0] = (1 / n) ** 0.5
    return m.to(dtype=dtype, device=device)


def dct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """tf.signal.dct of types II and III along the last axis (norm None or 'ortho')."""
    x = require("dct", convert(input), "float")
    if type not in (2, 3):
        raise NotImplementedError(f"tensorflow.signal.dct(type={type}) is not supported yet by "
                                  "kerastorch (types 2 and 3 are).")
    if axis != -1:
        raise NotImplementedError("axis must be -1, as in TensorFlow.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")
    if n is not None:
        n = int(n)
        x = x[..., :n] if n <= x.shape[-1] else torch.nn.functional.pad(
            x, [0, n - x.shape[-1]])
    return x @ _dct_matrix(x.shape[-1], type, norm, x.dtype, x.device)


def idct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """tf.signal.idct: the DCT of the inverse type (II <-> III)."""
    return dct(input, type=5 - type, n=n, axis=axis, norm=norm)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """MFCCs: the type II DCT of log-mel spectrograms scaled by 1 / sqrt(2 * num_mel_bins)."""
    x = require("mfccs", convert(log_mel_spectrograms), "float")
    return dct(x, type=2) * (2.0 * x.shape[-1]) ** -0.5


def overlap_and_add(signal, frame_step, name=None):
    """[..., frames, frame_length] frames summed back into [..., output_length] samples."""
    x = convert(signal)
    step = int(frame_step)
    frames, length = x.shape[-2], x.shape[-1]
    total = (frames - 1) * step + length if frames else 0
    index = (torch.arange(frames, device=x.device)[:, None] * step +
             torch.arange(length, device=x.device)[None, :]).reshape(-1)
    flat = x.reshape(x.shape[:-2] + (frames * length,))
    out = x.new_zeros(x.shape[:-2] + (total,))
    return out.index_add(-1, index, flat)


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """The window that makes inverse_stft undo stft: the forward window over the sum of the
    squared windows that overlap each sample."""
    step = int(frame_step)

    def window(frame_length, dtype="float32"):
        forward = convert(forward_window_fn(frame_length, dtype=dtype))
        overlaps = -(-int(frame_length) // step)
        squares = torch.nn.functional.pad(forward * forward, [0, overlaps * step - frame_length])
        denominator = squares.reshape(overlaps, step).sum(0).repeat(overlaps)
        return forward / denominator[:frame_length]
    return window


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window,
                 name=None):
    """tf.signal.inverse_stft: irfft of each frame, windowed, overlapped and added."""
    x = require("inverse_stft", convert(stfts), "complex")
    frame_length = int(frame_length)
    fft_length = _fft_length(frame_length) if fft_length is None else int(fft_length)
    frames = torch.fft.irfft(x, n=fft_length, dim=-1)[..., :frame_length]
    if frames.shape[-1] < frame_length:
        frames = torch.nn.functional.pad(frames, [0, frame_length - frames.shape[-1]])
    if window_fn is not None:
        frames = frames * convert(window_fn(frame_length, dtype=frames.dtype)).to(frames.device)
    return overlap_and_add(frames, frame_step)

symbolic_ops("signal", globals())  # Keras tensors build TFOpLambda nodes
