"""`keras.preprocessing.sequence` (Keras 2; Keras 3 keeps `pad_sequences` here)."""

from kerastorch.legacy.preprocessing.sequence import TimeseriesGenerator  # noqa: F401
from kerastorch.legacy.preprocessing.sequence import make_sampling_table  # noqa: F401
from kerastorch.legacy.preprocessing.sequence import skipgrams  # noqa: F401
from kerastorch.utils.sequence_utils import pad_sequences  # noqa: F401
