"""`tf.data` on torch: `Dataset` pipelines that `fit`, `evaluate` and `predict` accept."""

from kerastorch.data import experimental
from kerastorch.data.dataset import AUTOTUNE
from kerastorch.data.dataset import INFINITE_CARDINALITY
from kerastorch.data.dataset import UNKNOWN_CARDINALITY
from kerastorch.data.dataset import Dataset
from kerastorch.data.experimental import Options
from kerastorch.data.tfrecord import TFRecordDataset

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "Dataset", "Options",
           "TFRecordDataset", "experimental"]


def __getattr__(name):
    from kerastorch.porting.errors import NotSupportedAttributeError
    raise NotSupportedAttributeError(f"tensorflow.data.{name}")
