"""The distributed-training guide's shape on one machine: a model built and compiled inside
MirroredStrategy.scope(), fit with a global batch of 32 per replica, tf.config's device list and
tf.debugging checks of the outputs. Deterministic weights and unshuffled data. (tf.summary is
tested in tests/porting/tf/test_summary.py: the TensorFlow venv has no tensorboard.)"""
import numpy as np
import tensorflow as tf
from tensorflow import keras

strategy = tf.distribute.MirroredStrategy()
print("replicas:", strategy.num_replicas_in_sync)
print("cpus:", len(tf.config.list_physical_devices("CPU")))
rng = np.random.RandomState(7)
x = rng.normal(size=(128, 5)).astype("float32")
y = (x[:, :2].sum(axis=1) > 0).astype("float32")

with strategy.scope():
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.build((None, 5))
    model.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32")
                       for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy",
                  metrics=["accuracy"])
print("in scope after:", tf.distribute.has_strategy())
history = model.fit(x, y, batch_size=32 * strategy.num_replicas_in_sync, epochs=3,
                    shuffle=False, verbose=0)

print("loss:", [round(v, 4) for v in history.history["loss"]])
print("accuracy:", [round(v, 4) for v in history.history["accuracy"]])
probs = model(x[:4])
tf.debugging.assert_greater_equal(probs, 0.0)
tf.debugging.assert_less_equal(probs, 1.0)
tf.debugging.assert_shapes([(probs, ("N", 1))])
print("probabilities:", np.round(probs.numpy()[:, 0], 3).tolist())
try:
    tf.debugging.assert_equal(tf.constant(1), tf.constant(2))
except tf.errors.InvalidArgumentError:
    print("assert_equal raised InvalidArgumentError")
