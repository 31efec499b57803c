"""A Siamese network in the style of the keras.io contrastive-loss example: one embedding
network shared by two towers, the Euclidean distance of their outputs in a `Lambda`, a
BatchNormalization and a sigmoid Dense on it, trained with a contrastive loss on image pairs."""
import numpy as np

import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(3)


def euclidean_distance(pair):
    left, right = pair
    squared = ops.sum(ops.square(left - right), axis=1, keepdims=True)
    return ops.sqrt(ops.maximum(squared, keras.backend.epsilon()))


def contrastive_loss(margin=1.0):
    def loss(y_true, y_pred):
        similar = y_true * ops.square(y_pred)
        apart = (1 - y_true) * ops.square(ops.maximum(margin - y_pred, 0.0))
        return ops.mean(similar + apart)
    return loss


image = keras.Input((12, 12, 1))
x = layers.BatchNormalization()(image)
x = layers.Conv2D(4, (3, 3), activation="tanh")(x)
x = layers.AveragePooling2D(pool_size=(2, 2))(x)
x = layers.Conv2D(8, (3, 3), activation="tanh")(x)
x = layers.Flatten()(x)
x = layers.Dense(6, activation="tanh")(x)
embedding = keras.Model(image, x)

left, right = keras.Input((12, 12, 1)), keras.Input((12, 12, 1))
distance = layers.Lambda(euclidean_distance, output_shape=(1,))(
    [embedding(left), embedding(right)])
print("distance", tuple(distance.shape))
normalized = layers.BatchNormalization()(distance)
similarity = layers.Dense(1, activation="sigmoid")(normalized)
siamese = keras.Model([left, right], similarity)
print("embedding params", embedding.count_params())
print("siamese params", siamese.count_params(), "trainable",
      sum(int(np.prod(w.shape)) for w in siamese.trainable_weights))

# Weights from a fixed generator, so both runs start from the same point.
rng = np.random.default_rng(0)
siamese.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") if "variance" in w.name
                     else rng.uniform(-0.4, 0.4, w.shape).astype("float32")
                     for w in siamese.weights])

# Pairs of digit-like images: two classes of blobs, same class -> label 1.
classes = rng.integers(0, 2, 64)
images = rng.normal(0, 0.3, (64, 12, 12, 1)).astype("float32")
images[classes == 0, 2:6, 2:6] += 1.0
images[classes == 1, 6:10, 6:10] += 1.0
order = rng.permutation(64)
pairs = [images, images[order]]
labels = (classes == classes[order]).astype("float32")[:, None]

before = siamese.predict(pairs, verbose=0)
print("untrained", before.shape, [f"{v:.3f}" for v in before[:4, 0]])
siamese.compile(loss=contrastive_loss(margin=1.0), optimizer=keras.optimizers.SGD(0.05))
history = siamese.fit(pairs, labels, batch_size=16, epochs=2, shuffle=False, verbose=0)
print("loss", [f"{v:.3f}" for v in history.history["loss"]])
print("loss fell", history.history["loss"][-1] < history.history["loss"][0])
print("evaluate", f"{siamese.evaluate(pairs, labels, verbose=0):.3f}")
