"""A Keras 2-style script: a Tokenizer + pad_sequences + Embedding + LSTM text classifier, and a
small CNN trained with `fit` from `ImageDataGenerator.flow_from_directory` on PNGs it writes to
a temporary directory. It prints shapes and counts only (no losses), so the output under real
tf.keras 2 and under `kerastorch run` must be the same, line for line."""

import os
import shutil
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import LSTM, Conv2D, Dense, Embedding, Flatten, MaxPooling2D
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras.preprocessing.image import img_to_array
from tensorflow.keras.preprocessing.image import load_img
from tensorflow.keras.preprocessing.image import save_img
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer
from tensorflow.keras.preprocessing.text import tokenizer_from_json

rng = np.random.RandomState(0)
tf.random.set_seed(0)

# ------------------------------------------------------------------ text
positive = ["good", "great", "fun", "moving", "clever"]
negative = ["bad", "awful", "boring", "dull", "silly"]
neutral = ["the", "movie", "plot", "acting", "was", "and", "a"]
texts, labels = [], []
for i in range(64):
    label = i % 2
    words = list(rng.choice(neutral, 6)) + list(rng.choice(positive if label else negative, 3))
    rng.shuffle(words)
    texts.append(" ".join(words[: 4 + i % 6]).capitalize() + "!")
    labels.append(label)
y = np.array(labels, dtype="float32")

tokenizer = Tokenizer(num_words=16, oov_token="<OOV>")
tokenizer.fit_on_texts(texts)
print("vocabulary size:", len(tokenizer.word_index), "documents:", tokenizer.document_count)
print("most frequent:", list(tokenizer.word_index)[:4])
sequences = tokenizer.texts_to_sequences(texts)
x = pad_sequences(sequences, maxlen=8, padding="post", truncating="post")
print("padded:", x.shape, x.dtype, "first row:", x[0].tolist())
for mode in ("binary", "count", "tfidf", "freq"):
    print(mode, "matrix:", tokenizer.texts_to_matrix(texts[:3], mode=mode).shape)
reloaded = tokenizer_from_json(tokenizer.to_json())
print("json round trip:", reloaded.texts_to_sequences(texts[:2]) == sequences[:2])

model = Sequential()
model.add(Embedding(16, 8, input_length=8))
model.add(LSTM(8))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
print("text history:", sorted(history.history), len(history.history["loss"]))
print("text parameters:", model.count_params())
print("text predictions:", model.predict(x[:5], verbose=0).shape)

# ------------------------------------------------------------------ images
root = tempfile.mkdtemp()
try:
    for c, name in enumerate(["circles", "squares", "stripes"]):
        os.makedirs(os.path.join(root, name))
        for i in range(8):
            pixels = rng.rand(20, 24, 3) * 60 + c * 80
            save_img(os.path.join(root, name, f"img_{i}.png"), pixels, scale=False)
    first = img_to_array(load_img(os.path.join(root, "circles", "img_0.png")))
    print("load_img:", first.shape, first.dtype)
    gen = ImageDataGenerator(rescale=1.0 / 255, rotation_range=10, width_shift_range=0.1,
                             zoom_range=0.1, horizontal_flip=True, validation_split=0.25)
    train = gen.flow_from_directory(root, target_size=(16, 16), batch_size=6, subset="training",
                                    seed=1)
    val = gen.flow_from_directory(root, target_size=(16, 16), batch_size=6, subset="validation",
                                  shuffle=False)
    print("classes:", train.class_indices, "samples:", train.samples, val.samples)
    print("batches:", len(train), len(val), "validation files:", val.filenames[:2])
    xb, yb = train[0]
    print("batch:", xb.shape, yb.shape, xb.dtype, bool(xb.min() >= 0), bool(xb.max() <= 1))
    cnn = Sequential([Conv2D(4, 3, activation="relu", input_shape=(16, 16, 3)), MaxPooling2D(),
                      Flatten(), Dense(3, activation="softmax")])
    cnn.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = cnn.fit(train, validation_data=val, epochs=2, verbose=0)
    print("cnn history:", sorted(history.history), len(history.history["loss"]))
    print("cnn parameters:", cnn.count_params())
    print("evaluate:", len(cnn.evaluate(val, verbose=0)))
    print("predict:", cnn.predict(val, verbose=0).shape)
finally:
    shutil.rmtree(root)
