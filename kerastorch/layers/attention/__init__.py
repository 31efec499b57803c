"""Attention layers: Attention, AdditiveAttention, MultiHeadAttention."""

from kerastorch.layers.attention.attention import AdditiveAttention
from kerastorch.layers.attention.attention import Attention
from kerastorch.layers.attention.multi_head_attention import MultiHeadAttention
