"""Tests of kerastorch's reshaping layers (one module per package module)."""
