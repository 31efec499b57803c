"""Tests of kerastorch's attention layers (one module per package module)."""
