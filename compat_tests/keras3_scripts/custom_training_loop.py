"""A plain torch loop over a Keras model with Keras loss, metric and optimizer objects."""
import numpy as np
import torch

import keras
from keras import layers

keras.utils.set_random_seed(3)

model = keras.Sequential([
    keras.Input(shape=(12,)),
    layers.Dense(24, activation="relu"),
    layers.Dense(24, activation="relu"),
    layers.Dense(4),
])
print("layers", [layer.name for layer in model.layers])
print("params", model.count_params())

loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(learning_rate=1e-2)
train_acc = keras.metrics.SparseCategoricalAccuracy()
val_acc = keras.metrics.SparseCategoricalAccuracy()

x = np.random.normal(size=(96, 12)).astype("float32")
y = np.argmax(x[:, :4], axis=1).astype("int64")
dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
loader = torch.utils.data.DataLoader(dataset, batch_size=32, shuffle=True)

losses = []
for epoch in range(3):
    for step, (xb, yb) in enumerate(loader):
        logits = model(xb, training=True)
        loss = loss_fn(yb, logits)
        model.zero_grad()
        loss.backward()
        weights = model.trainable_weights
        grads = [v.value.grad for v in weights]
        with torch.no_grad():
            optimizer.apply(grads, weights)
        train_acc.update_state(yb, logits)
        losses.append(float(loss.detach()))
    print(f"epoch {epoch} steps {step + 1}")
    train_acc.reset_state()

with torch.no_grad():
    val_acc.update_state(y, model(x, training=False))
print("loss decreased", losses[-1] < losses[0])
print("val acc above chance", float(val_acc.result()) > 0.4)
print("optimizer iterations", int(optimizer.iterations))
print("output", tuple(model(x[:5]).shape))
