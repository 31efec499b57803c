"""The graph types at the bottom of the package: `KerasTensor` (a symbolic tensor, with its
operators), `Node` (one layer call on symbolic tensors) and the shape helpers both use.

Nothing here imports `kerastorch.layers` or `kerastorch.ops` at import time, and neither patches
these classes: layers and ops import them.
"""

from kerastorch.tensor.keras_tensor import KerasTensor
from kerastorch.tensor.node import Node

__all__ = ["KerasTensor", "Node"]
