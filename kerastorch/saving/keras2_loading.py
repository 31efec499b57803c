"""Keras 2 model configs, as tf.keras 2 writes them, rebuilt as kerastorch models.

tf.keras 2 writes the same model config into full-model `.h5` files, its 2.13+ `.keras` zips
and SavedModels' `keras_metadata.pb`. It differs from Keras 3's in three ways, all handled here:

- layer arguments: list-valued `axis`, `batch_input_shape`, `ragged`, `time_major`, `groups`
  of transposed convolutions, a Lambda's marshalled code, ... (`upgrade_layer_config`, applied
  to every layer deserialized inside a `Keras2Scope`);
- the graph: nodes are `[layer_name, node_index, tensor_index, kwargs]` lists, and a nested
  functional model counts its own first node (`functional_from_keras2_config`, a port of
  tf.keras's `reconstruct_from_config` rule by rule);
- `TFOpLambda` / `SlicingOpLambda` layers: the TensorFlow function a Keras tensor went through
  (`x * 2`, `tf.concat`), run by kerastorch ops (kerastorch/saving/keras2_tf_ops.py).

Keras 2.1-era (TF 1.x) files are read too: a Sequential config that is a bare list of layers,
`Model` as the functional class name, Keras 2.1's initializer arguments.

`model_from_keras2_config(config, custom_objects, safe_mode)` is the entry point used by the
`.h5`, `.keras` and SavedModel readers.
"""

import codecs
import marshal
import sys
import threading
import types
import warnings

import numpy as np

from kerastorch import tree
from kerastorch.saving import serialization_lib

_STATE = threading.local()


class Keras2Scope:
    """Within it, deserialized layer configs are read as tf.keras 2 wrote them."""

    def __enter__(self):
        self._previous = getattr(_STATE, "active", False)
        _STATE.active = True
        return self

    def __exit__(self, *args):
        _STATE.active = self._previous


def active():
    """Whether a Keras 2 config is being read."""
    return getattr(_STATE, "active", False)


def _version_major(version):
    if isinstance(version, bytes):
        version = version.decode("utf8")
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return None


def is_keras2_version(version):
    """True for the `keras_version` tf.keras 2 (`"2.21.0"`) or Keras 1/2.1 write."""
    major = _version_major(version)
    return major is not None and major < 3


def is_keras2_config(config):
    """Whether a model config (`{"class_name", "config"}`) is in Keras 2's format: a Sequential
    config that is a bare list (Keras 2.1), a functional graph whose nodes are lists (Keras 3
    writes `{"args", "kwargs"}`), an InputLayer with `batch_input_shape` (Keras 3 writes
    `batch_shape`), or tf.keras's module names."""
    if not isinstance(config, dict) or "config" not in config:
        return False
    module = config.get("module") or ""
    if module.startswith("tf_keras") or module.startswith("keras.src.engine"):
        return True
    inner = config["config"]
    if isinstance(inner, list):
        return True
    if not isinstance(inner, dict) or not isinstance(inner.get("layers"), list):
        return False
    for layer in inner["layers"]:
        if not isinstance(layer, dict):
            continue
        nodes = layer.get("inbound_nodes") or []
        if nodes:
            return isinstance(nodes[0], list)
        layer_config = layer.get("config")
        if layer.get("class_name") == "InputLayer" and isinstance(layer_config, dict):
            return "batch_input_shape" in layer_config and "batch_shape" not in layer_config
        if isinstance(layer_config, dict) and "batch_input_shape" in layer_config:
            return True  # Keras 3 keeps input shapes on InputLayers only
        if is_keras2_config(layer):
            return True
    return False


def model_from_keras2_config(config, custom_objects=None, safe_mode=True):
    """The model a tf.keras 2 model config (`{"class_name", "config"}`, as in an `.h5` file's
    `model_config`, a tf.keras `.keras` file's config.json or a SavedModel's Keras metadata)
    describes, with fresh weights.

    Args:
        config: the config dict.
        custom_objects: `{name: class_or_function}` for custom layers, and for a `TFOpLambda`
            function kerastorch lacks (`{"tf.image.resize": fn}`).
        safe_mode: False allows a Lambda layer's marshalled Python code to load.
    """
    with serialization_lib.SafeModeScope(safe_mode), Keras2Scope():
        return serialization_lib.deserialize_keras_object(config, custom_objects)


# ------------------------------------------------------------------ layer configs
_ACTIVATION_ALIASES = {"softmax_v2": "softmax", "swish": "silu"}


def _register(fn):
    from kerastorch.saving import object_registration
    return object_registration.register_keras_serializable(package="keras2")(fn)


@_register
def hard_sigmoid(x):
    """tf.keras 2's `hard_sigmoid`: `clip(0.2 * x + 0.5, 0, 1)` (Keras 3's has slope 1/6)."""
    return (0.2 * x + 0.5).clamp(0.0, 1.0)


hard_sigmoid._keras2_name = "hard_sigmoid"
# Keras 2 activation names whose function differs from Keras 3's of the same name.
_KERAS2_ACTIVATIONS = {"hard_sigmoid": hard_sigmoid}


def _activation(value):
    if isinstance(value, dict) and value.get("class_name") == "function":
        value = value.get("config")
    if not isinstance(value, str):
        return None
    if value in _KERAS2_ACTIVATIONS:
        return _KERAS2_ACTIVATIONS[value]
    return _ACTIVATION_ALIASES.get(value)
_RNN_CLASSES = {"SimpleRNN", "LSTM", "GRU", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}
_PREPROCESSING_RANDOM = {"RandomBrightness", "RandomContrast", "RandomCrop", "RandomFlip",
                         "RandomRotation", "RandomTranslation", "RandomZoom", "RandomHeight",
                         "RandomWidth"}


def upgrade_layer_config(cls, config, class_name=None):
    """A tf.keras 2 layer config as kerastorch's `cls(**config)` takes it.

    Arguments tf.keras writes that change nothing in kerastorch (`groups=1` of a transposed
    convolution, the `rng_type` of random preprocessing layers, a lookup's `vocabulary_size`)
    are dropped; those kerastorch cannot honour (`time_major=True`, ragged inputs) raise.
    """
    name = class_name or cls.__name__
    builtin = cls.__module__.startswith("kerastorch.")
    config = dict(config)
    layer_name = config.get("name")
    for key in ("activation", "recurrent_activation"):
        value = _activation(config.get(key))
        if value is not None:
            config[key] = value
    if not builtin:
        return config
    cls_name = cls.__name__
    if cls_name == "InputLayer":
        if "batch_input_shape" in config and "batch_shape" not in config:
            config["batch_shape"] = config.pop("batch_input_shape")
        for key in ("ragged", "sparse"):
            if config.get(key):
                raise ValueError(f"Input layer '{layer_name}' of the saved model takes {key} "
                                 f"tensors ({key}=True), which kerastorch does not support.")
            config.pop(key, None)
        config.pop("optional", None)
    elif cls_name in ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"):
        if config.get("groups", 1) == 1:
            config.pop("groups", None)
    elif cls_name in ("SeparableConv1D", "SeparableConv2D"):
        for key in ("kernel_initializer", "kernel_regularizer", "kernel_constraint"):
            config.pop(key, None)  # tf.keras writes its Conv base's unused arguments
        if config.get("groups", 1) == 1:
            config.pop("groups", None)
    elif cls_name == "MultiHeadAttention":
        for key in ("query_shape", "key_shape", "value_shape"):
            config.pop(key, None)  # build shapes: the layer is built by its call
    elif cls_name == "LeakyReLU" and "alpha" in config:
        config.setdefault("negative_slope", config.pop("alpha"))
    elif cls_name == "Embedding":
        config.pop("input_length", None)
    elif cls_name in ("IntegerLookup", "StringLookup", "TextVectorization"):
        config.pop("vocabulary_size", None)
    elif cls_name in _PREPROCESSING_RANDOM:
        config.pop("rng_type", None)
    elif cls_name == "Lambda":
        config = _lambda_config(config)
    if cls_name in _RNN_CLASSES or name in _RNN_CLASSES:
        if config.pop("time_major", False):
            raise ValueError(f"Layer '{layer_name}' ({name}) of the saved model was made with "
                             "time_major=True (inputs shaped (time, batch, ...)), which "
                             "kerastorch does not support: rebuild it with time_major=False "
                             "and a Permute of the inputs.")
    accepted = serialization_lib.accepted_arguments(cls)
    if accepted is not None and "trainable" not in accepted and config.get("trainable", True):
        config.pop("trainable", None)
    return config


def upgrade_object_config(cls, config):
    """A tf.keras 2 / Keras 2.1 initializer config as kerastorch's takes it."""
    if not isinstance(config, dict):
        return config
    if cls.__name__ == "VarianceScaling" and config.get("distribution") == "normal":
        config = dict(config, distribution="truncated_normal")  # Keras 2.1's name for it
    return config


# ------------------------------------------------------------------ Lambda
_LAMBDA_SAFE_MODE_MESSAGE = (
    "Requested the deserialization of a Lambda layer with a Python `lambda` inside it. This "
    "carries a potential risk of arbitrary code execution and thus it is disallowed by "
    "default. If you trust the source of the saved model, you can pass `safe_mode=False` to "
    "the loading function in order to allow Lambda layer loading.")


def _lambda_config(config):
    """tf.keras 2's Lambda config (`function`, `function_type`, `module`, `output_shape`, ...)
    as kerastorch's Lambda takes it."""
    if "function_type" not in config:
        return config
    config = dict(config)
    name = config.get("name")
    config["function"] = _lambda_function(config, "function", "module", "function_type", name)
    if "output_shape_type" in config:
        config["output_shape"] = _lambda_function(config, "output_shape", "output_shape_module",
                                                  "output_shape_type", name)
    if "mask_type" in config:
        config["mask"] = _lambda_function(config, "mask", "mask_module", "mask_type", name)
    arguments = config.get("arguments") or {}
    config["arguments"] = {k: np.array(v["value"]) if isinstance(v, dict) and
                           v.get("type") == "ndarray" else v for k, v in arguments.items()}
    return config


def _lambda_function(config, key, module_key, type_key, layer_name):
    value = config.get(key)
    module = config.pop(module_key, None)
    kind = config.pop(type_key, None)
    if kind == "raw" or kind is None:
        return value
    if kind == "function":
        return _named_function(value, module, layer_name)
    if kind == "lambda":
        if serialization_lib.in_safe_mode() is not False:
            raise ValueError(_LAMBDA_SAFE_MODE_MESSAGE)
        return _load_marshalled(value, module, layer_name)
    raise TypeError(f"Unsupported value for `{type_key}` argument of Lambda layer "
                    f"'{layer_name}'. Received: {type_key}={kind}. Expected one of "
                    "['function', 'lambda', 'raw']")


def _named_function(name, module, layer_name):
    from kerastorch import activations
    from kerastorch.saving import keras2_tf_ops
    from kerastorch.saving import object_registration
    found = object_registration.get_registered_object(name)
    if found is None and module and module.startswith("tensorflow"):
        for prefix in ("", "nn.", "math."):
            found = keras2_tf_ops.get(prefix + name)
            if found is not None:
                break
    if found is None:
        found = getattr(activations, str(name), None)
    if found is None and module in sys.modules:
        found = getattr(sys.modules[module], name, None)
    if found is None:
        raise ValueError(f"Unknown function '{name}' (module {module!r}) of Lambda layer "
                         f"'{layer_name}': pass it in `custom_objects={{'{name}': fn}}`.")
    return found


def _lambda_globals(module):
    """What a tf.keras Lambda's code finds as globals: tf.keras's own module globals (`tf`,
    `np`), the saving module's when it is imported here, and the custom objects in scope."""
    import kerastorch
    from kerastorch.porting import tf as tf_module
    from kerastorch.saving import object_registration
    scope = {"__builtins__": __builtins__, "tf": tf_module, "np": np, "keras": kerastorch,
             "tf_keras": kerastorch, "K": kerastorch.backend, "ops": kerastorch.ops}
    if module in sys.modules and module != "__main__":
        scope.update(vars(sys.modules[module]))
    for custom in object_registration.scoped_custom_objects():
        scope.update(custom)
    return scope


def _load_marshalled(value, module, layer_name):
    """A function from tf.keras's `func_dump`: `[base64 marshal of the code, defaults,
    closure]`."""
    if isinstance(value, (list, tuple)):
        code, defaults, closure = (list(value) + [None, None])[:3]
    else:
        code, defaults, closure = value, None, None
    if isinstance(defaults, list):
        defaults = tuple(defaults)
    try:
        raw = codecs.decode(code.encode("ascii"), "base64")
        fn_code = marshal.loads(raw)
    except (ValueError, EOFError, TypeError) as err:
        raise ValueError(f"Could not load the Python code of Lambda layer '{layer_name}': it "
                         "was marshalled by another Python version "
                         f"(this is Python {sys.version.split()[0]}) or is corrupt: "
                         f"{err}") from None

    def cell(v):
        return (lambda: v).__closure__[0]

    closure = tuple(cell(v) for v in closure) if closure else None
    return types.FunctionType(fn_code, _lambda_globals(module), fn_code.co_name, defaults,
                              closure)


# ------------------------------------------------------------------ the functional graph
_CONSTANT_VALUE = "_CONSTANT_VALUE"


def _is_leaf(value):
    """A node entry: `[layer_name, node_index, tensor_index]` (+ kwargs), or a constant first
    argument `["_CONSTANT_VALUE", -1, value]` (+ kwargs)."""
    if isinstance(value, list) and len(value) in (3, 4) and value[0] == _CONSTANT_VALUE:
        return len(value) == 3 or isinstance(value[3], dict)
    return isinstance(value, list) and len(value) in (3, 4) and isinstance(value[0], str) and \
        isinstance(value[1], int) and isinstance(value[2], int) and \
        (len(value) == 3 or isinstance(value[3], dict))


def _is_tensor_ref(value):
    return isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and \
        isinstance(value[1], int) and isinstance(value[2], int)


def _flatten_leaves(data):
    if _is_leaf(data):
        return [data]
    if isinstance(data, dict):
        return [leaf for key in sorted(data) for leaf in _flatten_leaves(data[key])]
    if isinstance(data, (list, tuple)):
        return [leaf for item in data for leaf in _flatten_leaves(item)]
    return []


def _pack_leaves(data, values):
    values = iter(values)

    def pack(d):
        if _is_leaf(d):
            return next(values)
        if isinstance(d, dict):
            return {k: pack(d[k]) for k in sorted(d)}
        if isinstance(d, (list, tuple)):
            return [pack(item) for item in d]
        return d
    return pack(data)


class _NotReady(Exception):
    """A node's inputs are not all made yet: try again in the next pass."""


def _counts_own_node(layer_data):
    """tf.keras counts a nested model's own first node (its Input's) when that model was made
    on an Input: a Functional one, or a Sequential whose config starts with an InputLayer or a
    `batch_input_shape`."""
    class_name = layer_data.get("class_name")
    if class_name in ("Functional", "Model"):
        return True
    if class_name != "Sequential":
        return False
    config = layer_data.get("config")
    layers = config if isinstance(config, list) else (config or {}).get("layers") or []
    if not layers:
        return False
    first = layers[0]
    return first.get("class_name") == "InputLayer" or \
        "batch_input_shape" in (first.get("config") or {})


def functional_from_keras2_config(cls, config, custom_objects=None):
    """Rebuilds a tf.keras 2 functional model of class `cls` from its config: layers in order,
    then their calls, each once all its inputs exist (tf.keras's rules: node indices of the
    config map to the calls made here; a nested model's own first node is skipped)."""
    from kerastorch.layers.core.input_layer import InputLayer
    from kerastorch.models.model import Model
    from kerastorch.saving import model_config
    created = {}
    order = []
    node_count = {}
    node_index_map = {}
    unprocessed = {}
    for layer_data in config["layers"]:
        name = layer_data.get("name") or layer_data.get("config", {}).get("name")
        layer = model_config.deserialize_layer(layer_data, custom_objects)
        created[name] = layer
        order.append(name)
        node_count[name] = 1 if _counts_own_node(layer_data) else 0
        nodes = layer_data.get("inbound_nodes") or []
        if nodes:
            unprocessed[name] = list(nodes)

    def node_index(layer_name, config_index):
        if layer_name not in created:
            raise ValueError(f"Invalid functional model configuration: layer {layer_name!r} "
                             f"is used but not defined. Known layers: {sorted(created)}")
        if isinstance(created[layer_name], InputLayer):
            return 0
        return node_index_map.get((layer_name, config_index))

    def tensor(layer_name, config_index, tensor_index):
        index = node_index(layer_name, config_index)
        if index is None:
            raise _NotReady()
        return created[layer_name]._inbound_nodes[index].output_tensors[tensor_index]

    def revive_kwargs(value):
        if _is_tensor_ref(value):
            return tensor(*value)
        if isinstance(value, dict):
            return {k: revive_kwargs(v) for k, v in value.items()}
        if isinstance(value, list):
            return [revive_kwargs(v) for v in value]
        return value

    def process_node(name, node_data):
        layer = created[name]
        leaves = _flatten_leaves(node_data)
        if not leaves:
            raise ValueError(f"Improperly formatted model config: node {node_data!r} of layer "
                             f"'{name}'.")
        kwargs = {}
        values = []
        for leaf in leaves:
            if len(leaf) == 4:
                kwargs = revive_kwargs(leaf[3])
            if leaf[0] == _CONSTANT_VALUE:
                values.append(leaf[2])
            else:
                values.append(tensor(leaf[0], leaf[1], leaf[2]))
        inputs = _pack_leaves(node_data, values)
        kwargs = serialization_lib.deserialize_keras_object(kwargs, custom_objects) \
            if kwargs else {}
        if hasattr(layer, "call_node"):  # a TFOpLambda: the call's arguments are TF's
            kwargs.pop("name", None)
            outputs = layer.call_node([inputs], kwargs)
        else:
            flat = tree.flatten(inputs)
            if not isinstance(inputs, dict) and len(flat) == 1:
                inputs = flat[0]
            kwargs = {k: v for k, v in kwargs.items()
                      if not (v is None and k in ("mask", "training"))}
            outputs = layer(inputs, **kwargs)
        first = tree.flatten(outputs)[0]
        node_index_map[(name, node_count[name])] = first._keras_history[1]
        node_count[name] += 1

    while unprocessed:
        progressed = False
        for name in order:
            if name not in unprocessed:
                continue
            nodes = unprocessed[name]
            done = 0
            for node_data in nodes:
                try:
                    process_node(name, node_data)
                except _NotReady:
                    break
                done += 1
            progressed = progressed or done > 0
            if done == len(nodes):
                del unprocessed[name]
            else:
                unprocessed[name] = nodes[done:]
        if not progressed:
            raise ValueError("Invalid functional model configuration: the graph has loops or "
                             "calls of layers that are not defined. Unresolved calls of layers: "
                             f"{sorted(unprocessed)}")

    def endpoints(value):
        if _is_tensor_ref(value):
            try:
                return tensor(*value)
            except _NotReady:
                raise ValueError(f"Invalid functional model configuration: {value} refers to a "
                                 "call that does not exist.") from None
        if isinstance(value, dict):
            return {k: endpoints(v) for k, v in value.items()}
        return [endpoints(v) for v in value]

    inputs = endpoints(config["input_layers"])
    outputs = endpoints(config["output_layers"])
    # tf.keras unwraps an input or output list of one tensor.
    if isinstance(inputs, list) and len(tree.flatten(inputs)) == 1:
        inputs = tree.flatten(inputs)[0]
    if isinstance(outputs, list) and len(tree.flatten(outputs)) == 1:
        outputs = tree.flatten(outputs)[0]
    kwargs = {k: config[k] for k in ("name", "trainable") if config.get(k) is not None}
    if isinstance(cls, type) and issubclass(cls, Model) and cls is not Model:
        try:
            return cls(inputs=inputs, outputs=outputs, **kwargs)
        except TypeError:
            warnings.warn(f"Could not make the saved model as class {cls.__name__} from its "
                          "functional config; it is rebuilt as a functional `Model`.",
                          stacklevel=3)
    return Model(inputs=inputs, outputs=outputs, **kwargs)
