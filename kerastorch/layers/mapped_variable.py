"""MappedVariable now lives in `kerastorch.variables` with the other variable kinds; these names
stay importable from here for code written against the old path."""

from kerastorch.variables import MappedVariable  # noqa: F401
from kerastorch.variables import add_mapped_weight  # noqa: F401
