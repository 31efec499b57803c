"""StackedRNNCells: several RNN cells run one after the other at each step."""

from torch import nn

from kerastorch.layers.layer import Layer


class StackedRNNCells(Layer):
    """Wraps a list of cells so that `RNN` runs them as one (a stacked RNN in one loop).

    Args:
        cells: a list of RNN cells (each with `call(inputs, states)` and `state_size`).

    Example:
        >>> RNN(StackedRNNCells([LSTMCell(8), LSTMCell(4)]))(ops.ones((2, 5, 3))).shape
        torch.Size([2, 4])
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell) or "state_size" not in dir(cell):
                raise ValueError("All cells must have a `call` method and a `state_size` "
                                 f"attribute. Received cells={cells}")
        self.cells = nn.ModuleList(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        size = last.state_size
        return size[0] if isinstance(size, (list, tuple)) else size

    def get_initial_state(self, batch_size=None):
        return [cell.get_initial_state(batch_size) for cell in self.cells]

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            cell._maybe_build(shape)
            size = getattr(cell, "output_size", None) or cell.state_size
            size = size[0] if isinstance(size, (list, tuple)) else size
            shape = shape[:-1] + (size,)
        self.built = True

    def call(self, inputs, states, training=None):
        new_states = []
        kwargs = {} if training is None else {"training": training}
        for cell, cell_states in zip(self.cells, states):
            inputs, cell_states = cell(inputs, cell_states, **kwargs)
            new_states.append(cell_states)
        return inputs, new_states

    def get_config(self):
        config = super().get_config()
        config["cells"] = list(self.cells)
        return config
