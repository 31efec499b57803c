"""The guide's models built in real Keras 3 (torch backend) and in kerastorch agree: parameter
counts, output shapes, and outputs from the same weights (atol=1e-5)."""

import numpy as np
import pytest

import kerastorch
from tests.keras3 import import_keras3


def dense_stack(lib, input_shape=None):
    layers = lib.layers
    stack = [lib.Input(shape=input_shape)] if input_shape else []
    return lib.Sequential(stack + [
        layers.Dense(2, activation="relu"),
        layers.Dense(3, activation="relu"),
        layers.Dense(4),
    ])


def guide_cnn(lib):
    layers = lib.layers
    return lib.Sequential([
        lib.Input(shape=(250, 250, 3)),
        layers.Conv2D(32, 5, strides=2, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(3),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(3),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(10),
    ])


def same_padding_cnn(lib):
    """Even kernels and strides: TensorFlow's asymmetric 'same' padding."""
    layers = lib.layers
    return lib.Sequential([
        lib.Input(shape=(17, 16, 3)),
        layers.Conv2D(8, 4, strides=2, padding="same", activation="tanh"),
        layers.Conv2D(8, 2, padding="same", dilation_rate=2),
        layers.MaxPooling2D(2, padding="same"),
        layers.Conv2D(8, (3, 2), strides=(3, 2), padding="same", use_bias=False),
        layers.MaxPooling2D(3, strides=2, padding="same"),
        layers.GlobalMaxPool2D(),
        layers.Dense(5, activation="softmax"),
    ])


def output_shapes(model):
    return [tuple(layer.output.shape) for layer in model.layers]


@pytest.mark.parametrize("builder,batch_shape", [
    (lambda lib: dense_stack(lib, (4,)), (3, 4)),
    (guide_cnn, (2, 250, 250, 3)),
    (same_padding_cnn, (2, 17, 16, 3)),
])
def test_guide_models_match_keras3(builder, batch_shape):
    keras3 = import_keras3()
    theirs, ours = builder(keras3), builder(kerastorch)
    assert ours.count_params() == theirs.count_params()
    assert output_shapes(ours) == output_shapes(theirs)
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(0).normal(size=batch_shape).astype("float32")
    expected = keras3.ops.convert_to_numpy(theirs(x))
    np.testing.assert_allclose(ours(x).detach().numpy(), expected, atol=1e-5, rtol=0)
    # And back: kerastorch's weights load into Keras 3 unchanged.
    for a, b in zip(theirs.get_weights(), ours.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_model_built_by_call_matches_keras3():
    keras3 = import_keras3()
    theirs, ours = dense_stack(keras3), dense_stack(kerastorch)
    x = np.ones((1, 4), dtype="float32")
    theirs(x), ours(x)
    assert len(ours.weights) == len(theirs.weights) == 6
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(x).detach().numpy(), keras3.ops.convert_to_numpy(theirs(x)),
                               atol=1e-5, rtol=0)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "softmax", "linear", "elu",
                                        "selu", "gelu", "swish", "softplus"])
def test_activations_match_keras3(activation):
    keras3 = import_keras3()
    theirs = keras3.layers.Dense(6, activation=activation)
    ours = kerastorch.layers.Dense(6, activation=activation)
    x = np.random.default_rng(1).normal(size=(4, 5)).astype("float32") * 3
    theirs(x), ours(x)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(x).detach().numpy(), keras3.ops.convert_to_numpy(theirs(x)),
                               atol=1e-5, rtol=0)
