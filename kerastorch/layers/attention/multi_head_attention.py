"""MultiHeadAttention with Keras's weight layout (so weights copy across unchanged)."""

import math

import torch
import torch.nn.functional as F

from kerastorch import initializers
from kerastorch.layers.regularization.dropout import Dropout
from kerastorch.layers.layer import Layer
from kerastorch.tensor.keras_tensor import KerasTensor
from kerastorch.tensor.node import Node


class _Projection(Layer):
    """Keras's `EinsumDense` as MultiHeadAttention uses it: contracts the last `n_in` axes of
    the input with the first `n_in` axes of a kernel of shape `(*in_dims, *out_dims)`."""

    def __init__(self, in_dims, out_dims, use_bias, kernel_initializer, bias_initializer,
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.in_dims, self.out_dims = tuple(in_dims), tuple(out_dims)
        self.kernel = self.add_weight(shape=self.in_dims + self.out_dims, name="kernel",
                                      initializer=kernel_initializer,
                                      regularizer=kernel_regularizer,
                                      constraint=kernel_constraint, torch_name="weight")
        if use_bias:
            self.bias_variable = self.add_weight(shape=self.out_dims, name="bias",
                                                 initializer=bias_initializer,
                                                 regularizer=bias_regularizer,
                                                 constraint=bias_constraint, torch_name="bias")
        else:
            self.bias = None
        self._n_in = math.prod(self.in_dims)
        self.built = True

    def call(self, inputs):
        lead = inputs.shape[:inputs.ndim - len(self.in_dims)]
        x = inputs.reshape(lead + (self._n_in,)) @ self.weight.reshape(self._n_in, -1)
        x = x.reshape(lead + self.out_dims)
        return x if self.bias is None else x + self.bias

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:len(input_shape) - len(self.in_dims)]) + self.out_dims


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017), computed as Keras computes it.

    Weights, in Keras's order and shapes: `query/kernel (dim, heads, key_dim)`, `query/bias
    (heads, key_dim)`, the same for `key` and `value` (`value_dim`), and
    `attention_output/kernel (heads, value_dim, out_dim)`, `attention_output/bias (out_dim,)`.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default `key_dim`).
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        output_shape: output size(s) besides the batch and sequence axes (default: the query's
            last dimension).
        attention_axes: the axes attention runs over (default: all but batch, heads, features).
        kernel_initializer, bias_initializer, regularizers, constraints: of the projections.
        seed: seed of the dropout.

    Call arguments:
        query `(B, T, dim)`, value `(B, S, dim)`, key (default value), attention_mask
        `(B, T, S)` (True = attend), return_attention_scores, training, use_causal_mask.

    Example:
        >>> mha = MultiHeadAttention(num_heads=2, key_dim=4)
        >>> mha(ops.ones((1, 8, 16)), ops.ones((1, 4, 16))).shape
        torch.Size([1, 8, 16])
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 seed=None, flash_attention=None, **kwargs):
        if not isinstance(num_heads, int) or num_heads <= 0:
            raise ValueError("Received an invalid value for argument `num_heads`, expected a "
                             f"positive integer. Received: num_heads={num_heads}")
        if not isinstance(key_dim, int) or key_dim <= 0:
            raise ValueError("Received an invalid value for argument `key_dim`, expected a "
                             f"positive integer. Received: key_dim={key_dim}")
        if value_dim is not None and (not isinstance(value_dim, int) or value_dim <= 0):
            raise ValueError("Received an invalid value for argument `value_dim`, expected a "
                             f"positive integer or `None`. Received: value_dim={value_dim}")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self._num_heads, self._key_dim = num_heads, key_dim
        self._value_dim = value_dim or key_dim
        self._dropout, self._use_bias = dropout, use_bias
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        elif output_shape is not None:
            output_shape = tuple(output_shape)
        self._output_shape = output_shape
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        self._attention_axes = tuple(attention_axes) if attention_axes is not None else None
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))
        self._dropout_layer = Dropout(dropout, seed=seed) if dropout > 0 else None

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    def _projection(self, in_dims, out_dims, name):
        return _Projection(in_dims, out_dims, self._use_bias, self.kernel_initializer,
                           self.bias_initializer, self.kernel_regularizer, self.bias_regularizer,
                           self.kernel_constraint, self.bias_constraint, name=name,
                           dtype=self.dtype)

    def build(self, query_shape, value_shape=None, key_shape=None):
        if value_shape is None and isinstance(query_shape, (list, tuple)) \
                and query_shape and isinstance(query_shape[0], (list, tuple)):
            shapes = list(query_shape)
            query_shape, value_shape = shapes[0], shapes[1]
            key_shape = shapes[2] if len(shapes) > 2 else None
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError("All dimensions of `value` and `key`, except the last one, must be "
                             f"equal. Received: value_shape={tuple(value_shape)} and "
                             f"key_shape={tuple(key_shape)}")
        heads = self._num_heads
        self.query_dense = self._projection((query_shape[-1],), (heads, self._key_dim), "query")
        self.key_dense = self._projection((key_shape[-1],), (heads, self._key_dim), "key")
        self.value_dense = self._projection((value_shape[-1],), (heads, self._value_dim), "value")
        out = self._output_shape or (query_shape[-1],)
        self.output_dense = self._projection((heads, self._value_dim), out, "attention_output")
        rank = len(query_shape) + 1  # projected rank: (B, *seq, heads, dim)
        axes = self._attention_axes
        axes = tuple(range(1, rank - 2)) if axes is None else \
            tuple(a if a >= 0 else (rank - 1) + a for a in axes)
        self._attn_axes = axes
        self._batch_axes = tuple(a for a in range(1, rank - 2) if a not in axes)
        perm = (0,) + self._batch_axes + (rank - 2,) + axes + (rank - 1,)
        self._from_heads = tuple(perm.index(i) for i in range(rank))
        self.built = True

    def _to_heads(self, x):
        """(B, *seq, N, H) -> (B, *other, N, L, H) with the attention axes flattened into L."""
        n = x.ndim
        perm = (0,) + self._batch_axes + (n - 2,) + self._attn_axes + (n - 1,)
        x = x.permute(perm)
        lead = x.shape[:2 + len(self._batch_axes)]
        return x.reshape(lead + (-1, x.shape[-1])), x.shape

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if training is None:
            training = self.training
        if key is None:
            key = value
        q = self.query_dense(query) * self._inverse_sqrt_key_dim
        k = self.key_dense(key)
        v = self.value_dense(value)
        causal_only = (use_causal_mask and attention_mask is None and query_mask is None
                       and value_mask is None and key_mask is None)
        mask = None if causal_only else self._attention_mask(
            query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask)
        qh, q_full = self._to_heads(q)
        kh, k_full = self._to_heads(k)
        vh, _ = self._to_heads(v)
        n_attn = len(self._attn_axes)
        keras_shape = q_full[:-1] + k_full[-1 - n_attn:-1]  # (B, *other, N, *Tq, *Tk)
        if mask is not None:
            mask = mask.to(torch.bool)
            if mask.ndim < len(keras_shape):  # heads (and missing axes) go before T.., S..
                cut = mask.ndim - 2 * n_attn
                mask = mask.reshape(mask.shape[:cut] + (1,) * (len(keras_shape) - mask.ndim)
                                    + mask.shape[cut:])
            mask = mask.expand(keras_shape).reshape(qh.shape[:-1] + (kh.shape[-2],))
        dropout = self._dropout if training else 0.0
        if not return_attention_scores and (dropout == 0.0 or self.seed is None):
            # Fused attention; Keras's -1e9 for masked scores becomes an additive mask (the
            # same probabilities, uniform on fully masked rows as in Keras).
            bias = None if mask is None else torch.zeros(
                mask.shape, dtype=qh.dtype, device=qh.device).masked_fill_(~mask, -1e9)
            causal = causal_only and qh.shape[-2] == kh.shape[-2]
            if causal_only and not causal:
                t, s = qh.shape[-2], kh.shape[-2]
                bias = torch.zeros((t, s), dtype=qh.dtype, device=qh.device).masked_fill_(
                    ~torch.ones((t, s), dtype=torch.bool, device=qh.device).tril(), -1e9)
            out = F.scaled_dot_product_attention(qh, kh, vh, attn_mask=bias, dropout_p=dropout,
                                                 is_causal=causal, scale=1.0)
            probs = None
        else:
            if causal_only:
                mask = self._attention_mask(query, value, None, None, None, None, True)
                mask = mask.expand(keras_shape).reshape(qh.shape[:-1] + (kh.shape[-2],))
            scores = qh @ kh.transpose(-1, -2)  # (B, *other, N, Tq, Tk)
            if mask is not None:
                scores = scores.masked_fill(~mask, -1e9)
            probs = scores.softmax(dim=-1)
            dropped = probs
            if self._dropout_layer is not None and training:
                dropped = self._dropout_layer(probs, training=True)
            out = dropped @ vh  # (B, *other, N, Tq, Hv)
        out = out.reshape(q_full[:-1] + (out.shape[-1],))
        out = self.output_dense(out.permute(self._from_heads))
        if return_attention_scores:
            return out, probs.reshape(keras_shape)
        return out

    def _attention_mask(self, query, value, query_mask, value_mask, key_mask, attention_mask,
                        use_causal_mask):
        auto = None
        if query_mask is not None:
            auto = query_mask.to(torch.bool).unsqueeze(-1)
        for m in (value_mask, key_mask):
            if m is not None:
                m = m.to(torch.bool).unsqueeze(-2)
                auto = m if auto is None else auto & m
        if use_causal_mask:
            t, s = query.shape[1], value.shape[1]
            causal = torch.ones((t, s), dtype=torch.bool, device=query.device).tril().unsqueeze(0)
            auto = causal if auto is None else auto & causal
        if attention_mask is not None:
            attention_mask = attention_mask.to(torch.bool)
            return attention_mask if auto is None else attention_mask & auto
        return auto

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        if value_shape is None and isinstance(query_shape, (list, tuple)) \
                and query_shape and isinstance(query_shape[0], (list, tuple)):
            query_shape, value_shape = query_shape[0], query_shape[1]
        if self._output_shape:
            return tuple(query_shape[:-1]) + self._output_shape
        return tuple(query_shape)

    def _call_slow(self, args, kwargs):
        if not self.built:
            names = ("query", "value", "key")
            parts = [args[i] if len(args) > i else kwargs.get(n) for i, n in enumerate(names)]
            if all(isinstance(p, torch.Tensor) or p is None for p in parts):
                if parts[1] is None:
                    raise ValueError(f'Layer "{self.name}" must be called with `query` and '
                                     "`value` tensors.")
                self._maybe_build(tuple(None if p is None else tuple(p.shape) for p in parts))
                self._move_to(parts[0].device)
        return super()._call_slow(args, kwargs)

    def _call_symbolic(self, inputs, args, kwargs):
        return _symbolic_attention(self, inputs, args, kwargs)

    def get_config(self):
        config = super().get_config()
        config.update(num_heads=self._num_heads, key_dim=self._key_dim,
                      value_dim=self._value_dim, dropout=self._dropout, use_bias=self._use_bias,
                      output_shape=self._output_shape, attention_axes=self._attention_axes,
                      kernel_initializer=initializers.serialize(self.kernel_initializer),
                      bias_initializer=initializers.serialize(self.bias_initializer),
                      kernel_regularizer=self.kernel_regularizer,
                      bias_regularizer=self.bias_regularizer,
                      kernel_constraint=self.kernel_constraint,
                      bias_constraint=self.bias_constraint, seed=self.seed)
        return config


def _symbolic_attention(layer, query, args, kwargs):
    """A symbolic call on KerasTensors: query, value (and key) as separate arguments."""
    kwargs = dict(kwargs)
    value = args[0] if args else kwargs.get("value")
    key = args[1] if len(args) > 1 else kwargs.get("key")
    shape = lambda t: t.shape if isinstance(t, KerasTensor) else tuple(t.shape)  # noqa: E731
    if not layer.built:
        layer._maybe_build((shape(query), shape(value), shape(key) if key is not None else None))
    out_shape = layer.compute_output_shape(shape(query), shape(value))
    output = KerasTensor(out_shape, layer.dtype)
    outputs = output
    if kwargs.get("return_attention_scores"):
        qs = shape(query)
        vs = shape(value)
        n_attn = len(layer._attn_axes)
        other = tuple(qs[a] for a in layer._batch_axes)
        scores_shape = ((qs[0],) + other + (layer.num_heads,)
                        + tuple(qs[a] for a in layer._attn_axes)
                        + tuple(vs[a] for a in layer._attn_axes))
        assert len(scores_shape) == 2 + len(other) + 2 * n_attn
        outputs = (output, KerasTensor(scores_shape, layer.dtype))
    Node(layer, query, args, kwargs, outputs)
    return outputs
