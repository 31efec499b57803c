"""Model configs in Keras 2's format, for the `model_config` of the `.h5` files kerastorch writes.

tf.keras 2 reads a whole-model `.h5` only if its config is written the way tf.keras writes it,
which differs from Keras 3's (what `.keras` files hold, see serialization_lib):

- a layer is `{"class_name", "config"}` (plus `name` and `inbound_nodes` in a functional model),
  with no `module`/`registered_name`/`build_config`; a registered custom class is named
  `"package>Name"` in `class_name`;
- `InputLayer` takes `batch_input_shape` (not `batch_shape`), and a few layers spell an argument
  differently (`LeakyReLU(alpha=)`) or lack one Keras 3 added (`seed` of recurrent layers,
  `rms_scaling` of LayerNormalization, ...): `_RENAMED`, `_KERAS3_ONLY`;
- a node is a list of `[layer_name, node_index, tensor_index, kwargs]` entries, one per tensor
  of the call's first argument; the other arguments (`value` of MultiHeadAttention, `training`)
  go into `kwargs`, keyword by name, a tensor as `[layer_name, node_index, tensor_index]`;
- a nested model (functional, or Sequential with an input) counts its own first node: calls of
  it are numbered from 1.

Nested objects (initializers, regularizers, ...) keep the `{"module", "class_name", "config",
"registered_name"}` form: tf.keras 2.13+ writes them that way too.

`model_config(model)` returns the `{"class_name", "config"}` dict to write as JSON.
"""

import inspect

from kerastorch import tree
from kerastorch.saving import serialization_lib

# Keras 3 argument name -> Keras 2's, per layer class.
_RENAMED = {"LeakyReLU": {"negative_slope": "alpha"}}

# Arguments Keras 3 added that tf.keras 2 does not take: dropped when they hold this default,
# an error otherwise (tf.keras could not build the same layer).
_RNN_ONLY = {"seed": None}
_KERAS3_ONLY = {
    "SimpleRNN": _RNN_ONLY, "LSTM": _RNN_ONLY, "GRU": _RNN_ONLY,
    "SimpleRNNCell": _RNN_ONLY, "LSTMCell": _RNN_ONLY, "GRUCell": _RNN_ONLY,
    "Attention": {"seed": None}, "AdditiveAttention": {"seed": None},
    "MultiHeadAttention": {"seed": None},
    "LayerNormalization": {"rms_scaling": False},
    "Resizing": {"antialias": False, "data_format": "channels_last", "fill_mode": "constant",
                 "fill_value": 0.0, "pad_to_aspect_ratio": False},
    "CenterCrop": {"data_format": "channels_last"},
    "ZeroPadding1D": {"data_format": "channels_last"},
    "Embedding": {"lora_rank": None, "lora_alpha": None},
    "Dense": {"lora_rank": None, "lora_alpha": None},
    "EinsumDense": {"lora_rank": None, "lora_alpha": None},
}
_ALWAYS_DROPPED = ("build_config", "compile_config", "module", "registered_name")


def _is_model(layer):
    from kerastorch.models.model import Model
    return isinstance(layer, Model)


def _counts_own_node(layer):
    """Whether tf.keras numbers this layer's calls from 1: a model that starts at an input."""
    from kerastorch.models.sequential import Sequential
    if isinstance(layer, Sequential):
        return layer._input_layer is not None
    return _is_model(layer) and getattr(layer, "_is_graph_network", False)


def _class_name(entry):
    registered = entry.get("registered_name")
    if registered and registered != entry["class_name"] and ">" in registered:
        return registered
    return entry["class_name"]


def _nested(value):
    """Nested objects inside a layer's config: layers become Keras 2 layer dicts."""
    if isinstance(value, dict):
        if "class_name" in value and "config" in value and isinstance(value["config"], dict) \
                and str(value.get("module", "")).startswith("keras.layers"):
            return _layer_entry_from_dict(value)
        out = {k: _nested(v) for k, v in value.items()}
        if "class_name" in out and out.get("registered_name"):
            out["class_name"] = _class_name(out)
        return out
    if isinstance(value, list):
        return [_nested(v) for v in value]
    return value


def _layer_entry_from_dict(entry):
    """A Keras 3 layer dict (`serialize_keras_object`) as Keras 2's `{"class_name", "config"}`."""
    class_name = _class_name(entry)
    config = dict(entry["config"])
    if isinstance(config.get("dtype"), dict):  # a DTypePolicy
        config["dtype"] = config["dtype"].get("config", {}).get("name", "float32")
    if entry["class_name"] == "InputLayer":
        if "batch_shape" in config:
            config["batch_input_shape"] = config.pop("batch_shape")
        config.setdefault("ragged", False)
        config.pop("input_tensor", None)
    for old, new in _RENAMED.get(entry["class_name"], {}).items():
        if old in config:
            config[new] = config.pop(old)
    for key, default in _KERAS3_ONLY.get(entry["class_name"], {}).items():
        if key not in config:
            continue
        value = config.pop(key)
        if value != default and not (isinstance(default, float) and value == default):
            raise ValueError(
                f"Layer '{config.get('name')}' ({entry['class_name']}) has {key}={value!r}, an "
                "argument tf.keras 2 does not have: it cannot be written to a Keras 2 `.h5` "
                "file. Save it as `.keras` instead.")
    for key in _ALWAYS_DROPPED:
        config.pop(key, None)
    return {"class_name": class_name, "config": _nested(config)}


def layer_entry(layer):
    """A layer as Keras 2's `{"class_name", "config"}`; a nested model recursively."""
    if _is_model(layer) and (getattr(layer, "_is_graph_network", False) or
                             hasattr(layer, "_input_layer")):
        return model_config(layer)
    return _layer_entry_from_dict(serialization_lib.serialize_keras_object(layer))


# ------------------------------------------------------------------ models
def model_config(model):
    """`{"class_name", "config"}` of a Sequential or functional model, as tf.keras 2 writes it."""
    from kerastorch.models.sequential import Sequential
    if isinstance(model, Sequential):
        return {"class_name": "Sequential", "config": _sequential_config(model)}
    if getattr(model, "_is_graph_network", False):
        return {"class_name": "Functional", "config": _functional_config(model)}
    entry = _layer_entry_from_dict(serialization_lib.serialize_keras_object(model))
    return entry


def _sequential_config(model):
    layers = []
    if model._input_layer is not None:
        layers.append(layer_entry(model._input_layer))
    layers.extend(layer_entry(layer) for layer in model.layers)
    config = {"name": model.name, "layers": layers}
    if model.built and getattr(model, "_build_input_shape", None) is not None:
        config["build_input_shape"] = list(model._build_input_shape)
    return config


def _call_arg_names(layer):
    try:
        return list(inspect.signature(layer.call).parameters)
    except (TypeError, ValueError):
        return []


def _functional_config(model):
    from kerastorch.tensor import KerasTensor
    own = model._network_nodes

    def node_index(layer, index):
        kept = sum(1 for n in layer._inbound_nodes[:index] if id(n) in own)
        return kept + (1 if _counts_own_node(layer) else 0)

    def history(t):
        layer, index, tensor_index = t._keras_history
        return [layer.name, node_index(layer, index), tensor_index]

    def serialize_kwarg(value):
        if isinstance(value, KerasTensor):
            return history(value)
        if isinstance(value, (list, tuple)):
            return [serialize_kwarg(v) for v in value]
        if isinstance(value, dict):
            return {k: serialize_kwarg(v) for k, v in value.items()}
        return serialization_lib.serialize_keras_object(value)

    layer_configs = []
    for layer in model.layers:
        nodes = []
        names = _call_arg_names(layer)
        for node in layer._inbound_nodes:
            if id(node) not in own or node.is_input:
                continue
            kwargs = dict(zip(names[1:], node.call_args))
            if len(node.call_args) > len(names) - 1:
                raise ValueError(f"Cannot write the call of layer '{layer.name}' in Keras 2's "
                                 f"format: {len(node.call_args)} extra positional arguments "
                                 f"for call arguments {names[1:]}.")
            kwargs.update(node.call_kwargs)
            kwargs = {k: serialize_kwarg(v) for k, v in kwargs.items()}
            first = tree.flatten(node.call_inputs)
            nodes.append([history(t) + [kwargs] for t in first])
        entry = layer_entry(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = nodes
        layer_configs.append(entry)

    def endpoints(struct):
        return [history(t) for t in tree.flatten(struct)]

    return {"name": model.name, "trainable": model.trainable, "layers": layer_configs,
            "input_layers": endpoints(model._inputs_struct),
            "output_layers": endpoints(model._outputs_struct)}


# ------------------------------------------------------------------ compile state
# Keras 3 optimizer arguments tf.keras 2's optimizers do not take, with the value to drop.
_OPTIMIZER_KERAS3_ONLY = {"loss_scale_factor": None, "gradient_accumulation_steps": None}
# Keras 3 loss/metric arguments tf.keras 2 does not take, with the value to drop.
_OBJECT_KERAS3_ONLY = {"axis": -1, "dtype": None}


def _strip_object(value):
    """A loss or metric as tf.keras 2 writes it: `{"class_name", "config"}`, no module."""
    if isinstance(value, dict) and "class_name" in value and "config" in value:
        config = value["config"]
        if isinstance(config, dict):
            config = {k: _strip_object(v) for k, v in config.items()
                      if not (k in _OBJECT_KERAS3_ONLY and v == _OBJECT_KERAS3_ONLY[k])}
        return {"class_name": _class_name(value), "config": config}
    if isinstance(value, dict):
        return {k: _strip_object(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_object(v) for v in value]
    return value


def training_config(compile_config):
    """Keras 2's `training_config` (loss, metrics, loss_weights, optimizer_config) from Keras
    3's `compile_config`; the optimizer as tf.keras 2.11+ writes its optimizers."""
    optimizer = compile_config.get("optimizer") or {}
    config = {k: v for k, v in dict(optimizer.get("config") or {}).items()
              if not (k in _OPTIMIZER_KERAS3_ONLY and v == _OPTIMIZER_KERAS3_ONLY[k])}
    class_name = f"Custom>{optimizer.get('class_name')}"
    if optimizer.get("module") == "kerastorch.optimizers.legacy":  # as tf.keras 2 writes those
        class_name = optimizer.get("class_name")
    else:
        config.setdefault("jit_compile", False)
        config["is_legacy_optimizer"] = False
    return {"loss": _strip_object(compile_config.get("loss")),
            "metrics": _strip_object(compile_config.get("metrics")),
            "weighted_metrics": _strip_object(compile_config.get("weighted_metrics")),
            "loss_weights": compile_config.get("loss_weights"),
            "optimizer_config": {"class_name": class_name, "config": config}}


def optimizer_weights(optimizer, values):
    """tf.keras 2.11+'s `optimizer_weights`: `iteration:0` then each slot, no learning rate.

    `values` is the optimizer's Keras 3 layout (`iterations`, `learning_rate` unless it is a
    schedule, then the slots,
    in the order tf.keras creates them for its optimizer of the same name). Returns `(names,
    values)`.
    """
    own = getattr(optimizer, "_keras2_weights", None)
    if own is not None:  # legacy optimizers (`Adam/iter`, ...), tf.keras 2's Nadam (no u_product)
        return own()
    name = type(optimizer).__name__
    slots = values[1:] if callable(optimizer._learning_rate) else values[2:]
    return ["iteration:0"] + [f"{name}/slot_{i}:0" for i in range(len(slots))], \
        [values[0]] + list(slots)
