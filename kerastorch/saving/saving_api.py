"""`save_model`, `load_model`, `save_weights`, `load_weights`: the file format from the extension.

    .keras          Keras 3's zip (config + weights), read and written
    .weights.h5     Keras 3's weights file, read and written
    .h5 / .hdf5     Keras 2's HDF5 (whole model or weights), read and written
    .pt / .pth      a torch `state_dict` (weights only)
    a directory     tf.keras 2's SavedModel (read only, without TensorFlow: tf_format/)
    ckpt (.index)   a TF-format weights checkpoint, `save_weights("ckpt")` (read only)
"""

import os

import torch

from kerastorch.saving import legacy_h5_format
from kerastorch.saving import saving_lib


def _path(filepath):
    return os.fspath(filepath) if isinstance(filepath, os.PathLike) else filepath


def _check_overwrite(filepath, overwrite):
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"File '{filepath}' exists and `overwrite=False`.")


def save_model(model, filepath, overwrite=True, include_optimizer=True, **kwargs):
    """Saves `model` as `.keras` (Keras 3's format) or `.h5` (Keras 2's)."""
    filepath = _path(filepath)
    if kwargs.pop("save_format", None) not in (None, "keras", "h5", "tf"):
        raise ValueError("`save_format` is not supported: the extension chooses the format.")
    kwargs.pop("zipped", None)
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
    _check_overwrite(filepath, overwrite)
    if str(filepath).endswith(".keras"):
        return saving_lib.save_model(model, filepath)
    if str(filepath).endswith((".h5", ".hdf5")):
        return legacy_h5_format.save_model_to_hdf5(model, filepath, include_optimizer)
    raise ValueError("Invalid filepath extension for saving. Please add either a `.keras` "
                     "extension for the native Keras format (recommended) or a `.h5` extension. "
                     f"Received: filepath={filepath}")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by `model.save()` in Keras 3, Keras 2 (`.h5`) or kerastorch.

    Args:
        filepath: a `.keras` or `.h5` file, or a SavedModel directory written by tf.keras 2
            (`model.save("dir")`; read without TensorFlow, needs the `protobuf` package).
        custom_objects: `{"ClassName": cls}` for classes kerastorch does not know.
        compile: whether to compile the model with its saved compile config (and restore the
            optimizer state).
    """
    filepath = _path(filepath)
    if isinstance(filepath, str) and os.path.isdir(filepath):  # tf.keras 2's SavedModel
        from kerastorch.saving.tf_format import saved_model
        return saved_model.load_model(filepath, custom_objects, compile, safe_mode)
    if str(filepath).endswith(".keras"):
        return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)
    if str(filepath).endswith((".h5", ".hdf5")):
        return legacy_h5_format.load_model_from_hdf5(filepath, custom_objects, compile,
                                                     safe_mode)
    if str(filepath).endswith(".weights.h5") or str(filepath).endswith((".pt", ".pth")):
        raise ValueError(f"'{filepath}' holds weights only: build the model in code and call "
                         "`model.load_weights(filepath)`.")
    raise ValueError(f"File format not supported: filepath={filepath}. kerastorch reads "
                     "`.keras` and `.h5` model files and SavedModel directories.")


def save_weights(model, filepath, overwrite=True, **kwargs):
    """Saves the weights: `.weights.h5` (Keras 3), `.h5` (Keras 2) or `.pt`/`.pth` (torch)."""
    filepath = _path(filepath)
    _check_overwrite(filepath, overwrite)
    name = str(filepath)
    if name.endswith(".weights.h5"):
        return saving_lib.save_weights(model, filepath)
    if name.endswith((".h5", ".hdf5")):
        return legacy_h5_format.save_weights(model, filepath)
    if name.endswith((".pt", ".pth")):
        return torch.save(model.state_dict(), filepath)
    raise ValueError("The filename must end in `.weights.h5` (Keras 3), `.h5` (Keras 2) or "
                     f"`.pt`/`.pth` (torch state_dict). Received: filepath={filepath}")


def load_weights(model, filepath, skip_mismatch=False, by_name=False, **kwargs):
    """Loads weights saved by Keras 3, Keras 2 or kerastorch; on a mismatch nothing changes.

    Args:
        filepath: `.weights.h5`, `.h5`, `.keras` (its weights), `.pt`/`.pth`, or a TF-format
            checkpoint from tf.keras 2's `save_weights("ckpt")`: the prefix `"ckpt"` (or
            `ckpt.index`, a folder with a `checkpoint` file, or a SavedModel directory).
        skip_mismatch: skip the weights (or layers) that do not fit, with a warning, instead
            of raising.
        by_name: for Keras 2 `.h5` files: match layers by name instead of position.
    """
    filepath = _path(filepath)
    name = str(filepath)
    if not model.built:
        raise ValueError(f"Model '{model.name}' is not built yet, so it has no weights to load "
                         "into. Build it first: give it an `Input`, call it on a batch of data, "
                         "or call `model.build(input_shape)`.")
    if by_name and not (name.endswith((".h5", ".hdf5")) and not name.endswith(".weights.h5")):
        raise ValueError("`by_name=True` is only supported for Keras 2 `.h5` weights files. "
                         f"Received: filepath={filepath}")
    if name.endswith(".weights.h5"):
        return saving_lib.load_weights(model, filepath, skip_mismatch)
    if name.endswith((".h5", ".hdf5")):
        return legacy_h5_format.load_weights(model, filepath, by_name, skip_mismatch)
    if name.endswith(".keras"):
        import io
        import zipfile
        try:
            with zipfile.ZipFile(filepath) as archive:
                data = archive.read(saving_lib.VARS_FILENAME)
        except (zipfile.BadZipFile, KeyError, OSError) as err:
            raise ValueError(f"Could not read the weights in '{filepath}' (not a valid "
                             f"`.keras` file?): {err}") from None
        with saving_lib.naming_file(filepath), saving_lib.open_h5(io.BytesIO(data), "r") as h5:
            return saving_lib.load_weights_from_h5(model, h5, skip_mismatch)
    if name.endswith((".pt", ".pth")):
        return load_torch_weights(model, filepath, skip_mismatch)
    from kerastorch.saving.tf_format import saved_model
    if isinstance(filepath, str) and saved_model.checkpoint_prefix(filepath) is not None:
        return saved_model.load_weights(model, filepath, skip_mismatch)  # "ckpt", a SavedModel
    if isinstance(filepath, str) and saved_model.looks_like_checkpoint(filepath):
        raise FileNotFoundError(f"No weights file or TensorFlow checkpoint at '{filepath}' "
                                f"(no '{filepath}.index').")
    raise ValueError("File format not supported: the filename must end in `.weights.h5`, "
                     f"`.h5`, `.keras`, `.pt` or `.pth`, or name a TensorFlow checkpoint "
                     f"(`ckpt` for `ckpt.index`). Received: filepath={filepath}")


def load_torch_weights(model, filepath, skip_mismatch=False):
    """Loads a torch `state_dict` file, checking every key and shape before changing anything."""
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file: '{filepath}'")
    try:
        state = torch.load(filepath, map_location="cpu", weights_only=True)
    except Exception as err:
        raise ValueError(f"Could not read the torch weights file '{filepath}' (truncated or "
                         f"corrupt?): {type(err).__name__}: {err}") from None
    if not isinstance(state, dict):
        raise ValueError(f"'{filepath}' does not hold a state_dict (a dict of tensors); got "
                         f"{type(state).__name__}.")
    for name, module in model.named_modules():  # keys of files from older layouts (RNNs)
        upgrade = getattr(module, "_upgrade_state_dict", None)
        if upgrade is not None:
            upgrade(state, f"{name}." if name else "")
    own = model.state_dict()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    mismatched = [(k, tuple(own[k].shape), tuple(state[k].shape)) for k in own
                  if k in state and tuple(own[k].shape) != tuple(state[k].shape)]
    problems = []
    if missing:
        problems.append(f"missing from the file: {missing}")
    if unexpected:
        problems.append(f"not in the model: {unexpected}")
    for key, mine, theirs in mismatched:
        problems.append(f"shape mismatch for '{key}' ({_owner(model, key)}): the model's "
                        f"weight has shape {mine}, the saved weight has shape {theirs}")
    if problems and not skip_mismatch:
        raise ValueError(f"The state_dict in '{filepath}' does not fit model '{model.name}': "
                         + "; ".join(problems) + ". Nothing was loaded.")
    if problems:
        import warnings
        warnings.warn("Skipping weights that do not fit: " + "; ".join(problems), stacklevel=2)
        bad = {k for k, _, _ in mismatched}
        state = {k: v for k, v in state.items() if k in own and k not in bad}
    model.load_state_dict(state, strict=not problems)


def model_from_json(json_string, custom_objects=None):
    """Makes a model (with new weights) from the JSON string written by `model.to_json()`."""
    import json

    from kerastorch.saving import serialization_lib
    return serialization_lib.deserialize_keras_object(json.loads(json_string), custom_objects)


def model_from_config(config, custom_objects=None):
    """Makes a model from a config dict (`{"class_name", "config", ...}`)."""
    from kerastorch.saving import serialization_lib
    return serialization_lib.deserialize_keras_object(config, custom_objects)


def _owner(model, key):
    """The Keras name of the layer that holds state_dict entry `key`."""
    from kerastorch.layers.layer import Layer
    module, owner = model, model
    for part in key.split(".")[:-1]:
        module = module._modules.get(part) if module is not None else None
        if isinstance(module, Layer):
            owner = module
    return f"layer '{owner.name}'"
