"""SimpleRNN: Keras's fully-connected recurrent layer, an RNN of SimpleRNNCell on torch's
`rnn_tanh` / `rnn_relu`."""

from kerastorch.layers.rnn.cells import SimpleRNNCell
from kerastorch.layers.rnn.rnn_base import BaseRNN


class SimpleRNN(BaseRNN):
    """Fully-connected RNN: `h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)`.

    An `RNN` of a `SimpleRNNCell` (`layer.cell`), whose weights are torch's `weight_ih (units,
    input_dim)`, `weight_hh (units, units)`, `bias`, seen as Keras's `kernel (input_dim,
    units)`, `recurrent_kernel (units, units)`, `bias (units,)`. Runs torch's fused `rnn_tanh` /
    `rnn_relu` for the `"tanh"` / `"relu"` activations, and Keras's step loop for any other
    activation, `recurrent_dropout` while training, or a mask torch cannot pack (not
    right-padded, or any mask with `go_backwards`).

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

    cell_class = SimpleRNNCell

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
