"""An end-to-end model on raw strings, as the keras.io text and structured-data examples export
them: `keras.Input(dtype="string")` into `TextVectorization` (a text classifier) and into
`StringLookup` (a categorical feature), trained with `fit` and queried with `predict` on
`tf.data` datasets of raw strings.

Keras 3 runs this on its TensorFlow backend (string tensors need it there).
keras3-reference-backend: tensorflow
"""
import numpy as np
import tensorflow as tf

import keras
from keras import layers

keras.utils.set_random_seed(2)
texts = np.array([["a great film"], ["loved the story"], ["a terrible film"],
                  ["hated the story"], ["great cast"], ["terrible cast"]])
labels = np.array([[1], [1], [0], [0], [1], [0]], "float32")

vectorize = layers.TextVectorization(max_tokens=20, output_sequence_length=4)
vectorize.adapt(texts[:, 0])
raw = keras.Input(shape=(1,), dtype="string", name="text")
tokens = vectorize(raw)
print("tokens", tuple(tokens.shape), keras.backend.standardize_dtype(tokens.dtype))
pooled = layers.GlobalAveragePooling1D()(layers.Embedding(20, 4, name="embedding")(tokens))
score = layers.Dense(1, activation="sigmoid", name="score")(pooled)
text_model = keras.Model(raw, score)
print("text params", text_model.count_params())
rng = np.random.default_rng(1)
text_model.get_layer("embedding").set_weights([rng.uniform(-0.5, 0.5, (20, 4)).astype("float32")])
text_model.get_layer("score").set_weights([rng.uniform(-0.5, 0.5, (4, 1)).astype("float32"),
                                           np.zeros(1, "float32")])
raw_texts = tf.data.Dataset.from_tensor_slices(texts).batch(4)
print("scores", [f"{v:.4f}" for v in text_model.predict(raw_texts, verbose=0)[:3, 0]])
text_model.compile(optimizer=keras.optimizers.SGD(1.0), loss="binary_crossentropy")
pairs = tf.data.Dataset.from_tensor_slices((texts, labels)).batch(2)
history = text_model.fit(pairs, epochs=5, shuffle=False, verbose=0)
print("text loss", [f"{v:.4f}" for v in history.history["loss"]])
print("text loss fell", history.history["loss"][-1] < history.history["loss"][0])

# A categorical column: one-hot through StringLookup, unknown values in the OOV slot.
colour = keras.Input(shape=(1,), dtype="string", name="colour")
lookup = layers.StringLookup(vocabulary=["red", "green", "blue"], output_mode="one_hot")
encoded = lookup(colour)
print("one-hot", tuple(encoded.shape))
price = layers.Dense(1, name="price")(encoded)
column_model = keras.Model(colour, price)
column_model.get_layer("price").set_weights([np.array([[0.0], [1.0], [2.0], [3.0]], "float32"),
                                             np.array([0.5], "float32")])
colours = np.array([["red"], ["blue"], ["purple"], ["green"]])
prices = tf.data.Dataset.from_tensor_slices(colours).batch(2)
print("prices", column_model.predict(prices, verbose=0)[:, 0].tolist())
column_model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
targets = np.array([[1.0], [3.0], [0.0], [2.0]], "float32")
loss = column_model.evaluate(tf.data.Dataset.from_tensor_slices((colours, targets)).batch(4),
                             verbose=0)
print("evaluate", f"{loss:.4f}")
