"""`Node`: one call of a layer on symbolic tensors, the edge list of the functional graph."""

from kerastorch import tree
from kerastorch.tensor.keras_tensor import KerasTensor


class Node:
    """One call of a layer on symbolic inputs: what went in, what came out.

    Making a node appends it to `layer._inbound_nodes` and sets each output tensor's
    `_keras_history` to `(layer, node_index, tensor_index)`. A layer with `_is_input_layer`
    (`InputLayer`) makes the input nodes, where the graph starts.

    Args:
        layer: the layer called.
        inputs: the call's first argument (a KerasTensor or a structure of them).
        args: the other positional arguments, as given (tensors or constants).
        kwargs: the keyword arguments, as given.
        outputs: what the call returned: a KerasTensor or a structure of them.
    """

    def __init__(self, layer, inputs, args=(), kwargs=None, outputs=None):
        self.layer = layer
        self.call_inputs = inputs
        self.call_args = tuple(args)
        self.call_kwargs = dict(kwargs or {})
        self.is_input = getattr(layer, "_is_input_layer", False)
        self.input_tensors = [] if self.is_input else [
            t for t in tree.flatten((inputs, self.call_args, self.call_kwargs))
            if isinstance(t, KerasTensor)]
        self.outputs = outputs
        self.output_tensors = tree.flatten(outputs)
        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = (layer, node_index, i)

    @property
    def parent_nodes(self):
        return [t._keras_history[0]._inbound_nodes[t._keras_history[1]]
                for t in self.input_tensors if t._keras_history is not None]

    @property
    def input(self):
        return self.call_inputs

    @property
    def output(self):
        return self.outputs

    @property
    def input_shapes(self):
        return tree.map_structure(lambda t: t.shape, self.call_inputs) if not self.is_input \
            else [self.outputs.shape]

    @property
    def output_shapes(self):
        shapes = tree.map_structure(lambda t: t.shape, self.outputs)
        return [shapes] if self.is_input else shapes

    def iterate_inbound(self):
        """(layer, node_index, tensor_index) of each input tensor, as Keras 2's summary shows."""
        for t in self.input_tensors:
            yield t._keras_history
