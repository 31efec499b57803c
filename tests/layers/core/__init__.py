"""Tests of kerastorch's core layers (one module per package module)."""
