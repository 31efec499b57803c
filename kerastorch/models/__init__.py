"""keras.models."""

from kerastorch.models.model import Model
from kerastorch.models.sequential import Sequential
