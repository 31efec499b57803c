"""Train a small CNN on scikit-learn's 8x8 digits with kerastorch, as the Keras guide does.

Builds the model from the guide's building blocks (Conv2D, MaxPooling2D, GlobalMaxPooling2D,
Dense), trains it with a progress bar, evaluates it on a held-out split, freezes all layers but
the last one, re-compiles and fine-tunes, then saves the weights, reloads them into a fresh model
and checks that the predictions are identical. The data ships with scikit-learn: no download.

    python examples/demo_train.py
"""

import os
import tempfile
import time

import numpy as np
import torch
from sklearn.datasets import load_digits

import kerastorch as keras
from kerastorch import layers


def build_model():
    return keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 2, activation="relu"),
        layers.GlobalMaxPooling2D(),
        layers.Dense(10, activation="softmax"),
    ])


def main():
    start = time.time()
    # 8x8 images are too small for intra-op parallelism to pay; one thread is fastest and is
    # robust on a busy machine.
    torch.set_num_threads(1)
    keras.utils.set_random_seed(1337)
    digits = load_digits()
    x = (digits.images / 16.0).astype("float32")[..., None]  # (1797, 8, 8, 1), channels-last
    y = digits.target.astype("int64")
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    x_train, y_train, x_test, y_test = x[:split], y[:split], x[split:], y[split:]
    print(f"digits: {len(x_train)} training and {len(x_test)} held-out images of 8x8 pixels")

    model = build_model()
    model.summary()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=8, validation_split=0.1)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"held-out accuracy after training: {accuracy:.4f} (loss {loss:.4f})")

    # Transfer learning as in the guide: freeze all layers except the last one, re-compile, fit.
    for layer in model.layers[:-1]:
        layer.trainable = False
    frozen_before = [w.numpy() for layer in model.layers[:-1] for w in layer.weights]
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.summary()
    model.fit(x_train, y_train, batch_size=32, epochs=2, verbose=2)
    frozen_after = [w.numpy() for layer in model.layers[:-1] for w in layer.weights]
    assert all(np.array_equal(a, b) for a, b in zip(frozen_before, frozen_after)), \
        "frozen weights changed"
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"held-out accuracy after fine-tuning the last layer: {accuracy:.4f} "
          f"(frozen weights bitwise unchanged)")

    # Save the weights, reload them into a fresh model, check identical predictions.
    with tempfile.TemporaryDirectory() as tmp:
        if hasattr(model, "save_weights") and hasattr(model, "load_weights"):
            path = os.path.join(tmp, "digits.weights.h5")
            model.save_weights(path)
            restored = build_model()
            restored.load_weights(path)
        else:
            path = os.path.join(tmp, "digits.pt")
            torch.save(model.state_dict(), path)
            restored = build_model()
            restored.load_state_dict(torch.load(path))
        print(f"saved and reloaded the weights ({os.path.basename(path)}, "
              f"{os.path.getsize(path)} bytes)")
    same = np.array_equal(model.predict(x_test, verbose=0), restored.predict(x_test, verbose=0))
    print(f"reloaded model gives identical predictions: {same}")
    assert same
    print(f"demo finished in {time.time() - start:.1f}s")
    return accuracy


if __name__ == "__main__":
    main()
