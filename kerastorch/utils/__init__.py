"""keras.utils (the parts that exist so far)."""

from kerastorch.backend import set_random_seed  # noqa: F401
from kerastorch.utils.model_visualization import model_to_dot  # noqa: F401
from kerastorch.utils.model_visualization import plot_model  # noqa: F401
from kerastorch.utils.rng_utils import set_random_seed  # noqa: E402,F401,F811
