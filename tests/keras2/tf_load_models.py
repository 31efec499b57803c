"""TF side of test_load_models.py: small tf.keras 2.21 models saved as `.h5` and `.keras`.

    python tf_load_models.py OUT_DIR

Writes OUT_DIR/<name>.h5, <name>.keras and <name>.npz (x, pred) for models made of TensorFlow
functions on Keras tensors (TFOpLambda layers), nested Sequential and functional models called
twice, and Keras 2 layer arguments; prints {name: {"layers": [...], "params": n}} as JSON.
Imports only tensorflow, tf_keras, numpy and json.
"""

import json
import os
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402

L = tf_keras.layers


def tf_ops():
    inp = tf_keras.Input((4, 6), name="inp")
    h = L.Dense(6, name="dense_in")(inp)
    y = tf.concat([h * 2, inp], axis=-1)
    y = tf.nn.relu(y) - 0.5 * tf.math.abs(y)
    flat = tf.reshape(y, (-1, 48))
    mean = tf.math.reduce_mean(y, axis=1) + 1.0
    parts = [mean, flat[:, :5], tf.math.sigmoid(mean) - mean,
             tf.transpose(y, [0, 2, 1])[:, 0, :], tf.math.reduce_max(y, axis=[1]),
             tf.math.reduce_sum(y, axis=1, keepdims=True)[:, 0, ::2],
             tf.squeeze(tf.expand_dims(mean, -1), axis=-1), 1.0 - tf.math.square(mean) / 10.0,
             tf.nn.softmax(mean), tf.nn.log_softmax(mean, axis=-1), tf.math.exp(-mean),
             tf.nn.gelu(mean), tf.nn.leaky_relu(mean - 1.0), tf.nn.silu(mean),
             tf.math.maximum(mean, 1.2), tf.clip_by_value(mean, 0.9, 1.1),
             tf.math.sqrt(tf.math.abs(mean)), tf.math.tanh(mean), tf.nn.relu6(mean * 5),
             tf.math.l2_normalize(mean, axis=-1), tf.math.cumsum(mean, axis=1),
             tf.cast(mean > 1.0, "float32"), tf.nn.elu(mean - 1.0),
             tf.reduce_mean(tf.stack([mean, mean * 3], axis=1), axis=1),
             tf.matmul(y, y, transpose_b=True)[:, 0],
             tf.tile(mean[:, :1], [1, 3]), tf.math.rsqrt(1.0 + tf.math.square(mean)),
             tf.pad(mean, [[0, 0], [1, 2]]), tf.reverse(mean, axis=[1]),
             tf.where(mean > 1.0, mean, -mean), tf.math.floormod(mean * 7.0, 2.0),
             tf.math.pow(tf.math.abs(mean), 1.5), tf.math.reduce_std(y, axis=1),
             tf.gather(mean, [0, 2], axis=1), tf.split(mean, 2, axis=1)[1]]
    out = L.Dense(3, name="dense_out")(tf.concat(parts, axis=1))
    model = tf_keras.Model(inp, out, name="tf_ops")
    return model, np.random.default_rng(1).standard_normal((5, 4, 6)).astype("float32")


def nested():
    inner = tf_keras.Sequential([L.Dense(6, activation="relu", input_shape=(5,)),
                                 L.Dense(4)], name="inner_seq")
    i2 = tf_keras.Input((4,))
    block = tf_keras.Model(i2, L.Dense(3, activation="tanh")(i2), name="inner_fn")
    inp = tf_keras.Input((5,), name="x")
    h = inner(inp)
    a = block(h)
    b = block(L.Dense(4, name="side")(h))
    out = L.Concatenate(name="cat")([a, b, inner(inp * 0.5)[:, :2]])
    model = tf_keras.Model(inp, out, name="nested")
    return model, np.random.default_rng(2).standard_normal((5, 5)).astype("float32")


def keras2_arguments():
    inp = tf_keras.Input((8, 8, 3), name="image")
    h = L.Conv2D(4, (3, 3), strides=(1, 1), padding="same", name="conv")(inp)
    h = L.BatchNormalization(axis=-1, name="bn")(h)
    h = L.Conv2DTranspose(4, 3, strides=2, padding="same", name="up")(h)
    h = L.Reshape((64, 16))(L.Conv2D(16, 2, strides=2, name="down")(h))
    h = L.MultiHeadAttention(2, 4, name="mha")(h, h)
    h = L.LSTM(4, time_major=False, implementation=1, recurrent_activation="hard_sigmoid",
               name="lstm")(h)
    out = L.Dense(2, activation="hard_sigmoid", name="out")(L.LeakyReLU(0.2)(h))
    model = tf_keras.Model(inp, out, name="keras2_arguments")
    return model, np.random.default_rng(3).standard_normal((5, 8, 8, 3)).astype("float32")


def main(out_dir):
    report = {}
    for i, build in enumerate((tf_ops, nested, keras2_arguments)):
        tf_keras.backend.clear_session()
        tf_keras.utils.set_random_seed(100 + i)
        model, x = build()
        name = model.name
        rng = np.random.default_rng(i)
        for w in model.weights:  # non-trivial weights (BatchNormalization statistics too)
            value = rng.uniform(0.5, 1.5, w.shape)
            if "variance" not in w.name:
                value *= np.sign(rng.standard_normal(w.shape))
            w.assign(value.astype("float32"))
        model.save(os.path.join(out_dir, f"{name}.h5"))
        model.save(os.path.join(out_dir, f"{name}.keras"))
        pred = model.predict(x, verbose=0)
        np.savez(os.path.join(out_dir, f"{name}.npz"), x=x, pred=pred)
        report[name] = {"layers": [layer.name for layer in model.layers],
                        "params": int(model.count_params())}
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
