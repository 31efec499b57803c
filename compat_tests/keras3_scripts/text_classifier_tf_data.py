"""A text classifier in the style of the keras.io "text classification from scratch" example:
`TextVectorization` adapted on the texts and applied in a `tf.data` map, then an
Embedding / GlobalAveragePooling1D / Dense model trained on the integer sequences.

Keras 3 runs this on its TensorFlow backend (TextVectorization and tf.data need it there).
keras3-reference-backend: tensorflow
"""
import numpy as np
import tensorflow as tf

import keras
from keras import layers

keras.utils.set_random_seed(9)
good = ["a great film", "what a great cast", "loved the story", "great story and cast",
        "i loved it", "a wonderful film"]
bad = ["a terrible film", "what a waste", "hated the story", "terrible cast and story",
       "i hated it", "a boring film"]
texts = np.array(good + bad)
labels = np.array([1] * len(good) + [0] * len(bad), "int32")

vectorize = layers.TextVectorization(max_tokens=30, output_mode="int",
                                     output_sequence_length=5)
vectorize.adapt(texts)
vocabulary = vectorize.get_vocabulary()
print("vocabulary size", len(vocabulary), [str(word) for word in vocabulary[:4]])
print("encoded", np.asarray(vectorize(np.array(["a great story", "an unknown word"]))).tolist())

dataset = tf.data.Dataset.from_tensor_slices((texts, labels)).batch(4)
dataset = dataset.map(lambda text, label: (vectorize(text), label))
for batch_x, batch_y in dataset.take(1):
    print("batch", tuple(batch_x.shape), keras.backend.standardize_dtype(batch_x.dtype),
          tuple(batch_y.shape))

model = keras.Sequential([
    keras.Input(shape=(5,), dtype="int64"),
    layers.Embedding(len(vocabulary), 8),
    layers.GlobalAveragePooling1D(),
    layers.Dense(1, activation="sigmoid"),
])
print("params", model.count_params())
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
              metrics=["accuracy"])
history = model.fit(dataset, epochs=15, verbose=0)
print("history keys", sorted(history.history))
print("loss went down", history.history["loss"][-1] < history.history["loss"][0])
print("train accuracy 1.0", history.history["accuracy"][-1] == 1.0)

# Raw strings at inference: the adapted vectorizer, then the trained model.
scores = keras.ops.convert_to_numpy(model(vectorize(np.array(["a great cast",
                                                              "a terrible waste"]))))
print("raw strings", scores.shape, bool(scores[0, 0] > 0.5 > scores[1, 0]))
