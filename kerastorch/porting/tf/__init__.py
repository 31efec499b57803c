"""`tensorflow` as `kerastorch run` shows it to a script: `tf.keras` and the tensor helpers
Keras guides use (`tf.ones`, `tf.constant`, `tf.random.normal`, ...), all on torch.

`tf.data` is kerastorch.data (a torch `Dataset` pipeline). Everything else raises
`NotSupportedAttributeError` ("tensorflow.io is not supported yet by kerastorch.") at its first
use.

A package, one module per TensorFlow namespace as they are added (`tf.nn` is
`kerastorch/porting/tf/nn.py`, ...); this module is the top-level `tensorflow` namespace.
The op namespaces (math, nn, image, random, linalg, signal, strings, errors) are modules of
their own; the array ops and the `tf.math` names TensorFlow also has at its top level are
imported here from array_ops.py and math.py.
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

__version__ = "2.16.0"  # the TensorFlow API level the shim imitates (with Keras 3 behind it)

float16, bfloat16, float32, float64 = torch.float16, torch.bfloat16, torch.float32, torch.float64
int8, int16, int32, int64, uint8 = torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8
bool = torch.bool  # noqa: A001
string = None  # tf.string has no torch counterpart; using it as a dtype fails in to_torch_dtype
Tensor = torch.Tensor


def _dt(dtype):
    return backend.to_torch_dtype(dtype)


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


def shape(input, out_type=None, name=None):  # noqa: A002
    return torch.tensor(tuple(ops.convert_to_tensor(input).shape), dtype=torch.int32)


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
                  AUTOTUNE=_data.AUTOTUNE, INFINITE_CARDINALITY=_data.INFINITE_CARDINALITY,
                  UNKNOWN_CARDINALITY=_data.UNKNOWN_CARDINALITY,
                  experimental=_namespace("data.experimental", "tf.data.experimental.",
                                          AUTOTUNE=_data.AUTOTUNE,
                                          INFINITE_CARDINALITY=_data.INFINITE_CARDINALITY,
                                          UNKNOWN_CARDINALITY=_data.UNKNOWN_CARDINALITY,
                                          cardinality=lambda dataset: dataset.cardinality()))


# The op namespaces (one module each) and the array ops and tf.math names TF also has at its
# top level.
from kerastorch.porting.tf import errors  # noqa: E402,F401
from kerastorch.porting.tf import image  # noqa: E402,F401
from kerastorch.porting.tf import linalg  # noqa: E402,F401
from kerastorch.porting.tf import math  # noqa: E402,F401
from kerastorch.porting.tf import nest  # noqa: E402,F401
from kerastorch.porting.tf import nn  # noqa: E402,F401
from kerastorch.porting.tf import random  # noqa: E402,F401
from kerastorch.porting.tf import signal  # noqa: E402,F401
from kerastorch.porting.tf import strings  # noqa: E402,F401
from kerastorch.porting.tf.array_ops import *  # noqa: E402,F401,F403  (tf.concat, tf.gather, ...)
from kerastorch.porting.tf.linalg import eig, eigvals, matmul, norm  # noqa: E402,F401
from kerastorch.porting.tf.math import *  # noqa: E402,F401,F403  (tf.add, tf.reduce_sum, ...)


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.{name}")
