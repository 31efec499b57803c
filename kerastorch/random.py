"""keras.random: seeded random tensors, drawn as Keras 3 on torch draws them.

An int `seed` gives the same values on every call; a `SeedGenerator` gives new values on each
call and is reproducible from its seed; no seed uses a global generator that
`keras.utils.set_random_seed` resets. Each op seeds a fresh `torch.Generator` from
(seed, counter), so the numbers equal Keras 3's for the same seeds.
"""

import random as _python_random

import numpy as np
import torch
from torch import nn

from kerastorch import backend
from kerastorch.ops.core import convert_to_tensor as _t

_GLOBAL = {"generator": None}


class SeedGenerator(nn.Module):
    """State of a random stream: an int32 `(seed, counter)` buffer advanced on each draw.

    Assigned to a layer attribute it becomes part of the layer: it is saved in its
    `state_dict()` and moves with `.to(device)`, but it is not a weight.

    Args:
        seed: initial seed (default: drawn from Python's `random`, which
            `keras.utils.set_random_seed` seeds).
        name: optional name.

    Example:
        >>> gen = keras.random.SeedGenerator(42)
        >>> a = keras.random.normal((2,), seed=gen)
        >>> b = keras.random.normal((2,), seed=gen)   # different from a
    """

    _weights_shown_by_views = True  # state in the owning layer's state_dict, never a weight

    def __init__(self, seed=None, name=None, **kwargs):
        super().__init__()
        kwargs.pop("backend", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        self.name = name or backend.unique_object_name("seed_generator")
        self._initial_seed = seed
        if seed is None:
            seed = _python_random.randint(1, int(1e9))
        if not isinstance(seed, int):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        self.register_buffer("state", torch.tensor([_wrap_int32(seed), 0], dtype=torch.int32))

    def next(self, ordered=True):
        """Returns the current `(seed, counter)` and advances the state."""
        value = self.state.clone()
        with torch.no_grad():
            if ordered:
                self.state[1] += 1
            else:
                self.state.copy_((self.state + 1) * 5387 % 933199)
        return value

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def extra_repr(self):
        return f"name={self.name}, seed={self._initial_seed}"


def _wrap_int32(seed):
    return (seed & 0xFFFFFFFF ^ 0x80000000) - 0x80000000


def global_seed_generator():
    gen = _GLOBAL["generator"]
    if gen is None:
        gen = _GLOBAL["generator"] = SeedGenerator()
    return gen


def reset_global_seed_generator():
    """Forgets the global generator (called by `keras.utils.set_random_seed`)."""
    _GLOBAL["generator"] = None


def draw_seed(seed):
    """The `(seed, counter)` pair an op uses for `seed` (int, SeedGenerator or None)."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return torch.tensor([_wrap_int32(int(seed)), 0], dtype=torch.int32)
    if seed is None:
        return global_seed_generator().next(ordered=False)
    raise ValueError("Argument `seed` must be either an integer or an instance of "
                     f"`SeedGenerator`. Received: seed={seed} (of type {type(seed)})")


def _generator(seed, device=None):
    if device is not None and torch.device(device).type == "meta":
        return None  # shape inference: no numbers drawn, the seed does not advance (as Keras)
    first, second = draw_seed(seed).tolist()
    gen = torch.Generator(device=device or "cpu")
    gen.manual_seed((first + second) & 0xFFFFFFFF)
    return gen


def _device():
    from kerastorch.ops.core import default_device
    return default_device()


def _dtype(dtype):
    return backend.to_torch_dtype(dtype or backend.floatx())


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution."""
    device = _device()
    return torch.normal(mean, stddev, size=tuple(shape), generator=_generator(seed, device),
                        dtype=_dtype(dtype), device=device)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples uniformly from `[minval, maxval)`."""
    dt = _dtype(dtype)
    if not dt.is_floating_point:
        raise ValueError("`keras.random.uniform` requires a floating point `dtype`. Received: "
                         f"dtype={dtype} ")
    device = _device()
    shape = tuple(shape)
    rand = torch.rand(shape or (1,), generator=_generator(seed, device), dtype=dt, device=device)
    out = (maxval - minval) * rand + minval
    return out if shape else out[0]


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Random integers in `[minval, maxval)`."""
    dt = backend.to_torch_dtype(dtype)
    if dt.is_floating_point:
        raise ValueError("`keras.random.randint` requires an integer `dtype`. Received: "
                         f"dtype={dtype} ")
    device = _device()
    return torch.randint(minval, maxval, tuple(shape), generator=_generator(seed, device),
                         dtype=dt, device=device)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples, redrawn until within two standard deviations of the mean."""
    dt = _dtype(dtype)
    x = normal(tuple(shape) + (4,), dtype=dt, seed=seed)
    first_valid = ((x > -2) & (x < 2)).max(-1, keepdim=True)[1]
    return x.gather(-1, first_valid).squeeze(-1) * stddev + mean


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeros entries of `inputs` with probability `rate` and scales the rest by 1/(1-rate)."""
    inputs = _t(inputs)
    if rate == 1.0:
        return torch.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    seeded = seed is not None and not (isinstance(seed, SeedGenerator)
                                       and seed._initial_seed is None)
    if not seeded and noise_shape is None:
        return torch.nn.functional.dropout(inputs, p=rate, training=True)
    keep = 1.0 - rate
    shape = inputs.shape if noise_shape is None else \
        [inputs.shape[i] if d is None else d for i, d in enumerate(noise_shape)]
    mask = torch.bernoulli(torch.full(tuple(shape), keep, device=inputs.device),
                           generator=_generator(seed, inputs.device)).bool()
    return torch.where(mask.broadcast_to(inputs.shape), inputs / keep, torch.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    """`x` with its entries permuted along `axis`."""
    x = _t(x)
    perm = torch.rand(x.shape[:axis + 1], generator=_generator(seed, x.device),
                      device=x.device).argsort(axis)
    perm = perm.reshape(tuple(perm.shape) + (1,) * (x.ndim - axis - 1))
    return x.gather(axis, perm.expand(x.shape))


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Class indices drawn from the softmax of each row of `logits` `(batch, classes)`."""
    logits = _t(logits)
    if logits.ndim != 2:
        raise ValueError("`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
                         f"Received: logits={logits}")
    probs = torch.softmax(logits, dim=-1)
    return torch.multinomial(probs, num_samples, replacement=True,
                             generator=_generator(seed, logits.device)).to(
        backend.to_torch_dtype(dtype))


def _with_torch_seed(seed, sample):
    state = torch.random.get_rng_state()
    first, second = draw_seed(seed).tolist()
    torch.manual_seed((first + second) & 0xFFFFFFFF)
    try:
        return sample()
    finally:
        torch.random.set_rng_state(state)


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from a Gamma(alpha, 1) distribution."""
    shape = tuple(shape)
    a = torch.broadcast_to(_t(alpha), shape)
    return _with_torch_seed(seed, lambda: torch.distributions.Gamma(
        a, torch.ones(shape)).sample().to(_dtype(dtype)))


def beta(shape, alpha, beta, dtype=None, seed=None):  # noqa: A002 - Keras's argument name
    """Samples from a Beta(alpha, beta) distribution."""
    shape = tuple(shape)
    a, b = torch.broadcast_to(_t(alpha), shape), torch.broadcast_to(_t(beta), shape)
    return _with_torch_seed(seed, lambda: torch.distributions.Beta(a, b).sample().to(
        _dtype(dtype)))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples from a Binomial(counts, probabilities) distribution."""
    shape = tuple(shape)
    n = torch.broadcast_to(_t(counts), shape)
    p = torch.broadcast_to(_t(probabilities), shape)
    return _with_torch_seed(seed, lambda: torch.distributions.Binomial(
        total_count=n, probs=p).sample().to(_dtype(dtype)))
