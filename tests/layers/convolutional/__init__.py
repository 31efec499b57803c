"""Tests of kerastorch's convolutional layers (one module per package module)."""
