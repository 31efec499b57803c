"""Padded integer sequences -> Embedding(mask_zero=True) -> LSTM: the mask skips the padding."""
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(6)

raw = [[7, 2, 9], [3, 4, 5, 6, 1], [8], [2, 2, 2, 2]]
padded = keras.utils.pad_sequences(raw, maxlen=6, padding="post")
print("padded", padded.shape, padded.dtype)

inputs = keras.Input(shape=(None,), dtype="int32")
embedded = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)(inputs)
sequence = layers.LSTM(5, return_sequences=True)(embedded)
pooled = layers.GlobalAveragePooling1D()(sequence)
outputs = layers.Dense(1, activation="sigmoid")(pooled)
model = keras.Model(inputs, outputs)
print("params", model.count_params())
print("layer output shapes", [tuple(layer.output.shape) for layer in model.layers[1:]])

encoder = keras.Model(inputs, sequence)
seq = encoder(padded)
print("sequence", tuple(seq.shape))
print("mask", keras.ops.convert_to_numpy(seq._keras_mask).astype(int).tolist())

# The padding changes nothing: one sequence padded to 6 or not padded at all gives one result.
short = model(padded[:1, :3])
long = model(padded[:1])
print("padding ignored", bool(np.allclose(keras.ops.convert_to_numpy(short),
                                          keras.ops.convert_to_numpy(long), atol=1e-6)))

masking = keras.Sequential([keras.Input(shape=(4, 2)), layers.Masking(mask_value=0.0),
                            layers.SimpleRNN(3)])
steps = np.random.normal(size=(2, 4, 2)).astype("float32")
steps[1, 2:] = 0.0
trimmed = masking(steps[1:, :2])
full = masking(steps[1:])
print("masking ignored zeros", bool(np.allclose(keras.ops.convert_to_numpy(trimmed),
                                                keras.ops.convert_to_numpy(full), atol=1e-6)))

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
labels = np.array([1, 0, 1, 0], "float32")
history = model.fit(padded, labels, epochs=2, verbose=0)
print("history keys", sorted(history.history))
print("predict", model.predict(padded, verbose=0).shape)
