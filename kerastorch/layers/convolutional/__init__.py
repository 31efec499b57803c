"""Convolution layers: Conv, ConvTranspose, DepthwiseConv and SeparableConv in 1D/2D/3D, and their
shape helpers (conv_utils)."""
