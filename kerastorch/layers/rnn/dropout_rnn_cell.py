"""BaseRNNCell: arguments, weights and dropout masks shared by SimpleRNNCell, LSTMCell, GRUCell.

Cells keep their weights in Keras's layout (`kernel`, `recurrent_kernel`, `bias`) and compute
one step with Keras's formulas. `keras.layers.RNN(cell)` runs them in a Python loop; the
`SimpleRNN`, `LSTM` and `GRU` layers use torch's fused kernels instead.
"""

import torch

from kerastorch import activations
from kerastorch import initializers
from kerastorch.layers.layer import Layer


class BaseRNNCell(Layer):
    """One recurrent step; subclasses set `gates` and define `step`."""

    gates = 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError("Received an invalid value for argument `units`, expected a "
                             f"positive integer, got {units}.")
        self.units = units
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.recurrent_regularizer = recurrent_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.recurrent_constraint = recurrent_constraint
        self.bias_constraint = bias_constraint
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self._dropout_mask = None
        self._recurrent_dropout_mask = None

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) \
            else [self.state_size]
        dtype = next(self.parameters()).dtype if self.built else torch.float32
        return [torch.zeros(batch_size, s, dtype=dtype) for s in sizes]

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape):
        input_dim = input_shape[-1]
        width = self.gates * self.units
        self.kernel = self.add_weight(shape=(input_dim, width), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(shape=(self.units, width),
                                                name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        if self.use_bias:
            self.bias = self.add_weight(shape=self._bias_shape(), name="bias",
                                        initializer=self._bias_initializer(),
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        else:
            self.bias = None
        self.built = True

    def _bias_shape(self):
        return (self.gates * self.units,)

    # Dropout masks are fixed for a whole sequence: RNN sets them before its loop.
    def _masks(self, count, like, rate):
        keep = 1.0 - rate
        return [(torch.rand(like.shape, device=like.device, dtype=like.dtype) < keep)
                .to(like.dtype) / keep for _ in range(count)]

    def get_dropout_mask(self, step_input):
        if self._dropout_mask is None and self.dropout > 0:
            count = self.gates if self.recurrent_dropout > 0 else 1
            self._dropout_mask = self._masks(count, step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, state):
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._masks(self.gates, state, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None

    def _project(self, w, x, masks):
        """`x @ w`, with one dropout mask for all gates or one per gate block."""
        if masks is None:
            return x @ w
        if len(masks) == 1:
            return (x * masks[0]) @ w
        return torch.cat([(x * m) @ b for m, b in zip(masks, w.chunk(len(masks), -1))], -1)

    def call(self, inputs, states, training=None):
        training = self.training if training is None else training
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        dp = self.get_dropout_mask(inputs) if training and 0 < self.dropout < 1 else None
        rdp = self.get_recurrent_dropout_mask(states[0]) \
            if training and 0 < self.recurrent_dropout < 1 else None
        return self.step(inputs, states, dp, rdp)

    def compute_output_shape(self, inputs_shape, states_shape=None):
        return (inputs_shape[0], self.units)

    def get_config(self):
        config = super().get_config()
        config.update(
            units=self.units, activation=activations.serialize(self.activation),
            use_bias=self.use_bias,
            kernel_initializer=initializers.serialize(self.kernel_initializer),
            recurrent_initializer=initializers.serialize(self.recurrent_initializer),
            bias_initializer=initializers.serialize(self.bias_initializer),
            kernel_regularizer=self.kernel_regularizer,
            recurrent_regularizer=self.recurrent_regularizer,
            bias_regularizer=self.bias_regularizer, kernel_constraint=self.kernel_constraint,
            recurrent_constraint=self.recurrent_constraint,
            bias_constraint=self.bias_constraint, dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout, seed=self.seed)
        if self.gates > 1:
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        return config
