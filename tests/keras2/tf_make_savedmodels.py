"""SavedModels and TF checkpoints that the shared fixtures do not cover (run under TensorFlow).

    python tf_make_savedmodels.py OUT_DIR

Imports only tensorflow, tf_keras, numpy and json. Writes, each into OUT_DIR/<case>/:

    plain_module/savedmodel   `tf.saved_model.save` of a plain `tf.Module` (no Keras metadata)
    legacy_adam/              a small model compiled with `tf_keras.optimizers.legacy.Adam`
                              (slot variables in the object graph) and trained one epoch:
                              savedmodel/, ckpt.*, checkpoint, model.h5, data.npz (x, y, pred,
                              w_<k> = get_weights()[k], opt_<k> = optimizer.get_weights()[k])
    nested_mixed/             a nested model whose BatchNormalization comes before a Dense (its
                              creation order differs from Keras 2's trainable-first weight order),
                              trained with SGD(momentum): savedmodel/, ckpt.*, data.npz
    subclassed/                 a subclassed tf_keras.Model (layers as attributes and in a list,
                                a weight of its own): ckpt.* from save_weights, data.npz
"""

import json
import os
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402

layers = tf_keras.layers


def plain_module(out):
    class Scale(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable([1.0, 2.0, 3.0], name="w")

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def __call__(self, x):
            return x * self.w

    module = Scale()
    tf.saved_model.save(module, os.path.join(out, "savedmodel"),
                        signatures={"serving_default": module.__call__})


def _save_all(model, out, x, y, extra=None):
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.save(os.path.join(out, "savedmodel"), save_format="tf")
    model.save_weights(os.path.join(out, "ckpt"))
    model.save(os.path.join(out, "model.h5"))
    arrays = {"x": x, "y": y, "pred": model.predict(x, verbose=0)}
    arrays.update({f"w_{k}": w for k, w in enumerate(model.get_weights())})
    optimizer_weights = model.optimizer.get_weights() if hasattr(
        model.optimizer, "get_weights") else [v.numpy() for v in model.optimizer.variables()]
    arrays.update({f"opt_{k}": w for k, w in enumerate(optimizer_weights)})
    np.savez(os.path.join(out, "data.npz"), **arrays)
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump({"optimizer_weight_names": [v.name for v in model.optimizer.weights]
                   if hasattr(model.optimizer, "weights") else [], **(extra or {})}, f)


def legacy_adam(out):
    tf_keras.utils.set_random_seed(7)
    rng = np.random.default_rng(7)
    model = tf_keras.Sequential([layers.Dense(6, activation="relu", input_shape=(4,)),
                                 layers.Dense(3, activation="softmax")], name="legacy_adam")
    model.compile(optimizer=tf_keras.optimizers.legacy.Adam(learning_rate=0.01, decay=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = rng.normal(size=(32, 4)).astype("float32")
    y = rng.integers(0, 3, size=(32,)).astype("int32")
    _save_all(model, out, x, y)


def nested_mixed(out):
    tf_keras.utils.set_random_seed(8)
    rng = np.random.default_rng(8)
    inner = tf_keras.Sequential([layers.BatchNormalization(input_shape=(5,)),
                                 layers.Dense(4, activation="tanh")], name="inner")
    inputs = tf_keras.Input((5,), name="inp")
    outputs = layers.Dense(2, name="head")(inner(inputs))
    model = tf_keras.Model(inputs, outputs, name="nested_mixed")
    model.compile(optimizer=tf_keras.optimizers.SGD(0.05, momentum=0.9), loss="mse")
    x = rng.normal(size=(32, 5)).astype("float32")
    y = rng.normal(size=(32, 2)).astype("float32")
    _save_all(model, out, x, y)


class Net(tf_keras.Model):
    """A subclassed model: layers as attributes and in a list, plus a weight of its own."""

    def __init__(self):
        super().__init__(name="net")
        self.encoder = layers.Dense(6, activation="relu")
        self.blocks = [layers.Dense(6, activation="tanh"), layers.BatchNormalization()]
        self.head = layers.Dense(2)

    def build(self, input_shape):
        self.scale = self.add_weight(name="scale", shape=(2,), initializer="ones")
        super().build(input_shape)

    def call(self, x, training=False):
        h = self.encoder(x)
        for block in self.blocks:
            h = block(h, training=training)
        return self.head(h) * self.scale


def subclassed(out):
    tf_keras.utils.set_random_seed(9)
    rng = np.random.default_rng(9)
    model = Net()
    model.compile(optimizer="adam", loss="mse")
    x = rng.normal(size=(32, 4)).astype("float32")
    y = rng.normal(size=(32, 2)).astype("float32")
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    model.save_weights(os.path.join(out, "ckpt"))
    arrays = {"x": x, "pred": model.predict(x, verbose=0),
              "encoder_kernel": model.encoder.kernel.numpy(), "scale": model.scale.numpy(),
              "bn_moving_mean": model.blocks[1].moving_mean.numpy()}
    np.savez(os.path.join(out, "data.npz"), **arrays)


def main(argv):
    out = argv[1]
    for name, make in (("plain_module", plain_module), ("legacy_adam", legacy_adam),
                       ("nested_mixed", nested_mixed), ("subclassed", subclassed)):
        target = os.path.join(out, name)
        os.makedirs(target, exist_ok=True)
        make(target)
        print(name)


if __name__ == "__main__":
    main(sys.argv)
