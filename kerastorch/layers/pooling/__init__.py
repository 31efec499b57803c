"""Pooling layers: max, average, adaptive and global pooling in 1D/2D/3D."""
