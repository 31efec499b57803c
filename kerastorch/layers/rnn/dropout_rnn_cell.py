"""BaseRNNCell: arguments, weights and dropout masks shared by SimpleRNNCell, LSTMCell, GRUCell.

A cell keeps its weights in torch's layout (`weight_ih`, `weight_hh`, `bias`, as `torch.lstm`
/ `torch.gru` / `torch.rnn_tanh` take them) and shows Keras's `kernel`, `recurrent_kernel` and
`bias` through views. Its recurrence is written once, in two parts: `project_inputs` (the input
products, for one step or for all steps at once) and `step` (one step of the gate maths). A
`keras.layers.RNN` of a built-in cell (so `SimpleRNN`, `LSTM` and `GRU`, which are such RNNs)
runs torch's fused kernel on the cell's weights whenever `fused_ok()`, and `step` otherwise.
"""

import torch

from kerastorch import activations
from kerastorch import initializers
from kerastorch.layers.layer import Layer


class BaseRNNCell(Layer):
    """One recurrent step; subclasses set `gates` and define `_build_weights` and `step`."""

    gates = 1            # gate blocks in the kernels (4 for LSTM, 3 for GRU)
    _fused_kernel = None  # torch's fused recurrence computing this cell (torch.lstm, ...)

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
        self._generator = None if seed is None else torch.Generator().manual_seed(int(seed))
        self._dropout_mask = None
        self._recurrent_dropout_mask = None
        self.register_load_state_dict_pre_hook(_load_keras_layout_state_dict)

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

    # ------------------------------------------------------------------ weights
    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f'The last dimension of the inputs to layer "{self.name}" should be '
                             f"defined. Found None. Full input shape received: {input_shape}")
        self._build_weights(int(input_dim))
        # torch's fused kernels take two biases; Keras has one (or a stacked pair for GRU).
        self.register_buffer("_zero_hh", torch.zeros(self.gates * self.units,
                                                     dtype=self.weight_ih.dtype),
                             persistent=False)
        self.built = True

    def _add_kernels(self, input_dim):
        """`kernel` and `recurrent_kernel`: torch's `weight_ih` / `weight_hh`, transposed."""
        width = self.gates * self.units
        self.kernel = self.add_weight(shape=(input_dim, width), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint,
                                      torch_name="weight_ih", layout=(1, 0))
        self.recurrent_kernel = self.add_weight(shape=(self.units, width),
                                                name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint,
                                                torch_name="weight_hh", layout=(1, 0))

    def _build_weights(self, input_dim):
        self._add_kernels(input_dim)
        if self.use_bias:
            self.bias_variable = self.add_weight(shape=(self.gates * self.units,), name="bias",
                                                 initializer=self._bias_initializer(),
                                                 regularizer=self.bias_regularizer,
                                                 constraint=self.bias_constraint,
                                                 torch_name="bias")
        else:
            self.bias = None

    def _bias_initializer(self):
        return self.bias_initializer

    def _upgrade_state_dict(self, state_dict, prefix=""):
        """Converts, in place, a state_dict written when cells kept Keras's layout (`kernel`,
        `recurrent_kernel`, `bias`) to torch's; `load_weights(".pt")` calls it too."""
        if prefix + "kernel" not in state_dict or not self.built:
            return
        for var in self._keras_weights:
            if prefix + var.name in state_dict:
                value = state_dict.pop(prefix + var.name)
                state_dict[prefix + var._attr] = var._torch_layout_of(value).contiguous()

    # ------------------------------------------------------------------ dropout masks
    def dropout_masks(self, like, rate):
        """Keras's dropout masks: fixed over a sequence, one per gate when recurrent dropout is
        on (`seed` makes them repeatable)."""
        count = self.gates if self.recurrent_dropout > 0.0 and self.gates > 1 else 1
        keep = 1.0 - rate
        masks = []
        for _ in range(count):
            noise = torch.rand(like.shape, generator=self._generator, dtype=like.dtype) \
                if self._generator is not None else \
                torch.rand(like.shape, device=like.device, dtype=like.dtype)
            masks.append((noise.to(like.device) < keep).to(like.dtype) / keep)
        return masks

    # A cell called step by step (a custom loop, RNN of stacked cells) keeps its masks for the
    # whole sequence: RNN resets them after its loop.
    def get_dropout_mask(self, step_input):
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self.dropout_masks(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, state):
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self.dropout_masks(state, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None

    # ------------------------------------------------------------------ the recurrence
    def _input_bias(self):
        return self.bias

    def project_inputs(self, x, dp_masks=None):
        """`x @ kernel + bias` for one step `(batch, features)` or all steps `(batch, time,
        features)` at once, each gate block with its own dropout mask `(batch, features)`."""
        w = self.weight_ih
        if dp_masks is None:
            z = x @ w.t()
        else:
            masks = dp_masks if x.dim() == 2 else [m.unsqueeze(1) for m in dp_masks]
            z = (x * masks[0]) @ w.t() if len(masks) == 1 else self._split_weight(w, masks, x)
        bias = self._input_bias()
        return z if bias is None else z + bias

    def _split_weight(self, w, masks, x):
        """`x @ w.T` per gate block, each with its own dropout mask (Keras's implementation 1)."""
        blocks = w.chunk(self.gates, 0)
        return torch.cat([(x * m) @ b.t() for b, m in zip(blocks, masks)], -1)

    def step(self, z_x, states, rdp_masks):
        """One step from the projected input `z_x`: `(output, new_states)`."""
        raise NotImplementedError

    def call(self, inputs, states, training=None):
        training = self.training if training is None else training
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        dp = self.get_dropout_mask(inputs) if training and 0 < self.dropout < 1 else None
        rdp = self.get_recurrent_dropout_mask(states[0]) \
            if training and 0 < self.recurrent_dropout < 1 else None
        return self.step(self.project_inputs(inputs, dp), states, rdp)

    # ------------------------------------------------------------------ torch's fused kernel
    def fused_ok(self):
        """Whether `_fused_kernel` computes exactly what Keras's configuration asks."""
        return self._fused_kernel is not None and self.activation is activations.tanh and \
            self.recurrent_activation is activations.sigmoid

    def fused_params(self):
        if not self.use_bias:
            return [self.weight_ih, self.weight_hh]
        return [self.weight_ih, self.weight_hh, self.bias, self._zero_hh]

    # ------------------------------------------------------------------ shapes and config
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


def _load_keras_layout_state_dict(cell, state_dict, prefix, *args):
    cell._upgrade_state_dict(state_dict, prefix)
