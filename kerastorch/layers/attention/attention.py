"""Attention (Luong-style dot product) and AdditiveAttention (Bahdanau-style)."""

import torch

from kerastorch.layers.regularization.dropout import Dropout
from kerastorch.layers.layer import Layer


class Attention(Layer):
    """Dot-product attention: `softmax(query @ key^T) @ value`.

    Args:
        use_scale: learn a scalar `scale` multiplying the scores.
        score_mode: `"dot"` (default) or `"concat"` (`sum(tanh(query + key))`, scaled by a
            learned `concat_score_weight`).
        dropout: dropout rate on the attention probabilities (training only).
        seed: seed of the dropout.

    Call arguments:
        inputs: `[query (B, Tq, dim), value (B, Tv, dim)]` or with `key (B, Tv, dim)` third.
        mask: `[query_mask (B, Tq), value_mask (B, Tv)]` (True = keep).
        return_attention_scores, training, use_causal_mask.

    Output shape: `(B, Tq, dim)`.

    Example:
        >>> Attention()([ops.ones((2, 3, 4)), ops.ones((2, 5, 4))]).shape
        torch.Size([2, 3, 4])
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError("Invalid value for argument score_mode. Expected one of "
                             f"{{'dot', 'concat'}}. Received: score_mode={score_mode}")
        self.use_scale, self.score_mode, self.dropout, self.seed = (use_scale, score_mode,
                                                                    dropout, seed)
        self._dropout_layer = Dropout(dropout, seed=seed) if dropout > 0 else None
        self.supports_masking = True

    def _validate(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"{name} layer must be called on a list of inputs, namely "
                             f"[query, value] or [query, value, key]. Received: inputs={inputs}.")
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely [query, "
                             f"value] or [query, value, key]. Received length: {len(inputs)}.")
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(f"{name} layer mask must be a list, namely [query_mask, "
                                 f"value_mask]. Received: mask={mask}.")
            if len(mask) < 2 or len(mask) > 3:
                raise ValueError(f"{name} layer accepts mask list of length 2 or 3. "
                                 f"Received: inputs={inputs}, mask={mask}.")

    def build(self, input_shape):
        self._validate(input_shape)
        if self.use_scale:
            self.scale = self.add_weight(shape=(), name="scale", initializer="ones")
        else:
            self.scale = None
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(shape=(), name="concat_score_weight",
                                                       initializer="ones")
        self.built = True

    def _scale_value(self):
        return None if self.scale is None else self.scale.value

    def _scores(self, query, key):
        scale = self._scale_value()
        if self.score_mode == "dot":
            scores = query @ key.transpose(-1, -2)
            return scores if scale is None else scores * scale
        pair = query.unsqueeze(-2) + key.unsqueeze(-3)
        if scale is not None:
            pair = scale * pair
        return self.concat_score_weight.value * pair.tanh().sum(dim=-1)

    def call(self, inputs, mask=None, training=None, return_attention_scores=False,
             use_causal_mask=False):
        self._validate(inputs, mask)
        if training is None:
            training = self.training
        q, v = inputs[0], inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        scores = self._scores(q, k)
        score_mask = None if v_mask is None else v_mask.to(torch.bool).unsqueeze(-2)
        if use_causal_mask:
            causal = torch.ones(scores.shape[-2:], dtype=torch.bool,
                                device=scores.device).tril().unsqueeze(0)
            score_mask = causal if score_mask is None else score_mask & causal
        if score_mask is not None:
            big = 65504.0 if scores.dtype == torch.float16 else 1.0e9
            scores = torch.where(score_mask, scores, scores - big)
        weights = scores.softmax(dim=-1)
        dropped = weights
        if training and self._dropout_layer is not None:
            dropped = self._dropout_layer(weights, training=True)
        out = dropped @ v
        if q_mask is not None:
            out = torch.where(q_mask.to(torch.bool).unsqueeze(-1), out, 0.0)
        if return_attention_scores:
            return out, weights
        return out

    def compute_mask(self, inputs, mask=None):
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def compute_output_shape(self, input_shape):
        query, value = input_shape[0], input_shape[1]
        return tuple(query[:-1]) + (value[-1],)

    def get_config(self):
        config = super().get_config()
        config.update(use_scale=self.use_scale, score_mode=self.score_mode,
                      dropout=self.dropout, seed=self.seed)
        return config


class AdditiveAttention(Attention):
    """Additive attention: scores `sum(scale * tanh(query + key), axis=-1)`.

    Args:
        use_scale: learn a per-feature `scale` vector (default True), of the size of the
            value's last axis, as in tf.keras 2.
        dropout: dropout rate on the attention probabilities (training only).

    Call arguments and shapes as `Attention`.

    Example:
        >>> AdditiveAttention()([ops.ones((2, 3, 4)), ops.ones((2, 5, 4))]).shape
        torch.Size([2, 3, 4])
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate(input_shape)
        # tf.keras 2 sizes `scale` by the value's last axis (Keras 3 by the query's): it then
        # broadcasts against tanh(query + key), so the two must be broadcastable.
        dim = input_shape[1][-1]
        key_dim = input_shape[-1][-1]
        if self.use_scale and dim not in (1, key_dim) and key_dim != 1:
            raise ValueError(f'Layer "{self.name}": the scale has the size of the last axis of '
                             f"the value ({dim}), which does not broadcast against the last "
                             f"axis of the query and key ({key_dim}). Received input shapes "
                             f"{[tuple(s) for s in input_shape]}")
        if self.use_scale:
            self.scale = self.add_weight(shape=(dim,), name="scale",
                                         initializer="glorot_uniform")
        else:
            self.scale = None
        self.built = True

    def _scores(self, query, key):
        pair = (query.unsqueeze(-2) + key.unsqueeze(-3)).tanh()
        scale = self._scale_value()
        if scale is not None:
            pair = scale * pair
        return pair.sum(dim=-1)

    def get_config(self):
        config = super().get_config()
        config.pop("score_mode")
        return config
