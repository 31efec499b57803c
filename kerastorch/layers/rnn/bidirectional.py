"""Bidirectional: runs a recurrent layer forwards and a copy backwards, and merges them."""

import torch

from kerastorch.layers.layer import Layer

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs, as in Keras.

    The wrapped layer is re-created from its config as `forward_<name>`; the backward layer
    is a copy with `go_backwards` flipped (`backward_<name>`) unless `backward_layer` is
    given. With `return_sequences`, the backward outputs are flipped back to time order before
    merging, and masked steps output zeros (Keras forces `zero_output_for_mask` here).

    Args:
        layer: a recurrent layer (`LSTM`, `GRU`, `SimpleRNN`).
        merge_mode: `"concat"` (default), `"sum"`, `"mul"`, `"ave"` or None (a list of both).
        backward_layer: optional recurrent layer for the backward direction.

    Example:
        >>> Bidirectional(LSTM(10, return_sequences=True))(ops.ones((32, 5, 8))).shape
        torch.Size([32, 5, 20])
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `Bidirectional` layer with a "
                             f"`keras.layers.Layer` instance. Received: {layer}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError("`backward_layer` need to be a `keras.layers.Layer` instance. "
                             f"Received: {backward_layer}")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should be "
                             'one of {"sum", "mul", "ave", "concat", None}')
        super().__init__(**kwargs)
        self.forward_layer = _copy(layer, f"forward_{_strip(layer.name, 'forward_')}")
        if backward_layer is None:
            backward_layer = _copy(layer, f"backward_{_strip(layer.name, 'backward_')}",
                                   go_backwards=not layer.go_backwards)
        self.backward_layer = backward_layer
        if self.forward_layer.go_backwards == self.backward_layer.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` value. "
                f"Received: forward_layer.go_backwards {self.forward_layer.go_backwards}, "
                f"backward_layer.go_backwards={self.backward_layer.go_backwards}")
        for attr in ("stateful", "return_sequences", "return_state"):
            fw, bw = getattr(self.forward_layer, attr), getattr(self.backward_layer, attr)
            if fw != bw:
                raise ValueError("Forward layer and backward layer are expected to have the "
                                 f'same value for attribute "{attr}", got "{fw}" for forward '
                                 f'layer and "{bw}" for backward layer')
        for sub in (self.forward_layer, self.backward_layer):
            if hasattr(sub, "zero_output_for_mask"):
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = layer.stateful
        self.supports_masking = True
        self.input_spec = layer.input_spec
        if weights:
            half = len(weights) // 2
            self.forward_layer._initial_weights = weights[:half]
            self.backward_layer._initial_weights = weights[half:]

    def reset_states(self, states=None):
        """stateful=True: both directions start the next call from zeros (or `states`:
        the forward layer's, then the backward layer's)."""
        if states is None:
            self.forward_layer.reset_states()
            self.backward_layer.reset_states()
            return
        half = len(states) // 2
        self.forward_layer.reset_states(states[:half])
        self.backward_layer.reset_states(states[half:])

    reset_state = reset_states  # Keras 3's name

    def build(self, sequences_shape, initial_state_shape=None):
        self.forward_layer._maybe_build(sequences_shape)
        self.backward_layer._maybe_build(sequences_shape)
        self.built = True

    def call(self, sequences, initial_state=None, mask=None, training=None):
        if mask is None:  # a direct call on Embedding(mask_zero)/Masking output (Keras 3)
            mask = getattr(sequences, "_keras_mask", None)
        kwargs = {}
        if training is not None:
            kwargs["training"] = training
        if mask is not None:
            kwargs["mask"] = mask
        fw_state = bw_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            fw_state, bw_state = list(initial_state[:half]), list(initial_state[half:])
            y = self.forward_layer(sequences, initial_state=fw_state, **kwargs)
            y_rev = self.backward_layer(sequences, initial_state=bw_state, **kwargs)
        else:
            y = self.forward_layer(sequences, **kwargs)
            y_rev = self.backward_layer(sequences, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev.flip(1)
        mode = self.merge_mode
        if mode == "concat":
            output = torch.cat([y, y_rev], -1)
        elif mode == "sum":
            output = y + y_rev
        elif mode == "ave":
            output = (y + y_rev) / 2
        elif mode == "mul":
            output = y * y_rev
        else:
            output = [y, y_rev]
        if self.return_state:
            return (list(output) if mode is None else [output]) + list(states)
        return output

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], list(shape[1:])
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (None if shape[-1] is None else 2 * shape[-1],)
        outputs = [shape, shape] if self.merge_mode is None else [shape]
        if self.return_state:
            return outputs + states + states
        return outputs if self.merge_mode is None else shape

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.merge_mode is None:
            output_mask = [output_mask, output_mask]
        if self.return_state:
            count = 2 * getattr(self.forward_layer, "state_count", 1)
            return (output_mask if isinstance(output_mask, list) else [output_mask]) + \
                [None] * count
        return output_mask

    def get_config(self):
        config = super().get_config()
        config.update(merge_mode=self.merge_mode, layer=self.forward_layer,
                      backward_layer=self.backward_layer)
        return config


def _strip(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


def _copy(layer, name, **overrides):
    config = layer.get_config()
    config.pop("batch_input_shape", None)
    config.update(name=name, **overrides)
    return type(layer).from_config(config)
