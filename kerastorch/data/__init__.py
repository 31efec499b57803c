"""`tf.data` on torch: `Dataset` pipelines that `fit`, `evaluate` and `predict` accept."""

from kerastorch.data.dataset import AUTOTUNE
from kerastorch.data.dataset import INFINITE_CARDINALITY
from kerastorch.data.dataset import UNKNOWN_CARDINALITY
from kerastorch.data.dataset import Dataset
