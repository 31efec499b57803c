"""Keras 3's files: `.weights.h5` (weights by object path) and `.keras` (a zip of config + weights).

A Keras 3 weights file keys every variable by where its layer sits in the model, not by the
layer's name (names are auto-generated and differ between processes):

    layers/dense/vars/0          first Dense of the model: kernel
    layers/dense_1/vars/1        second Dense: bias
    layers/sequential/layers/... a nested model
    optimizer/vars/0 ...         the optimizer's iterations, learning rate, slots

A layer's group is `snake_case(ClassName)` made unique within its list, and its own variables
are numbered trainable first. Layers inside a layer sit under the attribute that holds them
(`layers/bidirectional/forward_layer/...`). A layer whose Keras 3 counterpart keeps its
variables elsewhere (an LSTM's live in its `cell`) says so with `_keras3_variable_groups()`.
"""

import contextlib
import datetime
import io
import json
import os
import warnings
import zipfile

import numpy as np
import torch
from torch import nn

from kerastorch.saving import serialization_lib

_CONFIG_FILENAME = "config.json"
_METADATA_FILENAME = "metadata.json"
VARS_FILENAME = "model.weights.h5"
# The Keras release whose `.keras` layout kerastorch writes (metadata.json; Keras does not read it).
_KERAS_FORMAT_VERSION = "3.15.1"

# Layers whose Keras 3 class keeps its own variables in a sublayer: {class name: attribute}.
_OWN_VARS_SUBPATH = {"SimpleRNN": "cell", "LSTM": "cell", "GRU": "cell", "ConvLSTM1D": "cell",
                     "ConvLSTM2D": "cell", "ConvLSTM3D": "cell"}


def h5py_module():
    """Imports h5py, or says how to install it."""
    try:
        import h5py
    except ImportError:
        raise ImportError("Reading and writing HDF5 files (`.h5`, `.weights.h5`, `.keras`) "
                          "needs the `h5py` package: `pip install h5py` (or "
                          "`pip install kerastorch[h5]`).") from None
    return h5py


def open_h5(path_or_file, mode):
    """Opens an HDF5 file; a missing, truncated or corrupt file gives a clear error."""
    h5py = h5py_module()
    if mode == "r" and isinstance(path_or_file, (str, os.PathLike)) and \
            not os.path.exists(path_or_file):
        raise FileNotFoundError(f"No such file: '{os.fspath(path_or_file)}'")
    try:
        return h5py.File(path_or_file, mode)
    except OSError as err:
        if mode != "r":
            raise
        name = path_or_file if isinstance(path_or_file, (str, os.PathLike)) else "<in memory>"
        raise ValueError(f"Could not read the weights file '{os.fspath(name)}': it is not a "
                         "valid HDF5 file (truncated or corrupt?). h5py said: "
                         f"{err}") from None


@contextlib.contextmanager
def naming_file(filepath):
    """Errors raised while reading `filepath` name it (h5py's RuntimeErrors become ValueError).

    Keras's error types are kept: ValueError, OSError-family (as ValueError), TypeError.
    """
    name = os.fspath(filepath) if isinstance(filepath, (str, os.PathLike)) else None
    try:
        yield
    except FileNotFoundError:
        raise
    except (ValueError, OSError, KeyError, RuntimeError, TypeError) as err:
        if name is None or name in str(err):
            raise
        message = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
        cls = TypeError if isinstance(err, TypeError) else ValueError
        raise cls(f"Error reading '{name}': {message}") from err


def to_snake_case(name):
    from kerastorch.layers.layer import to_snake_case as snake
    return snake(name)


# ------------------------------------------------------------------ the object tree
def _name_key(name):
    return f"~{name}" if name.startswith("_") else name


def _unique_name(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _own_variables(layer):
    """The layer's own variables in Keras 3's order: trainable ones first, then the others,
    followed by those of plain torch modules it wraps."""
    from kerastorch.layers import layer as layer_module
    own = list(layer._keras_weights)
    ordered = [v for v in own if v._trainable] + [v for v in own if not v._trainable]
    seen = {(id(layer), v._attr) for v in own}
    for child in layer._modules.values():
        if child is not None and not _is_layer(child) and not _is_container(child):
            ordered.extend(layer_module.module_weights(child, seen))
    return ordered


def _is_layer(obj):
    from kerastorch.layers.layer import Layer
    return isinstance(obj, Layer)


def _is_container(module):
    if isinstance(module, (nn.ModuleList, nn.ModuleDict)):
        return True
    return isinstance(module, nn.Sequential) and any(_is_layer(m) for m in module.children())


def _children(layer):
    """(attribute, child) pairs below `layer` in Keras 3's visiting order."""
    from kerastorch.models.model import Model
    out = []
    if isinstance(layer, Model) and (layer._is_graph_network or hasattr(layer, "_stack")):
        out.append(("layers", list(layer.layers)))
        taken = {id(m) for m in layer.layers}
    else:
        taken = set()
    candidates = dict(layer._modules)
    for attr, value in vars(layer).items():  # plain lists of layers, as Keras tracks them
        if attr not in _INTERNAL_ATTRS and isinstance(value, (list, tuple, dict)) and value:
            items = list(value.values()) if isinstance(value, dict) else list(value)
            if all(_is_layer(v) or isinstance(v, (list, tuple)) for v in items) and \
                    any(_is_layer(v) for v in items):
                candidates[attr] = items
    for attr in sorted(candidates, key=_name_key):
        child = candidates[attr]
        if child is None or id(child) in taken or attr.isdigit():
            continue
        if isinstance(child, list):
            out.append((attr, child))
        elif _is_layer(child):
            out.append((attr, child))
        elif _is_container(child):
            out.append((attr, list(child.values()) if isinstance(child, nn.ModuleDict)
                        else list(child)))
    return out


# Bookkeeping attributes of layers and models that hold layers but are not children.
_INTERNAL_ATTRS = {"_layers", "_stack", "_inbound_nodes", "_keras_weights", "_steps", "_chain",
                   "inputs", "outputs", "_added_losses", "_nodes_by_depth", "_inputs_struct",
                   "_outputs_struct", "_network_nodes"}


def variable_groups(model):
    """`[(path, name, [Variable, ...]), ...]`: every layer of `model` and where Keras 3 keeps
    its variables. The model itself is the entry with path `""`."""
    groups = []
    visited = set()

    def visit(obj, path, name=None):
        if id(obj) in visited:
            return
        visited.add(id(obj))
        name = name or obj.name
        hook = getattr(obj, "_keras3_variable_groups", None)
        if hook is not None:
            for sub, variables in hook().items():
                groups.append((_join(path, sub), name if not sub else sub, list(variables)))
            return
        own = _own_variables(obj)
        sub = _OWN_VARS_SUBPATH.get(type(obj).__name__)
        if sub and own:
            groups.append((path, name, []))
            groups.append((_join(path, sub), f"{name}_{sub}", own))
        else:
            groups.append((path, name, own))
        for attr, child in _children(obj):
            if isinstance(child, list):
                visit_list(child, _join(path, attr))
            else:
                # an LSTM's `cell` (which holds its variables) is named as Keras 3 names it
                visit(child, _join(path, attr), f"{name}_{sub}" if attr == sub else None)

    def visit_list(items, path):
        used = {}
        for item in items:
            if _is_layer(item):
                visit(item, _join(path, _unique_name(_keras_class_key(item), used)))
            elif isinstance(item, (list, nn.ModuleList)):
                visit_list(list(item), _join(path, _unique_name("container", used)))

    visit(model, "")
    return groups


def _keras_class_key(layer):
    """snake_case of the Keras class: a functional `Model` is Keras 3's `Functional`."""
    from kerastorch.models.model import Model
    if type(layer) is Model:
        return "functional"
    return to_snake_case(type(layer).__name__)


def _join(path, name):
    return f"{path}/{name}" if path else name


def _vars_group_path(path):
    return f"{path}/vars" if path else "vars"


# ------------------------------------------------------------------ assignments
def assign_all(pairs):
    """Writes validated `(Variable, array)` pairs: called only once everything has been checked,
    so a failed load leaves the model as it was."""
    with torch.no_grad():
        for var, value in pairs:
            var.assign(torch.as_tensor(np.asarray(value), dtype=var.torch_tensor.dtype))


def check_shape(var, value, where, skip_mismatch, layer_name):
    """True when `value` fits `var`; otherwise a warning (skip_mismatch) or a ValueError."""
    if tuple(value.shape) == tuple(var.shape):
        return True
    message = (f"Shape mismatch in layer '{layer_name}' for weight '{var.name}' ({where}): "
               f"the model's weight has shape {tuple(var.shape)}, the saved weight has shape "
               f"{tuple(value.shape)}.")
    if skip_mismatch:
        warnings.warn("Skipping loading of this weight. " + message, stacklevel=3)
        return False
    raise ValueError(message)


def read_dataset(dataset, where):
    """The array of an h5py dataset; a damaged one raises ValueError naming `where` in the file."""
    try:
        return np.asarray(dataset[()])
    except (OSError, KeyError, TypeError) as err:
        raise ValueError(f"Could not read '{where}' from the weights file (truncated or "
                         f"corrupt?): {err}") from None


# ------------------------------------------------------------------ .weights.h5
def save_weights_to_h5(model, h5, include_optimizer=True):
    """Writes `model`'s variables (and its optimizer's) into an open h5py file, Keras 3's way."""
    for path, name, variables in variable_groups(model):
        group = h5.require_group(_vars_group_path(path))
        group.attrs["name"] = name
        for i, var in enumerate(variables):
            group.create_dataset(str(i), data=var.numpy())
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None and hasattr(optimizer, "save_own_variables") \
            and getattr(optimizer, "built", False):
        group = h5.require_group("optimizer/vars")
        group.attrs["name"] = optimizer.name
        optimizer.save_own_variables(group)


def load_weights_from_h5(model, h5, skip_mismatch=False, include_optimizer=True, keras2=None):
    """Loads a Keras 3 weights file (an open h5py file) into `model`, all or nothing; with
    `keras2`, one from a tf.keras 2 `.keras` file (its optimizer state has no learning rate)."""
    pairs = []
    expected_paths = set()
    for path, name, variables in variable_groups(model):
        vars_path = _vars_group_path(path)
        expected_paths.add(vars_path)
        if not variables:
            continue
        group = h5.get(vars_path)
        if group is None and path.startswith("layers"):
            legacy = path.replace("layers", "_layer_checkpoint_dependencies")  # Keras 2.13
            group = h5.get(_vars_group_path(legacy))
        if group is None and path:
            group = _tf_keras_group(h5, path)
            if group is not None:
                expected_paths.add(group.name.lstrip("/"))
        found = len(group) if group is not None else 0
        if found != len(variables):
            message = (f"Layer '{name}' (at '{path or '/'}' in the model) expects "
                       f"{len(variables)} weight(s) {[v.name for v in variables]} with shapes "
                       f"{[tuple(v.shape) for v in variables]}, but the file has {found} at "
                       f"'{vars_path}'. The file was saved from a different architecture.")
            if skip_mismatch:
                warnings.warn("Skipping layer. " + message, stacklevel=2)
                continue
            raise ValueError(message)
        candidate = []
        for i, var in enumerate(variables):
            if str(i) not in group:
                raise ValueError(f"The weights file has no dataset '{vars_path}/{i}' for weight "
                                 f"'{var.name}' of layer '{name}'.")
            value = read_dataset(group[str(i)], f"{vars_path}/{i}")
            if check_shape(var, value, f"'{vars_path}/{i}'", skip_mismatch, name):
                candidate.append((var, value))
        pairs.extend(candidate)
    extra = []

    def find_extra(group_path, obj):
        if hasattr(obj, "keys"):
            if group_path.endswith("vars") and len(obj) and group_path not in expected_paths:
                extra.append(group_path)
            for key in obj.keys():
                child = obj[key]
                if hasattr(child, "keys"):
                    find_extra(_join(group_path, key), child)

    for key in h5.keys():
        # tf.keras 2's `.keras` files also hold the compiled metrics' variables ("metrics/").
        if key in ("optimizer", "_layer_checkpoint_dependencies", "metrics"):
            continue
        find_extra(key, h5[key])
    if extra and not skip_mismatch:
        raise ValueError(f"The weights file has weights for layers that the model "
                         f"'{model.name}' does not have: {sorted(extra)}. It was saved from a "
                         "different architecture (pass skip_mismatch=True to load the rest).")
    optimizer = getattr(model, "optimizer", None)
    load_optimizer = include_optimizer and optimizer is not None and "optimizer" in h5 and \
        "vars" in h5["optimizer"] and hasattr(optimizer, "load_own_variables")
    if load_optimizer and getattr(optimizer, "built", False) and not keras2:
        _check_optimizer_shapes(optimizer, h5["optimizer"]["vars"])
    assign_all(pairs)
    if load_optimizer:
        if not getattr(optimizer, "built", False):
            prepare = getattr(model, "_prepare_optimizer", None)
            prepare() if prepare is not None and getattr(model, "compiled", False) \
                else optimizer.build(model.trainable_weights)
        if keras2:  # tf.keras 2.11+'s layout, as in its `.h5` files: `iteration`, the slots
            from kerastorch.saving import legacy_h5_format
            group = h5["optimizer"]["vars"]
            values = [read_dataset(group[str(i)], f"optimizer/vars/{i}")
                      for i in range(len(group))]
            legacy_h5_format.load_optimizer_state(
                optimizer, ["iteration:0"] + [f"slot_{i}:0" for i in range(1, len(values))],
                values)
            return
        optimizer.load_own_variables(_H5Store(h5["optimizer"]["vars"]))


def _tf_keras_group(h5, path):
    """The `vars` group of `path` in a tf.keras 2.13+ `.keras` file, where a sublayer's
    attribute may be private (`layers/multi_head_attention/_key_dense`): each part of the path
    is looked up as it is, then with a leading underscore."""
    group = h5
    for part in path.split("/"):
        found = None
        for key in (part, f"_{part}"):
            if key in group and hasattr(group[key], "keys"):
                found = group[key]
                break
        if found is None:
            return None
        group = found
    return group.get("vars")


def _check_optimizer_shapes(optimizer, group):
    """Raises before anything is assigned when the saved optimizer state does not fit."""
    layout = getattr(optimizer, "_keras_layout", None)
    own = layout(optimizer.variables) if layout is not None else optimizer.variables
    if len(group) != len(own):
        return  # the optimizer warns and skips its state, as Keras does
    for i, value in enumerate(own):
        saved = tuple(group[str(i)].shape) if str(i) in group else None
        if saved is not None and saved != tuple(value.shape):
            raise ValueError(f"Optimizer '{optimizer.name}' variable {i} has shape "
                             f"{tuple(value.shape)}, the saved one has shape {saved} "
                             f"('optimizer/vars/{i}'). Nothing was loaded.")


class _H5Store:
    """A read-only dict view of an h5 group of numbered datasets, as optimizers expect."""

    def __init__(self, group):
        self._group = group

    def keys(self):
        return list(self._group.keys())

    def __len__(self):
        return len(self._group)

    def __getitem__(self, key):
        return read_dataset(self._group[key], f"{self._group.name}/{key}")

    def __contains__(self, key):
        return key in self._group


def save_weights(model, filepath):
    with open_h5(filepath, "w") as h5:
        save_weights_to_h5(model, h5)


def load_weights(model, filepath, skip_mismatch=False):
    with open_h5(filepath, "r") as h5:
        load_weights_from_h5(model, h5, skip_mismatch=skip_mismatch)


# ------------------------------------------------------------------ .keras
def save_model(model, filepath):
    """Writes `model` as a Keras 3 `.keras` zip: config.json, metadata.json, model.weights.h5."""
    from kerastorch import __version__
    config = serialization_lib.serialize_keras_object(model)
    config_json = json.dumps(config, default=json_default)
    metadata = json.dumps({"keras_version": _KERAS_FORMAT_VERSION,
                           "kerastorch_version": __version__,
                           "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")})
    buffer = io.BytesIO()
    with open_h5(buffer, "w") as h5:
        save_weights_to_h5(model, h5)
    with zipfile.ZipFile(filepath, "w") as archive:
        archive.writestr(_METADATA_FILENAME, metadata)
        archive.writestr(_CONFIG_FILENAME, config_json)
        archive.writestr(VARS_FILENAME, buffer.getvalue())


def json_default(obj):
    """`json.dumps(default=...)` for configs: numpy scalars, tuples and sets, torch dtypes."""
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, (tuple, set)):
        return list(obj)
    if isinstance(obj, torch.dtype):
        return str(obj).replace("torch.", "")
    raise TypeError(f"Cannot serialize {obj!r} of type {type(obj).__name__} to JSON.")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Reads a `.keras` file written by Keras 3 or kerastorch."""
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file: '{os.fspath(filepath)}'")
    try:
        archive = zipfile.ZipFile(filepath, "r")
    except zipfile.BadZipFile as err:
        raise ValueError(f"Could not read '{os.fspath(filepath)}': it is not a valid `.keras` "
                         f"(zip) file (truncated or corrupt?): {err}") from None
    with archive:
        names = archive.namelist()
        if _CONFIG_FILENAME not in names:
            raise ValueError(f"'{os.fspath(filepath)}' is not a `.keras` file: it has no "
                             f"{_CONFIG_FILENAME} (found {names}).")
        try:
            config = json.loads(archive.read(_CONFIG_FILENAME))
            weights = archive.read(VARS_FILENAME) if VARS_FILENAME in names else None
            metadata = json.loads(archive.read(_METADATA_FILENAME)) \
                if _METADATA_FILENAME in names else {}
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
            raise ValueError(f"Could not read '{os.fspath(filepath)}' (truncated or corrupt?): "
                             f"{err}") from None
    from kerastorch.saving import keras2_loading
    check_model_config(config, filepath, metadata.get("keras_version"))
    # tf.keras 2.13+ writes `.keras` files too, with its Keras 2 model config inside.
    keras2 = keras2_loading.is_keras2_version(metadata.get("keras_version")) or None
    with naming_file(filepath):
        with serialization_lib.SafeModeScope(safe_mode):
            model = model_from_config_dict(config, custom_objects, compile, keras2=keras2)
        if weights is not None:
            with open_h5(io.BytesIO(weights), "r") as h5:
                load_weights_from_h5(model, h5, include_optimizer=compile, keras2=keras2)
    return model


def check_model_config(config, filepath, keras_version=None):
    """A model config is a `{"class_name", "config"}` dict; anything else is a format (or a
    newer Keras version) kerastorch does not know: a ValueError naming the file."""
    if isinstance(config, dict) and "class_name" in config and "config" in config:
        return
    version = f" (written by Keras {keras_version})" if keras_version else ""
    found = sorted(config) if isinstance(config, dict) else type(config).__name__
    raise ValueError(f"Cannot read the model in '{os.fspath(filepath)}'{version}: its model "
                     "config is not in a format kerastorch knows (expected a dict with "
                     f"'class_name' and 'config', found {found}). kerastorch reads Keras 2.x "
                     "and 3.x files.")


def model_from_config_dict(config, custom_objects=None, compile=True, keras2=None):
    """Makes the model a serialized config describes and, when asked, compiles it.

    A tf.keras 2 config (`keras2=True`, or when unset one that looks like it) is read with
    Keras 2's rules (kerastorch/saving/keras2_loading.py)."""
    from kerastorch.saving import keras2_loading
    if keras2 is None:
        keras2 = keras2_loading.is_keras2_config(config)
    if keras2:
        with keras2_loading.Keras2Scope():
            model = serialization_lib.deserialize_keras_object(config, custom_objects)
    else:
        model = serialization_lib.deserialize_keras_object(config, custom_objects)
    pending = model.__dict__.pop("_pending_compile_config", None)
    if compile and pending:
        if keras2 and isinstance(pending, dict) and "optimizer" in pending:
            from kerastorch import optimizers  # tf.keras's legacy optimizers, its Nadam
            pending = dict(pending, optimizer=optimizers.keras2_config(pending["optimizer"]))
        compile_from_config(model, pending, custom_objects)
    return model


# tf.keras 2 loss function names Keras 3 spells otherwise.
_KERAS2_LOSS_NAMES = {"logcosh": "log_cosh", "kullback_leibler_divergence": "kl_divergence"}


def _keras2_loss(value):
    """Keras 2's losses as Keras 3 takes them, in a single entry, a per-output dict or a
    per-output list: `reduction: "auto"` (tf.keras 2's default, which fit() reads as
    "sum_over_batch_size"; Keras 3 has no "auto") becomes "sum_over_batch_size", and the
    function names only tf.keras 2 has (`logcosh`) become Keras 3's."""
    if isinstance(value, str):
        return _KERAS2_LOSS_NAMES.get(value, value)
    if isinstance(value, dict) and "class_name" in value:
        config = value.get("config")
        if isinstance(config, dict) and config.get("reduction") == "auto":
            value = dict(value, config=dict(config, reduction="sum_over_batch_size"))
        return value
    if isinstance(value, dict):
        return {k: _keras2_loss(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_keras2_loss(v) for v in value]
    return value


def _keras2_metrics(value, model):
    """Keras 2's training_config metrics: `MeanMetricWrapper` configs become their function's
    name, and a single-output model's `[[...]]` (one list per output) its one list."""
    if isinstance(value, dict) and value.get("class_name") == "MeanMetricWrapper":
        fn = value.get("config", {}).get("fn")
        return fn if isinstance(fn, str) else value
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _keras2_metrics(v, model) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        value = [_keras2_metrics(v, model) for v in value]
        if len(value) == 1 and isinstance(value[0], list) and \
                len(getattr(model, "outputs", None) or [None]) == 1:
            return value[0]
    return value


def compile_from_config(model, compile_config, custom_objects=None):
    """`model.compile(**config)` with the optimizer, loss and metrics deserialized, then the
    optimizer built, so its saved state can be loaded into it."""
    if hasattr(model, "compile_from_config"):
        return model.compile_from_config(compile_config)
    if not hasattr(model, "compile"):
        return
    try:
        compile_config = dict(compile_config)
        if "loss" in compile_config:
            compile_config["loss"] = _keras2_loss(compile_config["loss"])
        for key in ("metrics", "weighted_metrics"):
            if key in compile_config:
                compile_config[key] = _keras2_metrics(compile_config[key], model)
        config = serialization_lib.deserialize_keras_object(compile_config, custom_objects)
        kwargs = {k: v for k, v in config.items() if k in (
            "optimizer", "loss", "loss_weights", "metrics", "weighted_metrics",
            "steps_per_execution", "jit_compile") and v is not None}
        model.compile(**kwargs)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "build") and model.built and \
                not optimizer.built:
            prepare = getattr(model, "_prepare_optimizer", None)
            prepare() if prepare is not None else optimizer.build(model.trainable_weights)
    except Exception as err:  # Keras 3 warns and returns the uncompiled model as well.
        warnings.warn(f"The model could not be compiled from its saved compile config "
                      f"({type(err).__name__}: {err}); it is returned uncompiled.", stacklevel=3)
