"""`keras.models.clone_model`: the same architecture with new layers (and new weights)."""

from kerastorch import tree


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """Clones a Sequential or functional model: new layers from their configs, fresh weights.

    Args:
        model: the model to clone.
        input_tensors: optional `keras.Input` tensors to build the clone on.
        clone_function: `fn(layer) -> layer` making each new layer (default: from its config).
        call_function: `fn(layer, *args, **kwargs)` calling each new layer in the graph.
        recursive: also clone the layers inside nested Sequential/functional models.

    Example:
        >>> new_model = keras.models.clone_model(model)
        >>> new_model.set_weights(model.get_weights())
    """
    from kerastorch.layers.core.input_layer import InputLayer
    from kerastorch.layers.core.input_layer import KerasTensor
    from kerastorch.models.model import Model
    from kerastorch.models.sequential import Sequential
    if kwargs:
        raise TypeError(f"Unexpected keyword argument(s): {list(kwargs)}")
    if not isinstance(model, Model):
        raise ValueError("Expected `model` argument to be a `Model` instance. Received: "
                         f"model={model}")

    def default_clone(layer):
        if recursive and isinstance(layer, Model) and (layer._is_graph_network or
                                                       isinstance(layer, Sequential)):
            return clone_model(layer, clone_function=clone_function,
                               call_function=call_function, recursive=True)
        return type(layer).from_config(layer.get_config())

    clone = clone_function or default_clone
    if not getattr(model, "_is_graph_network", False) and not isinstance(model, Sequential):
        raise ValueError("Subclassed models cannot be cloned (they have no config of their "
                         "graph). Received a model of class " + type(model).__name__)
    if isinstance(model, Sequential) and input_tensors is None:
        new_layers = [clone(layer) for layer in model.layers]
        if model._input_layer is not None:
            source = model._input_layer
            first = InputLayer(batch_shape=source.batch_shape, dtype=source.dtype,
                               name=source.name)
            new_layers = [first] + new_layers
        return Sequential(new_layers, name=model.name, trainable=model.trainable)
    if input_tensors is not None:
        new_inputs = tree.flatten(input_tensors)
        if len(new_inputs) != len(model.inputs):
            raise ValueError(f"`input_tensors` must have {len(model.inputs)} tensors, received "
                             f"{len(new_inputs)}.")
    else:
        new_inputs = []
        for t in model.inputs:
            layer = t._keras_history[0]
            new_inputs.append(InputLayer(batch_shape=layer.batch_shape, dtype=layer.dtype,
                                         name=layer.name).output)
    mapping = {id(old): new for old, new in zip(model.inputs, new_inputs)}
    new_layers = {}
    own = model._network_nodes
    for depth in sorted(model._nodes_by_depth, reverse=True):
        for node in model._nodes_by_depth[depth]:
            if node.is_input or id(node) not in own:
                continue
            layer = node.layer
            if id(layer) not in new_layers:
                new_layers[id(layer)] = clone(layer)
            new_layer = new_layers[id(layer)]
            swap = lambda v: mapping[id(v)] if isinstance(v, KerasTensor) else v  # noqa: E731
            inputs, args, call_kwargs = tree.map_structure(
                swap, (node.call_inputs, list(node.call_args), dict(node.call_kwargs)))
            call = call_function or (lambda lay, *a, **k: lay(*a, **k))
            outputs = call(new_layer, inputs, *args, **call_kwargs)
            for old, new in zip(node.output_tensors, tree.flatten(outputs)):
                mapping[id(old)] = new
    inputs = tree.pack_sequence_as(model._inputs_struct, new_inputs)
    outputs = tree.map_structure(lambda t: mapping[id(t)], model._outputs_struct)
    return Model(inputs, outputs, name=model.name, trainable=model.trainable)
