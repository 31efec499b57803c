"""SimpleRNN: Keras's fully-connected recurrent layer on torch's `rnn_tanh` / `rnn_relu`."""

import torch

from kerastorch import activations
from kerastorch.layers.rnn.rnn_base import BaseRNN


class SimpleRNN(BaseRNN):
    """Fully-connected RNN: `h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)`.

    Weights are torch's `weight_ih (units, input_dim)`, `weight_hh (units, units)`, `bias`, seen
    as Keras's `kernel (input_dim, units)`, `recurrent_kernel (units, units)`, `bias (units,)`.
    Runs torch's fused `rnn_tanh` / `rnn_relu` for the `"tanh"` / `"relu"` activations, and
    Keras's step loop for any other activation, `recurrent_dropout` while training, or a mask
    torch cannot pack (not right-padded, or any mask with `go_backwards`).

    Args:
        units: dimensionality of the output.
        activation: default `"tanh"`.
        use_bias, kernel_initializer, recurrent_initializer (`"orthogonal"`), bias_initializer.
        dropout, recurrent_dropout: fractions dropped while training.
        return_sequences, return_state, go_backwards: as in Keras; stateful: the final states
        of a call start the next one (`reset_states()` clears them).

    Input shape: `(batch, timesteps, features)`.

    Example:
        >>> SimpleRNN(4, return_sequences=True)(ops.ones((32, 10, 8))).shape
        torch.Size([32, 10, 4])
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", **kwargs):
        if "recurrent_activation" in kwargs:
            raise TypeError("Keyword argument not understood: 'recurrent_activation' "
                            "(passed to SimpleRNN)")
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self._fused_kernel = {activations.tanh: torch.rnn_tanh,
                              activations.relu: torch.rnn_relu}.get(self.activation)

    def _fused_ok(self):
        return self._fused_kernel is not None

    def _build_weights(self, input_dim):
        units = self.units
        self.kernel = self.add_weight(shape=(input_dim, units), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint,
                                      torch_name="weight_ih", layout=(1, 0))
        self.recurrent_kernel = self.add_weight(shape=(units, units), name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint,
                                                torch_name="weight_hh", layout=(1, 0))
        if self.use_bias:
            self.bias_variable = self.add_weight(shape=(units,), name="bias",
                                                 initializer=self.bias_initializer,
                                                 regularizer=self.bias_regularizer,
                                                 constraint=self.bias_constraint,
                                                 torch_name="bias")
        else:
            self.bias = None

    def _project_inputs(self, x, dp_masks):
        if dp_masks is not None:
            x = x * dp_masks[0].unsqueeze(1)
        z = x @ self.weight_ih.t()
        return z if self.bias is None else z + self.bias

    def _step(self, z_x, states, rdp_masks):
        h = states[0]
        if rdp_masks is not None:
            h = h * rdp_masks[0]
        h = self.activation(z_x + h @ self.weight_hh.t())
        return h, [h]
