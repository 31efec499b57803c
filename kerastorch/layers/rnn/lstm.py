"""LSTM: Keras's long short-term memory layer on torch's fused `torch.lstm` kernel."""

import torch

from kerastorch.layers.rnn.rnn_base import BaseRNN


class LSTM(BaseRNN):
    """Long Short-Term Memory layer (Hochreiter 1997), with Keras's arguments and defaults.

    Keras and torch order the gates the same way (input, forget, cell, output), so the weights
    are torch's `weight_ih (4*units, input_dim)`, `weight_hh (4*units, units)` and one `bias
    (4*units,)`, seen as Keras's `kernel (input_dim, 4*units)`, `recurrent_kernel (units,
    4*units)` and `bias`. Runs `torch.lstm` (cuDNN on GPU) unless the configuration needs
    Keras's step loop: an activation other than tanh/sigmoid, `recurrent_dropout` while
    training, or a mask that is not right-padded (or any mask with `go_backwards`).

    Args:
        units: dimensionality of the output and states.
        activation: default `"tanh"`; recurrent_activation: default `"sigmoid"`.
        use_bias: default True; unit_forget_bias: add 1 to the forget-gate bias at init.
        dropout, recurrent_dropout: fractions of the inputs / states dropped while training.
        return_sequences: return the whole output sequence instead of the last output.
        return_state: also return the last states `h, c`.
        go_backwards: process the sequence backwards (outputs come in processing order).
        stateful: keep the final states of a call as the initial states of the next one
            (same batch size each call; `reset_states()` starts again from zeros).

    Input shape: `(batch, timesteps, features)`; call arguments `mask` (bool `(batch,
    timesteps)`), `training`, `initial_state` (`[h, c]`).

    Example:
        >>> LSTM(4)(ops.ones((32, 10, 8))).shape
        torch.Size([32, 4])
    """

    gates = 4
    state_count = 2
    _fused_kernel = staticmethod(torch.lstm)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.unit_forget_bias = unit_forget_bias

    def _build_weights(self, input_dim):
        units = self.units
        self.kernel = self.add_weight(shape=(input_dim, 4 * units), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint,
                                      torch_name="weight_ih", layout=(1, 0))
        self.recurrent_kernel = self.add_weight(shape=(units, 4 * units),
                                                name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint,
                                                torch_name="weight_hh", layout=(1, 0))
        if self.use_bias:
            if self.unit_forget_bias:
                base = self.bias_initializer

                def bias_initializer(shape, dtype=None):
                    return torch.cat([torch.as_tensor(base((units,), dtype=dtype)),
                                      torch.ones(units, dtype=dtype),
                                      torch.as_tensor(base((2 * units,), dtype=dtype))])
            else:
                bias_initializer = self.bias_initializer
            self.bias_variable = self.add_weight(shape=(4 * units,), name="bias",
                                                 initializer=bias_initializer,
                                                 regularizer=self.bias_regularizer,
                                                 constraint=self.bias_constraint,
                                                 torch_name="bias")
        else:
            self.bias = None

    def _project_inputs(self, x, dp_masks):
        if dp_masks is None:
            z = x @ self.weight_ih.t()
        elif len(dp_masks) == 1:
            z = (x * dp_masks[0].unsqueeze(1)) @ self.weight_ih.t()
        else:
            z = self._split_weight(self.weight_ih, [m.unsqueeze(1) for m in dp_masks], x)
        return z if self.bias is None else z + self.bias

    def _step(self, z_x, states, rdp_masks):
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
        config.update(unit_forget_bias=self.unit_forget_bias)
        return config
