"""Normalization layers: BatchNormalization, GroupNormalization, LayerNormalization,
RMSNormalization, UnitNormalization."""

from kerastorch.layers.normalization.batch_normalization import BatchNormalization
from kerastorch.layers.normalization.group_normalization import GroupNormalization
from kerastorch.layers.normalization.layer_normalization import LayerNormalization
from kerastorch.layers.normalization.rms_normalization import RMSNormalization
from kerastorch.layers.normalization.unit_normalization import UnitNormalization
