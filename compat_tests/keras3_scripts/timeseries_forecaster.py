"""A one-step-ahead forecaster in the style of the keras.io weather example:
`timeseries_dataset_from_array` windows a series, an LSTM reads each window, `fit` trains it.

Keras 3 runs this on its TensorFlow backend (its dataset utility returns a tf.data pipeline).
keras3-reference-backend: tensorflow
"""
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(8)
steps = np.arange(240, dtype="float32")
series = (np.sin(steps / 6.0) + 0.5 * np.cos(steps / 17.0)).astype("float32")
features = np.stack([series, np.cos(steps / 6.0)], axis=-1).astype("float32")
window = 12

train = keras.utils.timeseries_dataset_from_array(
    features[:-window], series[window:], sequence_length=window, batch_size=32, shuffle=False,
    end_index=160)
val = keras.utils.timeseries_dataset_from_array(
    features[:-window], series[window:], sequence_length=window, batch_size=32, shuffle=False,
    start_index=160)
for batch_x, batch_y in train.take(1):
    print("window batch", tuple(batch_x.shape), tuple(batch_y.shape))
    first_window = np.asarray(batch_x)[0, :, 0]
print("first window is the series", bool(np.allclose(first_window, series[:window])))
print("batches", sum(1 for _ in train), sum(1 for _ in val))

inputs = keras.Input(shape=(window, 2))
lstm = layers.LSTM(8)
outputs = layers.Dense(1)(lstm(inputs))
model = keras.Model(inputs, outputs)
print("params", model.count_params())
print("shapes", [tuple(layer.output.shape) for layer in model.layers])

# Fixed starting weights (Keras layout), so the first forecast is the same everywhere.
model.set_weights([np.linspace(-0.5, 0.5, 2 * 32, dtype="float32").reshape(2, 32),
                   np.linspace(0.3, -0.3, 8 * 32, dtype="float32").reshape(8, 32),
                   np.zeros((32,), "float32"),
                   np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(8, 1),
                   np.zeros((1,), "float32")])
print("first forecasts", [f"{v:.4f}" for v in model.predict(features[None, :window],
                                                            verbose=0)[:, 0]])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
history = model.fit(train, validation_data=val, epochs=4, verbose=0)
print("history keys", sorted(history.history))
print("loss went down", history.history["loss"][-1] < history.history["loss"][0])
print("val_loss went down", history.history["val_loss"][-1] < history.history["val_loss"][0])
print("forecast shape", model.predict(val, verbose=0).shape)
