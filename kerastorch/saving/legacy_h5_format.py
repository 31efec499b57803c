"""Keras 2's HDF5 files (`tf.keras` `save_weights("w.h5")` / `model.save("m.h5")`).

Weights file layout (a whole-model file has the same under its `model_weights` group, plus the
`model_config` JSON attribute):

    attrs: layer_names = [b"dense", b"dense_1"], backend, keras_version
    dense/                      attrs: weight_names = [b"dense/kernel:0", b"dense/bias:0"]
    dense/dense/kernel:0        the dataset (the weight name is a path below the layer group)

A layer's weights are listed trainable first, then non-trainable (Keras 2's order). Loading
matches layers with weights by position, or by name with `by_name=True`.
"""

import json
import warnings

from kerastorch.saving import saving_lib


def _legacy_weights(layer):
    weights = layer.weights
    return [w for w in weights if w.trainable] + [w for w in weights if not w.trainable]


def _read_names(group, name):
    """A list-of-strings attribute, also when Keras split it into `name0`, `name1`, ..."""
    if name in group.attrs:
        values = list(group.attrs[name])
    else:
        values, chunk = [], 0
        while f"{name}{chunk}" in group.attrs:
            values.extend(group.attrs[f"{name}{chunk}"])
            chunk += 1
    return [v.decode("utf8") if hasattr(v, "decode") else str(v) for v in values]


def _weight_name(var):
    return f"{var.path}:0"


# ------------------------------------------------------------------ writing
def save_weights_to_hdf5_group(group, model):
    from kerastorch import __version__
    layers = model.layers
    group.attrs["layer_names"] = [layer.name.encode("utf8") for layer in layers]
    group.attrs["backend"] = b"torch"
    group.attrs["keras_version"] = f"kerastorch-{__version__}".encode("utf8")
    for layer in sorted(layers, key=lambda lay: lay.name):
        layer_group = group.create_group(layer.name)
        weights = _legacy_weights(layer)
        names = [_weight_name(w) for w in weights]
        if len(set(names)) != len(names):  # two weights with one name: number them
            names = [f"{layer.name}/{w.name}_{i}:0" for i, w in enumerate(weights)]
        layer_group.attrs["weight_names"] = [n.encode("utf8") for n in names]
        for name, var in zip(names, weights):
            value = var.numpy()
            dataset = layer_group.create_dataset(name, value.shape, dtype=value.dtype)
            if value.shape:
                dataset[:] = value
            else:
                dataset[()] = value


def save_weights(model, filepath):
    with saving_lib.open_h5(filepath, "w") as h5:
        save_weights_to_hdf5_group(h5, model)


# ------------------------------------------------------------------ reading
def _saved_layers(group):
    """`[(layer_name, [(weight_name, array), ...]), ...]` for the saved layers that have weights."""
    out = []
    try:
        layer_names = _read_names(group, "layer_names")
    except (OSError, KeyError) as err:
        raise ValueError(f"Could not read the layer list of the weights file (corrupt?): "
                         f"{err}") from None
    for name in layer_names:
        if name not in group:
            raise ValueError(f"The weights file lists layer '{name}' but has no group for it "
                             "(truncated or corrupt file?).")
        layer_group = group[name]
        weight_names = _read_names(layer_group, "weight_names")
        if not weight_names:
            continue
        values = []
        for weight_name in weight_names:
            if weight_name not in layer_group:
                raise ValueError(f"The weights file has no dataset '{name}/{weight_name}' "
                                 "(truncated or corrupt file?).")
            values.append((weight_name, saving_lib.read_dataset(layer_group[weight_name],
                                                                 f"{name}/{weight_name}")))
        out.append((name, values))
    return out


def load_weights_from_hdf5_group(group, model, skip_mismatch=False):
    """Loads by position: the k-th layer with weights gets the k-th saved layer's weights."""
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    saved = _saved_layers(group)
    if len(saved) != len(layers):
        raise ValueError("Layer count mismatch when loading weights from file. Model expected "
                         f"{len(layers)} layers with weights "
                         f"{[layer.name for layer in layers]}, found {len(saved)} saved layers "
                         f"{[name for name, _ in saved]}.")
    pairs = []
    for k, ((saved_name, values), layer) in enumerate(zip(saved, layers)):
        pairs.extend(_layer_pairs(layer, saved_name, values, k, skip_mismatch))
    saving_lib.assign_all(pairs)


def load_weights_from_hdf5_group_by_name(group, model, skip_mismatch=False):
    """Loads by layer name: layers absent from the file (or the model) are left alone."""
    saved = dict(_saved_layers(group))
    pairs = []
    for k, layer in enumerate(model.layers):
        weights = _legacy_weights(layer)
        if layer.name not in saved or not weights:
            continue
        pairs.extend(_layer_pairs(layer, layer.name, saved[layer.name], k, skip_mismatch))
    saving_lib.assign_all(pairs)


def _layer_pairs(layer, saved_name, values, k, skip_mismatch):
    weights = _legacy_weights(layer)
    if len(values) != len(weights):
        message = (f"Weight count mismatch for layer #{k} (named {layer.name} in the current "
                   f"model, {saved_name} in the save file). Layer expects {len(weights)} "
                   f"weight(s) {[w.name for w in weights]} with shapes "
                   f"{[tuple(w.shape) for w in weights]}. Received {len(values)} saved weight(s) "
                   f"{[n for n, _ in values]} with shapes {[tuple(v.shape) for _, v in values]}.")
        if skip_mismatch:
            warnings.warn("Skipping layer. " + message, stacklevel=3)
            return []
        raise ValueError(message)
    pairs = []
    for var, (weight_name, value) in zip(weights, values):
        if saving_lib.check_shape(var, value, f"saved as '{saved_name}/{weight_name}', layer "
                                  f"#{k}", skip_mismatch, layer.name):
            pairs.append((var, value))
    return pairs


def load_weights(model, filepath, by_name=False, skip_mismatch=False):
    """Reads a Keras 2 weights file or the weights of a Keras 2 whole-model file."""
    with saving_lib.naming_file(filepath), saving_lib.open_h5(filepath, "r") as h5:
        group = h5["model_weights"] if "model_weights" in h5 else h5
        if "layer_names" not in group.attrs and "layer_names0" not in group.attrs:
            if "vars" in h5 or "layers" in h5:  # a Keras 3 weights file named `.h5`
                return saving_lib.load_weights_from_h5(model, h5, skip_mismatch=skip_mismatch)
            raise ValueError(f"'{filepath}' is an HDF5 file but not a Keras weights file: it "
                             "has no `layer_names` attribute.")
        if by_name:
            load_weights_from_hdf5_group_by_name(group, model, skip_mismatch)
        else:
            load_weights_from_hdf5_group(group, model, skip_mismatch)


# ------------------------------------------------------------------ whole model
def save_model_to_hdf5(model, filepath, include_optimizer=True):
    """Writes Keras 2's whole-model `.h5`: `model_config` JSON attribute + `model_weights`."""
    from kerastorch.saving import keras2_config
    from kerastorch.saving import serialization_lib
    # Keras 2's layout (tf.keras 2 reads it back); computed before the file is opened, so a
    # model that cannot be written leaves no half-written file.
    model_json = json.dumps(keras2_config.model_config(model),
                            default=saving_lib.json_default).encode("utf8")
    compile_config = serialization_lib.get_compile_config(model)
    training_json = None
    if compile_config:
        compile_config = serialization_lib.serialize_keras_object(compile_config)
        training_json = json.dumps(keras2_config.training_config(compile_config),
                                   default=saving_lib.json_default).encode("utf8")
    with saving_lib.open_h5(filepath, "w") as h5:
        h5.attrs["keras_version"] = b"2.21.0"  # the Keras 2 layout this file follows
        h5.attrs["backend"] = b"tensorflow"
        h5.attrs["kerastorch_version"] = _kerastorch_version()
        h5.attrs["model_config"] = model_json
        if training_json is not None:
            h5.attrs["training_config"] = training_json
        save_weights_to_hdf5_group(h5.create_group("model_weights"), model)
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and compile_config and optimizer is not None and \
                getattr(optimizer, "built", False):
            _save_optimizer_weights(h5, optimizer)


def _kerastorch_version():
    from kerastorch import __version__
    return f"kerastorch-{__version__}".encode("utf8")


def _save_optimizer_weights(h5, optimizer):
    """tf.keras 2's `optimizer_weights` group: iterations, then the slots (no learning rate)."""
    from kerastorch.saving import keras2_config
    values = [v.detach().cpu().numpy() for v in optimizer._keras_layout(optimizer.variables)]
    names, values = keras2_config.optimizer_weights(optimizer, values)
    group = h5.create_group("optimizer_weights")
    group.attrs["weight_names"] = [n.encode("utf8") for n in names]
    for name, value in zip(names, values):
        dataset = group.create_dataset(name, value.shape, dtype=value.dtype)
        if value.shape:
            dataset[:] = value
        else:
            dataset[()] = value


def load_optimizer_weights(h5, model):
    """Restores `optimizer_weights` by order; a layout that does not fit (tf.keras's) warns."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or "optimizer_weights" not in h5 or \
            not hasattr(optimizer, "load_own_variables"):
        return
    group = h5["optimizer_weights"]
    names = _read_names(group, "weight_names")
    values = [saving_lib.read_dataset(group[n], f"optimizer_weights/{n}") for n in names]
    if not optimizer.built:
        prepare = getattr(model, "_prepare_optimizer", None)
        prepare() if prepare is not None else optimizer.build(model.trainable_weights)
    load_optimizer_state(optimizer, names, values)


def load_optimizer_state(optimizer, names, values):
    """Loads tf.keras 2's optimizer state (`names`, `values` of its `optimizer_weights`) into
    the built `optimizer`; a state that does not fit warns and changes nothing."""
    load_keras2 = getattr(optimizer, "_load_keras2_weights", None)
    if load_keras2 is not None:  # a legacy optimizer: Keras 2's `weights` (`Adam/iter`, ...)
        if not load_keras2(values):
            warnings.warn(f"The optimizer state in the file ({len(values)} variables) does not "
                          f"fit optimizer '{optimizer.name}': the model starts with a freshly "
                          "initialized optimizer.", stacklevel=3)
        return
    own = optimizer._keras_layout(optimizer.variables)
    if len(values) == len(own) - 1 and names and names[0] == "iteration:0" and \
            not callable(optimizer._learning_rate):
        # tf.keras 2.11+'s layout (what kerastorch writes too): no learning-rate variable.
        values = values[:1] + [own[1].detach().cpu().numpy()] + values[1:]
    if len(own) != len(values) or any(tuple(a.shape) != tuple(b.shape)
                                      for a, b in zip(own, values)):
        warnings.warn(f"The optimizer state in the file ({len(values)} variables) does not fit "
                      f"optimizer '{optimizer.name}' ({len(own)} variables): the model starts "
                      "with a freshly initialized optimizer.", stacklevel=3)
        return
    optimizer.load_own_variables({str(i): v for i, v in enumerate(values)})


def _attr_text(h5, name):
    value = h5.attrs.get(name)
    return value.decode("utf8") if hasattr(value, "decode") else value


def load_model_from_hdf5(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Reads a Keras 2 whole-model `.h5` made of layers kerastorch supports.

    tf.keras 2.x and Keras 2.1-era (TF 1.x) files are read with Keras 2's config rules; a
    Lambda layer's Python code loads only with `safe_mode=False`, as in Keras 3."""
    from kerastorch.saving import keras2_loading
    from kerastorch.saving import serialization_lib
    with saving_lib.naming_file(filepath), saving_lib.open_h5(filepath, "r") as h5:
        raw = h5.attrs.get("model_config")
        if raw is None:
            raise ValueError(f"No model config found in the file at '{filepath}': it holds "
                             "weights only. Build the model in code and call "
                             "`model.load_weights(filepath)`.")
        if hasattr(raw, "decode"):
            raw = raw.decode("utf8")
        try:
            config = json.loads(raw)
        except ValueError as err:
            raise ValueError(f"The model config in '{filepath}' is not valid JSON (corrupt "
                             f"file?): {err}") from None
        saving_lib.check_model_config(config, filepath, _attr_text(h5, "keras_version"))
        keras2 = keras2_loading.is_keras2_version(h5.attrs.get("keras_version")) or None
        with serialization_lib.SafeModeScope(safe_mode):
            model = saving_lib.model_from_config_dict(config, custom_objects, compile=False,
                                                      keras2=keras2)
        load_weights_from_hdf5_group(h5["model_weights"], model)
        training = h5.attrs.get("training_config")
        if compile and training is not None:
            if hasattr(training, "decode"):
                training = training.decode("utf8")
            training = json.loads(training)
            if "optimizer_config" in training:  # Keras 2's training_config
                from kerastorch import optimizers
                optimizer = training["optimizer_config"]  # (Keras 3's .h5 has no legacy ones)
                training = {"optimizer": optimizers.keras2_config(optimizer) if keras2 else
                            optimizer,
                            **{k: training[k] for k in ("loss", "metrics", "weighted_metrics",
                                                        "loss_weights") if k in training}}
            saving_lib.compile_from_config(model, training, custom_objects)
            load_optimizer_weights(h5, model)
    return model

