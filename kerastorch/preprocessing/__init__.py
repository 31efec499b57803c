"""`keras.preprocessing`: Keras 3's names (the dataset utilities, `image`, `sequence`) and
Keras 2's (`text`, and `image` / `sequence` in full), so that `keras.preprocessing.*` and
`tensorflow.keras.preprocessing.*` imports of either version work."""

from kerastorch.preprocessing import image  # noqa: F401
from kerastorch.preprocessing import sequence  # noqa: F401
from kerastorch.preprocessing import text  # noqa: F401
from kerastorch.utils.image_dataset_utils import image_dataset_from_directory  # noqa: F401
from kerastorch.utils.text_dataset_utils import text_dataset_from_directory  # noqa: F401
from kerastorch.utils.timeseries_dataset_utils import timeseries_dataset_from_array  # noqa: F401,E501
