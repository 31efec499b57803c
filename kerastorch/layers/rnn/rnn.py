"""RNN: Keras's generic recurrent layer, running a cell over the time axis.

A built-in cell (`SimpleRNNCell`, `LSTMCell`, `GRUCell`) runs as one torch call where it can:
its fused kernel (`torch.lstm`, `torch.gru`, `torch.rnn_tanh` / `rnn_relu`, cuDNN on GPU) on the
cell's weights, whenever the configuration is one the kernel computes (default activations, no
recurrent dropout while training, a mask torch can pack). Otherwise, and for any other cell,
`scan` runs Keras's step loop; a built-in cell's input products are then computed for all
steps at once and only `cell.step` runs per step.
"""

import torch
from torch.nn.utils import rnn as rnn_utils

from kerastorch import tree
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.layers.rnn.cells import GRUCell
from kerastorch.layers.rnn.cells import LSTMCell
from kerastorch.layers.rnn.cells import SimpleRNNCell
from kerastorch.layers.rnn.stacked_rnn_cells import StackedRNNCells

# Cells whose step RNN may replace by their fused kernel and batched input products (a subclass
# may override `call`, so it takes the generic loop).
_BUILTIN_CELLS = (SimpleRNNCell, LSTMCell, GRUCell)


class RNN(Layer):
    """Runs `cell` over the steps of `(batch, time, features)` inputs, as `keras.layers.RNN`.

    Args:
        cell: an RNN cell (`call(inputs, states) -> (output, new_states)` and `state_size`), or
            a list of cells (stacked).
        return_sequences, return_state, go_backwards, zero_output_for_mask: as in Keras.
        stateful: only False is supported (`SimpleRNN`, `LSTM` and `GRU` support True).
        unroll: accepted and ignored.

    Call arguments: `sequences`, `initial_state`, `mask` (bool `(batch, time)`), `training`.

    Example:
        >>> RNN(LSTMCell(4), return_sequences=True)(ops.ones((2, 5, 3))).shape
        torch.Size([2, 5, 4])
    """

    _supports_stateful = False

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
        if stateful and not self._supports_stateful:
            raise NotImplementedError(
                "RNN(stateful=True) is not supported by kerastorch: pass the state explicitly "
                "instead (`return_state=True`, then `initial_state=[...]` on the next call).")
        self.cell = cell
        self._builtin = type(cell) in _BUILTIN_CELLS
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = bool(stateful)
        self._kt_states = None  # stateful: the last call's final states (detached)
        self.unroll = unroll  # accepted for compatibility; torch does not unroll
        # Outputs at masked steps: zeros if True, else the previous output (Keras's default).
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

    # ------------------------------------------------------------------ call
    def call(self, sequences, initial_state=None, mask=None, training=None):
        if mask is None:  # a direct call on Embedding(mask_zero)/Masking output (Keras 3)
            mask = getattr(sequences, "_keras_mask", None)
        if mask is not None:
            mask = mask.to(device=sequences.device, dtype=torch.bool)
        if self._builtin and sequences.dim() == 3:
            return self._finish(*self._run_builtin(sequences, initial_state, mask, training))
        return self._run_cell(sequences, initial_state, mask, training)

    def _finish(self, last_output, outputs, states):
        if self.stateful:
            self._kt_states = [s.detach() for s in states]
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output] + list(states)
        return output

    # ------------------------------------------------------------------ any cell
    def _run_cell(self, sequences, initial_state, mask, training):
        """Calls the cell at each step (a custom or stacked cell)."""
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

    # ------------------------------------------------------------------ a built-in cell
    def _run_builtin(self, sequences, initial_state, mask, training):
        """A built-in cell: its fused torch kernel, else its step over batched input products."""
        cell = self.cell
        if not cell.built:
            cell._maybe_build((sequences.shape[0], sequences.shape[-1]))
        training = self.training if training is None else training
        count = len(self.state_size)
        batch = sequences.shape[0]
        if initial_state is None and self.stateful and self._kt_states is not None:
            states = self._stored_states(batch, sequences.device)
        elif initial_state is None:
            states = [sequences.new_zeros(batch, cell.units) for _ in range(count)]
        else:
            states = list(initial_state) if isinstance(initial_state, (list, tuple)) \
                else [initial_state]
            if len(states) != count:
                raise ValueError(f'Layer "{self.name}" expects {count} initial '
                                 f"state(s), but received {len(states)}.")
        dp_masks = rdp_masks = None
        if training and 0.0 < cell.dropout < 1.0:
            dp_masks = cell.dropout_masks(sequences[:, 0], cell.dropout)
        if training and 0.0 < cell.recurrent_dropout < 1.0:
            rdp_masks = cell.dropout_masks(states[0], cell.recurrent_dropout)
        if rdp_masks is None and cell.fused_ok():
            x = sequences if dp_masks is None else sequences * dp_masks[0].unsqueeze(1)
            out = self._run_fused(x, states, mask)
            if out is not None:
                return out
        projected = cell.project_inputs(sequences, dp_masks)  # all steps' input products
        return scan(lambda p_t, s: cell.step(p_t, s, rdp_masks), projected, states, mask,
                    self.go_backwards, self.return_sequences, self.zero_output_for_mask)

    def _run_fused(self, x, states, mask):
        """Runs the cell's fused torch kernel; None when the mask cannot be expressed by
        packing."""
        cell = self.cell
        kernel = cell._fused_kernel
        if self.go_backwards:
            x = x.flip(1)
        hx = [s.unsqueeze(0) for s in states]
        hx = hx[0] if len(hx) == 1 else tuple(hx)
        params = cell.fused_params()
        if mask is None:
            outputs, *new = kernel(x, hx, params, cell.use_bias, 1, 0.0, False, False, True)
            new = [s[0] for s in new]
            return outputs[:, -1], outputs, new
        if self.go_backwards:
            return None  # a flipped right-padded mask is left-padded: torch cannot pack it
        lengths = mask.sum(1)
        # Packing needs a right-padded mask with at least one step per sample (one host sync).
        right_padded = torch.equal(mask, torch.arange(mask.shape[1], device=mask.device)
                                   .unsqueeze(0) < lengths.unsqueeze(1))
        if not right_padded or int(lengths.min()) == 0:
            return None
        packed = rnn_utils.pack_padded_sequence(x, lengths.cpu(), batch_first=True,
                                                enforce_sorted=False)
        if isinstance(hx, tuple):
            hx = tuple(h.index_select(1, packed.sorted_indices) for h in hx)
        else:
            hx = hx.index_select(1, packed.sorted_indices)
        data, *new = kernel(packed.data, packed.batch_sizes, hx, params, cell.use_bias, 1, 0.0,
                            False, False)
        new = [s[0].index_select(0, packed.unsorted_indices) for s in new]
        outputs, _ = rnn_utils.pad_packed_sequence(
            rnn_utils.PackedSequence(data, packed.batch_sizes, packed.sorted_indices,
                                     packed.unsorted_indices),
            batch_first=True, total_length=x.shape[1])
        last = new[0]
        if not self.zero_output_for_mask:
            # Keras repeats the last valid output over masked steps (torch leaves zeros).
            outputs = torch.where(mask.unsqueeze(-1), outputs, last.unsqueeze(1))
        else:
            last = torch.where(mask[:, -1:], last, torch.zeros_like(last))
        return last, outputs, new

    # ------------------------------------------------------------------ stateful
    @property
    def states(self):
        """stateful=True: the states the next call starts from (None before the first)."""
        return None if self._kt_states is None else list(self._kt_states)

    def _stored_states(self, batch, device):
        if self._kt_states[0].shape[0] != batch:
            raise ValueError(f'Layer "{self.name}" is stateful with states for a batch of '
                             f"{self._kt_states[0].shape[0]} sequences, but received a batch "
                             f"of {batch}. A stateful RNN needs the same batch size at every "
                             "call (or call `reset_states()`).")
        return [s.to(device) for s in self._kt_states]

    def reset_states(self, states=None):
        """stateful=True: start the next call from zeros, or from `states` (one array per
        state, `(batch, units)`)."""
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        if states is None:
            if self._kt_states is not None:
                self._kt_states = [torch.zeros_like(s) for s in self._kt_states]
            return
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        count = len(self.state_size)
        if len(states) != count:
            raise ValueError(f'Layer "{self.name}" expects {count} states, but it '
                             f"received {len(states)} state values.")
        ref = self.cell.weight_ih if self.cell.built else None
        self._kt_states = [torch.as_tensor(
            s.numpy() if hasattr(s, "numpy") and not isinstance(s, torch.Tensor) else s,
            dtype=None if ref is None else ref.dtype,
            device=None if ref is None else ref.device).detach() for s in states]

    reset_state = reset_states  # Keras 3's name

    # ------------------------------------------------------------------ shapes and config
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


def scan(step, inputs, states, mask=None, go_backwards=False, return_sequences=True,
         zero_output_for_mask=False):
    """Runs `step(input_t, states) -> (output, new_states)` over axis 1, as Keras's `rnn` does.

    `states` is a flat list of tensors. At a masked step the states are carried over and the
    output repeats the previous one (zeros before the first step), or is zero with
    `zero_output_for_mask`. Returns `(last_output, outputs or None, states)`; with
    `go_backwards` the outputs are in processing (reversed) order, as in Keras.
    """
    if go_backwards:
        inputs = inputs.flip(1)
        mask = None if mask is None else mask.flip(1)
    outputs = []
    prev_output = None
    for t in range(inputs.shape[1]):
        output, new_states = step(inputs[:, t], states)
        if mask is not None:
            m = mask[:, t].unsqueeze(-1)
            if prev_output is None:
                prev_output = torch.zeros_like(output)
            output = torch.where(m, output, prev_output)
            new_states = [torch.where(m, n, s) for n, s in zip(new_states, states)]
        prev_output, states = output, list(new_states)
        if return_sequences:
            outputs.append(output)
    seq = torch.stack(outputs, 1) if return_sequences else None
    if mask is not None and zero_output_for_mask:
        prev_output = torch.where(mask[:, -1:], prev_output, torch.zeros_like(prev_output))
        if seq is not None:
            seq = torch.where(mask.unsqueeze(-1), seq, torch.zeros_like(seq))
    return prev_output, seq, states
