"""tf.random on torch, with TensorFlow's seeding contract: after `set_seed(s)` a program draws
the same numbers again; an op-level `seed=` gives its own repeatable sequence (one torch
Generator per (global seed, op seed), advanced by each call, as TF's op-seed counters are);
`stateless_*` give the same values for the same `seed=[a, b]` every time; `Generator` is a
torch Generator with TF's methods. The streams are torch's, not TensorFlow's Philox ones: same
distributions, not the same numbers as a TF run. Numbers are drawn on the CPU (the same on
every device) and placed on the default device."""

import torch

from kerastorch import backend
from kerastorch.porting.tf._common import convert
from kerastorch.porting.tf._common import dtype_of
from kerastorch.porting.tf._common import namespace_getattr
from kerastorch.porting.tf._common import place
from kerastorch.porting.tf._common import shape_tuple
from kerastorch.porting.tf._common import symbolic_ops
from kerastorch.porting.tf.errors import InvalidArgumentError

__getattr__ = namespace_getattr("random")

_GLOBAL_SEED = [None]
_OP_GENERATORS = {}


def set_seed(seed):
    """tf.random.set_seed: seeds torch's (and numpy's and Python's) global generators and
    restarts every op-seeded sequence."""
    _GLOBAL_SEED[0] = int(seed)
    _OP_GENERATORS.clear()
    backend.set_random_seed(int(seed))


def op_generator(seed):
    if seed is None:
        return None
    key = (_GLOBAL_SEED[0], int(seed))
    if key not in _OP_GENERATORS:
        _OP_GENERATORS[key] = torch.Generator().manual_seed(
            _mix(int(seed), -1 if key[0] is None else key[0]))
    return _OP_GENERATORS[key]


def stateless_op_generator(seed):
    pair = convert(seed).reshape(-1).tolist()
    if len(pair) != 2:
        raise InvalidArgumentError(f"seed must have shape [2], not {len(pair)} values")
    return torch.Generator().manual_seed(_mix(*(int(v) for v in pair)))


def _mix(*values):
    """One 32-bit seed from several integers (torch's CPU generator keeps 32 bits of a seed)."""
    h = 0x9E3779B97F4A7C15
    for v in values:
        h = ((h ^ (v & 0xFFFFFFFFFFFFFFFF)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        h ^= h >> 31
    return (h ^ (h >> 32)) & 0xFFFFFFFF


def _float(dtype, op):
    dtype = dtype_of(dtype)
    if not dtype.is_floating_point:
        raise ValueError(f"{op}: dtype must be a floating point type, got {dtype}")
    return dtype


def _normal(shape, mean, stddev, dtype, generator):
    dtype = _float(dtype, "normal")
    out = torch.randn(shape_tuple(shape), dtype=dtype, generator=generator)
    return place(out * _cpu(stddev, dtype) + _cpu(mean, dtype))


def _cpu(value, dtype):
    return convert(value, dtype).cpu() if not isinstance(value, torch.Tensor) else \
        value.to("cpu", dtype)


def _uniform(shape, minval, maxval, dtype, generator):
    dtype = dtype_of(dtype)
    shape = shape_tuple(shape)
    if not dtype.is_floating_point:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype}")
        lo, hi = int(convert(minval)), int(convert(maxval))
        if lo >= hi:
            raise InvalidArgumentError(f"Need minval < maxval: {lo} >= {hi}")
        return place(torch.randint(lo, hi, shape, dtype=dtype, generator=generator))
    maxval = 1.0 if maxval is None else maxval
    lo, hi = _cpu(minval, dtype), _cpu(maxval, dtype)
    return place(torch.rand(shape, dtype=dtype, generator=generator) * (hi - lo) + lo)


def _truncated(shape, mean, stddev, dtype, generator):
    dtype = _float(dtype, "truncated_normal")
    out = torch.empty(shape_tuple(shape), dtype=dtype)
    torch.nn.init.trunc_normal_(out, 0.0, 1.0, -2.0, 2.0, generator=generator)
    return place(out * _cpu(stddev, dtype) + _cpu(mean, dtype))


def _gamma(shape, alpha, beta, dtype, generator):
    dtype = _float(dtype, "gamma")
    alpha = _cpu(alpha, dtype)
    beta = torch.ones((), dtype=dtype) if beta is None else _cpu(beta, dtype)
    param = torch.broadcast_shapes(alpha.shape, beta.shape)
    full = shape_tuple(shape) + tuple(param)
    seed = None if generator is None else int(torch.randint(0, 2 ** 62, (1,),
                                                            generator=generator))
    with torch.random.fork_rng(devices=[], enabled=seed is not None):
        if seed is not None:
            torch.manual_seed(seed)
        draws = torch._standard_gamma(alpha.expand(full).contiguous())
    return place(draws / beta)


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None):
    """tf.random.normal: float32 samples of N(mean, stddev**2)."""
    return _normal(shape, mean, stddev, dtype, op_generator(seed))


def uniform(shape, minval=0, maxval=None, dtype="float32", seed=None, name=None):
    """tf.random.uniform: [minval, maxval); integer dtypes need maxval."""
    return _uniform(shape, minval, maxval, dtype, op_generator(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None):
    """tf.random.truncated_normal: normal samples redrawn when beyond two stddevs."""
    return _truncated(shape, mean, stddev, dtype, op_generator(seed))


def gamma(shape, alpha, beta=None, dtype="float32", seed=None, name=None):
    """tf.random.gamma: samples of shape `shape + broadcast(alpha, beta).shape`."""
    return _gamma(shape, alpha, beta, dtype, op_generator(seed))


def _categorical(logits, num_samples, dtype, generator):
    x = convert(logits).cpu()
    if x.dim() != 2:
        raise ValueError(f"categorical: logits must be 2-D [batch, classes], got {list(x.shape)}")
    probs = torch.softmax(x.double(), dim=-1)
    out = torch.multinomial(probs, int(num_samples), replacement=True, generator=generator)
    return place(out.to(dtype_of("int64" if dtype is None else dtype)))


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """tf.random.categorical: `num_samples` class ids per row of unnormalised log-probs."""
    return _categorical(logits, num_samples, dtype, op_generator(seed))


def shuffle(value, seed=None, name=None):
    """tf.random.shuffle: a random permutation along the first axis."""
    x = convert(value)
    if x.dim() == 0:
        return x.clone()
    return x[torch.randperm(x.shape[0], generator=op_generator(seed)).to(x.device)]


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype="float32", name=None, alg=None):
    return _normal(shape, mean, stddev, dtype, stateless_op_generator(seed))


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype="float32", name=None,
                      alg=None):
    return _uniform(shape, minval, maxval, dtype, stateless_op_generator(seed))


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype="float32", name=None,
                               alg=None):
    return _truncated(shape, mean, stddev, dtype, stateless_op_generator(seed))


def stateless_gamma(shape, seed, alpha, beta=None, dtype="float32", name=None):
    return _gamma(shape, alpha, beta, dtype, stateless_op_generator(seed))


def stateless_categorical(logits, num_samples, seed, dtype="int64", name=None):
    return _categorical(logits, num_samples, dtype, stateless_op_generator(seed))


class Generator:
    """tf.random.Generator on a torch Generator: `from_seed`, `normal`, `uniform`,
    `truncated_normal`, `make_seeds`, `split`."""

    def __init__(self, copy_from=None, state=None, alg=None):
        self._torch = torch.Generator()
        if copy_from is not None:
            self._torch.set_state(copy_from._torch.get_state())
        elif state is not None:
            self.reset_from_seed(int(convert(state).reshape(-1)[0]))
        else:
            self._torch.seed()

    @classmethod
    def from_seed(cls, seed, alg=None):
        gen = cls.__new__(cls)
        gen._torch = torch.Generator().manual_seed(int(seed) % (2 ** 63))
        return gen

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        return cls()

    def reset_from_seed(self, seed):
        self._torch.manual_seed(int(seed) % (2 ** 63))

    def normal(self, shape, mean=0.0, stddev=1.0, dtype="float32", name=None):
        return _normal(shape, mean, stddev, dtype, self._torch)

    def uniform(self, shape, minval=0, maxval=None, dtype="float32", name=None):
        return _uniform(shape, minval, maxval, dtype, self._torch)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype="float32", name=None):
        return _truncated(shape, mean, stddev, dtype, self._torch)

    def make_seeds(self, count=1):
        """int64 [2, count]: seeds for the stateless_* ops."""
        return place(torch.randint(0, 2 ** 62, (2, int(count)), dtype=torch.int64,
                                   generator=self._torch))

    def split(self, count=1):
        seeds = torch.randint(0, 2 ** 62, (int(count),), generator=self._torch).tolist()
        return [Generator.from_seed(s) for s in seeds]


_GLOBAL_GENERATOR = [None]


def get_global_generator():
    if _GLOBAL_GENERATOR[0] is None:
        _GLOBAL_GENERATOR[0] = Generator()
    return _GLOBAL_GENERATOR[0]


def set_global_generator(generator):
    _GLOBAL_GENERATOR[0] = generator



def stateless_split(seed, num=2):
    """[num, 2] int64 seeds for stateless ops, a pure function of `seed`."""
    gen = stateless_op_generator(seed)
    return place(torch.randint(0, 2 ** 62, (int(num), 2), dtype=torch.int64, generator=gen))


def stateless_fold_in(seed, data):
    """A [2] int64 seed from `seed` and an integer `data`, a pure function of both."""
    pair = convert(seed).reshape(-1).tolist()
    gen = torch.Generator().manual_seed(_mix(*(int(v) for v in pair), int(convert(data))))
    return place(torch.randint(0, 2 ** 62, (2,), dtype=torch.int64, generator=gen))


class _Experimental:
    """tf.random.experimental: the names TF 2 keeps there."""

    Generator = Generator

    def __init__(self):
        self.stateless_split = stateless_split
        self.stateless_fold_in = stateless_fold_in
        self.get_global_generator = get_global_generator
        self.set_global_generator = set_global_generator

    def __getattr__(self, name):
        return namespace_getattr("random.experimental")(name)


experimental = _Experimental()

symbolic_ops("random", globals())  # Keras tensors build TFOpLambda nodes
