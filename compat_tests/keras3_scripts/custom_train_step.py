"""A Model subclass with its own train_step/test_step on the torch backend (Keras 3 style)."""
import numpy as np
import torch

import keras
from keras import layers

keras.utils.set_random_seed(1)


class Regressor(keras.Model):
    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        weights = [v for v in self.trainable_weights]
        grads = [v.value.grad for v in weights]
        with torch.no_grad():
            self.optimizer.apply(grads, weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


inputs = keras.Input(shape=(8,))
hidden = layers.Dense(16, activation="relu")(inputs)
outputs = layers.Dense(1)(hidden)
model = Regressor(inputs, outputs)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])

x = np.random.random((64, 8)).astype("float32")
y = x.sum(axis=1, keepdims=True)
history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
print("params", model.count_params())
print("history keys", sorted(history.history))
print("epochs", len(history.history["loss"]))
print("loss decreased", history.history["loss"][-1] < history.history["loss"][0])
logs = model.evaluate(x, y, verbose=0, return_dict=True)
print("evaluate keys", sorted(logs))
print("predict", model.predict(x[:5], verbose=0).shape)


class GradientTapeFree(keras.Model):
    """A subclassed model without compile-time loss: the loss object is its own attribute."""

    def __init__(self):
        super().__init__()
        self.dense1 = layers.Dense(32, activation="relu")
        self.dense2 = layers.Dense(3)
        self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.acc = keras.metrics.SparseCategoricalAccuracy(name="acc")

    def call(self, x):
        return self.dense2(self.dense1(x))

    @property
    def metrics(self):
        return [self.loss_tracker, self.acc]

    def train_step(self, data):
        x, y = data
        self.zero_grad()
        logits = self(x, training=True)
        loss = self.loss_fn(y, logits)
        loss.backward()
        grads = [v.value.grad for v in self.trainable_weights]
        with torch.no_grad():
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.loss_tracker.update_state(loss)
        self.acc.update_state(y, logits)
        return {"loss": self.loss_tracker.result(), "acc": self.acc.result()}

    def test_step(self, data):
        x, y = data
        logits = self(x, training=False)
        self.loss_tracker.update_state(self.loss_fn(y, logits))
        self.acc.update_state(y, logits)
        return {m.name: m.result() for m in self.metrics}

    def predict_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        return keras.ops.softmax(self(x, training=False))


clf = GradientTapeFree()
clf.compile(optimizer=keras.optimizers.SGD(0.1))
labels = (x[:, 0] * 3).astype("int64").clip(0, 2)
history = clf.fit(x, labels, epochs=2, batch_size=16, verbose=0)
print("clf history keys", sorted(history.history))
print("clf params", clf.count_params())
print("clf metrics", [m.name for m in clf.metrics])
print("clf eval", sorted(clf.evaluate(x, labels, verbose=0, return_dict=True)))
probs = clf.predict(x, batch_size=16, verbose=0)
print("clf predict", probs.shape, bool(np.allclose(probs.sum(axis=1), 1, atol=1e-5)))
