"""GRU: Keras's gated recurrent unit on torch's fused `torch.gru` kernel."""

import torch

from kerastorch.variables import add_mapped_weight
from kerastorch.layers.rnn.rnn_base import BaseRNN


def _swap_zr(t, dim):
    """Swaps the first two of three gate blocks: torch's (r, z, n) <-> Keras's (z, r, h)."""
    a, b, c = t.chunk(3, dim)
    return torch.cat([b, a, c], dim)


class GRU(BaseRNN):
    """Gated Recurrent Unit (Cho et al. 2014), with Keras's arguments, defaults and gate order.

    The weights are kept in torch's gate order (reset, update, new) as `weight_ih (3*units,
    input_dim)`, `weight_hh (3*units, units)` and `bias`; `kernel (input_dim, 3*units)`,
    `recurrent_kernel (units, 3*units)` and `bias` (`(2, 3*units)` input and recurrent biases
    with `reset_after=True`, else `(3*units,)`) show them in Keras's order (update, reset, new).
    With `reset_after=True` (Keras's default, the same formula as torch's) the layer runs
    `torch.gru` (cuDNN on GPU); `reset_after=False`, other activations, `recurrent_dropout`
    while training, or a mask torch cannot pack run Keras's step loop.

    Args:
        units: dimensionality of the output and state.
        activation: default `"tanh"`; recurrent_activation: default `"sigmoid"`.
        reset_after: apply the reset gate after the recurrent matrix product (default True).
        dropout, recurrent_dropout, return_sequences, return_state, go_backwards: as in Keras.

    Input shape: `(batch, timesteps, features)`.

    Example:
        >>> GRU(4, return_state=True)(ops.ones((32, 10, 8)))[1].shape
        torch.Size([32, 4])
    """

    gates = 3
    _fused_kernel = staticmethod(torch.gru)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", reset_after=True, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.reset_after = reset_after

    def _build_weights(self, input_dim):
        units = self.units
        self.kernel = add_mapped_weight(
            self, (input_dim, 3 * units), "kernel", self.kernel_initializer, "weight_ih",
            to_keras=lambda w: _swap_zr(w, 0).t(), to_torch=lambda k: _swap_zr(k.t(), 0),
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.recurrent_kernel = add_mapped_weight(
            self, (units, 3 * units), "recurrent_kernel", self.recurrent_initializer,
            "weight_hh", to_keras=lambda w: _swap_zr(w, 0).t(),
            to_torch=lambda k: _swap_zr(k.t(), 0), regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        if self.use_bias:
            shape = (2, 3 * units) if self.reset_after else (3 * units,)
            self.bias_variable = add_mapped_weight(
                self, shape, "bias", self.bias_initializer, "bias",
                to_keras=lambda b: _swap_zr(b, -1), to_torch=lambda b: _swap_zr(b, -1),
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None

    def _fused_ok(self):
        return self.reset_after and super()._fused_ok()

    def _fused_params(self):
        if not self.use_bias:
            return [self.weight_ih, self.weight_hh]
        return [self.weight_ih, self.weight_hh, self.bias[0], self.bias[1]]

    def _project_inputs(self, x, dp_masks):
        if dp_masks is None:
            z = x @ self.weight_ih.t()
        elif len(dp_masks) == 1:
            z = (x * dp_masks[0].unsqueeze(1)) @ self.weight_ih.t()
        else:
            z = self._split_weight(self.weight_ih, [m.unsqueeze(1) for m in dp_masks], x)
        if self.bias is None:
            return z
        return z + (self.bias[0] if self.reset_after else self.bias)

    def _step(self, g_x, states, rdp_masks):
        h = states[0]
        units = self.units
        w_hh = self.weight_hh
        h_r = h_z = h_n = h
        if rdp_masks is not None:
            h_r, h_z, h_n = (h * m for m in rdp_masks)
        x_r, x_z, x_n = g_x.chunk(3, -1)
        if self.reset_after:
            if rdp_masks is None:
                g_h = h @ w_hh.t()
            else:
                g_h = self._split_weight(w_hh, rdp_masks, h)
            if self.bias is not None:
                g_h = g_h + self.bias[1]
            rec_r, rec_z, rec_n = g_h.chunk(3, -1)
            r = self.recurrent_activation(x_r + rec_r)
            z = self.recurrent_activation(x_z + rec_z)
            n = self.activation(x_n + r * rec_n)
        else:
            r = self.recurrent_activation(x_r + h_r @ w_hh[:units].t())
            z = self.recurrent_activation(x_z + h_z @ w_hh[units:2 * units].t())
            n = self.activation(x_n + (r * h_n) @ w_hh[2 * units:].t())
        h = z * h + (1.0 - z) * n
        return h, [h]

    def get_config(self):
        config = super().get_config()
        config.update(reset_after=self.reset_after)
        return config
