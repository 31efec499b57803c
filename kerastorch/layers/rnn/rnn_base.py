"""What SimpleRNN, LSTM and GRU share: arguments, masks, dropout masks and the step loop.

Each layer keeps its weights in torch's layout (`weight_ih`, `weight_hh`, `bias`, as
`torch.lstm` / `torch.gru` / `torch.rnn_tanh` take them) and shows Keras's `kernel`,
`recurrent_kernel`, `bias` through views. A call runs torch's fused kernel whenever Keras's
configuration allows it, and a Python step loop (Keras's exact per-step arithmetic) otherwise.
"""

import torch
from torch.nn.utils import rnn as rnn_utils

from kerastorch import activations
from kerastorch import initializers
from kerastorch.layers.layer import InputSpec
from kerastorch.layers.layer import Layer


class BaseRNN(Layer):
    """Arguments and behaviour common to SimpleRNN, LSTM and GRU; subclasses define the gates."""

    gates = 1            # gate blocks in the kernels (4 for LSTM, 3 for GRU)
    state_count = 1      # states returned with return_state (2 for LSTM: h and c)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto",
                 zero_output_for_mask=False, **kwargs):
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
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint = kernel_constraint
        self.recurrent_constraint = recurrent_constraint
        self.bias_constraint = bias_constraint
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self._generator = None if seed is None else torch.Generator().manual_seed(int(seed))
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = bool(stateful)
        self._kt_states = None  # stateful: the last call's final states (detached)
        self.unroll = unroll  # accepted for compatibility; torch does not unroll
        self.use_cudnn = use_cudnn
        # Outputs at masked steps: zeros if True, else the previous output (Keras's default).
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.input_spec = InputSpec(ndim=3)

    # ------------------------------------------------------------------ build
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
        self.input_spec = InputSpec(ndim=3, axes={-1: input_dim})
        self.built = True

    # ------------------------------------------------------------------ call
    def call(self, sequences, initial_state=None, mask=None, training=None):
        training = self.training if training is None else training
        if mask is None:  # a direct call on Embedding(mask_zero)/Masking output (Keras 3)
            mask = getattr(sequences, "_keras_mask", None)
        batch = sequences.shape[0]
        if initial_state is None and self.stateful and self._kt_states is not None:
            states = self._stored_states(batch, sequences.device)
        elif initial_state is None:
            states = [sequences.new_zeros(batch, self.units) for _ in range(self.state_count)]
        else:
            states = list(initial_state) if isinstance(initial_state, (list, tuple)) \
                else [initial_state]
            if len(states) != self.state_count:
                raise ValueError(f'Layer "{self.name}" expects {self.state_count} initial '
                                 f"state(s), but received {len(states)}.")
        dp_masks = rdp_masks = None
        if training and 0.0 < self.dropout < 1.0:
            dp_masks = self._dropout_masks(sequences[:, 0], self.dropout)
        if training and 0.0 < self.recurrent_dropout < 1.0:
            rdp_masks = self._dropout_masks(states[0], self.recurrent_dropout)
        if mask is not None:
            mask = mask.to(device=sequences.device, dtype=torch.bool)
        if rdp_masks is None and self._fused_ok():
            if dp_masks is not None:
                sequences = sequences * dp_masks[0].unsqueeze(1)
            out = self._run_fused(sequences, states, mask)
            if out is not None:
                return self._finish(*out)
        return self._finish(*self._run_loop(sequences, states, mask, dp_masks, rdp_masks))

    def _finish(self, last_output, outputs, states):
        if self.stateful:
            self._kt_states = [s.detach() for s in states]
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output] + list(states)
        return output

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
        if len(states) != self.state_count:
            raise ValueError(f'Layer "{self.name}" expects {self.state_count} states, but it '
                             f"received {len(states)} state values.")
        ref = self.weight_ih if self.built else None
        self._kt_states = [torch.as_tensor(
            s.numpy() if hasattr(s, "numpy") and not isinstance(s, torch.Tensor) else s,
            dtype=None if ref is None else ref.dtype,
            device=None if ref is None else ref.device).detach() for s in states]

    reset_state = reset_states  # Keras 3's name

    def _dropout_masks(self, like, rate):
        """Keras's dropout masks: fixed over time, one per gate when recurrent dropout is on."""
        count = self.gates if self.recurrent_dropout > 0.0 and self.gates > 1 else 1
        keep = 1.0 - rate
        masks = []
        for _ in range(count):
            noise = torch.rand(like.shape, generator=self._generator, dtype=like.dtype) \
                if self._generator is not None else \
                torch.rand(like.shape, device=like.device, dtype=like.dtype)
            masks.append((noise.to(like.device) < keep).to(like.dtype) / keep)
        return masks

    # ------------------------------------------------------------------ fused path
    def _fused_ok(self):
        """Whether torch's fused kernel computes exactly what Keras's configuration asks."""
        return self.activation is activations.tanh and \
            self.recurrent_activation is activations.sigmoid

    def _fused_params(self):
        if not self.use_bias:
            return [self.weight_ih, self.weight_hh]
        return [self.weight_ih, self.weight_hh, self.bias, self._zero_hh]

    def _run_fused(self, x, states, mask):
        """Runs torch's fused kernel; None when the mask cannot be expressed by packing."""
        if self.go_backwards:
            x = x.flip(1)
        hx = [s.unsqueeze(0) for s in states]
        hx = hx[0] if self.state_count == 1 else tuple(hx)
        params = self._fused_params()
        if mask is None:
            outputs, *new = self._fused_kernel(x, hx, params, self.use_bias, 1, 0.0, False,
                                               False, True)
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
        if self.state_count == 1:
            hx = hx.index_select(1, packed.sorted_indices)
        else:
            hx = tuple(h.index_select(1, packed.sorted_indices) for h in hx)
        data, *new = self._fused_kernel(packed.data, packed.batch_sizes, hx, params,
                                        self.use_bias, 1, 0.0, False, False)
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

    # ------------------------------------------------------------------ step loop
    def _run_loop(self, x, states, mask, dp_masks, rdp_masks):
        """Keras's step-by-step recurrence (used where no fused torch kernel applies)."""
        projected = self._project_inputs(x, dp_masks)  # all steps' input products at once
        return scan(lambda p_t, s: self._step(p_t, s, rdp_masks), projected, states, mask,
                    self.go_backwards, self.return_sequences, self.zero_output_for_mask)

    def _split_weight(self, w, masks, x):
        """`x @ w.T` per gate block, each with its own dropout mask (Keras's implementation 1)."""
        blocks = w.chunk(self.gates, 0)
        return torch.cat([(x * m) @ b.t() for b, m in zip(blocks, masks)], -1)

    # ------------------------------------------------------------------ shapes and config
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        output = (batch, steps, self.units) if self.return_sequences else (batch, self.units)
        if self.return_state:
            return [output] + [(batch, self.units)] * self.state_count
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * self.state_count
        return output_mask

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
            bias_regularizer=self.bias_regularizer,
            activity_regularizer=self.activity_regularizer,
            kernel_constraint=self.kernel_constraint,
            recurrent_constraint=self.recurrent_constraint,
            bias_constraint=self.bias_constraint, dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout, seed=self.seed,
            return_sequences=self.return_sequences, return_state=self.return_state,
            go_backwards=self.go_backwards, stateful=self.stateful, unroll=self.unroll,
            zero_output_for_mask=self.zero_output_for_mask)
        if self.gates > 1:
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        return config

    def extra_repr(self):
        return f"units={self.units}, return_sequences={self.return_sequences}"


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
