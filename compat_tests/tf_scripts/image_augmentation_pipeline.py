"""An image pipeline in the style of TensorFlow's data augmentation tutorial: tf.image ops inside
Dataset.map (deterministic ones whose numbers are printed, random ones whose shapes are), then a
small Keras CNN trained for one epoch on the augmented batches."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(0)
images = rng.integers(0, 256, (16, 20, 20, 3), dtype=np.uint8)
labels = rng.integers(0, 2, 16)


def preprocess(image, label):
    image = tf.image.convert_image_dtype(image, tf.float32)
    image = tf.image.resize(image, [16, 16])
    image = tf.image.flip_left_right(image)
    image = tf.image.central_crop(image, 0.75)
    image = tf.image.adjust_brightness(image, 0.1)
    image = tf.image.rot90(image)
    image = tf.clip_by_value(image, 0.0, 1.0)
    return image, label


def augment(image, label):
    image = tf.image.random_flip_up_down(image)
    image = tf.image.random_brightness(image, 0.05)
    image = tf.image.per_image_standardization(image)
    return image, label


clean = tf.data.Dataset.from_tensor_slices((images, labels)).map(preprocess)
first, _ = next(iter(clean))
print("preprocessed", tuple(first.shape), first.dtype.name if hasattr(first.dtype, "name")
      else str(first.dtype).replace("torch.", ""))
total = sum(float(tf.reduce_sum(x).numpy()) for x, _ in clean)
print("pixel sum", round(total, 2))
gray = tf.image.rgb_to_grayscale(first)
print("grayscale", tuple(gray.shape), round(float(tf.reduce_mean(gray).numpy()), 4))
hsv = tf.image.rgb_to_hsv(first)
print("hsv mean", [round(float(v), 4) for v in tf.reduce_mean(hsv, axis=[0, 1]).numpy()])
print("psnr with itself is inf", bool(np.isinf(tf.image.psnr(first, first, 1.0).numpy())))

train = clean.map(augment).batch(8)
batch, batch_labels = next(iter(train))
print("augmented batch", tuple(batch.shape), tuple(batch_labels.shape))
print("standardized mean ~0", bool(abs(float(tf.reduce_mean(batch[0]).numpy())) < 1e-4))

model = keras.Sequential([keras.Input((12, 12, 3)), keras.layers.Conv2D(4, 3, activation="relu"),
                          keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2)])
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
history = model.fit(train, epochs=1, verbose=0)
print("epochs", len(history.history["loss"]), "params", model.count_params())
