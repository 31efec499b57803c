"""keras.ops: each op a thin call of the torch function (the full set comes with Keras 3 scripts).

Floats default to `keras.backend.floatx()`, as in Keras: `ops.ones((1, 4))` is float32.
"""

import numpy as np
import torch

from kerastorch import activations
from kerastorch import backend

convert_to_tensor = backend.convert_to_tensor


def _dtype(dtype):
    return backend.to_torch_dtype(dtype)


def ones(shape, dtype=None):
    return torch.ones(tuple(shape), dtype=_dtype(dtype))


def zeros(shape, dtype=None):
    return torch.zeros(tuple(shape), dtype=_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return torch.full(tuple(shape), fill_value, dtype=_dtype(dtype))


def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.ones_like(x, dtype=None if dtype is None else _dtype(dtype))


def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return torch.zeros_like(x, dtype=None if dtype is None else _dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    out = torch.eye(N, M if M is not None else N, dtype=_dtype(dtype))
    return out if k == 0 else torch.diag(torch.ones(N - abs(k)), k)[:N, :M or N].to(out.dtype)


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        dtype = "float32" if any(isinstance(v, float) for v in (start, stop, step)) else "int32"
    return torch.arange(start, stop, step, dtype=_dtype(dtype))


def convert_to_numpy(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def cast(x, dtype):
    return convert_to_tensor(x).to(_dtype(dtype))


def shape(x):
    return tuple(x.shape)


def stop_gradient(x):
    return convert_to_tensor(x).detach()


def matmul(x1, x2):
    return torch.matmul(convert_to_tensor(x1), convert_to_tensor(x2))


def add(x1, x2):
    return torch.add(convert_to_tensor(x1), convert_to_tensor(x2))


def subtract(x1, x2):
    return torch.subtract(convert_to_tensor(x1), convert_to_tensor(x2))


def multiply(x1, x2):
    return torch.multiply(convert_to_tensor(x1), convert_to_tensor(x2))


def divide(x1, x2):
    return torch.divide(convert_to_tensor(x1), convert_to_tensor(x2))


def concatenate(xs, axis=0):
    return torch.cat([convert_to_tensor(x) for x in xs], dim=axis)


def stack(xs, axis=0):
    return torch.stack([convert_to_tensor(x) for x in xs], dim=axis)


def reshape(x, newshape):
    return torch.reshape(convert_to_tensor(x), tuple(newshape))


def transpose(x, axes=None):
    x = convert_to_tensor(x)
    return x.permute(tuple(axes) if axes is not None else tuple(reversed(range(x.dim()))))


def _reduce(fn):
    def op(x, axis=None, keepdims=False):
        x = convert_to_tensor(x)
        if axis is None:
            out = fn(x)
            return out.reshape((1,) * x.dim()) if keepdims else out
        return fn(x, dim=axis, keepdim=keepdims)
    op.__name__ = fn.__name__
    return op


sum = _reduce(torch.sum)  # noqa: A001
mean = _reduce(torch.mean)
max = _reduce(torch.amax)  # noqa: A001
min = _reduce(torch.amin)  # noqa: A001


def abs(x):  # noqa: A001
    return torch.abs(convert_to_tensor(x))


def sqrt(x):
    return torch.sqrt(convert_to_tensor(x))


def exp(x):
    return torch.exp(convert_to_tensor(x))


def log(x):
    return torch.log(convert_to_tensor(x))


def argmax(x, axis=None, keepdims=False):
    return torch.argmax(convert_to_tensor(x), dim=axis, keepdim=keepdims)


relu = activations.relu
sigmoid = activations.sigmoid
tanh = activations.tanh
softmax = activations.softmax
