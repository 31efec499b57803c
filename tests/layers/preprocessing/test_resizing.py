import numpy as np
import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = np.random.RandomState(0).rand(2, 9, 12, 3).astype("float32")


# bicubic is not compared with Keras 3 on torch: that runs torch's cubic kernel (a = -0.75);
# kerastorch computes TensorFlow's (Keys, a = -0.5), checked against real tf.keras 2 in
# tests/keras2/test_layers_vs_tf_seq.py with every other interpolation.
@pytest.mark.parametrize("kwargs", [
    {}, {"interpolation": "nearest"},
    {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True, "fill_value": 0.5},
    {"antialias": True}, {"height": 20, "width": 7, "interpolation": "nearest"},
])
def test_matches_keras(kwargs):
    kwargs = {"height": 5, "width": 8, **kwargs}
    check_parity(lambda: layers.Resizing(**kwargs), lambda k: k.layers.Resizing(**kwargs), X)


def test_channels_first_and_single_image():
    xc = np.ascontiguousarray(X.transpose(0, 3, 1, 2))
    check_parity(lambda: layers.Resizing(4, 4, data_format="channels_first"),
                 lambda k: k.layers.Resizing(4, 4, data_format="channels_first"), xc)
    check_parity(lambda: layers.Resizing(4, 6), lambda k: k.layers.Resizing(4, 6), X[0])


def test_shapes_errors_and_int_input():
    check_symbolic(layers.Resizing(4, 6), (None, None, 3), (None, 4, 6, 3))
    assert layers.Resizing(2, 2)(torch.ones(1, 4, 4, 1, dtype=torch.uint8)).dtype == torch.float32
    with pytest.raises(ValueError, match="Only one of"):
        layers.Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="interpolation"):
        layers.Resizing(2, 2, interpolation="lanczos7")
    with pytest.raises(ValueError, match="Cannot crop an image of size"):
        layers.Resizing(1, 9, crop_to_aspect_ratio=True)(torch.ones(1, 7, 4, 1))


def test_tf_kernels_keep_constant_images_and_identity_sizes():
    ones = torch.ones(1, 5, 7, 2)
    for interpolation in ("bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                          "mitchellcubic"):
        layer = layers.Resizing(3, 9, interpolation=interpolation)
        np.testing.assert_allclose(layer(ones).numpy(), 1.0, atol=1e-6)
        if interpolation not in ("gaussian", "mitchellcubic"):  # these two blur, as in TF
            same = layers.Resizing(9, 12, interpolation=interpolation)(torch.tensor(X))
            np.testing.assert_allclose(same.numpy(), X, atol=1e-6)
    with pytest.raises(ValueError, match="rank 3 or 4"):
        layers.Resizing(2, 2)(torch.ones(4, 4))
