"""RNN: Keras's generic recurrent layer, running any cell over the time axis."""

import torch

from kerastorch import tree
from kerastorch.layers.layer import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.layers.rnn.rnn_base import scan
from kerastorch.layers.rnn.stacked_rnn_cells import StackedRNNCells


class RNN(Layer):
    """Runs `cell` over the steps of `(batch, time, features)` inputs, as `keras.layers.RNN`.

    The loop is a Python loop over steps (a custom cell cannot use a fused torch kernel); for
    the built-in recurrences prefer `LSTM`, `GRU` and `SimpleRNN`, which use torch's kernels.

    Args:
        cell: an RNN cell (`call(inputs, states) -> (output, new_states)` and `state_size`), or
            a list of cells (stacked).
        return_sequences, return_state, go_backwards, zero_output_for_mask: as in Keras.
        stateful: only False is supported. unroll: accepted and ignored.

    Call arguments: `sequences`, `initial_state`, `mask` (bool `(batch, time)`), `training`.

    Example:
        >>> RNN(LSTMCell(4), return_sequences=True)(ops.ones((2, 5, 3))).shape
        torch.Size([2, 5, 4])
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if "call" not in dir(cell):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell}")
        if "state_size" not in dir(cell):
            raise ValueError("The RNN cell should have a `state_size` attribute (single integer "
                             "or list of integers, one integer per RNN state). "
                             f"Received: cell={cell}")
        super().__init__(**kwargs)
        if stateful:
            raise NotImplementedError(
                "RNN(stateful=True) is not supported by kerastorch: pass the state explicitly "
                "instead (`return_state=True`, then `initial_state=[...]` on the next call).")
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = False
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)

    @property
    def state_size(self):
        size = self.cell.state_size
        return list(size) if isinstance(size, (list, tuple)) else [size]

    def build(self, sequences_shape, initial_state_shape=None):
        if isinstance(self.cell, Layer):
            self.cell._maybe_build((sequences_shape[0],) + tuple(sequences_shape[2:]))
        self.built = True

    def get_initial_state(self, batch_size):
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            state = make(batch_size=batch_size)
            return list(state) if isinstance(state, (list, tuple)) else [state]
        return [torch.zeros(batch_size, s) for s in self.state_size]

    def call(self, sequences, initial_state=None, mask=None, training=None):
        if mask is None:  # a direct call on Embedding(mask_zero)/Masking output (Keras 3)
            mask = getattr(sequences, "_keras_mask", None)
        if initial_state is None:
            initial_state = self.get_initial_state(sequences.shape[0])
            initial_state = tree.map_structure(
                lambda t: t.to(device=sequences.device, dtype=sequences.dtype), initial_state)
        elif not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        structure = list(initial_state)
        kwargs = {} if training is None else {"training": training}

        def step(x_t, flat_states):
            states = tree.pack_sequence_as(structure, flat_states)
            output, new_states = self.cell(x_t, states, **kwargs)
            if not isinstance(new_states, (list, tuple)):
                new_states = [new_states]
            return output, tree.flatten(new_states)

        if mask is not None:
            mask = mask.to(device=sequences.device, dtype=torch.bool)
        try:
            last, outputs, states = scan(step, sequences, tree.flatten(structure), mask,
                                         self.go_backwards, self.return_sequences,
                                         self.zero_output_for_mask)
        finally:
            self._reset_dropout_masks(self.cell)
        output = outputs if self.return_sequences else last
        if self.return_state:
            states = list(tree.pack_sequence_as(structure, states))
            if isinstance(self.cell, StackedRNNCells):
                # tf.keras 2: the state of a one-state cell in the stack is a tensor, LSTM's
                # a list [h, c]
                states = [s[0] if isinstance(s, (list, tuple)) and len(s) == 1 else s
                          for s in states]
            return [output] + states
        return output

    def _reset_dropout_masks(self, cell):
        for module in cell.modules() if hasattr(cell, "modules") else [cell]:
            if hasattr(module, "reset_dropout_mask"):
                module.reset_dropout_mask()
                module.reset_recurrent_dropout_mask()

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        size = getattr(self.cell, "output_size", None)
        if size is None:
            size = self.state_size[0]
        output = (batch, steps, size) if self.return_sequences else (batch, size)
        if not self.return_state:
            return output
        states = []
        for s in self.state_size:
            states.append([(batch, d) for d in s] if isinstance(s, (list, tuple))
                          else (batch, s))
        return [output] + states

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    def get_config(self):
        config = super().get_config()
        config.update(cell=self.cell, return_sequences=self.return_sequences,
                      return_state=self.return_state, go_backwards=self.go_backwards,
                      stateful=self.stateful, unroll=self.unroll,
                      zero_output_for_mask=self.zero_output_for_mask)
        return config
