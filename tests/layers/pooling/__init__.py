"""Tests of kerastorch's pooling layers (one module per package module)."""
