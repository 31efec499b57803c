"""Tests of kerastorch's regularization layers (one module per package module)."""
