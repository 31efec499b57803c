"""Tests of kerastorch's preprocessing layers (one module per package module)."""
