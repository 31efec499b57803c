"""keras.applications.Xception on timm's Keras-ported Xception (`legacy_xception`).

The model is a kerastorch functional graph with Keras's layer names (`block1_conv1`,
`block1_conv1_bn`, ..., `block14_sepconv2_act`) whose weighted layers are views of the timm
model's submodules (see `timm_layers`), so a timm checkpoint loads into `model.timm_model`
unchanged and a Keras weight file loads into `model.layers` unchanged. Padding follows Keras
(TensorFlow's `same` max pooling), so outputs equal Keras's from the same weights.
"""

import torch

from kerastorch import layers
from kerastorch.applications import imagenet_utils
from kerastorch.applications import timm_layers
from kerastorch.applications import weights as weights_module
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.core.input_layer import KerasTensor
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
    weights_module.validate_arguments(weights, include_top, classes, classifier_activation,
                                      pooling)
    if input_tensor is not None and input_shape is None and isinstance(input_tensor, KerasTensor):
        input_shape = input_tensor.shape[1:]
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=299, min_size=71, require_flatten=include_top, weights=weights)

    weights_path = weights
    if weights == "imagenet":
        weights_path = weights_module.find_imagenet_weights(
            "Xception", KERAS_FILES[include_top], TIMM_CHECKPOINT, TIMM_HUB_ID,
            also=() if include_top else (KERAS_FILES[True],))

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
        weights_module.load_weights(model, weights_path, ignore_prefixes=() if include_top
                                    else ("fc.",))
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


def preprocess_input(x, data_format=None):
    """Scales pixels from [0, 255] to [-1, 1], as Xception was trained."""
    return imagenet_utils.preprocess_input(x, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
