"""Models whose only losses are activity regularization: compiled without `loss`, trained with
`fit` on inputs alone (one without any weight, one whose Dense output is penalised)."""
import warnings

import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(4)
x = np.random.default_rng(1).normal(size=(16, 3)).astype("float32")

# No weights at all: the penalty of the input is the loss; there is nothing to train.
inputs = keras.Input((3,))
model = keras.Model(inputs, layers.ActivityRegularization(l1=0.01, l2=0.1)(inputs))
model.compile(optimizer="sgd")
print("params", model.count_params(), "trainable", len(model.trainable_weights))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    history = model.fit(x, epochs=2, batch_size=8, verbose=0)
print("warned", sorted({str(w.message) for w in caught
                        if "trainable weights" in str(w.message)}))
print("loss", [round(v, 4) for v in history.history["loss"]])
print("evaluate", round(float(model.evaluate(x, batch_size=8, verbose=0)), 4))
out = model(x[:2])
print("losses after a call", len(model.losses), round(float(sum(model.losses)), 4))

# A Dense layer trained only by the penalty on its output: the output shrinks.
inputs = keras.Input((3,))
dense = layers.Dense(2, activity_regularizer=keras.regularizers.L2(0.5))
model = keras.Model(inputs, dense(inputs))
dense.set_weights([np.array([[0.5, -0.5], [1.0, 0.25], [-0.75, 0.5]], "float32"),
                   np.array([0.1, -0.1], "float32")])
model.compile(optimizer=keras.optimizers.SGD(0.1))
before = float(np.mean(np.square(model.predict(x, verbose=0))))
history = model.fit(x, epochs=3, batch_size=8, shuffle=False, verbose=0)
after = float(np.mean(np.square(model.predict(x, verbose=0))))
print("dense loss", [round(v, 4) for v in history.history["loss"]])
print("output shrank", after < before)
print("kernel", [[f"{v:.4f}" for v in row] for row in dense.get_weights()[0]])
