"""keras.utils (the parts that exist so far)."""

from kerastorch.backend import set_random_seed  # noqa: F401
from kerastorch.utils.model_visualization import model_to_dot  # noqa: F401
from kerastorch.utils.model_visualization import plot_model  # noqa: F401
from kerastorch.utils.rng_utils import set_random_seed  # noqa: E402,F401,F811
from kerastorch.utils.dataset_utils import split_dataset  # noqa: E402,F401
from kerastorch.utils.file_utils import get_file  # noqa: E402,F401
from kerastorch.utils.image_dataset_utils import image_dataset_from_directory  # noqa: E402,F401
from kerastorch.utils.numerical_utils import normalize  # noqa: E402,F401
from kerastorch.utils.numerical_utils import to_categorical  # noqa: E402,F401
from kerastorch.utils.py_dataset import PyDataset  # noqa: E402,F401
from kerastorch.utils.py_dataset import Sequence  # noqa: E402,F401
from kerastorch.utils.sequence_utils import pad_sequences  # noqa: E402,F401
from kerastorch.utils.text_dataset_utils import text_dataset_from_directory  # noqa: E402,F401
from kerastorch.utils.timeseries_dataset_utils import timeseries_dataset_from_array  # noqa: E402,F401,E501
