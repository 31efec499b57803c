"""Keras 2's "customizing what happens in fit()": a train_step override with
self.compiled_loss, self.compiled_metrics and self.optimizer.minimize, and a test_step;
fit() and evaluate() drive them. Deterministic weights and unshuffled data."""
import numpy as np
import tensorflow as tf
from tensorflow import keras


class CustomModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


rng = np.random.RandomState(1)
x = rng.normal(size=(256, 8)).astype("float32")
y = (x @ rng.normal(size=(8, 1)) + 0.1 * rng.normal(size=(256, 1))).astype("float32")

inputs = keras.Input(shape=(8,))
hidden = keras.layers.Dense(16, activation="tanh",
                            kernel_regularizer=keras.regularizers.l2(1e-3))(inputs)
outputs = keras.layers.Dense(1)(hidden)
model = CustomModel(inputs, outputs)
model.set_weights([rng.normal(scale=0.3, size=w.shape).astype("float32")
                   for w in model.get_weights()])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse",
              metrics=["mae"])
history = model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
print("history keys:", sorted(history.history))
for key in sorted(history.history):
    print(key, [round(float(v), 4) for v in history.history[key]])
print("metrics:", [m.name for m in model.metrics])
result = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
print("evaluate:", {k: round(float(v), 4) for k, v in sorted(result.items())})
print("iterations:", int(model.optimizer.iterations.numpy()))
print("regularization terms:", len(model.losses))
