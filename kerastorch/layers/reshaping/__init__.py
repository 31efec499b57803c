"""Reshaping layers: Cropping, Flatten, Permute, RepeatVector, Reshape, UpSampling, ZeroPadding."""

from kerastorch.layers.reshaping.cropping import Cropping1D
from kerastorch.layers.reshaping.cropping import Cropping2D
from kerastorch.layers.reshaping.cropping import Cropping3D
from kerastorch.layers.reshaping.flatten import Flatten
from kerastorch.layers.reshaping.permute import Permute
from kerastorch.layers.reshaping.repeat_vector import RepeatVector
from kerastorch.layers.reshaping.reshape import Reshape
from kerastorch.layers.reshaping.up_sampling import UpSampling1D
from kerastorch.layers.reshaping.up_sampling import UpSampling2D
from kerastorch.layers.reshaping.up_sampling import UpSampling3D
from kerastorch.layers.reshaping.zero_padding import ZeroPadding1D
from kerastorch.layers.reshaping.zero_padding import ZeroPadding2D
from kerastorch.layers.reshaping.zero_padding import ZeroPadding3D
