"""keras.applications.Xception on timm's Keras-ported Xception (`legacy_xception`).

The model is a kerastorch functional graph with Keras's layer names (`block1_conv1`,
`block1_conv1_bn`, ..., `block14_sepconv2_act`) whose weighted layers are views of the timm
model's submodules (see `timm_layers`), so a timm checkpoint loads into `model.timm_model`
unchanged and a Keras weight file loads into `model.layers` unchanged. Padding follows Keras
(TensorFlow's `same` max pooling), so outputs equal Keras's from the same weights.
"""

import os

import numpy as np
import torch

from kerastorch import layers
from kerastorch.applications import imagenet_utils
from kerastorch.applications import timm_layers
from kerastorch.layers.input_layer import Input
from kerastorch.layers.input_layer import KerasTensor
from kerastorch.models.model import Model

TIMM_NAME = "legacy_xception"
TIMM_CHECKPOINT = "xception-43020ad28.pth"
TIMM_HUB_ID = "timm/legacy_xception.tf_in1k"
KERAS_FILES = {True: "xception_weights_tf_dim_ordering_tf_kernels.h5",
               False: "xception_weights_tf_dim_ordering_tf_kernels_notop.h5"}


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    """Instantiates the Xception architecture, channels-last, on timm's implementation.

    Args:
        include_top: whether to include the classifier (`avg_pool` + `predictions`).
        weights: `None` (random), `"imagenet"` (from a local cache: timm's checkpoint or Keras's
            weight file; nothing is downloaded), or the path of a weight file (Keras `.h5`, or a
            timm/torch checkpoint `.pth`/`.pt`/`.bin`/`.safetensors`).
        input_tensor: optional `keras.Input` tensor to use as the image input.
        input_shape: `(height, width, 3)`, at least 71x71; only without the top.
        pooling: `None` (4D feature map), `"avg"` or `"max"` (2D features); without the top.
        classes: number of classes of the top.
        classifier_activation: activation of the top (`"softmax"` or `None` for logits).
        name: the model's name.

    Returns:
        A functional `Model`; `model.timm_model` is the timm module holding the weights.

    Example:
        >>> base = Xception(weights=None, include_top=False, pooling="avg")
        >>> base(ops.ones((1, 71, 71, 3))).shape
        torch.Size([1, 2048])
    """
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
    if input_tensor is not None and input_shape is None and isinstance(input_tensor, KerasTensor):
        input_shape = input_tensor.shape[1:]
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=299, min_size=71, require_flatten=include_top, weights=weights)

    weights_path = find_imagenet_weights(include_top) if weights == "imagenet" else weights

    import timm
    net = timm.create_model(TIMM_NAME, pretrained=False, num_classes=classes if include_top else 0)
    net.eval()
    inputs = input_tensor if input_tensor is not None else Input(shape=input_shape)
    outputs = _graph(net, inputs, include_top, pooling, classifier_activation)
    model = Model(inputs, outputs, name=name)
    net._weights_shown_by_views = True
    model.timm_model = net  # registered: state_dict, .to(), parameters() reach the weights
    model.eval()
    if weights_path is not None:
        load_weights(model, weights_path, include_top)
    return model


def _graph(net, x, include_top, pooling, classifier_activation):
    """Keras's Xception graph, each weighted layer a view of its timm submodule."""
    V = timm_layers

    def relu(name):
        return layers.Activation("relu", name=name)

    def sep_bn(block, sep, bn, prefix, index):
        y = V.SeparableConv2D(sep, f"{prefix}_sepconv{index}")(block)
        return V.BatchNormalization(bn, f"{prefix}_sepconv{index}_bn")(y)

    x = V.Conv2D(net.conv1, "block1_conv1")(x)
    x = V.BatchNormalization(net.bn1, "block1_conv1_bn")(x)
    x = relu("block1_conv1_act")(x)
    x = V.Conv2D(net.conv2, "block1_conv2")(x)
    x = V.BatchNormalization(net.bn2, "block1_conv2_bn")(x)
    x = relu("block1_conv2_act")(x)

    def parts(block):
        seps = [m for m in block.rep if type(m).__name__ == "SeparableConv2d"]
        bns = [m for m in block.rep if isinstance(m, torch.nn.BatchNorm2d)]
        return seps, bns

    # Entry flow (Keras blocks 2-4 = timm block1-3) and exit block 13 (timm block12).
    for k, block in [(2, net.block1), (3, net.block2), (4, net.block3), (13, net.block12)]:
        prefix = f"block{k}"
        residual = V.Conv2D(block.skip, None, padding="same")(x)
        residual = V.BatchNormalization(block.skipbn, None)(residual)
        seps, bns = parts(block)
        if k != 2:
            x = relu(f"{prefix}_sepconv1_act")(x)
        x = sep_bn(x, seps[0], bns[0], prefix, 1)
        x = relu(f"{prefix}_sepconv2_act")(x)
        x = sep_bn(x, seps[1], bns[1], prefix, 2)
        x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"{prefix}_pool")(x)
        x = layers.add([x, residual])
        if k == 4:
            # Middle flow: Keras blocks 5-12 = timm block4-11.
            for m in range(5, 13):
                residual = x
                seps, bns = parts(getattr(net, f"block{m - 1}"))
                for i in range(3):
                    x = relu(f"block{m}_sepconv{i + 1}_act")(x)
                    x = sep_bn(x, seps[i], bns[i], f"block{m}", i + 1)
                x = layers.add([x, residual])

    x = V.SeparableConv2D(net.conv3, "block14_sepconv1")(x)
    x = V.BatchNormalization(net.bn3, "block14_sepconv1_bn")(x)
    x = relu("block14_sepconv1_act")(x)
    x = V.SeparableConv2D(net.conv4, "block14_sepconv2")(x)
    x = V.BatchNormalization(net.bn4, "block14_sepconv2_bn")(x)
    x = relu("block14_sepconv2_act")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = V.Dense(net.fc, "predictions", activation=classifier_activation)(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return x


def _keras_home():
    return os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")


def find_imagenet_weights(include_top):
    """A local copy of the ImageNet weights: Keras's file, timm's checkpoint, or the hub cache."""
    candidates = [os.path.join(_keras_home(), "models", KERAS_FILES[include_top]),
                  os.path.join(torch.hub.get_dir(), "checkpoints", TIMM_CHECKPOINT)]
    if not include_top:
        candidates.append(os.path.join(_keras_home(), "models", KERAS_FILES[True]))
    for path in candidates:
        if os.path.exists(path):
            return path
    try:
        from huggingface_hub import try_to_load_from_cache
        for filename in ("model.safetensors", "pytorch_model.bin"):
            path = try_to_load_from_cache(TIMM_HUB_ID, filename)
            if isinstance(path, str) and os.path.exists(path):
                return path
    except ImportError:
        pass
    raise FileNotFoundError(
        "Xception(weights='imagenet') found no local copy of the ImageNet weights, and kerastorch "
        "downloads nothing. Provide one of:\n"
        f"  - Keras's weight file {KERAS_FILES[include_top]} in {os.path.dirname(candidates[0])}/ "
        "(the directory is $KERAS_HOME/models or ~/.keras/models)\n"
        f"  - timm's checkpoint {TIMM_CHECKPOINT} in {os.path.dirname(candidates[1])}/ "
        "(torch.hub's checkpoint directory, under $TORCH_HOME)\n"
        f"  - the Hugging Face cache of {TIMM_HUB_ID}\n"
        "or pass weights=<path to one of those files>.")


def load_weights(model, path, include_top=True):
    """Loads a Keras `.h5` weight file into the layers, or a timm/torch checkpoint into timm."""
    path = os.fspath(path)
    if path.endswith((".h5", ".hdf5", ".keras")):
        _load_keras_h5(model, path)
        return
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        state = load_file(path)
    else:
        state = torch.load(path, map_location="cpu", weights_only=True)
        if isinstance(state, dict) and "state_dict" in state:
            state = state["state_dict"]
    net = model.timm_model
    own = net.state_dict()
    if not include_top:
        state = {k: v for k, v in state.items() if not k.startswith("fc.")}
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    mismatched = [(k, tuple(state[k].shape), tuple(own[k].shape)) for k in own
                  if k in state and tuple(state[k].shape) != tuple(own[k].shape)]
    if missing or unexpected or mismatched:
        raise ValueError(f"The checkpoint {path} does not fit timm's {TIMM_NAME}: missing keys "
                         f"{missing[:5]}, unexpected keys {unexpected[:5]}, shape mismatches "
                         f"(key, file, model) {mismatched[:5]}")
    net.load_state_dict(state)


def _load_keras_h5(model, path):
    """Keras 2's HDF5 weight layout: `layer_names`, then each layer's `weight_names`, by order."""
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


def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1], as Xception was trained."""
    return imagenet_utils.preprocess_input(x, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
