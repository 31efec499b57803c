"""Reshaping layers: Cropping, Flatten, Permute, RepeatVector, Reshape, UpSampling, ZeroPadding."""
