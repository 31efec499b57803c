"""keras.utils (the parts that exist so far)."""

from kerastorch.backend import set_random_seed  # noqa: F401
