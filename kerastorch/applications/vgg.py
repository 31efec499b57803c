"""keras.applications.VGG16 / VGG19 on timm's `vgg16` / `vgg19` (the same architectures).

Keras's names (`block1_conv1`, ..., `block5_pool`, `flatten`, `fc1`, `fc2`, `predictions`) are
views of timm's modules; timm's head computes `fc1`/`fc2` as convolutions, which the views
present as Keras's Dense kernels. Pretrained: Keras's weight files (caffe preprocessing, see
`preprocess_input`); timm's own ImageNet weights are torchvision's, trained with another
preprocessing, so they load only from an explicit path.
"""

import torch

from kerastorch import layers
from kerastorch.applications import imagenet_utils
from kerastorch.applications import timm_layers
from kerastorch.applications import weights as weights_module
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.core.input_layer import KerasTensor
from kerastorch.models.model import Model

_BLOCKS = {"vgg16": (2, 2, 3, 3, 3), "vgg19": (2, 2, 4, 4, 4)}


def _vgg(arch, include_top, weights, input_tensor, input_shape, pooling, classes,
         classifier_activation, name):
    weights_module.validate_arguments(weights, include_top, classes, classifier_activation,
                                      pooling)
    if input_tensor is not None and input_shape is None and isinstance(input_tensor, KerasTensor):
        input_shape = input_tensor.shape[1:]
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=224, min_size=32, require_flatten=include_top, weights=weights)
    weights_path = weights
    if weights == "imagenet":
        suffix = "" if include_top else "_notop"
        weights_path = weights_module.find_imagenet_weights(
            name.upper() if name in _BLOCKS else arch.upper(),
            f"{arch}_weights_tf_dim_ordering_tf_kernels{suffix}.h5")

    import timm
    net = timm.create_model(arch, pretrained=False, num_classes=classes if include_top else 0)
    if not include_top:
        net.pre_logits = torch.nn.Identity()  # no unused parameters left in the model
        net.head = torch.nn.Identity()
    net.eval()
    x = inputs = input_tensor if input_tensor is not None else Input(shape=input_shape)
    convs = iter(m for m in net.features if isinstance(m, torch.nn.Conv2d))
    for block, count in enumerate(_BLOCKS[arch], start=1):
        for i in range(1, count + 1):
            x = timm_layers.Conv2D(next(convs), f"block{block}_conv{i}", padding="same",
                                   activation="relu")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = timm_layers.ConvAsDense(net.pre_logits.fc1, "fc1", activation="relu")(x)
        x = timm_layers.ConvAsDense(net.pre_logits.fc2, "fc2", activation="relu")(x)
        x = timm_layers.Dense(net.head.fc, "predictions", activation=classifier_activation)(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    model = Model(inputs, x, name=name)
    net._weights_shown_by_views = True
    model.timm_model = net
    model.eval()
    if weights_path is not None:
        weights_module.load_weights(model, weights_path)
    return model


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg16"):
    """Instantiates VGG16 (channels-last) on timm's `vgg16`; arguments as Keras's."""
    return _vgg("vgg16", include_top, weights, input_tensor, input_shape, pooling, classes,
                classifier_activation, name)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    """Instantiates VGG19 (channels-last) on timm's `vgg19`; arguments as Keras's."""
    return _vgg("vgg19", include_top, weights, input_tensor, input_shape, pooling, classes,
                classifier_activation, name)


def preprocess_input(x, data_format=None):
    """Keras's 'caffe' preprocessing: RGB to BGR, then the ImageNet mean subtracted."""
    return imagenet_utils.preprocess_input(x, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
