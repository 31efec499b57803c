"""Where applications find their weights, and how they load them (shared by every app).

Nothing is downloaded: `weights="imagenet"` looks in Keras's cache ($KERAS_HOME/models or
~/.keras/models), torch.hub's checkpoint directory and the Hugging Face cache, and otherwise
raises an error naming the files to provide.
"""

import os

import numpy as np
import torch


def validate_arguments(weights, include_top, classes, classifier_activation, pooling):
    """Keras's checks of an application's arguments."""
    if not (weights in ("imagenet", None) or (isinstance(weights, (str, os.PathLike))
                                              and os.path.exists(weights))):
        raise ValueError("The `weights` argument should be either `None` (random "
                         "initialization), 'imagenet' (pre-training on ImageNet), or the path to "
                         f"the weights file to be loaded. Received: weights={weights}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError("If using `weights='imagenet'` with `include_top=True`, `classes` should "
                         f"be 1000.  Received classes={classes}")
    if weights is not None and include_top and classifier_activation not in ("softmax", None):
        raise ValueError("Only `None` and `softmax` activations are allowed for the "
                         "`classifier_activation` argument when using pretrained weights, with "
                         f"`include_top=True`; Received: classifier_activation="
                         f"{classifier_activation}")
    if pooling not in (None, "avg", "max"):
        raise ValueError(f"`pooling` must be None, 'avg' or 'max'. Received: pooling={pooling}")


def keras_home():
    return os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")


def find_imagenet_weights(app, keras_file, timm_checkpoint=None, hub_id=None, also=()):
    """A local copy of an application's ImageNet weights, or an error naming what to provide."""
    keras_dir = os.path.join(keras_home(), "models")
    torch_dir = os.path.join(torch.hub.get_dir(), "checkpoints")
    candidates = [os.path.join(keras_dir, name) for name in (keras_file,) + tuple(also)]
    if timm_checkpoint:
        candidates.append(os.path.join(torch_dir, timm_checkpoint))
    for path in candidates:
        if os.path.exists(path):
            return path
    if hub_id:
        try:
            from huggingface_hub import try_to_load_from_cache
            for filename in ("model.safetensors", "pytorch_model.bin"):
                path = try_to_load_from_cache(hub_id, filename)
                if isinstance(path, str) and os.path.exists(path):
                    return path
        except ImportError:
            pass
    lines = [f"  - Keras's weight file {keras_file} in {keras_dir}/ "
             "(the directory is $KERAS_HOME/models or ~/.keras/models)"]
    if timm_checkpoint:
        lines.append(f"  - timm's checkpoint {timm_checkpoint} in {torch_dir}/ "
                     "(torch.hub's checkpoint directory, under $TORCH_HOME)")
    if hub_id:
        lines.append(f"  - the Hugging Face cache of {hub_id}")
    raise FileNotFoundError(
        f"{app}(weights='imagenet') found no local copy of the ImageNet weights, and kerastorch "
        "downloads nothing. Provide one of:\n" + "\n".join(lines) +
        "\nor pass weights=<path to one of those files>.")


def load_weights(model, path, ignore_prefixes=()):
    """A Keras `.h5` weight file into `model.layers`, or a timm/torch checkpoint (`.pth`, `.pt`,
    `.bin`, `.safetensors`) into `model.timm_model` (keys under `ignore_prefixes` skipped)."""
    path = os.fspath(path)
    if path.endswith((".h5", ".hdf5")):
        load_keras_h5(model, path)
        return
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        state = load_file(path)
    else:
        state = torch.load(path, map_location="cpu", weights_only=True)
        if isinstance(state, dict) and "state_dict" in state:
            state = state["state_dict"]
    state = {k: v for k, v in state.items() if not k.startswith(tuple(ignore_prefixes))}
    net = model.timm_model
    own = net.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    mismatched = [(k, tuple(state[k].shape), tuple(own[k].shape)) for k in own
                  if k in state and tuple(state[k].shape) != tuple(own[k].shape)]
    if missing or unexpected or mismatched:
        raise ValueError(f"The checkpoint {path} does not fit {model.name}'s timm model: missing "
                         f"keys {missing[:5]}, unexpected keys {unexpected[:5]}, shape mismatches "
                         f"(key, file, model) {mismatched[:5]}")
    net.load_state_dict(state)


def load_keras_h5(model, path):
    """Keras 2's HDF5 weight layout (`layer_names`, then each layer's `weight_names`), matched
    to the model's layers with weights by order, all shapes checked before anything is set."""
    try:
        import h5py
    except ImportError:
        raise ImportError("Loading a Keras .h5 weight file needs h5py: "
                          "pip install 'kerastorch[h5]'") from None
    try:
        with h5py.File(path, "r") as f:
            group = f["model_weights"] if "layer_names" not in f.attrs and "model_weights" in f \
                else f
            names = [n.decode("utf8") if isinstance(n, bytes) else n
                     for n in group.attrs["layer_names"]]
            stored = []
            for name in names:
                weight_names = [w.decode("utf8") if isinstance(w, bytes) else w
                                for w in group[name].attrs["weight_names"]]
                if weight_names:
                    stored.append((name, [np.asarray(group[name][w]) for w in weight_names]))
    except (OSError, KeyError) as err:
        raise ValueError(f"{path} is not a readable Keras HDF5 weight file: {err}") from None
    ours = [layer for layer in model.layers if layer.weights]
    if len(ours) != len(stored):
        raise ValueError(f"The weight file {path} has {len(stored)} layers with weights, but the "
                         f"model {model.name} has {len(ours)}.")
    for layer, (name, arrays) in zip(ours, stored):
        expected = [w.shape for w in layer.weights]
        received = [a.shape for a in arrays]
        if expected != received:
            raise ValueError(f"Layer {layer.name} (file layer {name}) expects weights of shapes "
                             f"{expected}, but the file has {received}.")
    for layer, (_, arrays) in zip(ours, stored):
        layer.set_weights(arrays)
