"""utils/naming.py: the snake-case names Keras gives objects after their class."""

import pytest

import kerastorch as keras
from kerastorch.utils.naming import to_snake_case


@pytest.mark.parametrize("name, expected", [
    ("MeanSquaredError", "mean_squared_error"),
    ("Conv2DTranspose", "conv2d_transpose"),
    ("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy"),
    ("AUC", "auc"),
    ("SGD", "sgd"),
    ("F1Score", "f1_score"),
    ("RMSprop", "rm_sprop"),  # Keras's own rule gives this too
])
def test_class_names_in_snake_case(name, expected):
    assert to_snake_case(name) == expected


def test_losses_metrics_and_optimizers_are_named_after_their_class():
    keras.backend.clear_session()
    assert keras.losses.MeanSquaredError().name == "mean_squared_error"
    assert keras.metrics.SparseCategoricalAccuracy().name == "sparse_categorical_accuracy"
    assert keras.optimizers.Adam().name == "adam"


def test_layer_names_prefix_private_before_a_leading_underscore():
    assert to_snake_case("_Cropping") == "__cropping"
    assert to_snake_case("_Cropping", private_prefix=True) == "private__cropping"
    assert to_snake_case("Cropping2D", private_prefix=True) == "cropping2d"


def test_layers_are_named_after_their_class():
    keras.backend.clear_session()

    class _Scale(keras.layers.Layer):
        def call(self, x):
            return x

    assert keras.layers.Conv2DTranspose(2, 3).name == "conv2d_transpose"
    assert _Scale().name == "private__scale"
