"""A custom masking layer, in the style of the "Understanding masking & padding" guide: it cuts
a padded, masked sequence into a head and a tail and hands each part its slice of the mask, so
the mask-aware layers after it ignore the padding."""
import numpy as np

import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(7)


class SplitSequence(layers.Layer):
    """Splits `(batch, steps, features)` at step `at` into a head and a tail."""

    def __init__(self, at, **kwargs):
        super().__init__(**kwargs)
        self.at = at

    def call(self, inputs):
        return [inputs[:, : self.at], inputs[:, self.at:]]

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return [mask[:, : self.at], mask[:, self.at:]]


def bits(mask):
    return ops.convert_to_numpy(mask).astype(int).tolist()


tokens = np.array([[4, 7, 1, 3, 0, 0], [5, 2, 8, 0, 0, 0], [9, 9, 9, 9, 9, 2]], "int32")
embedding = layers.Embedding(input_dim=10, output_dim=3, mask_zero=True)

# Called directly on a masked tensor: each part carries its own mask.
embedded = embedding(tokens)
head, tail = SplitSequence(3)(embedded)
print("head", tuple(head.shape), bits(head._keras_mask))
print("tail", tuple(tail.shape), bits(tail._keras_mask))

# From Masking too (a float sequence with all-zero padded steps).
steps = np.array([[[1.0, 2.0], [3.0, 1.0], [0.0, 0.0], [0.0, 0.0]]], "float32")
front, back = SplitSequence(2)(layers.Masking(mask_value=0.0)(steps))
print("masking parts", bits(front._keras_mask), bits(back._keras_mask))

# In a functional model: mask-aware pooling of each part, then a classifier (the split at 2
# leaves every part at least one real step: a fully masked part averages to nan, as in Keras).
inputs = keras.Input(shape=(6,), dtype="int32")
head, tail = SplitSequence(2)(embedding(inputs))
pooled = layers.Concatenate()([layers.GlobalAveragePooling1D()(head),
                               layers.GlobalAveragePooling1D()(tail)])
outputs = layers.Dense(1, activation="sigmoid")(pooled)
model = keras.Model(inputs, outputs)
print("params", model.count_params())
print("output", tuple(model.output.shape))

# The masked mean of each part, recomputed by hand from the embedding weights.
table = embedding.get_weights()[0]
vectors = table[tokens]
keep = (tokens != 0).astype("float32")[..., None]


def masked_mean(v, k):
    return (v * k).sum(1) / np.maximum(k.sum(1), 1e-7)


pooler = keras.Model(inputs, pooled)
expected = np.concatenate([masked_mean(vectors[:, :2], keep[:, :2]),
                           masked_mean(vectors[:, 2:], keep[:, 2:])], axis=-1)
got = ops.convert_to_numpy(pooler(tokens))
print("padding ignored", bool(np.allclose(got, expected, atol=1e-6)))
model.compile(optimizer="adam", loss="binary_crossentropy")
history = model.fit(tokens, np.array([1.0, 0.0, 1.0], "float32"), epochs=2, verbose=0)
print("trained epochs", len(history.history["loss"]))
