"""tf.train on torch (this branch: the Example protos only)."""

from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.tf import example as _example

_EXAMPLE_NAMES = _example._NAMES


def __getattr__(name):
    if name in _EXAMPLE_NAMES:
        return getattr(_example, name)
    raise NotSupportedAttributeError(f"tensorflow.train.{name}")
