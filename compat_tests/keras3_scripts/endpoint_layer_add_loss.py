"""The endpoint-layer pattern of the "Functional API" and "Making new layers" guides: a layer
receives the logits and the targets as keyword arguments, adds its loss with `add_loss` and
returns probabilities; the model is compiled without a loss and trained on a dict of inputs."""
import os
import tempfile

import numpy as np

import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(11)


@keras.saving.register_keras_serializable(package="scripts")
class LogisticEndpoint(layers.Layer):
    """Binary cross-entropy of the logits against the targets, as an `add_loss` term."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, logits, targets=None, sample_weight=None):
        if targets is not None:
            self.add_loss(self.loss_fn(targets, logits, sample_weight))
        return ops.sigmoid(logits)


features = keras.Input((5,), name="features")
targets = keras.Input((1,), name="targets")
weights = keras.Input((1,), name="weights")
logits = layers.Dense(1, name="logits")(features)
probabilities = LogisticEndpoint(name="predictions")(
    targets=targets, logits=logits, sample_weight=weights)
model = keras.Model([features, targets, weights], probabilities)
print("output", tuple(probabilities.shape))
print("layers", [layer.name for layer in model.layers])
print("params", model.count_params())

rng = np.random.default_rng(5)
data = {"features": rng.normal(size=(32, 5)).astype("float32"),
        "weights": rng.uniform(0.5, 1.5, (32, 1)).astype("float32")}
data["targets"] = (data["features"][:, :1] + data["features"][:, 1:2] > 0).astype("float32")
model.get_layer("logits").set_weights([np.full((5, 1), 0.1, "float32"),
                                       np.zeros(1, "float32")])
model.compile(optimizer=keras.optimizers.SGD(0.5))  # no loss: the endpoint's add_loss
history = model.fit(data, epochs=3, batch_size=8, shuffle=False, verbose=0)
print("loss", [round(v, 4) for v in history.history["loss"]])
print("loss fell", history.history["loss"][-1] < history.history["loss"][0])
kernel = model.get_layer("logits").get_weights()[0]
print("kernel", [f"{v:.3f}" for v in kernel[:, 0]])
predictions = model.predict(data, verbose=0)
print("predictions", predictions.shape, [f"{v:.3f}" for v in predictions[:3, 0]])
accuracy = float(np.mean((predictions > 0.5) == (data["targets"] > 0.5)))
print("accuracy above chance", accuracy > 0.7)

# The keyword inputs are part of the saved graph: the reloaded model gives the same numbers.
path = os.path.join(tempfile.mkdtemp(), "endpoint.keras")
model.save(path)
reloaded = keras.models.load_model(path)
same = np.allclose(reloaded.predict(data, verbose=0), predictions, atol=1e-6)
print("reloaded", same, len(reloaded.layers))
