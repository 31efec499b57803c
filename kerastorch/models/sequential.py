"""Sequential: a plain stack of layers, each with one input and one output."""

import torch

from kerastorch.layers.core.input_layer import InputLayer
from kerastorch.layers.core.input_layer import KerasTensor
from kerastorch.layers.layer import Layer
from kerastorch.models import masked_call
from kerastorch.models.model import Model


class Sequential(Model):
    """A linear stack of layers.

    Its state_dict keys are the layers' positions (`0.weight`, `1.bias`, ...), like
    `torch.nn.Sequential`'s. Once its input shape is known (an `Input`, `input_shape=` on the
    first layer, `build()`, or a first call) it is also a functional graph: every layer has
    `input` and `output`.

    Args:
        layers: optional list of layers (an `Input` may come first).
        name: the model's name.

    Example:
        >>> model = keras.Sequential([layers.Dense(2, activation="relu"), layers.Dense(4)])
        >>> model(ops.ones((3, 3))).shape
        torch.Size([3, 4])
    """

    def __init__(self, layers=None, name=None, trainable=True, **kwargs):
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        self._is_graph_network = False
        self._stack = []
        self._input_layer = None
        if layers is not None:
            if not isinstance(layers, (list, tuple)):
                layers = [layers]
            for layer in layers:
                self.add(layer)

    @property
    def layers(self):
        return list(self._stack)

    def add(self, layer):
        """Appends a layer (or sets the input, given a `keras.Input` tensor or an InputLayer)."""
        if isinstance(layer, KerasTensor):
            history = layer._keras_history
            if history is None or not isinstance(history[0], InputLayer):
                raise TypeError("The added layer must be an instance of class Layer. Received: "
                                f"layer={layer} of type {type(layer)}.")
            layer = history[0]
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError(f"Sequential model '{self.name}' has already been configured to "
                                 f"use an input; an `Input` can only be the first entry.")
            self._input_layer = layer
            return
        if not isinstance(layer, Layer):
            raise TypeError("The added layer must be an instance of class Layer. Received: "
                            f"layer={layer} of type {type(layer)}.")
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError("All layers added to a Sequential model should have unique names. "
                             f'Name "{layer.name}" is already the name of a layer in this model. '
                             "Update the `name` argument to pass a unique name.")
        self._stack.append(layer)
        self.add_module(str(len(self._stack) - 1), layer)
        if len(self._stack) == 1 and self._input_layer is None and \
                layer._batch_input_shape is not None:
            self._input_layer = InputLayer(batch_shape=layer._batch_input_shape,
                                           dtype=layer.dtype, name=f"{layer.name}_input")
        if self._input_layer is not None:
            if self._is_graph_network:
                self._extend_graph(layer)
            else:
                self._build_graph()
        elif self.built:
            self.built = False

    def pop(self):
        """Removes the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        self._stack.pop()
        del self._modules[str(len(self._stack))]
        if self._is_graph_network:
            self._chain.pop()
            self.outputs = [self._chain[-1]] if self._chain else list(self.inputs)
            self._outputs_struct = self.outputs[0]
            self._compile_plan(self._chain_nodes())
        if not self._stack and self._input_layer is None:
            self.built = False

    def _build_graph(self):
        """Calls every layer on the input's symbolic tensor: shapes, weights, nodes."""
        x = self._input_layer.output
        self.inputs = [x]
        self._inputs_struct = x
        self._input_names = [self._input_layer.name]
        self._chain = []
        for layer in self._stack:
            x = layer(x)
            self._check_single_output(layer, x)
            self._chain.append(x)
        self._finish_graph()

    def _extend_graph(self, layer):
        x = layer(self._chain[-1] if self._chain else self.inputs[0])
        self._check_single_output(layer, x)
        self._chain.append(x)
        self._finish_graph()

    def _check_single_output(self, layer, x):
        if not isinstance(x, KerasTensor):
            raise ValueError("All layers in a Sequential model should have a single output "
                             f"tensor. For multi-output layers, use the functional API. Layer "
                             f"{layer.name} returned {x}.")

    def _finish_graph(self):
        self.outputs = [self._chain[-1]] if self._chain else list(self.inputs)
        self._outputs_struct = self.outputs[0]
        self._compile_plan(self._chain_nodes())
        self._nodes_by_depth = {}
        for depth, node in enumerate(reversed([self._input_layer._inbound_nodes[0]] +
                                              self._chain_nodes())):
            self._nodes_by_depth[depth] = [node]
        self._network_nodes = {id(n) for nodes in self._nodes_by_depth.values() for n in nodes}
        self._is_graph_network = True
        self._build_input_shape = self._input_layer.batch_shape
        self._input_ndim = len(self._input_layer.batch_shape)
        self.built = True

    def _chain_nodes(self):
        return [t._keras_history[0]._inbound_nodes[t._keras_history[1]] for t in self._chain]

    def build(self, input_shape=None):
        """Builds the model for `input_shape` (batch included), e.g. `model.build((None, 4))`."""
        if self._is_graph_network and input_shape is None:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        input_shape = tuple(input_shape)
        if self._input_layer is not None:
            return
        if not self._stack:
            raise ValueError(f"Sequential model {self.name} cannot be built because it has no "
                             "layers. Call `model.add(layer)`.")
        first = self._stack[0]
        self._input_layer = InputLayer(batch_shape=input_shape, dtype=first.dtype,
                                       name=f"{first.name}_input")
        try:
            self._build_graph()
        except Exception:
            self._input_layer = None
            self._is_graph_network = False
            raise

    def _maybe_build(self, input_shape):
        if not self.built:
            self.build(input_shape)

    def call(self, inputs, training=None, mask=None):
        if self._has_masks or mask is not None:
            return masked_call.run_chain(self, inputs, training, mask)
        x = inputs
        casts = self._input_casts
        if casts is not None and type(x) is torch.Tensor and not x.is_floating_point() and \
                not x.is_complex():
            x = x.to(casts[0])  # integer inputs: to the Input's float dtype, as Keras
        if training is None:
            for layer in self._stack:
                x = layer(x)
        else:
            for layer in self._stack:
                x = layer(x, training=training) if layer._call_has_training else layer(x)
        return x

    def __call__(self, *args, **kwargs):
        x = args[0] if args else None
        if not kwargs and self.built and type(x) is torch.Tensor:
            if x.dim() != self._input_ndim:
                self._check_input_specs(tuple(x.shape))
            try:
                return torch.nn.Module.__call__(self, x, *args[1:])
            except RuntimeError as err:
                self._explain_runtime_error(args, err)
                raise
        return self._call_slow(args, kwargs)

    def _explain_runtime_error(self, args, err):
        super()._explain_runtime_error(args, err)
        # The model's input fits: find the layer that rejected its input.
        x = args[0]
        if isinstance(x, torch.Tensor):
            with torch.no_grad():
                for layer in self._stack:
                    layer._check_input_specs(tuple(x.shape))
                    try:
                        x = layer(x)
                    except RuntimeError:
                        return

    def compute_output_shape(self, input_shape):
        shape = input_shape
        for layer in self._stack:
            shape = layer.compute_output_shape(shape)
        return shape
