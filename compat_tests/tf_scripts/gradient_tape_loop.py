"""A custom training loop in the style of TensorFlow's "training loop from scratch" guide:
tf.data batches, a tf.function train step with GradientTape, a validation pass, metrics.

Deterministic: the weights come from a seeded numpy generator and the data is not shuffled,
so TensorFlow and `kerastorch run` print the same numbers."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.RandomState(0)
x_train = rng.normal(size=(512, 20)).astype("float32")
y_train = (x_train[:, :3].sum(axis=1) > 0).astype("int64") + (x_train[:, 3] > 1).astype("int64")
x_val, y_val = x_train[:128], y_train[:128]

model = keras.Sequential([keras.layers.Dense(32, activation="relu"),
                          keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(3)])
model.build((None, 20))
model.set_weights([rng.normal(scale=0.3, size=w.shape).astype("float32")
                   for w in model.get_weights()])
print("weights:", [tuple(w.shape) for w in model.trainable_weights])
print("parameters:", model.count_params())

loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(learning_rate=1e-2)
train_acc = keras.metrics.SparseCategoricalAccuracy()
val_acc = keras.metrics.SparseCategoricalAccuracy()

train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(64)
val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(64)
print("batches:", len(list(train_ds)))


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    train_acc.update_state(y, logits)
    return loss


@tf.function
def test_step(x, y):
    val_acc.update_state(y, model(x, training=False))


for epoch in range(3):
    total = 0.0
    for step, (x, y) in enumerate(train_ds):
        total += float(train_step(x, y))
    for x, y in val_ds:
        test_step(x, y)
    print(f"epoch {epoch}: loss {total / (step + 1):.4f} acc {float(train_acc.result()):.4f} "
          f"val_acc {float(val_acc.result()):.4f}")
    train_acc.reset_state()
    val_acc.reset_state()
print("iterations:", int(optimizer.iterations.numpy()))
print("logits:", np.round(model(x_val[:2]).numpy(), 3).tolist())
