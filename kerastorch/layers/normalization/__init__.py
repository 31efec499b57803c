"""Normalization layers: BatchNormalization, GroupNormalization, LayerNormalization,
RMSNormalization, UnitNormalization."""
