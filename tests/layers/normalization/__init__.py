"""Tests of kerastorch's normalization layers (one module per package module)."""
