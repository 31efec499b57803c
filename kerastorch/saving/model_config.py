"""Configs of Sequential and functional models, in Keras 3's format, and models rebuilt from them.

A functional config lists its layers, each with the calls (`inbound_nodes`) that connect it, plus
`input_layers` and `output_layers`; Keras 2's variant (nodes as `[name, node, tensor, kwargs]`
lists, as found in legacy `.h5` files) is read too.
"""

from kerastorch import tree
from kerastorch.saving import serialization_lib
from kerastorch.tensor import KerasTensor


def layer_config_for_keras(layer, config):
    """A layer's config as Keras 3 takes it: no `batch_input_shape` (an InputLayer carries it)."""
    config = dict(config)
    config.pop("batch_input_shape", None)
    return config


def _is_functional(layer):
    from kerastorch.models.model import Model
    from kerastorch.models.sequential import Sequential
    return isinstance(layer, Model) and not isinstance(layer, Sequential) and \
        getattr(layer, "_is_graph_network", False)


# ------------------------------------------------------------------ writing
def sequential_config(model):
    layers = []
    if model._input_layer is not None:
        layers.append(serialization_lib.serialize_keras_object(model._input_layer))
    layers.extend(serialization_lib.serialize_keras_object(layer) for layer in model.layers)
    config = {"name": model.name, "trainable": model.trainable, "dtype": model.dtype,
              "layers": layers}
    if model.built and model._build_input_shape is not None:
        config["build_input_shape"] = list(model._build_input_shape)
    return config


def functional_config(model):
    own = model._network_nodes

    def own_index(layer, node_index):
        return sum(1 for n in layer._inbound_nodes[:node_index] if id(n) in own)

    def tensor_config(t):
        layer, node_index, tensor_index = t._keras_history
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(t.shape), "dtype": t.dtype,
                           "keras_history": [layer.name, own_index(layer, node_index),
                                             tensor_index]}}

    def serialize_arg(value):
        if isinstance(value, KerasTensor):
            return tensor_config(value)
        if isinstance(value, (list, tuple)):
            return [serialize_arg(v) for v in value]
        if isinstance(value, dict):
            return {k: serialize_arg(v) for k, v in value.items()}
        return serialization_lib.serialize_keras_object(value)

    layer_configs = []
    for layer in model.layers:
        nodes = []
        for node in layer._inbound_nodes:
            if id(node) not in own or node.is_input:
                continue
            nodes.append({"args": serialize_arg([node.call_inputs] + list(node.call_args)),
                          "kwargs": serialize_arg(node.call_kwargs)})
        entry = serialization_lib.serialize_keras_object(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = nodes
        layer_configs.append(entry)

    def endpoint(t):
        layer, node_index, tensor_index = t._keras_history
        # Keras 3 counts a nested functional model's own first node in these indices.
        offset = 1 if _is_functional(layer) else 0
        return [layer.name, own_index(layer, node_index) + offset, tensor_index]

    return {"name": model.name, "trainable": model.trainable, "layers": layer_configs,
            "input_layers": tree.map_structure(endpoint, model._inputs_struct),
            "output_layers": tree.map_structure(endpoint, model._outputs_struct)}


# ------------------------------------------------------------------ reading
def model_from_config(cls, config, custom_objects=None):
    """Rebuilds a Sequential, functional or subclassed model of class `cls` from `config`."""
    from kerastorch.models.sequential import Sequential
    from kerastorch.saving import keras2_loading
    if isinstance(cls, type) and issubclass(cls, Sequential):
        return sequential_from_config(cls, config, custom_objects)
    if isinstance(config, dict) and "layers" in config and "output_layers" in config:
        if keras2_loading.active() or keras2_loading.is_keras2_config({"config": config}):
            with keras2_loading.Keras2Scope():
                return keras2_loading.functional_from_keras2_config(cls, config,
                                                                    custom_objects)
        return functional_from_config(cls, config, custom_objects)
    try:
        return cls(**config)
    except TypeError as err:
        raise TypeError(f"Unable to revive model {cls.__name__} from its config: the class "
                        "must implement `get_config()` and `from_config()` (or take its config "
                        f"as keyword arguments). Config: {config}. Error: {err}") from err


def deserialize_layer(layer_data, custom_objects):
    """The layer of one entry of a model config's `layers` (ValueError if it is no layer)."""
    from kerastorch.layers.layer import Layer
    layer = serialization_lib.deserialize_keras_object(layer_data, custom_objects)
    if not isinstance(layer, Layer):
        raise ValueError(f"Expected a layer when deserializing {layer_data.get('class_name')}, "
                         f"got {type(layer).__name__}.")
    return layer


def sequential_from_config(cls, config, custom_objects=None):
    if isinstance(config, list):  # Keras 2.0/2.1: the config is the list of layers
        config = {"layers": config}
    kwargs = {k: config[k] for k in ("name", "trainable") if config.get(k) is not None}
    model = cls(**kwargs)
    for layer_data in config["layers"]:
        model.add(deserialize_layer(layer_data, custom_objects))
    shape = config.get("build_input_shape")
    if not model.built and shape is not None and model.layers:
        model.build(serialization_lib.to_shape(shape))
    return model


def functional_from_config(cls, config, custom_objects=None):
    created = {}
    offsets = {}
    pending = []
    for layer_data in config["layers"]:
        name = layer_data.get("name", layer_data.get("config", {}).get("name"))
        layer = deserialize_layer(layer_data, custom_objects)
        created[name] = layer
        legacy = "module" not in layer_data
        model_class = layer_data.get("class_name") in ("Functional", "Model", "Sequential")
        # Keras 2 counted a nested model's own first node; Keras 3 only in input/output lists.
        offsets[name] = (1 if legacy and model_class else 0,
                         1 if model_class and layer_data.get("class_name") != "Sequential"
                         else 0)
        for node_data in layer_data.get("inbound_nodes", []):
            pending.append((name, node_data))

    class _NotReady(Exception):
        pass

    def tensor(layer_name, node_index, tensor_index, endpoint=False):
        if layer_name not in created:
            raise ValueError(f"Invalid functional model configuration: layer {layer_name!r} is "
                             f"used but not defined. Known layers: {sorted(created)}")
        layer = created[layer_name]
        index = node_index - offsets[layer_name][1 if endpoint else 0]
        if index >= len(layer._inbound_nodes):
            raise _NotReady()
        return layer._inbound_nodes[index].output_tensors[tensor_index]

    def revive(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            return tensor(*value["config"]["keras_history"])
        if isinstance(value, list):
            return [revive(v) for v in value]
        if isinstance(value, dict) and not ("class_name" in value and "config" in value):
            return {k: revive(v) for k, v in value.items()}
        return serialization_lib.deserialize_keras_object(value, custom_objects)

    def call_args(node_data):
        if isinstance(node_data, list):  # Keras 2: [[layer, node, tensor, kwargs], ...]
            inputs, kwargs = [], {}
            for entry in node_data:
                inputs.append(tensor(entry[0], entry[1], entry[2]))
                if len(entry) > 3 and entry[3]:
                    kwargs.update(entry[3])
            return [inputs[0] if len(inputs) == 1 else inputs], revive(kwargs)
        return revive(node_data.get("args", [])), revive(node_data.get("kwargs", {}))

    while pending:
        remaining = []
        progressed = False
        blocked = set()
        for name, node_data in pending:
            if name in blocked:  # keep a layer's calls in their order
                remaining.append((name, node_data))
                continue
            try:
                args, kwargs = call_args(node_data)
            except _NotReady:
                blocked.add(name)
                remaining.append((name, node_data))
                continue
            kwargs = {k: v for k, v in kwargs.items()
                      if not (v is None and k in ("mask", "training"))}
            created[name](*args, **kwargs)
            progressed = True
        if not progressed:
            raise ValueError("Invalid functional model configuration: the graph has loops or "
                             "disconnected nodes. Unresolved calls of layers: "
                             f"{sorted(set(n for n, _ in remaining))}")
        pending = remaining

    def endpoints(value):
        if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and \
                isinstance(value[1], int):
            try:
                return tensor(*value, endpoint=True)
            except _NotReady:
                raise ValueError(f"Invalid functional model configuration: {value} refers to a "
                                 "call that does not exist.") from None
        if isinstance(value, dict):
            return {k: endpoints(v) for k, v in value.items()}
        return [endpoints(v) for v in value]

    inputs = endpoints(config["input_layers"])
    outputs = endpoints(config["output_layers"])
    # Keras 2 wrote every input and output list as a list, even of one tensor.
    legacy = all("module" not in layer_data for layer_data in config["layers"])
    if legacy and isinstance(inputs, list) and len(inputs) == 1 and \
            isinstance(inputs[0], KerasTensor):
        inputs = inputs[0]
    if legacy and isinstance(outputs, list) and len(outputs) == 1 and \
            isinstance(outputs[0], KerasTensor):
        outputs = outputs[0]
    kwargs = {k: config[k] for k in ("name", "trainable") if config.get(k) is not None}
    return cls(inputs=inputs, outputs=outputs, **kwargs)
