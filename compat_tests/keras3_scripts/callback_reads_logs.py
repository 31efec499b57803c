"""A custom callback in the style of the "Writing your own callbacks" guide: every hook reads
`logs` (`logs.keys()`, `logs.get(...)`), in fit, evaluate and predict."""
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(3)


class LogsPrinter(keras.callbacks.Callback):
    def _show(self, hook, logs, index=None):
        where = hook if index is None else f"{hook}[{index}]"
        values = ", ".join(f"{k}={logs[k]:.4f}" for k in sorted(logs.keys())
                           if isinstance(logs[k], float))
        print(f"{where}: keys={sorted(logs.keys())} {values}".rstrip())

    def on_train_begin(self, logs=None):
        self._show("train_begin", logs)

    def on_train_end(self, logs=None):
        self._show("train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._show("epoch_begin", logs, epoch)

    def on_epoch_end(self, epoch, logs=None):
        self._show("epoch_end", logs, epoch)

    def on_test_begin(self, logs=None):
        self._show("test_begin", logs)

    def on_test_end(self, logs=None):
        self._show("test_end", logs)

    def on_predict_begin(self, logs=None):
        self._show("predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._show("predict_end", logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._show("train_batch_begin", logs, batch)

    def on_train_batch_end(self, batch, logs=None):
        self._show("train_batch_end", logs, batch)

    def on_test_batch_begin(self, batch, logs=None):
        self._show("test_batch_begin", logs, batch)

    def on_test_batch_end(self, batch, logs=None):
        self._show("test_batch_end", logs, batch)

    def on_predict_batch_begin(self, batch, logs=None):
        self._show("predict_batch_begin", logs, batch)

    def on_predict_batch_end(self, batch, logs=None):
        print(f"predict_batch_end[{batch}]: keys={sorted(logs.keys())} "
              f"outputs={tuple(logs['outputs'].shape)}")


rng = np.random.default_rng(0)
x = rng.normal(size=(12, 4)).astype("float32")
y = (x @ np.array([[0.5], [-1.0], [0.25], [2.0]], "float32")).astype("float32")

model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(1)])
# The same starting weights under every framework, so the logged numbers agree.
model.set_weights([np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3),
                   np.full((3,), 0.1, "float32"),
                   np.array([[0.3], [-0.2], [0.5]], "float32"), np.zeros((1,), "float32")])
model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
print("params", model.count_params())
model.fit(x, y, batch_size=6, epochs=2, shuffle=False, verbose=0,
          validation_data=(x[:6], y[:6]), callbacks=[LogsPrinter()])
model.evaluate(x, y, batch_size=6, verbose=0, callbacks=[LogsPrinter()])
preds = model.predict(x, batch_size=8, verbose=0, callbacks=[LogsPrinter()])
print("predictions", preds.shape)
