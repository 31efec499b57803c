"""A TFRecord pipeline in the style of TensorFlow's tutorials: small images and labels written as
tf.train.Examples (PNG-encoded), read back with TFRecordDataset, parsed and decoded in
Dataset.map, batched, and fed to a Keras model for one epoch."""

import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(0)
images = rng.integers(0, 256, (24, 8, 8, 3), dtype=np.uint8)
labels = rng.integers(0, 3, 24)


def _bytes_feature(value):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))


def _int64_feature(value):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


def _float_feature(values):
    return tf.train.Feature(float_list=tf.train.FloatList(value=values))


directory = tempfile.mkdtemp()
path = os.path.join(directory, "images.tfrecord")
with tf.io.TFRecordWriter(path, options="GZIP") as writer:
    for image, label in zip(images, labels):
        example = tf.train.Example(features=tf.train.Features(feature={
            "image": _bytes_feature(tf.io.encode_png(image).numpy()),
            "label": _int64_feature(int(label)),
            "mean": _float_feature([float(image.mean())]),
        }))
        writer.write(example.SerializeToString())
print("file exists", tf.io.gfile.exists(path))

raw = tf.data.TFRecordDataset(path, compression_type="GZIP")
first = next(iter(raw))
parsed = tf.train.Example.FromString(first.numpy())
print("first label", parsed.features.feature["label"].int64_list.value[0])
print("feature keys", sorted(parsed.features.feature.keys()))

spec = {"image": tf.io.FixedLenFeature([], tf.string),
        "label": tf.io.FixedLenFeature([], tf.int64),
        "mean": tf.io.FixedLenFeature([1], tf.float32)}


def parse(record):
    features = tf.io.parse_single_example(record, spec)
    image = tf.io.decode_png(features["image"], channels=3)
    return tf.cast(image, tf.float32) / 255.0, features["label"]


ds = raw.map(parse).batch(8)
count = 0
pixel_sum = 0.0
for x, y in ds:
    count += int(x.shape[0])
    pixel_sum += float(np.asarray(x).sum())
print("batch shape", tuple(next(iter(ds))[0].shape))
print("examples", count)
print("pixel sum", round(pixel_sum, 3))
print("matches the arrays", np.allclose(pixel_sum, images.astype(np.float64).sum() / 255.0))

model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, activation="relu"),
                          keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
history = model.fit(ds, epochs=1, verbose=0)
print("epochs", len(history.history["loss"]), "params", model.count_params())
