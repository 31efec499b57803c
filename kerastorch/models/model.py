"""Model: a functional graph of layers (inputs -> outputs), or a subclass with its own `call`."""

import torch
from torch import nn

from kerastorch import backend
from kerastorch import tree
from kerastorch.layers.core.input_layer import InputLayer
from kerastorch.layers.layer import Layer
from kerastorch.models import functional
from kerastorch.trainers.trainer import Trainer
from kerastorch.saving.keras_saveable import KerasSaveable
from kerastorch.tensor.keras_tensor import KerasTensor
from kerastorch.tensor.shapes import flatten_shapes
from kerastorch.tensor.shapes import map_shapes


def _input_casts(nodes, inputs):
    """Per model input, the float dtype an integer or bool tensor given for it is cast to (as
    Keras casts a model's inputs to its `Input`'s dtype), or None where it is not an `Input`
    of a floating dtype or only `Embedding` layers read it (they take the ids as they are);
    None when no input needs it."""
    from kerastorch.layers.core.embedding import Embedding
    casts = []
    for t in inputs:
        readers = [n.layer for n in nodes if any(i is t for i in tree.flatten(n.call_inputs))]
        wants_float = isinstance(t, KerasTensor) and backend.is_float_dtype(t.dtype)
        casts.append(backend.to_torch_dtype(t.dtype) if wants_float and not (
            readers and all(isinstance(r, Embedding) for r in readers)) else None)
    return casts if any(c is not None for c in casts) else None


def _cast_integer_inputs(flat, casts):
    if len(flat) == 1:  # the common case, a tuple of one tensor: no list made
        x, dtype = flat[0], casts[0]
        if dtype is not None and isinstance(x, torch.Tensor) and not x.is_floating_point() \
                and not x.is_complex():
            return (x.to(dtype),)
        return flat
    return [x.to(dtype) if dtype is not None and isinstance(x, torch.Tensor) and
            not x.is_floating_point() and not x.is_complex() else x
            for x, dtype in zip(flat, casts)]


class Model(Trainer, KerasSaveable, Layer):
    """A model: `Model(inputs, outputs)` (functional API) or a subclass defining `call`.

    Args:
        inputs: a `keras.Input` tensor, or a list or dict of them.
        outputs: tensors computed from `inputs` by calling layers, in any nesting.
        name: the model's name.

    Example:
        >>> inputs = keras.Input(shape=(4,))
        >>> outputs = layers.Dense(2)(inputs)
        >>> model = keras.Model(inputs=inputs, outputs=outputs)
    """

    _has_masks = False  # set with the plan: some layer makes Keras masks (see masked_call)
    _input_casts = None  # set with the plan: float dtypes integer inputs are cast to

    def __new__(cls, *args, **kwargs):
        # keras.Model(inputs, outputs) makes a Functional, as Keras does (summaries show it).
        if cls is Model and (len(args) >= 2 or "outputs" in kwargs):
            cls = Functional
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", None)
        outputs = kwargs.pop("outputs", None)
        if args and inputs is None:
            inputs, args = args[0], args[1:]
        if args and outputs is None:
            outputs, args = args[0], args[1:]
        if args:
            raise TypeError(f"Model() takes at most 2 positional arguments (inputs, outputs); "
                            f"got {2 + len(args)}.")
        if (inputs is None) != (outputs is None):
            raise ValueError("A functional Model needs both `inputs` and `outputs`. Received: "
                             f"inputs={inputs}, outputs={outputs}")
        super().__init__(**kwargs)
        self._is_graph_network = False
        self._layers = None
        if inputs is not None:
            self._init_graph(inputs, outputs)

    # ------------------------------------------------------------- the graph
    def _init_graph(self, inputs, outputs):
        for i, t in enumerate(tree.flatten(inputs)):
            if not isinstance(t, KerasTensor) or t._keras_history is None:
                raise ValueError("All `inputs` values must be KerasTensors made by `keras.Input` "
                                 f"or by layers called on one. Received inputs={inputs} including "
                                 f"invalid value {t} of type {type(t)}")
        for t in tree.flatten(outputs):
            if not isinstance(t, KerasTensor):
                raise ValueError("All `outputs` values must be KerasTensors. Received: "
                                 f"outputs={outputs} including invalid value {t} of type {type(t)}")
        if not all(_is_input_tensor(t) for t in tree.flatten(inputs)):
            inputs, outputs = _clone_from_intermediate(inputs, outputs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = tree.flatten(inputs)
        self.outputs = tree.flatten(outputs)
        self._input_names = [t._keras_history[0].name for t in self.inputs]
        if isinstance(inputs, dict) and all(isinstance(v, KerasTensor) for v in inputs.values()):
            self._input_names = sorted(inputs)  # tree.flatten's order of a dict
        nodes, layers, nodes_by_depth = _map_graph(self.inputs, self.outputs)
        self._nodes_by_depth = nodes_by_depth
        self._network_nodes = set(id(n) for n in nodes)
        self._set_layers(layers)
        self._compile_plan(nodes)
        self._is_graph_network = True
        self._build_input_shape = map_shapes(
            tree.map_structure(lambda t: t.shape, inputs), lambda s: s)
        self.built = True

    def _set_layers(self, layers):
        for key in list(self._modules):
            del self._modules[key]
        self._layers = list(layers)
        for i, layer in enumerate(self._layers):
            self.add_module(str(i), layer)

    def _compile_plan(self, nodes):
        """Orders the calls once (`functional.GraphPlan`), so running the model is a loop over
        precomputed steps."""
        self._plan = functional.GraphPlan.build(nodes, self.inputs, self.outputs,
                                                self._outputs_struct)
        self._single_output = self._plan.single_output
        self._has_masks = self._plan.has_masks
        self._input_casts = _input_casts(nodes, self.inputs)

    def call(self, inputs, training=None, mask=None):
        if not self._is_graph_network:
            raise NotImplementedError(f"Model {self.name} has no graph and no `call()`: subclass "
                                      "Model and define `call(self, inputs, training=None)`.")
        plan = self._plan
        flat = ((inputs,) if plan.single_io and not isinstance(inputs, (list, tuple, dict))
                else self._flatten_inputs(inputs))
        if self._input_casts is not None:
            flat = _cast_integer_inputs(flat, self._input_casts)
        if self._has_masks or mask is not None:
            return functional.run_masked(plan, flat, training, mask)
        return functional.run(plan, flat, training, self._explain_step_error)

    def _explain_step_error(self, inputs, err, layer, x):
        """An input of the wrong shape fails in some inner layer: name the model, else the
        layer whose input spec explains the failure."""
        self._explain_runtime_error((list(inputs),), err)
        if isinstance(err, RuntimeError) and isinstance(layer, Layer) and x is not None:
            layer._explain_runtime_error((x,), err)

    def _flatten_inputs(self, inputs):
        if isinstance(inputs, dict):
            missing = [n for n in self._input_names if n not in inputs]
            if missing:
                raise ValueError(f'Model "{self.name}" expects inputs named {self._input_names}; '
                                 f"missing {missing}. Received keys: {sorted(inputs)}")
            return [inputs[n] for n in self._input_names]
        flat = tree.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(f'Layer "{self.name}" expects {len(self.inputs)} input(s), but it '
                             f"received {len(flat)} input tensors.")
        return flat

    def _explain_runtime_error(self, args, err):
        if not self._is_graph_network:
            return
        import torch
        try:
            received = self._flatten_inputs(args[0]) if isinstance(args[0], (list, tuple, dict)) \
                else [args[0]]
        except ValueError:
            return
        received = [v for v in received if isinstance(v, torch.Tensor)]
        for i, (t, x) in enumerate(zip(self.inputs, received)):
            if len(t.shape) != x.dim() or any(e is not None and e != r for e, r in
                                              zip(t.shape[1:], tuple(x.shape)[1:])):
                raise ValueError(f'Input {i} of layer "{self.name}" is incompatible with the '
                                 f"layer: expected shape={t.shape}, found shape={tuple(x.shape)}")

    def _check_input_specs(self, shapes):
        if self._is_graph_network:
            for i, (t, shape) in enumerate(zip(self.inputs, flatten_shapes(shapes))):
                if len(t.shape) != len(shape) or any(
                        e is not None and r is not None and e != r
                        for e, r in zip(t.shape[1:], shape[1:])):
                    raise ValueError(f'Input {i} of layer "{self.name}" is incompatible with the '
                                     f"layer: expected shape={t.shape}, found shape={shape}")

    def compute_output_shape(self, input_shape):
        if self._is_graph_network:
            expected = [t.shape for t in self.inputs]
            if all(tuple(a[1:]) == tuple(b[1:]) for a, b in zip(expected, flatten_shapes(input_shape))):
                batch = flatten_shapes(input_shape)[0][0]
                return map_shapes(tree.map_structure(lambda t: t.shape, self._outputs_struct),
                                  lambda s: (batch,) + tuple(s[1:]))
        return super().compute_output_shape(input_shape)

    # ------------------------------------------------------------- layers
    @property
    def layers(self):
        if self._layers is not None:
            return list(self._layers)
        out = []
        for m in self._modules.values():
            if isinstance(m, Layer):
                out.append(m)
            elif isinstance(m, (nn.ModuleList, nn.ModuleDict)):  # a tracked list of layers
                out.extend(c for c in m.children() if isinstance(c, Layer))
        return out

    def get_layer(self, name=None, index=None):
        """A layer by `name` or by `index` (position in `model.layers`)."""
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(layers)} layers.")
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: "
                             f"{[layer.name for layer in layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def _check_weights_available(self):
        # Keras 3 gives an unbuilt model's weights as []; Keras 2 (and kerastorch) raise.
        if not self.built and backend.keras_defaults() != 3:
            raise ValueError(f"Weights for model {self.name} have not yet been created. Weights "
                             "are created when the Model is first called on inputs or `build()` "
                             "is called with an `input_shape`.")

    @property
    def input(self):
        """The model's input tensor(s), in the structure given to `Model(inputs, ...)`."""
        if self._is_graph_network:
            return self._inputs_struct
        return super().input

    @property
    def output(self):
        """The model's output tensor(s), in the structure given to `Model(..., outputs)`."""
        if self._is_graph_network:
            return self._outputs_struct
        return super().output

    @property
    def input_shape(self):
        if self._is_graph_network:
            shapes = [t.shape for t in self.inputs]
            return shapes[0] if len(shapes) == 1 else shapes
        return super().input_shape

    @property
    def output_shape(self):
        if self._is_graph_network:
            shapes = [t.shape for t in self.outputs]
            return shapes[0] if len(shapes) == 1 else shapes
        return super().output_shape

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints Keras 2's summary table of the model's layers, shapes and parameter counts."""
        from kerastorch.models import summary as summary_module
        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by calling "
                             "`build()` or by calling the model on a batch of data.")
        summary_module.print_summary(self, line_length=line_length, positions=positions,
                                     print_fn=print_fn, expand_nested=expand_nested,
                                     show_trainable=show_trainable, layer_range=layer_range)

    def to_torch(self):
        """A plain `nn.Module` running this model's graph (shared weights), for torch.compile,
        torch.export and ONNX; see `kerastorch.porting.export.TorchModel`."""
        from kerastorch.porting import export
        return export.to_torch(self)

    def export(self, filepath, format=None, verbose=None, input_signature=None, **kwargs):
        """Exports the model: `format="onnx"` (default for `.onnx`) via `torch.onnx.export`, or
        `"torch_export"` (default for `.pt2`) via `torch.export.save`."""
        from kerastorch.porting import export
        return export.export_model(self, filepath, format=format, verbose=verbose,
                                   input_signature=input_signature, **kwargs)

    def build(self, input_shape=None):
        if self._is_graph_network:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        import torch
        shapes = input_shape
        x = map_shapes(shapes if not isinstance(shapes, list) or not shapes or
                       isinstance(shapes[0], (tuple, list)) else tuple(shapes),
                       lambda s: torch.zeros(tuple(1 if d is None else d for d in s)))
        self.built = True
        try:
            self(x)
        except Exception:
            self.built = False
            raise


def _is_input_tensor(t):
    return isinstance(t._keras_history[0], InputLayer)


def _clone_from_intermediate(inputs, outputs):
    """Keras's sub-model from intermediate tensors: a new `Input` replaces each intermediate
    input and the layer calls between inputs and outputs are replayed on it (the layers, and so
    the weights, are shared; each layer gets one more node)."""
    mapping = {}
    for t in tree.flatten(inputs):
        if not _is_input_tensor(t):
            mapping[id(t)] = InputLayer(batch_shape=t.shape, dtype=t.dtype).output
    source_ids = {id(t) for t in tree.flatten(inputs)}
    order, seen = [], set()

    def visit(tensor):
        if id(tensor) in source_ids:
            return
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in seen:
            return
        if node.is_input:
            raise ValueError(f"Graph disconnected: cannot obtain value for tensor {tensor} at "
                             f'layer "{layer.name}": it is not computed from the given `inputs`.')
        seen.add(id(node))
        for parent in node.input_tensors:
            visit(parent)
        order.append(node)

    for t in tree.flatten(outputs):
        visit(t)
    remap = lambda v: mapping.get(id(v), v) if isinstance(v, KerasTensor) else v  # noqa: E731
    for node in order:
        call_inputs, args, kwargs = tree.map_structure(
            remap, (node.call_inputs, list(node.call_args), node.call_kwargs))
        out = node.layer(call_inputs, *args, **kwargs)
        for old, new in zip(node.output_tensors, tree.flatten(out)):
            mapping[id(old)] = new
    return tree.map_structure(remap, inputs), tree.map_structure(remap, outputs)


def _map_graph(inputs, outputs):
    """Keras 2's ordering of a graph: nodes and layers by decreasing depth.

    Returns the nodes in an order that runs them (inputs first), the layers in Keras's
    `model.layers` order, and the nodes grouped by depth.
    """
    finished, in_progress = set(), set()
    nodes_in_decreasing_depth, layer_indices = [], {}
    input_ids = {id(t) for t in inputs}

    def visit(tensor):
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in finished:
            return
        if id(node) in in_progress:
            raise ValueError(f'Tensor {tensor} from layer "{layer.name}" is part of a cycle.')
        if layer not in layer_indices:
            layer_indices[layer] = len(layer_indices)
        in_progress.add(id(node))
        if id(tensor) not in input_ids:
            if node.is_input:
                raise ValueError(
                    f'Graph disconnected: cannot obtain value for tensor {tensor} at layer '
                    f'"{layer.name}". The following previous layers were accessed without issue: '
                    f"{[lay.name for lay in layer_indices if lay is not layer]}")
            for t in node.input_tensors:
                if t._keras_history is None:
                    raise ValueError(f"Tensor {t} was not produced by a Keras layer.")
                visit(t)
        finished.add(id(node))
        in_progress.discard(id(node))
        nodes_in_decreasing_depth.append(node)

    for t in outputs:
        if t._keras_history is None:
            raise ValueError(f"Output tensor {t} was not produced by a Keras layer.")
        visit(t)

    node_depth, layer_depth = {}, {}
    for node in reversed(nodes_in_decreasing_depth):
        depth = node_depth.setdefault(id(node), 0)
        depth = max(depth, layer_depth.get(node.layer, 0))
        layer_depth[node.layer] = depth
        node_depth[id(node)] = depth
        if id(node.output_tensors[0]) in input_ids:
            continue
        for parent in node.parent_nodes:
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for t in inputs:
        layer = t._keras_history[0]
        if layer not in layer_depth:
            layer_depth[layer] = 0
            layer_indices[layer] = -1
            node = layer._inbound_nodes[0]
            node_depth[id(node)] = 0
            nodes_in_decreasing_depth.append(node)

    by_id = {id(n): n for n in nodes_in_decreasing_depth}
    nodes_by_depth = {}
    for node_id, depth in node_depth.items():
        if node_id in by_id:
            nodes_by_depth.setdefault(depth, []).append(by_id[node_id])
    layers_by_depth = {}
    for layer, depth in layer_depth.items():
        layers_by_depth.setdefault(depth, []).append(layer)
    layers = []
    for depth in sorted(layers_by_depth, reverse=True):
        layers.extend(sorted(layers_by_depth[depth], key=lambda lay: layer_indices[lay]))
    # Run order: deepest nodes (the inputs) first.
    ordered = []
    for depth in sorted(nodes_by_depth, reverse=True):
        ordered.extend(nodes_by_depth[depth])
    names = [layer.name for layer in layers]
    for name in set(names):
        if names.count(name) > 1:
            raise ValueError(f'The name "{name}" is used {names.count(name)} times in the model. '
                             "All layer names should be unique.")
    return ordered, layers, nodes_by_depth


class Functional(Model):
    """The class of `keras.Model(inputs=..., outputs=...)`: a graph of layers.

    Named `model`, `model_1`, ... and shown as `(Functional)` in summaries, as in Keras 2.
    """

    _auto_name_prefix = "model"
