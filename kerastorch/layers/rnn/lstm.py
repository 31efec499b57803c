"""LSTM: Keras's long short-term memory layer, an RNN of LSTMCell on torch's `torch.lstm`."""

from kerastorch.layers.rnn.cells import LSTMCell
from kerastorch.layers.rnn.rnn_base import BaseRNN
from kerastorch.layers.rnn.rnn_base import cell_property


class LSTM(BaseRNN):
    """Long Short-Term Memory layer (Hochreiter 1997), with Keras's arguments and defaults.

    An `RNN` of an `LSTMCell` (`layer.cell`). Keras and torch order the gates the same way
    (input, forget, cell, output), so the cell's weights are torch's `weight_ih (4*units,
    input_dim)`, `weight_hh (4*units, units)` and one `bias (4*units,)`, seen as Keras's `kernel
    (input_dim, 4*units)`, `recurrent_kernel (units, 4*units)` and `bias`. Runs `torch.lstm`
    (cuDNN on GPU) unless the configuration needs Keras's step loop: an activation other than
    tanh/sigmoid, `recurrent_dropout` while training, or a mask that is not right-padded (or any
    mask with `go_backwards`).

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

    cell_class = LSTMCell
    cell_args = ("unit_forget_bias",)
    unit_forget_bias = cell_property("unit_forget_bias")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                         **kwargs)
