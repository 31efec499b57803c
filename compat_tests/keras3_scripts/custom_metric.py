"""A Metric subclass with add_variable, used in compile() and on its own."""
import numpy as np

import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(5)


class WithinTolerance(keras.metrics.Metric):
    """Fraction of predictions within `tolerance` of the target."""

    def __init__(self, tolerance=0.5, name="within_tolerance", **kwargs):
        super().__init__(name=name, **kwargs)
        self.tolerance = tolerance
        self.hits = self.add_variable(shape=(), initializer="zeros", name="hits")
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        close = ops.cast(ops.abs(y_true - y_pred) <= self.tolerance, "float32")
        if sample_weight is not None:
            close = close * ops.cast(ops.reshape(sample_weight, (-1, 1)), "float32")
        self.hits.assign_add(ops.sum(close))
        self.total.assign_add(ops.cast(ops.size(close), "float32"))

    def result(self):
        return ops.divide_no_nan(self.hits, self.total)

    def reset_state(self):
        self.hits.assign(0.0)
        self.total.assign(0.0)

    def get_config(self):
        return {**super().get_config(), "tolerance": self.tolerance}


metric = WithinTolerance(tolerance=0.25)
metric.update_state(np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([[1.1], [2.5], [3.0], [3.9]]))
print("standalone result", round(float(metric.result()), 4))
print("variables", len(metric.variables))
print("config tolerance", metric.get_config()["tolerance"], metric.get_config()["name"])
metric.reset_state()
print("after reset", float(metric.result()))

model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(8, activation="relu"),
                          layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse",
              metrics=[WithinTolerance(tolerance=0.5)])
x = np.random.uniform(size=(64, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)
history = model.fit(x, y, epochs=4, batch_size=16, verbose=0)
print("history keys", sorted(history.history))
print("metric in [0, 1]", all(0 <= v <= 1 for v in history.history["within_tolerance"]))
print("params", model.count_params())
results = model.evaluate(x, y, verbose=0, return_dict=True)
print("evaluate keys", sorted(results))
