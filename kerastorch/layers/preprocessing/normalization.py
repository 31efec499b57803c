"""Normalization (the preprocessing layer with `adapt()`): `(x - mean) / sqrt(variance)`."""

import math

import numpy as np
import torch

from kerastorch import backend
from kerastorch.layers.layer import Layer


def _batch_of(element):
    """The input part of a batch from a DataLoader or generator (`x` of `(x, y)`)."""
    if isinstance(element, (tuple, list)) and element and not np.isscalar(element[0]):
        return element[0]
    if isinstance(element, dict):
        return next(iter(element.values()))
    return element


class Normalization(Layer):
    """Shifts and scales inputs to zero mean and unit variance per feature.

    The mean and variance come from `mean=`/`variance=` or from `adapt(data)`; they are
    non-trainable weights (`mean`, `variance`, `count`), kept as torch buffers.

    Args:
        axis: the axis (or axes) that keep a separate mean and variance (default `-1`, one per
            feature); `None` means a single scalar mean and variance.
        mean: the mean to use, instead of `adapt()`.
        variance: the variance to use, instead of `adapt()`.
        invert: apply the inverse transformation, `x * sqrt(variance) + mean`.

    Example:
        >>> layer = Normalization()
        >>> layer.adapt(np.array([[0.0], [2.0]]))
        >>> layer(ops.convert_to_tensor([[2.0]]))
        tensor([[1.]])
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        if (mean is None) != (variance is None):
            raise ValueError("When setting values directly, both `mean` and `variance` must be "
                             f"set. Received: mean={mean} and variance={variance}")
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError("All `axis` values must be in the range [-ndim, ndim). Received "
                             f"inputs with ndim={ndim}, while axis={self.axis}")
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError("All `axis` values to be kept must have a known shape. "
                                 f"Received axis={self.axis}, inputs.shape={tuple(input_shape)}, "
                                 f"with unknown axis at index {d}")
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1
                                      for d in range(ndim))
        self._stats_shape = tuple(input_shape[d] for d in self._keep_axis)
        self._build_shape = tuple(input_shape)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._stats_shape,
                                              initializer="zeros", trainable=False,
                                              torch_name="mean", buffer=True)
            self.adapt_variance = self.add_weight(name="variance", shape=self._stats_shape,
                                                  initializer="ones", trainable=False,
                                                  torch_name="variance", buffer=True)
            self.count = self.add_weight(name="count", shape=(), dtype="int64",
                                         initializer="zeros", trainable=False,
                                         torch_name="count", buffer=True)
        else:
            mean = self._broadcast(self.input_mean)
            variance = self._broadcast(self.input_variance)
            self.register_buffer("mean", mean, persistent=False)
            self.register_buffer("variance", variance, persistent=False)
        self.built = True

    def _broadcast(self, value):
        """Aligns a given mean/variance with the kept axes (from the right), as Keras does."""
        t = torch.as_tensor(np.asarray(value), dtype=backend.to_torch_dtype(self.dtype))
        if t.ndim:
            shape = [1] * len(self._broadcast_shape)
            for i in range(1, t.ndim + 1):
                shape[self._keep_axis[-i]] = t.shape[-i]
            t = t.reshape(shape)
        return t.expand(self._broadcast_shape).clone()

    def adapt(self, data, batch_size=None, steps=None):
        """Computes the mean and variance of `data`: a numpy array, a tensor, or an iterable of
        batches (a DataLoader, a generator, a list of arrays)."""
        if isinstance(data, (np.ndarray, torch.Tensor)):
            batches, shape = [data], tuple(data.shape)
        else:
            iterator = iter(data)
            first = next(iterator, None)
            if first is None:
                raise ValueError("adapt() received an empty iterable (no batches). Expected at "
                                 "least one batch.")
            first = _batch_of(first)
            shape = tuple(first.shape)
            batches = _chain(first, iterator, steps)
        if not self.built:
            self.build((None,) + shape[1:] if len(shape) > 0 else shape)
        total_mean = total_var = None
        total_count = 0
        for batch in batches:
            batch = torch.as_tensor(np.asarray(batch) if not isinstance(batch, torch.Tensor)
                                    else batch).to(torch.float64)
            for d in self._keep_axis:
                if batch.shape[d] != self._build_shape[d]:
                    raise ValueError(f"The layer was built with input_shape={self._build_shape}, "
                                     "but adapt() is being called with data with an incompatible "
                                     f"shape, data.shape={tuple(batch.shape)}")
            dims = self._reduce_axis
            mean = batch.mean(dim=dims) if dims else batch
            var = batch.var(dim=dims, correction=0) if dims else torch.zeros_like(batch)
            count = math.prod(batch.shape[d] for d in dims) if dims else 1
            if total_mean is None:
                total_mean, total_var, total_count = mean, var, count
                continue
            total_count += count
            w = count / total_count
            new_mean = total_mean * (1 - w) + mean * w
            total_var = ((total_var + (total_mean - new_mean) ** 2) * (1 - w)
                         + (var + (mean - new_mean) ** 2) * w)
            total_mean = new_mean
        self.adapt_mean.assign(total_mean.to(self.mean.dtype))
        self.adapt_variance.assign(total_var.to(self.variance.dtype))

    def call(self, inputs):
        mean = self.mean.reshape(self._broadcast_shape)
        std = self.variance.reshape(self._broadcast_shape).sqrt().clamp_min(backend.epsilon())
        if self.invert:
            return mean + inputs * std
        return (inputs - mean) / std

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        to_list = lambda v: np.asarray(v).tolist() if v is not None else None  # noqa: E731
        config.update(axis=self.axis, invert=self.invert, mean=to_list(self.input_mean),
                      variance=to_list(self.input_variance))
        return config


def _chain(first, iterator, steps):
    yield first
    for i, element in enumerate(iterator, start=1):
        if steps is not None and i >= steps:
            return
        yield _batch_of(element)
