"""An image classifier with an augmentation block: augments in fit, identity in predict."""
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(7)

augment = keras.Sequential(
    [
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.1),
        layers.RandomZoom(0.1),
        layers.RandomTranslation(0.1, 0.1),
        layers.RandomContrast(0.2),
        layers.RandomBrightness(0.1, value_range=(0, 1)),
    ],
    name="augment",
)

images = np.random.uniform(size=(16, 12, 12, 3)).astype("float32")
labels = np.random.randint(0, 3, size=(16,))

augmented = augment(images, training=True)
print("augmented", tuple(augmented.shape))
print("augmented within range", float(keras.ops.min(augmented)) >= 0.0,
      float(keras.ops.max(augmented)) <= 1.0)
same = augment(images, training=False)
print("inference is identity", bool(np.allclose(keras.ops.convert_to_numpy(same), images)))
crop = layers.RandomCrop(8, 8, seed=1)
print("random crop", tuple(crop(images, training=True).shape))

inputs = keras.Input(shape=(12, 12, 3))
x = augment(inputs)
x = layers.Conv2D(8, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = keras.Model(inputs, outputs)
print("params", model.count_params())
print("augment params", augment.count_params())
print("layer output shapes", [tuple(layer.output.shape) for layer in model.layers[2:]])
print("augment output shape", tuple(augment.compute_output_shape((None, 12, 12, 3))))

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(images, labels, epochs=2, batch_size=8, verbose=0)
print("history keys", sorted(history.history))
first = model.predict(images, verbose=0)
second = model.predict(images, verbose=0)
print("predict deterministic", bool(np.allclose(first, second)), first.shape)
