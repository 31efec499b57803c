"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, and their
functional forms."""

from kerastorch.layers.merging.merging import Add
from kerastorch.layers.merging.merging import Average
from kerastorch.layers.merging.merging import Concatenate
from kerastorch.layers.merging.merging import Dot
from kerastorch.layers.merging.merging import Maximum
from kerastorch.layers.merging.merging import Minimum
from kerastorch.layers.merging.merging import Multiply
from kerastorch.layers.merging.merging import Subtract
from kerastorch.layers.merging.merging import add
from kerastorch.layers.merging.merging import average
from kerastorch.layers.merging.merging import concatenate
from kerastorch.layers.merging.merging import dot
from kerastorch.layers.merging.merging import maximum
from kerastorch.layers.merging.merging import minimum
from kerastorch.layers.merging.merging import multiply
from kerastorch.layers.merging.merging import subtract
