"""Tests of kerastorch's activations layers (one module per package module)."""
