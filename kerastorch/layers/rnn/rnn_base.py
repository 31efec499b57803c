"""What SimpleRNN, LSTM and GRU add to `RNN(cell)`: Keras's flat arguments and config.

Each of them is an `RNN` of its built-in cell, made from the layer's arguments (as in Keras 3),
so the weights, the gate maths and the fused-kernel fast path are the cell's and the RNN's.
The layer reads the cell's arguments and weights through properties (`layer.units`,
`layer.kernel`, `layer.weight_ih`, ...), requires 3D inputs and may be stateful.
"""

from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.rnn.rnn import RNN

# The arguments a layer takes for its cell, as properties of the layer.
_CELL_ARGS = ("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
              "recurrent_initializer", "bias_initializer", "kernel_regularizer",
              "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
              "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed")
# The cell's weights: Keras's views and torch's tensors (`bias` is torch's, as on the cell).
_CELL_WEIGHTS = ("kernel", "recurrent_kernel", "bias_variable", "weight_ih", "weight_hh", "bias")
_RNN_ARGS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll",
             "zero_output_for_mask")


def cell_property(name):
    return property(lambda self: getattr(self.cell, name),
                    doc=f"The cell's `{name}`.")


class BaseRNN(RNN):
    """`RNN` of one built-in cell, taking the cell's arguments; subclasses set `cell_class`
    and `cell_args` (the arguments of their own cell, besides `_CELL_ARGS`)."""

    cell_class = None
    cell_args = ()
    _supports_stateful = True

    def __init__(self, units, activity_regularizer=None, use_cudnn="auto", **kwargs):
        cell_kwargs = {k: kwargs.pop(k) for k in _CELL_ARGS + self.cell_args if k in kwargs}
        rnn_kwargs = {k: kwargs.pop(k) for k in _RNN_ARGS if k in kwargs}
        # The cell is named without a name counter (Keras 3 names it `lstm_cell`), then takes
        # the layer's name, so its weights keep the paths `lstm/kernel`, ...
        cell = self.cell_class(units, name=f"{type(self).__name__.lower()}_cell",
                               dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
                               **cell_kwargs)
        super().__init__(cell, **rnn_kwargs, **kwargs)
        cell._name = self.name
        self.activity_regularizer = activity_regularizer
        self.use_cudnn = use_cudnn
        self.input_spec = InputSpec(ndim=3)
        self.register_load_state_dict_pre_hook(_load_flat_state_dict)

    def build(self, sequences_shape, initial_state_shape=None):
        self.cell._maybe_build((sequences_shape[0], sequences_shape[-1]))
        self.input_spec = InputSpec(ndim=3, axes={-1: sequences_shape[-1]})
        self.built = True

    def get_config(self):
        config = super(RNN, self).get_config()
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        # Keras 2's order: the cell's arguments (activity_regularizer among them), the RNN's,
        # then recurrent_activation and the layer's own (unit_forget_bias, reset_after).
        tail = {k: cell_config.pop(k) for k in ("recurrent_activation",) + self.cell_args
                if k in cell_config}
        for key, value in cell_config.items():
            config[key] = value
            if key == "bias_regularizer":
                config["activity_regularizer"] = self.activity_regularizer
        config.update(return_sequences=self.return_sequences, return_state=self.return_state,
                      go_backwards=self.go_backwards, stateful=self.stateful, unroll=self.unroll,
                      zero_output_for_mask=self.zero_output_for_mask, **tail)
        return config

    def extra_repr(self):
        return f"units={self.units}, return_sequences={self.return_sequences}"

    def _upgrade_state_dict(self, state_dict, prefix=""):
        """Renames, in place, the keys of state_dicts written before the weights moved into
        the cell (`weight_ih` -> `cell.weight_ih`, ...); `load_weights(".pt")` calls it too."""
        for key in ("weight_ih", "weight_hh", "bias"):
            if prefix + key in state_dict and prefix + "cell." + key not in state_dict:
                state_dict[prefix + "cell." + key] = state_dict.pop(prefix + key)


for _name in _CELL_ARGS + _CELL_WEIGHTS:
    setattr(BaseRNN, _name, cell_property(_name))


def _load_flat_state_dict(module, state_dict, prefix, *args):
    module._upgrade_state_dict(state_dict, prefix)
