"""`tensorflow` as `kerastorch run` shows it to a script: `tf.keras` and the tensor helpers
Keras guides use (`tf.ones`, `tf.constant`, `tf.random.normal`, ...), all on torch.

`tf.data` is kerastorch.data (a torch `Dataset` pipeline). Everything else raises
`NotSupportedAttributeError` ("tensorflow.lookup is not supported yet by kerastorch.") at its
first use.

A package, one module per TensorFlow namespace as they are added (`tf.nn` is
`kerastorch/porting/tf/nn.py`, ...); this module is the top-level `tensorflow` namespace.
The op namespaces (math, nn, image, random, linalg, signal, strings, errors) are modules of
their own; the array ops and the `tf.math` names TensorFlow also has at its top level are
imported here from array_ops.py and math.py.
"""

import types


import kerastorch as keras  # noqa: F401  (tf.keras)
from kerastorch import data as _data
from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.tf import config  # noqa: F401
from kerastorch.porting.tf import debugging  # noqa: F401
from kerastorch.porting.tf import distribute  # noqa: F401
from kerastorch.porting.tf import dtypes  # noqa: F401
from kerastorch.porting.tf import errors  # noqa: F401
from kerastorch.porting.tf import io  # noqa: F401
from kerastorch.porting.tf import sparse  # noqa: F401
from kerastorch.porting.tf import summary  # noqa: F401
from kerastorch.porting.tf import test  # noqa: F401
from kerastorch.porting.tf import train  # noqa: F401
from kerastorch.porting.tf.control_flow import case, cond, executing_eagerly  # noqa: F401
from kerastorch.porting.tf.control_flow import print  # noqa: F401,A004
from kerastorch.porting.tf.control_flow import switch_case, while_loop  # noqa: F401
from kerastorch.porting.tf.debugging import assert_equal, assert_greater  # noqa: F401
from kerastorch.porting.tf.debugging import assert_greater_equal, assert_less  # noqa: F401
from kerastorch.porting.tf.debugging import assert_less_equal, assert_rank  # noqa: F401
from kerastorch.porting.tf.dtypes import DType, as_dtype, bfloat16, complex64  # noqa: F401
from kerastorch.porting.tf.dtypes import bool  # noqa: F401,A004
from kerastorch.porting.tf.dtypes import complex128, double, float16, float32  # noqa: F401
from kerastorch.porting.tf.dtypes import float64, half, int8, int16, int32, int64  # noqa: F401
from kerastorch.porting.tf.dtypes import string, uint8, uint16, uint32, uint64  # noqa: F401
from kerastorch.porting.tf.function import Function, function  # noqa: F401
from kerastorch.porting.tf.sparse import SparseTensor  # noqa: F401
from kerastorch.porting.tf.tape import GradientTape, UnconnectedGradients  # noqa: F401
from kerastorch.porting.tf.tape import custom_gradient  # noqa: F401
from kerastorch.porting.tf.tensor import Tensor, TensorShape, TensorSpec, cast  # noqa: F401
from kerastorch.porting.tf.tensor import constant, convert_to_tensor, identity  # noqa: F401
from kerastorch.porting.tf.tensor import identity_n, is_tensor, rank, saturate_cast  # noqa: F401
from kerastorch.porting.tf.tensor import shape, shape_n, size, stop_gradient  # noqa: F401
from kerastorch.porting.tf.variables import Variable, VariableAggregation  # noqa: F401
from kerastorch.porting.tf.variables import VariableSynchronization  # noqa: F401

__version__ = "2.16.0"  # the TensorFlow API level the shim imitates (with Keras 3 behind it)


def _namespace(name, doc, **members):
    """A submodule of the shim (`tf.random`, `tf.math`, `tf.nn`) with the same clear misses."""
    module = types.ModuleType(f"{__name__}.{name}", doc)

    def missing(attr):
        raise NotSupportedAttributeError(f"tensorflow.{name}.{attr}")

    module.__dict__.update(members, __getattr__=missing)
    return module


data = _namespace("data", "tf.data on torch (kerastorch.data).", Dataset=_data.Dataset,
                  TFRecordDataset=_data.TFRecordDataset,
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
