"""GRU: Keras's gated recurrent unit, an RNN of GRUCell on torch's `torch.gru`."""

from kerastorch.layers.rnn.cells import GRUCell
from kerastorch.layers.rnn.rnn_base import BaseRNN
from kerastorch.layers.rnn.rnn_base import cell_property


class GRU(BaseRNN):
    """Gated Recurrent Unit (Cho et al. 2014), with Keras's arguments, defaults and gate order.

    An `RNN` of a `GRUCell` (`layer.cell`), whose weights are kept in torch's gate order (reset,
    update, new) as `weight_ih (3*units, input_dim)`, `weight_hh (3*units, units)` and `bias`;
    `kernel (input_dim, 3*units)`, `recurrent_kernel (units, 3*units)` and `bias` (`(2,
    3*units)` input and recurrent biases with `reset_after=True`, else `(3*units,)`) show them
    in Keras's order (update, reset, new). With `reset_after=True` (Keras's default, the same
    formula as torch's) the layer runs `torch.gru` (cuDNN on GPU); `reset_after=False`, other
    activations, `recurrent_dropout` while training, or a mask torch cannot pack run Keras's
    step loop.

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

    cell_class = GRUCell
    cell_args = ("reset_after",)
    reset_after = cell_property("reset_after")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", reset_after=True, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, reset_after=reset_after, **kwargs)
