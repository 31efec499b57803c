"""`tensorflow` as `kerastorch run` shows it to a script: `tf.keras` and the tensor helpers
Keras guides use (`tf.ones`, `tf.constant`, `tf.random.normal`, ...), all on torch.

`tf.data` is kerastorch.data (a torch `Dataset` pipeline). Everything else raises
`NotSupportedAttributeError` ("tensorflow.io is not supported yet by kerastorch.") at its first
use.

A package, one module per TensorFlow namespace as they are added (`tf.nn` is
`kerastorch/porting/tf/nn.py`, ...); this module is the top-level `tensorflow` namespace.
"""

import builtins
import collections
import types

import numpy as np
import torch

import kerastorch as keras  # noqa: F401  (tf.keras)
from kerastorch import backend
from kerastorch import data as _data
from kerastorch import ops
from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.tf import errors  # noqa: F401
from kerastorch.porting.tf import io  # noqa: F401
from kerastorch.porting.tf import sparse  # noqa: F401
from kerastorch.porting.tf import train  # noqa: F401
from kerastorch.porting.tf.sparse import SparseTensor  # noqa: F401

__version__ = "2.16.0"  # the TensorFlow API level the shim imitates (with Keras 3 behind it)

float16, bfloat16, float32, float64 = torch.float16, torch.bfloat16, torch.float32, torch.float64
int8, int16, int32, int64, uint8 = torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8
bool = torch.bool  # noqa: A001
string = None  # tf.string has no torch counterpart; using it as a dtype fails in to_torch_dtype
Tensor = torch.Tensor


def _dt(dtype):
    return backend.to_torch_dtype(dtype)


def ones(shape, dtype=float32, name=None):
    """tf.ones: a tensor of ones (float32 by default)."""
    return torch.ones(_shape(shape), dtype=_dt(dtype))


def zeros(shape, dtype=float32, name=None):
    """tf.zeros: a tensor of zeros (float32 by default)."""
    return torch.zeros(_shape(shape), dtype=_dt(dtype))


def fill(dims, value, name=None):
    return torch.full(_shape(dims), value, dtype=ops.convert_to_tensor(value).dtype)


def ones_like(input, dtype=None, name=None):  # noqa: A002
    dtype = None if dtype is None else _dt(dtype)
    return torch.ones_like(ops.convert_to_tensor(input), dtype=dtype)


def zeros_like(input, dtype=None, name=None):  # noqa: A002
    dtype = None if dtype is None else _dt(dtype)
    return torch.zeros_like(ops.convert_to_tensor(input), dtype=dtype)


def constant(value, dtype=None, shape=None, name=None):
    """tf.constant: a tensor from a value (Python floats -> float32, ints -> int32)."""
    t = ops.convert_to_tensor(value, dtype=dtype)
    if shape is not None:
        shape = _shape(shape)
        t = t.reshape(shape) if t.numel() == int(np.prod(shape)) else t.expand(shape).clone()
    return t


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    return ops.convert_to_tensor(value, dtype=dtype)


def cast(x, dtype, name=None):
    return ops.convert_to_tensor(x).to(_dt(dtype))


def reshape(tensor, shape, name=None):
    return torch.reshape(ops.convert_to_tensor(tensor), _shape(shape))


def shape(input, out_type=None, name=None):  # noqa: A002
    return torch.tensor(tuple(ops.convert_to_tensor(input).shape), dtype=torch.int32)


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    a, b = ops.convert_to_tensor(a), ops.convert_to_tensor(b)
    return torch.matmul(a.mT if transpose_a else a, b.mT if transpose_b else b)


def concat(values, axis, name=None):
    return torch.cat([ops.convert_to_tensor(v) for v in values], dim=axis)


def stack(values, axis=0, name=None):
    return torch.stack([ops.convert_to_tensor(v) for v in values], dim=axis)


def expand_dims(input, axis, name=None):  # noqa: A002
    return torch.unsqueeze(ops.convert_to_tensor(input), axis)


def squeeze(input, axis=None, name=None):  # noqa: A002
    x = ops.convert_to_tensor(input)
    return torch.squeeze(x) if axis is None else torch.squeeze(x, axis)


def transpose(a, perm=None, conjugate=False, name=None):
    a = ops.convert_to_tensor(a)
    return a.permute(tuple(perm) if perm is not None else tuple(reversed(builtins.range(a.dim()))))


def _reduction(fn):
    def reduce(input_tensor, axis=None, keepdims=False, name=None):
        x = ops.convert_to_tensor(input_tensor)
        if axis is None:
            out = fn(x)
            return out.reshape((1,) * x.dim()) if keepdims else out
        return fn(x, dim=axis, keepdim=keepdims)
    reduce.__name__ = "reduce_" + fn.__name__
    return reduce


reduce_sum = _reduction(torch.sum)
reduce_mean = _reduction(torch.mean)
reduce_max = _reduction(torch.amax)
reduce_min = _reduction(torch.amin)


def argmax(input, axis=None, output_type=int64, name=None):  # noqa: A002
    x = ops.convert_to_tensor(input)
    return torch.argmax(x, dim=0 if axis is None else axis).to(_dt(output_type))


def range(start, limit=None, delta=1, dtype=None, name=None):  # noqa: A001
    if limit is None:
        start, limit = 0, start
    if dtype is None:
        dtype = float32 if any(isinstance(v, float) for v in (start, limit, delta)) else int32
    return torch.arange(start, limit, delta, dtype=_dt(dtype))


def abs(x, name=None):  # noqa: A001
    return torch.abs(ops.convert_to_tensor(x))


def sqrt(x, name=None):
    return torch.sqrt(ops.convert_to_tensor(x))


def exp(x, name=None):
    return torch.exp(ops.convert_to_tensor(x))


def square(x, name=None):
    return torch.square(ops.convert_to_tensor(x))


def add(x, y, name=None):
    return torch.add(ops.convert_to_tensor(x), ops.convert_to_tensor(y))


def multiply(x, y, name=None):
    return torch.multiply(ops.convert_to_tensor(x), ops.convert_to_tensor(y))


def _shape(shape):
    if isinstance(shape, torch.Tensor):
        return tuple(int(d) for d in shape.tolist())
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def _namespace(name, doc, **members):
    """A submodule of the shim (`tf.random`, `tf.math`, `tf.nn`) with the same clear misses."""
    module = types.ModuleType(f"{__name__}.{name}", doc)

    def missing(attr):
        raise NotSupportedAttributeError(f"tensorflow.{name}.{attr}")

    module.__dict__.update(members, __getattr__=missing)
    return module


def _random_normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None):
    generator = _generator(seed)
    return torch.randn(_shape(shape), dtype=_dt(dtype), generator=generator) * stddev + mean


def _random_uniform(shape, minval=0, maxval=None, dtype=float32, seed=None, name=None):
    dtype = _dt(dtype)
    generator = _generator(seed)
    if not dtype.is_floating_point:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype}")
        return torch.randint(int(minval), int(maxval), _shape(shape), dtype=dtype,
                             generator=generator)
    maxval = 1.0 if maxval is None else maxval
    return torch.rand(_shape(shape), dtype=dtype, generator=generator) * (maxval - minval) + minval


def _generator(seed):
    if seed is None:
        return None
    return torch.Generator().manual_seed(int(seed))


def _set_seed(seed):
    """tf.random.set_seed: seeds torch's global generator (and numpy's and Python's)."""
    backend.set_random_seed(int(seed))


random = _namespace("random", "tf.random on torch.", normal=_random_normal,
                    uniform=_random_uniform, set_seed=_set_seed)
math = _namespace("math", "tf.math on torch.", abs=abs, sqrt=sqrt, exp=exp, square=square,
                  add=add, multiply=multiply, reduce_sum=reduce_sum, reduce_mean=reduce_mean,
                  reduce_max=reduce_max, reduce_min=reduce_min, argmax=argmax,
                  log=lambda x, name=None: torch.log(ops.convert_to_tensor(x)))
nn = _namespace("nn", "tf.nn on torch.",
                relu=lambda features, name=None: torch.relu(ops.convert_to_tensor(features)),
                sigmoid=lambda x, name=None: torch.sigmoid(ops.convert_to_tensor(x)),
                softmax=lambda logits, axis=None, name=None: torch.softmax(
                    ops.convert_to_tensor(logits), dim=-1 if axis is None else axis))
sigmoid = nn.sigmoid


class PhysicalDevice(collections.namedtuple("PhysicalDevice", ["name", "device_type"])):
    """tf.config.PhysicalDevice: the CPU and each CUDA device torch sees."""


def _list_physical_devices(device_type=None):
    devices = [PhysicalDevice("/physical_device:CPU:0", "CPU")] + [
        PhysicalDevice(f"/physical_device:GPU:{i}", "GPU")
        for i in builtins.range(torch.cuda.device_count())]
    return [d for d in devices if device_type is None or d.device_type == device_type.upper()]


def _set_memory_growth(device, enable):
    """Nothing to do: torch's caching allocator already takes GPU memory as it is needed."""


config = _namespace("config", "tf.config on torch.", list_physical_devices=_list_physical_devices,
                    experimental=_namespace("config.experimental", "tf.config.experimental.",
                                            set_memory_growth=_set_memory_growth,
                                            list_physical_devices=_list_physical_devices))

data = _namespace("data", "tf.data on torch (kerastorch.data).", Dataset=_data.Dataset,
                  TFRecordDataset=_data.TFRecordDataset,
                  AUTOTUNE=_data.AUTOTUNE, INFINITE_CARDINALITY=_data.INFINITE_CARDINALITY,
                  UNKNOWN_CARDINALITY=_data.UNKNOWN_CARDINALITY,
                  experimental=_namespace("data.experimental", "tf.data.experimental.",
                                          AUTOTUNE=_data.AUTOTUNE,
                                          INFINITE_CARDINALITY=_data.INFINITE_CARDINALITY,
                                          UNKNOWN_CARDINALITY=_data.UNKNOWN_CARDINALITY,
                                          cardinality=lambda dataset: dataset.cardinality()))


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.{name}")
