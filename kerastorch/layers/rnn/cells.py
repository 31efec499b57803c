"""SimpleRNNCell, LSTMCell and GRUCell: Keras's recurrences, one step each, for `RNN(cell)`.

These are the only place the gate maths is written: `SimpleRNN`, `LSTM` and `GRU` are `RNN`s of
these cells, running torch's fused kernel on the cell's weights where it computes the same.
"""

import torch

from kerastorch import activations
from kerastorch.layers.rnn.dropout_rnn_cell import BaseRNNCell
from kerastorch.variables import add_mapped_weight


class SimpleRNNCell(BaseRNNCell):
    """One step of SimpleRNN: `h = activation(x @ kernel + bias + h_prev @ recurrent_kernel)`.

    Weights are torch's `weight_ih (units, input_dim)`, `weight_hh (units, units)`, `bias`, seen
    as Keras's `kernel (input_dim, units)`, `recurrent_kernel (units, units)`, `bias (units,)`;
    torch's fused kernel is `rnn_tanh` / `rnn_relu` for the `"tanh"` / `"relu"` activations.

    Args: as SimpleRNN (units, activation, use_bias, initializers, dropout, recurrent_dropout).
    Call: `cell(inputs (batch, features), states [h])` -> `(h, [h])`.
    """

    def __init__(self, units, activation="tanh", use_bias=True, **kwargs):
        if "recurrent_activation" in kwargs:
            raise TypeError("Keyword argument not understood: 'recurrent_activation' "
                            "(passed to SimpleRNNCell)")
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)
        self._fused_kernel = {activations.tanh: torch.rnn_tanh,
                              activations.relu: torch.rnn_relu}.get(self.activation)

    def fused_ok(self):
        return self._fused_kernel is not None

    def step(self, z_x, states, rdp_masks):
        h = states[0]
        if rdp_masks is not None:
            h = h * rdp_masks[0]
        h = self.activation(z_x + h @ self.weight_hh.t())
        return h, [h]


class LSTMCell(BaseRNNCell):
    """One step of LSTM (gates input, forget, cell, output); states `[h, c]`.

    Keras and torch order the gates the same way, so the weights are torch's `weight_ih
    (4*units, input_dim)`, `weight_hh (4*units, units)` and one `bias (4*units,)`, seen as
    Keras's `kernel`, `recurrent_kernel` and `bias`; torch's fused kernel is `torch.lstm`.

    Args: as LSTM (units, activation, recurrent_activation, use_bias, unit_forget_bias, ...).
    """

    gates = 4
    _fused_kernel = staticmethod(torch.lstm)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 unit_forget_bias=True, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, **kwargs)
        self.unit_forget_bias = unit_forget_bias

    @property
    def state_size(self):
        return [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, units = self.bias_initializer, self.units

        def init(shape, dtype=None):
            return torch.cat([torch.as_tensor(base((units,), dtype=dtype)),
                              torch.ones(units, dtype=dtype),
                              torch.as_tensor(base((2 * units,), dtype=dtype))])
        return init

    def step(self, z_x, states, rdp_masks):
        h, c = states
        if rdp_masks is None:
            z = z_x + h @ self.weight_hh.t()
        else:
            z = z_x + self._split_weight(self.weight_hh, rdp_masks, h)
        zi, zf, zc, zo = z.chunk(4, -1)
        i = self.recurrent_activation(zi)
        f = self.recurrent_activation(zf)
        c = f * c + i * self.activation(zc)
        o = self.recurrent_activation(zo)
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


def _swap_zr(t, dim):
    """Swaps the first two of three gate blocks: torch's (r, z, n) <-> Keras's (z, r, h)."""
    a, b, c = t.chunk(3, dim)
    return torch.cat([b, a, c], dim)


class GRUCell(BaseRNNCell):
    """One step of GRU in Keras's gate order (update, reset, new); `reset_after=True` default.

    The weights are kept in torch's gate order (reset, update, new) as `weight_ih (3*units,
    input_dim)`, `weight_hh (3*units, units)` and `bias`; `kernel (input_dim, 3*units)`,
    `recurrent_kernel (units, 3*units)` and `bias` (`(2, 3*units)` input and recurrent biases
    with `reset_after=True`, else `(3*units,)`) show them in Keras's order (update, reset, new).
    With `reset_after=True` (the same formula as torch's) the fused kernel is `torch.gru`.
    """

    gates = 3
    _fused_kernel = staticmethod(torch.gru)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 reset_after=True, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, **kwargs)
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

    def fused_ok(self):
        return self.reset_after and super().fused_ok()

    def fused_params(self):
        if not self.use_bias:
            return [self.weight_ih, self.weight_hh]
        return [self.weight_ih, self.weight_hh, self.bias[0], self.bias[1]]

    def _input_bias(self):
        if self.bias is None:
            return None
        return self.bias[0] if self.reset_after else self.bias

    def step(self, g_x, states, rdp_masks):
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
        config["reset_after"] = self.reset_after
        return config
