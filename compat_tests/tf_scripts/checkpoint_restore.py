"""tf.train.Checkpoint and CheckpointManager as TensorFlow's checkpoint guide uses them: a model,
its optimizer and a step counter saved every few steps, the oldest dropped, then restored into
a fresh model and optimizer, and training goes on from the same state."""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.RandomState(5)
x = rng.normal(size=(64, 4)).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
init = None


def make():
    global init
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.build((None, 4))
    if init is None:
        init = [rng.normal(scale=0.5, size=w.shape).astype("float32")
                for w in model.get_weights()]
    model.set_weights(init)
    return model, keras.optimizers.Adam(learning_rate=0.01)


loss_fn = keras.losses.BinaryCrossentropy()


def train(model, optimizer, steps):
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return float(loss)


directory = os.path.join(tempfile.mkdtemp(), "tf_ckpts")
model, optimizer = make()
ckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=optimizer, net=model)
manager = tf.train.CheckpointManager(ckpt, directory, max_to_keep=2)
print("restored from:", manager.latest_checkpoint)
for _ in range(3):
    loss = train(model, optimizer, 4)
    ckpt.step.assign_add(1)
    path = manager.save()
    print("saved", os.path.basename(path), "step", int(ckpt.step), f"loss {loss:.4f}")
print("kept:", [os.path.basename(p) for p in manager.checkpoints])
print("latest:", os.path.basename(tf.train.latest_checkpoint(directory)))
print("files:", sorted(f for f in os.listdir(directory) if f.endswith(".index")))
saved_weights = model.get_weights()
reference = train(model, optimizer, 3)

model2, optimizer2 = make()
# Restored before the optimizer has slots: they are filled at its first step, as in TensorFlow.
ckpt2 = tf.train.Checkpoint(step=tf.Variable(1), optimizer=optimizer2, net=model2)
status = ckpt2.restore(tf.train.CheckpointManager(ckpt2, directory, 2).latest_checkpoint)
print("restored step:", int(ckpt2.step))
print("restored weights are the saved ones:", all(np.array_equal(a, b) for a, b in zip(
    model2.get_weights(), saved_weights)))
resumed = train(model2, optimizer2, 3)
print(f"resumed loss {resumed:.4f} reference {reference:.4f}")
print("optimizer iterations:", int(optimizer2.iterations.numpy()))
one = os.path.join(tempfile.mkdtemp(), "single")
written = tf.train.Checkpoint(net=model2).write(one)
print("write returns its prefix:", written == one)
