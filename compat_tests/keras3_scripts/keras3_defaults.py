"""Where Keras 3 differs from Keras 2, a Keras 3 script gets Keras 3's behaviour under
`kerastorch run` (README, "Coming from Keras 2"): an unbuilt model's weights are `[]`,
`hard_sigmoid` is relu6(x + 3) / 6, `to_categorical` returns float64, an Embedding-first
Sequential is unbuilt, and the learning-rate schedulers log `learning_rate`."""
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(1)
unbuilt = keras.Sequential([layers.Dense(2)])
print("unbuilt weights:", unbuilt.weights, unbuilt.trainable_weights, unbuilt.get_weights())
print("unbuilt:", not unbuilt.built)
points = keras.ops.convert_to_tensor(np.array([-4.0, -1.0, 0.0, 1.0, 4.0], "float32"))
print("hard_sigmoid:", np.round(keras.ops.convert_to_numpy(
    keras.activations.hard_sigmoid(points)), 4).tolist())
print("to_categorical:", keras.utils.to_categorical([0, 2, 1]).dtype)
embedded = keras.Sequential([layers.Embedding(100, 8), layers.SimpleRNN(4)])
print("Embedding first unbuilt:", not embedded.built)
x = np.random.rand(16, 3).astype("float32")
model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
model.compile("sgd", "mse")
for callback in (keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr),
                 keras.callbacks.ReduceLROnPlateau(monitor="loss")):
    history = model.fit(x, x[:, :1], epochs=1, verbose=0, callbacks=[callback])
    print(type(callback).__name__, sorted(history.history))
print("integer inputs:", model.predict(np.arange(6).reshape(2, 3), verbose=0).shape)
try:
    model.fit(np.zeros((0, 3)), np.zeros((0, 1)), verbose=0)
except ValueError as err:
    print("empty data: ValueError")
