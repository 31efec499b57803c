"""Convolution layers: Conv, ConvTranspose, DepthwiseConv and SeparableConv in 1D/2D/3D, and their
shape helpers (conv_utils)."""

from kerastorch.layers.convolutional.conv import Conv1D
from kerastorch.layers.convolutional.conv import Conv2D
from kerastorch.layers.convolutional.conv import Conv3D
from kerastorch.layers.convolutional.conv import Convolution1D
from kerastorch.layers.convolutional.conv import Convolution2D
from kerastorch.layers.convolutional.conv import Convolution3D
from kerastorch.layers.convolutional.conv_transpose import Conv1DTranspose
from kerastorch.layers.convolutional.conv_transpose import Conv2DTranspose
from kerastorch.layers.convolutional.conv_transpose import Conv3DTranspose
from kerastorch.layers.convolutional.conv_transpose import Convolution1DTranspose
from kerastorch.layers.convolutional.conv_transpose import Convolution2DTranspose
from kerastorch.layers.convolutional.conv_transpose import Convolution3DTranspose
from kerastorch.layers.convolutional.depthwise_conv import DepthwiseConv1D
from kerastorch.layers.convolutional.depthwise_conv import DepthwiseConv2D
from kerastorch.layers.convolutional.separable_conv import SeparableConv1D
from kerastorch.layers.convolutional.separable_conv import SeparableConv2D
from kerastorch.layers.convolutional.separable_conv import SeparableConvolution1D
from kerastorch.layers.convolutional.separable_conv import SeparableConvolution2D
