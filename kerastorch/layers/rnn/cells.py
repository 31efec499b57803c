"""SimpleRNNCell, LSTMCell and GRUCell: one step of Keras's recurrences, for `RNN(cell)`."""

import torch

from kerastorch.layers.rnn.dropout_rnn_cell import BaseRNNCell


class SimpleRNNCell(BaseRNNCell):
    """One step of SimpleRNN: `h = activation(x @ kernel + bias + h_prev @ recurrent_kernel)`.

    Args: as SimpleRNN (units, activation, use_bias, initializers, dropout, recurrent_dropout).
    Call: `cell(inputs (batch, features), states [h])` -> `(h, [h])`.
    """

    def __init__(self, units, activation="tanh", use_bias=True, **kwargs):
        if "recurrent_activation" in kwargs:
            raise TypeError("Keyword argument not understood: 'recurrent_activation' "
                            "(passed to SimpleRNNCell)")
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)

    def step(self, x, states, dp, rdp):
        h = self._project(self.kernel.value, x, dp)
        if self.bias is not None:
            h = h + self.bias.value
        prev = states[0] if rdp is None else states[0] * rdp[0]
        out = self.activation(h + prev @ self.recurrent_kernel.value)
        return out, [out]


class LSTMCell(BaseRNNCell):
    """One step of LSTM (gates input, forget, cell, output); states `[h, c]`.

    Args: as LSTM (units, activation, recurrent_activation, use_bias, unit_forget_bias, ...).
    """

    gates = 4

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

    def step(self, x, states, dp, rdp):
        h, c = states
        z = self._project(self.kernel.value, x, dp) + \
            self._project(self.recurrent_kernel.value, h, rdp)
        if self.bias is not None:
            z = z + self.bias.value
        zi, zf, zc, zo = z.chunk(4, -1)
        act, rec = self.activation, self.recurrent_activation
        c = rec(zf) * c + rec(zi) * act(zc)
        h = rec(zo) * act(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


class GRUCell(BaseRNNCell):
    """One step of GRU in Keras's gate order (update, reset, new); `reset_after=True` default.

    With `reset_after`, `bias` is `(2, 3 * units)`: input and recurrent biases.
    """

    gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 reset_after=True, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, **kwargs)
        self.reset_after = reset_after

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def step(self, x, states, dp, rdp):
        h = states[0]
        units = self.units
        bias_in = bias_rec = None
        if self.bias is not None:
            b = self.bias.value
            bias_in, bias_rec = (b[0], b[1]) if self.reset_after else (b, None)
        mx = self._project(self.kernel.value, x, dp)
        if bias_in is not None:
            mx = mx + bias_in
        x_z, x_r, x_h = mx.chunk(3, -1)
        hs = [h * m for m in rdp] if rdp is not None else [h, h, h]
        u = self.recurrent_kernel.value
        if self.reset_after:
            inner = self._project(u, h, rdp)
            if bias_rec is not None:
                inner = inner + bias_rec
            r_z, r_r, r_h = inner.chunk(3, -1)
        else:
            r_z = hs[0] @ u[:, :units]
            r_r = hs[1] @ u[:, units:2 * units]
        z = self.recurrent_activation(x_z + r_z)
        r = self.recurrent_activation(x_r + r_r)
        if self.reset_after:
            r_h = r * r_h
        else:
            r_h = (r * hs[2]) @ u[:, 2 * units:]
        hh = self.activation(x_h + r_h)
        h = z * h + (1.0 - z) * hh
        return h, [h]

    def get_config(self):
        config = super().get_config()
        config["reset_after"] = self.reset_after
        return config
