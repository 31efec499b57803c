"""`tf.data.experimental`: the constants and helpers scripts still reach through it."""

from kerastorch.data.dataset import AUTOTUNE
from kerastorch.data.dataset import INFINITE_CARDINALITY
from kerastorch.data.dataset import UNKNOWN_CARDINALITY
from kerastorch.porting.errors import NotSupportedAttributeError

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality",
           "Options"]


def cardinality(dataset):
    """The number of elements of `dataset` as an int64 tensor (-1 infinite, -2 unknown)."""
    return dataset.cardinality()


class Options:
    """tf.data.Options: accepted and kept; nothing here reads them (there is nothing to tune
    in a pipeline that runs in the training loop's process)."""

    def __init__(self):
        object.__setattr__(self, "_values", {})

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._values.setdefault(name, _OptionGroup())

    def __setattr__(self, name, value):
        self._values[name] = value


class _OptionGroup(Options):
    """A nested group of options (`options.experimental_distribute.auto_shard_policy`)."""


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.data.experimental.{name}")
