"""The kerastorch twin of the custom layer in the `custom_layer` Keras 2 fixture.

tests/keras2/make_files.py defines the tf.keras version (same registered name, config and weights)
for the TensorFlow side; tests import this one and pass it as `custom_objects`:

    from tests.keras2.custom_layers import CUSTOM_OBJECTS
    keras.models.load_model(fixture_dir("custom_layer") / "model.h5", custom_objects=CUSTOM_OBJECTS)
"""

import kerastorch as keras
from kerastorch import ops


@keras.saving.register_keras_serializable(package="kerastorch_tests")
class ScaledDense(keras.layers.Layer):
    """Dense with a trainable per-unit scale: `activation((x @ kernel + bias) * scale)`.

    Args:
        units: output size.
        activation: activation name or callable (default linear).
        init_scale: initial value of every entry of `scale`.
    """

    def __init__(self, units, activation=None, init_scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)
        self.init_scale = init_scale

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=(input_shape[-1], self.units),
                                      initializer="glorot_uniform")
        self.bias = self.add_weight("bias", shape=(self.units,), initializer="zeros")
        self.scale = self.add_weight("scale", shape=(self.units,),
                                     initializer=keras.initializers.Constant(self.init_scale))
        super().build(input_shape)

    def call(self, inputs):
        return self.activation((ops.matmul(inputs, self.kernel) + self.bias) * self.scale)

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=keras.activations.serialize(self.activation),
                      init_scale=self.init_scale)
        return config


CUSTOM_OBJECTS = {"ScaledDense": ScaledDense, "kerastorch_tests>ScaledDense": ScaledDense}
