"""Writes the shared Keras 2 fixtures with real tf.keras 2.21 (run under the TensorFlow venv).

    python make_files.py OUT_DIR [NAME ...]        (`make keras2-fixtures` writes tests/keras2/fixtures)

Imports only tensorflow, tf_keras, numpy, h5py and json. Every model is seeded
(`tf_keras.utils.set_random_seed`), built, compiled, trained for one epoch on small synthetic data
and saved in every format tf.keras 2 writes. The layout (see /work/notes/FIXTURES.md):

    OUT_DIR/<NAME>/model.h5, model.keras, weights.h5, savedmodel/, ckpt.index,
                   ckpt.data-00000-of-00001, checkpoint, data.npz, meta.json
    OUT_DIR/zoo/<LayerClass>.h5, zoo/data.npz (x_<LayerClass>, pred_<LayerClass>), zoo/meta.json

data.npz holds x (x_<input> for several inputs), y (y_<output> for several outputs), pred
(pred_<i> for several outputs), and resumed_<k> / resumed_keras_<k> / resumed_savedmodel_<k>: the
weights `get_weights()[k]` after loading model.h5 / model.keras / savedmodel and fitting one more
epoch on (x, y) with meta.json's fit_kwargs (shuffle=False). A format tf.keras cannot write or
load back for a model is listed in meta.json's "skipped_formats" with the reason; meta.json's
"files" lists every file written, relative to the fixture directory.
"""

import json
import os
import shutil
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402

layers = tf_keras.layers
SEED = 1234
N = 64
FORMATS = ("h5", "keras", "weights_h5", "savedmodel", "ckpt")
FORMAT_FILES = {
    "h5": ["model.h5"],
    "keras": ["model.keras"],
    "weights_h5": ["weights.h5"],
    "savedmodel": ["savedmodel/keras_metadata.pb", "savedmodel/saved_model.pb",
                   "savedmodel/variables/variables.index",
                   "savedmodel/variables/variables.data-00000-of-00001"],
    "ckpt": ["ckpt.index", "ckpt.data-00000-of-00001", "checkpoint"],
}


def seed(offset=0):
    tf_keras.utils.set_random_seed(SEED + offset)
    return np.random.default_rng(SEED + offset)


def sparse_labels(rng, classes, *shape):
    return rng.integers(0, classes, size=(N, *shape)).astype("int32")


# ------------------------------------------------------------------ custom objects (TF side)
# The kerastorch twin lives in tests/keras2/custom_layers.py (same registered name and config).
@tf_keras.utils.register_keras_serializable(package="kerastorch_tests")
class ScaledDense(layers.Layer):
    """Dense with a trainable per-unit scale: y = activation((x @ kernel + bias) * scale)."""

    def __init__(self, units, activation=None, init_scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = tf_keras.activations.get(activation)
        self.init_scale = init_scale

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=(input_shape[-1], self.units),
                                      initializer="glorot_uniform")
        self.bias = self.add_weight("bias", shape=(self.units,), initializer="zeros")
        self.scale = self.add_weight(
            "scale", shape=(self.units,),
            initializer=tf_keras.initializers.Constant(self.init_scale))
        super().build(input_shape)

    def call(self, inputs):
        return self.activation((tf.matmul(inputs, self.kernel) + self.bias) * self.scale)

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=tf_keras.activations.serialize(self.activation),
                      init_scale=self.init_scale)
        return config


CUSTOM_OBJECTS = {"ScaledDense": ScaledDense, "kerastorch_tests>ScaledDense": ScaledDense}


# ------------------------------------------------------------------ the models
# Each builder returns a dict: model (compiled), x, y, batch_size, description, and optionally
# custom_objects (names), safe_mode (False for Lambda), optimizer (a label).

def cnn_bn_dropout():
    rng = seed(1)
    model = tf_keras.Sequential([
        layers.Conv2D(8, 3, padding="same", input_shape=(12, 12, 3)),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.MaxPooling2D(),
        layers.Dropout(0.25),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.GlobalAveragePooling2D(),
        layers.Dropout(0.5),
        layers.Dense(4, activation="softmax"),
    ], name="cnn_bn_dropout")
    model.compile(optimizer=tf_keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = rng.standard_normal((N, 12, 12, 3)).astype("float32")
    return dict(model=model, x=x, y=sparse_labels(rng, 4), batch_size=16,
                description="Sequential CNN: Conv2D, BatchNormalization, MaxPooling2D, Dropout, "
                            "GlobalAveragePooling2D, softmax Dense; Adam, sparse CCE, accuracy")


def text_two_input():
    rng = seed(2)
    title = tf_keras.Input((12,), dtype="int32", name="title")
    body = tf_keras.Input((20,), dtype="int32", name="body")
    t = layers.Embedding(50, 8, mask_zero=True, name="title_embedding")(title)
    t = layers.Bidirectional(layers.LSTM(8), name="title_bilstm")(t)
    b = layers.Embedding(60, 8, mask_zero=True, name="body_embedding")(body)
    b = layers.GRU(8, name="body_gru")(b)
    h = layers.concatenate([t, b], name="concat")
    h = layers.Dense(8, activation="relu", name="hidden")(h)
    out = layers.Dense(1, activation="sigmoid", name="label")(h)
    model = tf_keras.Model([title, body], out, name="text_two_input")
    model.compile(optimizer=tf_keras.optimizers.RMSprop(1e-3), loss="binary_crossentropy",
                  metrics=["accuracy", tf_keras.metrics.Precision(name="precision")])

    def padded(vocab, steps):
        tokens = rng.integers(1, vocab, size=(N, steps))
        lengths = rng.integers(2, steps + 1, size=N)
        tokens[np.arange(steps)[None, :] >= lengths[:, None]] = 0  # right padding
        return tokens.astype("int32")

    x = {"title": padded(50, 12), "body": padded(60, 20)}
    y = rng.integers(0, 2, size=(N, 1)).astype("float32")
    # save_traces=False: the traced masked LSTM/GRU functions would make saved_model.pb 6.6 MB;
    # the Keras metadata (configs) and the variables are what a reader without TF uses.
    return dict(model=model, x=x, y=y, batch_size=16, savedmodel_kwargs={"save_traces": False},
                description="Two int inputs: Embedding(mask_zero=True), Bidirectional(LSTM), GRU, "
                            "concatenate, sigmoid Dense; RMSprop, binary CE, accuracy, precision")


def resnet_block():
    rng = seed(3)
    inp = tf_keras.Input((12, 12, 3), name="image")
    x = layers.ZeroPadding2D(1, name="pad")(inp)
    x = layers.Conv2D(8, 3, use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.ReLU(name="stem_relu")(x)
    r = layers.SeparableConv2D(8, 3, padding="same", depth_multiplier=2, name="sep_conv")(x)
    r = layers.BatchNormalization(name="sep_bn")(r)
    r = layers.ReLU(max_value=6.0, name="sep_relu6")(r)
    r = layers.DepthwiseConv2D(3, padding="same", name="dw_conv")(r)
    r = layers.BatchNormalization(name="dw_bn")(r)
    x = layers.add([x, r], name="residual_add")
    x = layers.ReLU(name="out_relu")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    out = layers.Dense(3, activation="softmax", name="probs")(x)
    model = tf_keras.Model(inp, out, name="resnet_block")
    model.compile(optimizer=tf_keras.optimizers.SGD(0.05, momentum=0.9),
                  loss="categorical_crossentropy", metrics=["categorical_accuracy"])
    x = rng.standard_normal((N, 12, 12, 3)).astype("float32")
    y = np.eye(3, dtype="float32")[sparse_labels(rng, 3)]
    return dict(model=model, x=x, y=y, batch_size=16,
                description="ResNet-style block: ZeroPadding2D, Conv2D, BatchNormalization, "
                            "SeparableConv2D, DepthwiseConv2D, add, ReLU; SGD momentum, "
                            "categorical CE")


def unet_small():
    rng = seed(4)
    inp = tf_keras.Input((16, 16, 1), name="image")
    c1 = layers.Conv2D(4, 3, padding="same", activation="relu", name="enc1")(inp)
    p1 = layers.MaxPooling2D(name="pool1")(c1)
    c2 = layers.Conv2D(8, 3, padding="same", activation="relu", name="enc2")(p1)
    p2 = layers.MaxPooling2D(name="pool2")(c2)
    b = layers.Conv2D(16, 3, padding="same", activation="relu", name="bottleneck")(p2)
    u2 = layers.Conv2DTranspose(8, 3, strides=2, padding="valid", name="up2")(b)  # 4 -> 9
    u2 = layers.Cropping2D(((0, 1), (0, 1)), name="crop2")(u2)  # 9 -> 8
    d2 = layers.Conv2D(8, 3, padding="same", activation="relu",
                       name="dec2")(layers.concatenate([u2, c2], name="skip2"))
    u1 = layers.UpSampling2D(2, name="up1")(d2)
    d1 = layers.Conv2D(4, 3, padding="same", activation="relu",
                       name="dec1")(layers.concatenate([u1, c1], name="skip1"))
    out = layers.Conv2D(3, 1, activation="softmax", name="segmentation")(d1)
    model = tf_keras.Model(inp, out, name="unet_small")
    model.compile(optimizer=tf_keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = rng.standard_normal((N, 16, 16, 1)).astype("float32")
    return dict(model=model, x=x, y=sparse_labels(rng, 3, 16, 16), batch_size=16,
                description="Small U-Net: Conv2D, MaxPooling2D, Conv2DTranspose, Cropping2D, "
                            "UpSampling2D, concatenate, per-pixel softmax Conv2D(3, 1)")


def timeseries():
    rng = seed(5)
    inp = tf_keras.Input((24, 3), name="series")
    x = layers.Conv1D(8, 3, padding="causal", dilation_rate=2, activation="relu",
                      name="causal_conv")(inp)
    x = layers.LSTM(8, return_sequences=True, name="lstm")(x)
    x = layers.LayerNormalization(name="layer_norm")(x)
    x = layers.TimeDistributed(layers.Dense(4, activation="tanh"), name="td_dense")(x)
    x = layers.SimpleRNN(6, name="simple_rnn")(x)
    out = layers.Dense(1, name="forecast")(x)
    model = tf_keras.Model(inp, out, name="timeseries")
    model.compile(optimizer=tf_keras.optimizers.Adam(3e-3), loss="mse", metrics=["mae"])
    x = rng.standard_normal((N, 24, 3)).astype("float32")
    y = x[:, -3:, 0].sum(axis=1, keepdims=True).astype("float32")
    return dict(model=model, x=x, y=y, batch_size=8,
                description="Time series: causal dilated Conv1D, LSTM(return_sequences), "
                            "LayerNormalization, TimeDistributed(Dense), SimpleRNN; Adam, mse, mae")


def transformer_block():
    rng = seed(6)
    tokens = tf_keras.Input((10,), dtype="int32", name="tokens")
    x = layers.Embedding(30, 16, name="token_embedding")(tokens)
    attn = layers.MultiHeadAttention(num_heads=2, key_dim=8, dropout=0.1, name="mha")(x, x)
    x = layers.LayerNormalization(epsilon=1e-6, name="ln1")(
        layers.Add(name="res1")([x, layers.Dropout(0.1, name="drop1")(attn)]))
    f = layers.Dense(32, activation="gelu", name="ffn1")(x)
    f = layers.Dense(16, name="ffn2")(f)
    x = layers.LayerNormalization(epsilon=1e-6, name="ln2")(layers.Add(name="res2")([x, f]))
    x = layers.GlobalAveragePooling1D(name="pool")(x)
    out = layers.Dense(2, name="logits")(x)
    model = tf_keras.Model(tokens, out, name="transformer_block")
    model.compile(optimizer=tf_keras.optimizers.AdamW(1e-3, weight_decay=0.01),
                  loss=tf_keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[tf_keras.metrics.SparseCategoricalAccuracy(name="acc")])
    x = rng.integers(0, 30, size=(N, 10)).astype("int32")
    return dict(model=model, x=x, y=sparse_labels(rng, 2), batch_size=16,
                description="Transformer encoder block: Embedding, MultiHeadAttention, Dropout, "
                            "Add, LayerNormalization, gelu Dense; AdamW, sparse CCE from logits")


def normalization_l2_auc():
    rng = seed(7)
    x = (rng.standard_normal((N, 6)) * [1, 2, 5, 10, 0.5, 3] + [0, 1, -2, 5, 0, 10])
    x = x.astype("float32")
    norm = layers.Normalization(name="normalization")
    norm.adapt(x)
    inp = tf_keras.Input((6,), name="features")
    h = norm(inp)
    h = layers.Dense(16, activation="relu", kernel_regularizer=tf_keras.regularizers.l2(1e-3),
                     name="hidden")(h)
    out = layers.Dense(1, activation="sigmoid", name="score")(h)
    model = tf_keras.Model(inp, out, name="normalization_l2_auc")
    model.compile(optimizer=tf_keras.optimizers.Adam(1e-2), loss="binary_crossentropy",
                  metrics=[tf_keras.metrics.AUC(name="auc"), "accuracy"])
    y = (x[:, :1] > 0).astype("float32")
    return dict(model=model, x=x, y=y, batch_size=16,
                description="Adapted Normalization, Dense with l2 kernel_regularizer, sigmoid; "
                            "Adam, binary CE, AUC and accuracy metrics")


def frozen_nested():
    rng = seed(8)
    base_in = tf_keras.Input((16, 16, 3), name="base_input")
    b = layers.Conv2D(8, 3, strides=2, padding="same", name="base_conv")(base_in)
    b = layers.BatchNormalization(name="base_bn")(b)
    b = layers.Activation("relu", name="base_relu")(b)
    b = layers.GlobalAveragePooling2D(name="base_gap")(b)
    base = tf_keras.Model(base_in, b, name="base")
    base.trainable = False
    inp = tf_keras.Input((16, 16, 3), name="image")
    x = layers.Rescaling(1.0 / 255, name="rescale")(inp)
    x = base(x, training=False)
    x = layers.Dropout(0.2, name="head_dropout")(x)
    out = layers.Dense(5, activation="softmax", name="head")(x)
    model = tf_keras.Model(inp, out, name="frozen_nested")
    model.compile(optimizer=tf_keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = rng.integers(0, 256, size=(N, 16, 16, 3)).astype("float32")
    return dict(model=model, x=x, y=sparse_labels(rng, 5), batch_size=16,
                description="Frozen nested functional base model (Conv2D, BatchNormalization) "
                            "under Rescaling, called with training=False; trainable head")


REAL_WORLD = [cnn_bn_dropout, text_two_input, resnet_block, unet_small, timeseries,
              transformer_block, normalization_l2_auc, frozen_nested]


# ------------------------------------------------------------------ writing one fixture
def _as_inputs(model, x):
    return [x[name] for name in model.input_names] if isinstance(x, dict) else x


def _flat_y(model, y):
    return [y[name] for name in model.output_names] if isinstance(y, dict) else y


def _fit(model, spec, fit_kwargs):
    seed(99)
    model.fit(_as_inputs(model, spec["x"]), _flat_y(model, spec["y"]), verbose=0, **fit_kwargs)


def _reload(fmt, path, spec):
    custom = CUSTOM_OBJECTS if spec.get("custom_objects") else None
    if fmt == "keras":
        return tf_keras.models.load_model(path, custom_objects=custom,
                                          safe_mode=spec.get("safe_mode", True))
    return tf_keras.models.load_model(path, custom_objects=custom)


def write_fixture(out_dir, name, spec):
    target = os.path.join(out_dir, name)
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    model = spec["model"]
    batch_size = spec["batch_size"]
    fit_kwargs = {"epochs": 1, "batch_size": batch_size, "shuffle": False}
    _fit(model, spec, fit_kwargs)

    skipped = {}
    savers = {
        "h5": lambda: model.save(os.path.join(target, "model.h5")),
        "keras": lambda: model.save(os.path.join(target, "model.keras")),
        "weights_h5": lambda: model.save_weights(os.path.join(target, "weights.h5")),
        "savedmodel": lambda: model.save(os.path.join(target, "savedmodel"), save_format="tf",
                                         **spec.get("savedmodel_kwargs", {})),
        "ckpt": lambda: model.save_weights(os.path.join(target, "ckpt")),
    }
    for fmt in FORMATS:
        if fmt in spec.get("skip", {}):
            skipped[fmt] = spec["skip"][fmt]
            continue
        try:
            savers[fmt]()
        except Exception as e:  # recorded, not fatal: some models cannot be written in a format
            skipped[fmt] = f"tf.keras 2.21 cannot write it: {type(e).__name__}: {e}"[:500]
    for fmt in ("savedmodel",):  # a SavedModel keeps assets/ and fingerprint.pb; keep them small
        assets = os.path.join(target, "savedmodel", "assets")
        if os.path.isdir(assets) and not os.listdir(assets):
            os.rmdir(assets)

    data = {}
    x, y = spec["x"], spec["y"]
    if isinstance(x, dict):
        data.update({f"x_{k}": v for k, v in x.items()})
    else:
        data["x"] = x
    if isinstance(y, dict):
        data.update({f"y_{k}": v for k, v in y.items()})
    else:
        data["y"] = y
    pred = model.predict(_as_inputs(model, x), batch_size=batch_size, verbose=0)
    if isinstance(pred, list):
        data.update({f"pred_{i}": p for i, p in enumerate(pred)})
    else:
        data["pred"] = pred

    for fmt, path, prefix in (("h5", "model.h5", "resumed"), ("keras", "model.keras",
                                                             "resumed_keras"),
                              ("savedmodel", "savedmodel", "resumed_savedmodel")):
        if fmt in skipped:
            continue
        try:
            loaded = _reload(fmt, os.path.join(target, path), spec)
            _fit(loaded, spec, fit_kwargs)
        except Exception as e:
            skipped[f"resume_{fmt}"] = (f"tf.keras 2.21 cannot resume from it: "
                                        f"{type(e).__name__}: {e}")[:500]
            continue
        data.update({f"{prefix}_{k}": w for k, w in enumerate(loaded.get_weights())})
    if spec.get("postprocess"):
        spec["postprocess"](target, spec, data, skipped)
    np.savez_compressed(os.path.join(target, "data.npz"), **data)

    optimizer = model.optimizer
    meta = {
        "inputs": list(model.input_names),
        "outputs": list(model.output_names),
        "batch_size": batch_size,
        "fit_kwargs": fit_kwargs,
        "optimizer": spec.get("optimizer", type(optimizer).__name__),
        "optimizer_module": type(optimizer).__module__,
        "description": spec["description"],
        "custom_objects": spec.get("custom_objects", []),
        "safe_mode": spec.get("safe_mode", True),
        "skipped_formats": skipped,
        "savedmodel_kwargs": spec.get("savedmodel_kwargs", {}),
        "num_weights": len(model.get_weights()),
        "tf_version": tf.__version__,
        "tf_keras_version": tf_keras.__version__,
    }
    files = ["data.npz", "meta.json"]
    for fmt in FORMATS:
        if fmt not in skipped:
            files += FORMAT_FILES[fmt]
    missing = [f for f in files[2:] if not os.path.exists(os.path.join(target, f))]
    if missing:
        raise RuntimeError(f"{name}: tf.keras did not write {missing}")
    meta["files"] = sorted(files)
    with open(os.path.join(target, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(target) for f in fs)
    print(f"{name}: {size / 1024:.0f} KB, skipped {sorted(skipped)}", flush=True)


BUILDERS = {f.__name__: f for f in REAL_WORLD}


def main(argv):
    out_dir = argv[1]
    names = argv[2:] or list(BUILDERS)
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        if name == "zoo":
            write_zoo(out_dir)
            continue
        tf_keras.backend.clear_session()
        write_fixture(out_dir, name, BUILDERS[name]())


def write_zoo(out_dir):  # filled in below once the real-world models are committed
    raise NotImplementedError


if __name__ == "__main__":
    main(sys.argv)
