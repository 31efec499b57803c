"""tf.keras 2's SavedModel directories and TF-format weight checkpoints, read without TensorFlow.

    savedmodel/keras_metadata.pb     Keras's SavedMetadata: per saved object its path from the
                                     root and a JSON string; the root's holds the model's
                                     class_name, config and training_config
    savedmodel/saved_model.pb        TensorFlow's graph and object graph (read only to say what a
                                     SavedModel without Keras metadata is, and for the metadata of
                                     TF < 2.5, which kept it in the object graph)
    savedmodel/variables/variables.index + .data-*   a tensor bundle (tensor_bundle.py)
    ckpt.index + ckpt.data-*, checkpoint             `save_weights("ckpt")`: the same bundle

A bundle's `_CHECKPOINTABLE_OBJECT_GRAPH` names each variable by the path of tracked attributes
from the model: a model tracks the k-th of its layers that have weights as
`layer_with_weights-k`, a layer its variables and sublayers by attribute name. Loading follows
that structure: the k-th layer with weights of the model gets the variables below
`layer_with_weights-k` (a nested model recursively, layer by layer), in the order the object graph
lists them, trainable ones first as Keras 2 orders a layer's weights. Every shape is checked
before anything is assigned, so a failed load leaves the model as it was.
"""

import json
import os
import warnings

from kerastorch.saving.tf_format import protos
from kerastorch.saving.tf_format.tensor_bundle import TensorBundle

_VARIABLE_VALUE = "VARIABLE_VALUE"
_METADATA_FILE = "keras_metadata.pb"
_SAVED_MODEL_FILE = "saved_model.pb"
_KERAS_MODEL_IDS = ("_tf_keras_network", "_tf_keras_sequential", "_tf_keras_model")


def is_saved_model_dir(path):
    return os.path.isdir(path) and (os.path.exists(os.path.join(path, _SAVED_MODEL_FILE)) or
                                    os.path.exists(os.path.join(path, _METADATA_FILE)))


def checkpoint_prefix(path):
    """The bundle prefix for what Keras 2's `load_weights` takes: a prefix (`"ckpt"`), the
    `.index` file, a SavedModel directory, or a directory with a `checkpoint` state file (its
    latest checkpoint, as `tf.train.latest_checkpoint` finds it). None if `path` is none of them.
    """
    path = os.fspath(path)
    if path.endswith(".index") and os.path.isfile(path):
        return path[:-len(".index")]
    if os.path.isfile(path + ".index"):
        return path
    if os.path.isdir(path):
        if is_saved_model_dir(path):
            return os.path.join(path, "variables", "variables")
        state = os.path.join(path, "checkpoint")
        if os.path.isfile(state):
            latest = _latest_from_state(state)
            if latest is not None:
                return latest if os.path.isabs(latest) else os.path.join(path, latest)
    return None


def _latest_from_state(state_file):
    """`model_checkpoint_path` of a `checkpoint` file (a CheckpointState in text format)."""
    with open(state_file, encoding="utf8") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip() == "model_checkpoint_path":
                try:
                    return json.loads(value.strip())
                except ValueError:
                    return value.strip().strip('"')
    return None


def looks_like_checkpoint(path):
    """True for paths that name a TF checkpoint which does not exist (`"ckpt"` without files)."""
    path = os.fspath(path)
    return path.endswith(".index") or os.path.isdir(path) or "." not in os.path.basename(path)


# ------------------------------------------------------------------ the object graph
class _Graph:
    """The checkpoint's object graph, as children by local name and variables by node."""

    def __init__(self, bundle):
        graph = bundle.object_graph()
        if graph is None:
            raise ValueError(f"The checkpoint '{bundle.prefix}' has no object graph "
                             f"(`_CHECKPOINTABLE_OBJECT_GRAPH`): it is a TensorFlow 1 name-based "
                             "checkpoint, which kerastorch cannot map onto a Keras model. Load "
                             "it in TensorFlow and save the weights as `.h5`.")
        self.bundle = bundle
        self.nodes = graph.nodes

    def children(self, node_id):
        return {c.local_name: c.node_id for c in self.nodes[node_id].children}

    def layers_with_weights(self, node_id):
        out = {}
        for name, child in self.children(node_id).items():
            if name.startswith("layer_with_weights-"):
                out[int(name.rsplit("-", 1)[1])] = child
        return [out[k] for k in sorted(out)]

    def variables(self, node_id, skip=()):
        """`[(full_name, checkpoint_key), ...]` below `node_id`, depth first in object order."""
        out, seen = [], set(skip)

        def visit(nid):
            if nid in seen:
                return
            seen.add(nid)
            node = self.nodes[nid]
            for attribute in node.attributes:
                if attribute.name == _VARIABLE_VALUE:
                    out.append((attribute.full_name, attribute.checkpoint_key))
            for child in node.children:
                if child.local_name not in ("optimizer", "keras_api", "root"):
                    visit(child.node_id)

        visit(node_id)
        return out


def _legacy_weights(layer):
    weights = layer.weights
    return [w for w in weights if w.trainable] + [w for w in weights if not w.trainable]


def _is_nested_model(layer):
    from kerastorch.models.model import Model
    return isinstance(layer, Model) and hasattr(layer, "layers")


def _is_graph_model(model):
    from kerastorch.models.sequential import Sequential
    return getattr(model, "_is_graph_network", False) or isinstance(model, Sequential)


def _last(name):
    return name.rsplit("/", 1)[-1].split(":")[0]


def _layer_pairs(graph, layer, node_id, where, skip_mismatch):
    """`[(Variable, array)]` for `layer` from the object-graph node `node_id`, all checked."""
    from kerastorch.saving import saving_lib
    if _is_nested_model(layer) and (graph.layers_with_weights(node_id) or
                                    not _is_graph_model(layer)):
        return _model_pairs(graph, layer, node_id, where, skip_mismatch)
    weights = _legacy_weights(layer)
    saved = graph.variables(node_id)
    # Keras 2 lists a layer's trainable weights first: put the saved ones in that order, taking
    # which are trainable from the layer's weights of the same name.
    frozen = {_last(w.path if hasattr(w, "path") else w.name) for w in weights
              if not w.trainable} - {_last(w.path if hasattr(w, "path") else w.name)
                                      for w in weights if w.trainable}
    saved = [s for s in saved if _last(s[0]) not in frozen] + \
        [s for s in saved if _last(s[0]) in frozen]
    if len(saved) != len(weights):
        message = (f"Weight count mismatch for layer '{layer.name}' ({where}): the layer has "
                   f"{len(weights)} weight(s) {[w.name for w in weights]} with shapes "
                   f"{[tuple(w.shape) for w in weights]}, the checkpoint has {len(saved)} "
                   f"{[name for name, _ in saved]} with shapes "
                   f"{[graph.bundle.shape(key) for _, key in saved]}.")
        if skip_mismatch:
            warnings.warn("Skipping layer. " + message, stacklevel=4)
            return []
        raise ValueError(message)
    pairs = []
    for var, (full_name, key) in zip(weights, saved):
        shape = graph.bundle.shape(key)
        if tuple(shape) != tuple(var.shape):
            saving_lib.check_shape(var, _Shaped(shape), f"saved as '{full_name}' in "
                                   f"'{graph.bundle.prefix}'", skip_mismatch, layer.name)
            continue
        pairs.append((var, key))
    return pairs


class _Shaped:
    def __init__(self, shape):
        self.shape = tuple(shape)


def _subclassed_pairs(graph, model, node_id, where, skip_mismatch):
    """A subclassed model: Keras 2 tracks its layers and weights by attribute name."""
    import torch.nn as nn

    from kerastorch.layers.layer import Layer
    children = graph.children(node_id)

    def child(name):
        if name not in children:
            raise ValueError(f"The checkpoint '{graph.bundle.prefix}' has no object "
                             f"'{where}{name}' for model '{model.name}' (it has "
                             f"{sorted(n for n in children if n not in ('optimizer', 'root'))}"
                             "): it was saved from another model.")
        return children[name]

    pairs, seen = [], set()
    for attr, module in model._modules.items():
        items = [(attr, module)] if isinstance(module, Layer) else []
        if isinstance(module, (nn.ModuleList, nn.Sequential)) and not isinstance(module, Layer):
            items = [(f"{attr}/{i}", m) for i, m in enumerate(module) if isinstance(m, Layer)]
        for path, layer in items:
            if id(layer) in seen or not _legacy_weights(layer):
                continue
            seen.add(id(layer))
            node = node_id
            for part in path.split("/"):
                children_here = graph.children(node)
                if part not in children_here:
                    child(path)  # raises, naming the path
                node = children_here[part]
            pairs.extend(_layer_pairs(graph, layer, node, f"{where}{path}/", skip_mismatch))
    for var in getattr(model, "_keras_weights", []):  # the model's own add_weight()s
        saved = graph.variables(child(var.name))
        if len(saved) != 1:
            raise ValueError(f"The checkpoint object '{where}{var.name}' of "
                             f"'{graph.bundle.prefix}' is not one variable.")
        full_name, key = saved[0]
        from kerastorch.saving import saving_lib
        if saving_lib.check_shape(var, _Shaped(graph.bundle.shape(key)), f"saved as "
                                  f"'{full_name}'", skip_mismatch, model.name):
            pairs.append((var, key))
    return pairs


def _model_pairs(graph, model, node_id, where, skip_mismatch):
    if not _is_graph_model(model):
        return _subclassed_pairs(graph, model, node_id, where, skip_mismatch)
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    saved = graph.layers_with_weights(node_id)
    if len(saved) != len(layers):
        names = [graph.variables(n)[0][0].rsplit("/", 1)[0] if graph.variables(n) else "?"
                 for n in saved]
        raise ValueError(f"Layer count mismatch when loading weights from the checkpoint "
                         f"'{graph.bundle.prefix}' into model '{model.name}' ({where}): the model "
                         f"has {len(layers)} layers with weights "
                         f"{[layer.name for layer in layers]}, the checkpoint has {len(saved)} "
                         f"(their first weights: {names}).")
    pairs = []
    for k, (layer, child) in enumerate(zip(layers, saved)):
        pairs.extend(_layer_pairs(graph, layer, child, f"{where}layer_with_weights-{k}/",
                                  skip_mismatch))
    return pairs


def _assign(bundle, pairs):
    from kerastorch.saving import saving_lib
    values = []
    for var, key in pairs:  # read everything before the first assignment
        values.append((var, bundle.read(key)))
    saving_lib.assign_all(values)


def _optimizer_values(graph):
    """`[(name, array)]` of the optimizer's variables as tf.keras's `.h5` lists them (its
    `optimizer_weights`), or None if the checkpoint has no optimizer state."""
    optimizer = graph.children(0).get("optimizer")
    if optimizer is None:
        return None
    bundle = graph.bundle
    children = graph.children(optimizer)
    out = []
    if "_variables" in children:  # tf.keras 2.11+ optimizers: `_variables` in their order
        listed = graph.children(children["_variables"])
        for index in sorted(listed, key=int):
            for full_name, key in graph.variables(listed[index]):
                out.append((full_name + ":0", bundle.read(key)))
        return out or None
    # Legacy (OptimizerV2) optimizers: `iter` and hyperparameters, slots referenced by variable.
    node = graph.nodes[optimizer]
    if "iter" in children:
        for full_name, key in graph.variables(children["iter"]):
            out.append((full_name + ":0", bundle.read(key)))
    for slot in node.slot_variables:
        for full_name, key in graph.variables(slot.slot_variable_node_id):
            out.append((full_name + ":0", bundle.read(key)))
    return out or None


class _Group:
    """An h5py-group-like view of `[(name, array)]`, for the `.h5` optimizer-state loader."""

    def __init__(self, items):
        self.attrs = {"weight_names": [n.encode("utf8") for n, _ in items]}
        self._items = dict(items)

    def __getitem__(self, name):
        return self._items[name]

    def __contains__(self, name):
        return name in self._items


def load_weights(model, filepath, skip_mismatch=False):
    """`model.load_weights(...)` for a TF-format checkpoint (or a SavedModel's variables); into
    a compiled model also the optimizer's state (iterations and slots), as tf.keras does."""
    prefix = checkpoint_prefix(filepath)
    if prefix is None:
        raise FileNotFoundError(f"No TensorFlow checkpoint at '{os.fspath(filepath)}': expected "
                                f"'{os.fspath(filepath)}.index' and its data files.")
    with TensorBundle(prefix) as bundle:
        graph = _Graph(bundle)
        pairs = _model_pairs(graph, model, 0, "", skip_mismatch)
        _assign(bundle, pairs)
        if getattr(model, "optimizer", None) is not None:
            _load_optimizer_state(graph, model)


def _load_optimizer_state(graph, model):
    from kerastorch.saving import legacy_h5_format
    state = _optimizer_values(graph)
    if state:
        legacy_h5_format.load_optimizer_weights({"optimizer_weights": _Group(state)}, model)


# ------------------------------------------------------------------ SavedModel
def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as err:
        raise ValueError(f"Could not read '{path}': {err}") from None


def _saved_model(dirpath):
    path = os.path.join(dirpath, _SAVED_MODEL_FILE)
    if not os.path.exists(path):
        return None
    return protos.parse("SavedModel", _read(path), f"'{path}'")


def _root_metadata(dirpath):
    """The root object's Keras metadata (a dict), or None when the SavedModel has none."""
    path = os.path.join(dirpath, _METADATA_FILE)
    if os.path.exists(path):
        metadata = protos.parse("SavedMetadata", _read(path), f"'{path}'")
        for node in metadata.nodes:
            if node.node_path == "root" or node.node_id == 0:
                return _json(node.metadata, path), node.identifier
        return None
    saved = _saved_model(dirpath)  # TF 2.0-2.4 kept the metadata in the object graph
    if saved is not None and saved.meta_graphs:
        nodes = saved.meta_graphs[0].object_graph_def.nodes
        if nodes and nodes[0].user_object.metadata:
            return (_json(nodes[0].user_object.metadata, os.path.join(dirpath, _SAVED_MODEL_FILE)),
                    nodes[0].user_object.identifier)
    return None


def _json(text, path):
    try:
        return _decode(json.loads(text))
    except ValueError as err:
        raise ValueError(f"The Keras metadata in '{path}' is not valid JSON (corrupt file?): "
                         f"{err}") from None


def _decode(value):
    """Undoes the tagged values of tf.keras's SavedModel JSON (tuples, TensorShapes, `...`),
    giving the plain lists a `.h5` config has."""
    if isinstance(value, dict):
        if value.get("class_name") in ("__tuple__", "TensorShape") and "items" in value and \
                len(value) == 2:
            return [_decode(v) for v in value["items"]]
        if value.get("class_name") == "__ellipsis__" and len(value) == 1:
            return Ellipsis
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _not_keras_error(dirpath):
    saved = _saved_model(dirpath)
    nodes = saved.meta_graphs[0].object_graph_def.nodes if saved is not None and \
        saved.meta_graphs else []
    if nodes and nodes[0].user_object.identifier.startswith("_tf_keras"):
        return ValueError(
            f"'{dirpath}' is a SavedModel of a tf.keras model (root object "
            f"{nodes[0].user_object.identifier!r}) but its {_METADATA_FILE} is missing (deleted, "
            "or not copied with the directory?): that file holds the model's config, without "
            "it the model cannot be rebuilt. Copy it back from where the model was saved.")
    what = ""
    if saved is not None and saved.meta_graphs:
        meta = saved.meta_graphs[0]
        signatures = [s.key for s in meta.signature_def if not s.key.startswith("__")]
        root = meta.object_graph_def.nodes[0] if meta.object_graph_def.nodes else None
        kind = root.user_object.identifier if root is not None and \
            root.HasField("user_object") else ""
        what = (f" It was written by TensorFlow {meta.meta_info_def.tensorflow_version or '?'}"
                f" (root object {kind or 'a plain tf.Module / tf.function object'!r}, "
                f"signatures {signatures}).")
    return ValueError(
        f"'{dirpath}' is a TensorFlow SavedModel without Keras metadata (no "
        f"{_METADATA_FILE}): it was saved with `tf.saved_model.save` (a `tf.Module`, or Keras "
        f"3's `model.export()`), not by tf.keras's `model.save()`, so it holds TensorFlow "
        f"graphs but no Keras model config to rebuild.{what} kerastorch cannot run TensorFlow "
        "graphs. Either rebuild the model in Keras code and load its variables (in TensorFlow: "
        "`model.save_weights('w.h5')`, then `model.load_weights('w.h5')` here), or, with "
        "TensorFlow installed, wrap it for inference with Keras 3's `keras.layers.TFSMLayer`.")


def load_model(dirpath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuilds the Keras model that tf.keras 2's `model.save(dirpath)` wrote, with its weights
    and, when `compile`, its compile config (with a fresh optimizer, as tf.keras 2.21 loads it;
    `model.load_weights(dirpath)` then restores the saved optimizer state)."""
    from kerastorch.saving import saving_lib
    from kerastorch.saving import serialization_lib

    dirpath = os.fspath(dirpath)
    if not is_saved_model_dir(dirpath):
        raise ValueError(f"'{dirpath}' is a directory but not a SavedModel: it has neither "
                         f"{_SAVED_MODEL_FILE} nor {_METADATA_FILE}. kerastorch loads `.keras` "
                         "and `.h5` files and the SavedModel directories tf.keras 2 writes.")
    found = _root_metadata(dirpath)
    if found is None:
        raise _not_keras_error(dirpath)
    metadata, identifier = found
    if identifier not in _KERAS_MODEL_IDS or "class_name" not in metadata:
        raise ValueError(f"'{dirpath}' is a SavedModel of a single Keras object of kind "
                         f"{identifier!r}, not of a model; kerastorch loads saved models only.")
    config = metadata.get("model_config") or {"class_name": metadata["class_name"],
                                              "config": metadata.get("config")}
    if config.get("config") is None:
        raise ValueError(f"The Keras model in '{dirpath}' ({metadata['class_name']}) was saved "
                         "without a config (a subclassed model without `get_config()`): "
                         "kerastorch cannot rebuild it. Rebuild it in code and call "
                         f"`model.load_weights('{dirpath}')`.")
    prefix = os.path.join(dirpath, "variables", "variables")
    with TensorBundle(prefix) as bundle:
        graph = _Graph(bundle)
        with serialization_lib.SafeModeScope(safe_mode):
            model = saving_lib.model_from_config_dict(config, custom_objects, compile=False)
        pairs = _model_pairs(graph, model, 0, "", skip_mismatch=False)
        _assign(bundle, pairs)
        training = metadata.get("training_config")
        if compile and training:
            if "optimizer_config" in training:  # Keras 2's training_config
                from kerastorch import optimizers
                training = {"optimizer": optimizers.keras2_config(training["optimizer_config"]),
                            **{k: training[k] for k in ("loss", "metrics", "weighted_metrics",
                                                        "loss_weights") if k in training}}
            # tf.keras 2.21 compiles a loaded SavedModel with a fresh optimizer (iterations 0,
            # no slots), so fit() continues from there; so does kerastorch. The saved optimizer
            # state is restored by `model.load_weights(dirpath)` afterwards, as in tf.keras.
            saving_lib.compile_from_config(model, training, custom_objects)
    return model
