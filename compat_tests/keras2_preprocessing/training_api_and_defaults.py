"""A Keras 2-style script of Keras 2's training API and defaults: history keys as tf.keras 2
names them, `fit_generator` / `evaluate_generator` / `predict_generator` on a `Sequence` (with
`workers`), `ReduceLROnPlateau`'s "lr", integer inputs, an Embedding-first Sequential built at
once, Keras 2's `hard_sigmoid`, float32 `to_categorical`, the unbuilt model's weights error,
and `K.*` functions in a `Lambda` and on Keras tensors. It prints shapes, keys and counts only."""

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras import layers
from tensorflow.keras.utils import Sequence
from tensorflow.keras.utils import to_categorical

rng = np.random.RandomState(0)
tf.random.set_seed(0)
x = rng.rand(32, 3).astype("float32")
y = (x[:, 0] > 0.5).astype("int32")

# ------------------------------------------------------------------ history keys
for loss, metrics in [("binary_crossentropy", ["acc"]), ("binary_crossentropy", ["accuracy", "mse"]),
                      ("binary_crossentropy", [keras.metrics.AUC(), "binary_accuracy"]),
                      ("binary_crossentropy", ["crossentropy", "ce"]),
                      ("mse", ["mae", "mape"]), ("mse", [keras.metrics.RootMeanSquaredError()])]:
    K.clear_session()
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", loss, metrics=metrics)
    history = model.fit(x, y, epochs=1, verbose=0, validation_split=0.25)
    print("history keys:", sorted(history.history), "metrics_names:", model.metrics_names)
history = model.fit(x, y, epochs=2, verbose=0,
                    callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=1)])
print("with ReduceLROnPlateau:", sorted(history.history))
history = model.fit(x, y, epochs=1, verbose=0,
                    callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr)])
print("with LearningRateScheduler:", sorted(history.history))
inputs = keras.Input((3,))
two = keras.Model(inputs, [layers.Dense(1, name="out1")(inputs),
                           layers.Dense(2, activation="softmax", name="out2")(inputs)])
two.compile("sgd", ["mse", "sparse_categorical_crossentropy"], metrics=[["mae"], ["accuracy"]])
print("two outputs:", sorted(two.fit(x, [x[:, :1], y], epochs=1, verbose=0).history),
      two.metrics_names)


# ------------------------------------------------------------------ the *_generator methods
class Batches(Sequence):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return x[8 * i:8 * (i + 1)], y[8 * i:8 * (i + 1)]


model = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="relu"),
                          layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
history = model.fit_generator(Batches(), steps_per_epoch=3, epochs=2, verbose=0,
                              validation_data=Batches(), validation_steps=2, workers=2)
print("fit_generator:", sorted(history.history), len(history.history["loss"]))
print("evaluate_generator:", len(model.evaluate_generator(Batches(), steps=2)))
print("predict_generator:", model.predict_generator(Batches(), steps=3).shape)
print("fit(workers=2):", len(model.fit(Batches(), epochs=1, verbose=0, workers=2,
                                       max_queue_size=4).history["loss"]))

# ------------------------------------------------------------------ Keras 2's defaults
print("integer inputs:", model.predict(np.arange(6).reshape(2, 3), verbose=0).shape)
embedded = keras.Sequential([layers.Embedding(100, 8), layers.SimpleRNN(4)])
print("Embedding first: built", embedded.built, "params", embedded.count_params(),
      "output", embedded.output_shape)
points = tf.constant([-3.0, -1.0, 0.0, 1.0, 3.0])
print("hard_sigmoid:", np.round(keras.activations.hard_sigmoid(points).numpy(), 4).tolist())
print("to_categorical:", to_categorical([0, 2, 1]).dtype, to_categorical([0, 2, 1]).shape)
try:
    keras.Sequential([layers.Dense(2)]).weights
except ValueError as err:
    # (the wording: tf.keras 2.21's quotes the name; the Keras 2 guide kerastorch replays
    # does not, and kerastorch prints the guide's)
    print("unbuilt weights:", type(err).__name__, "have not yet been created" in str(err))

# ------------------------------------------------------------------ K.* in models
inputs = keras.Input((3, 4))
energy = layers.Lambda(lambda t: K.mean(K.square(t), axis=-1, keepdims=True))(inputs)
joined = K.concatenate([energy, K.exp(inputs)], axis=-1)
outputs = K.clip(K.reshape(joined, (-1, 15)), 0.0, 2.0)
k_model = keras.Model(inputs, outputs)
print("K layers:", [type(layer).__name__ for layer in k_model.layers])
print("K output:", K.int_shape(outputs), k_model.predict(rng.rand(2, 3, 4), verbose=0).shape)
function = K.function([inputs], [outputs, energy])
print("K.function:", [o.shape for o in function([rng.rand(2, 3, 4).astype("float32")])])
v = K.variable(np.zeros((2, 2)))
K.set_value(v, np.ones((2, 2)))
print("K values:", K.get_value(v).sum(), K.int_shape(v), K.dtype(v), K.epsilon(),
      K.image_data_format(), K.eval(K.shape(v)).tolist())
