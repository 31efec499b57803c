"""keras.ops: Keras 3's op set, each op a thin call of the torch function.

Grouped as Keras groups them (`ops.numpy`, `ops.nn`, `ops.core`, `ops.math`, `ops.image`,
`ops.linalg`); everything but `image` and `linalg` is also available at the top level, as in
Keras. Ops accept torch tensors, numpy arrays and Python scalars, follow Keras's dtype rules
(`ops.mean` of ints is float32, `ops.ones((1, 4))` is floatx), and on a `KerasTensor` build a
graph node of the functional model (`x + residual`, `ops.concatenate([a, b])`).
"""

from kerastorch import backend  # noqa: F401 - `ops.backend.shape(x)`, as scripts reach Keras's backend
from kerastorch.ops import core
from kerastorch.ops import einops as _einops
from kerastorch.ops import image
from kerastorch.ops import linalg
from kerastorch.ops import math
from kerastorch.ops import nn
from kerastorch.ops import numpy


def _export(module):
    for name in dir(module):
        value = getattr(module, name)
        if name.startswith("_") or name in ("op", "standardize_dtype", "result_type"):
            continue
        if callable(value) and getattr(value, "__module__", "").startswith("kerastorch.ops"):
            globals()[name] = value


_export(numpy)
_export(math)
_export(core)
_export(nn)  # nn's activations (relu, softmax, ...) win over numpy's, as in Keras
_export(linalg)
_export(_einops)
del _export
