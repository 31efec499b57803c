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
epoch on (x, y) with meta.json's fit_kwargs (shuffle=False). A model with dropout also gets
resumed_no_dropout.npz: the same keys for the same resumes with every dropout rate set to 0 on
the loaded model first (`zero_dropout`; meta.json's "dropout_layers" names the layers), since
random masks cannot match another framework's. A format tf.keras cannot write or
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


def dropout_layers(model):
    """The layers of `model` (nested models included) with a nonzero dropout rate, as
    (path, layer): the Dropout family (SpatialDropout* subclass it) and MultiHeadAttention (its
    dropout on the attention probabilities). Any other layer with a dropout rate is refused."""
    found = []
    for layer in model.layers:
        if isinstance(layer, tf_keras.Model):
            found += [(f"{layer.name}/{p}", inner) for p, inner in dropout_layers(layer)]
        elif isinstance(layer, layers.Dropout):
            if layer.rate:
                found.append((layer.name, layer))
        elif isinstance(layer, layers.MultiHeadAttention):
            if layer._dropout:
                found.append((layer.name, layer))
        elif any(isinstance(getattr(layer, a, 0), float) and getattr(layer, a)
                 for a in ("dropout", "recurrent_dropout")):  # (recurrent layers' rates)
            raise ValueError(f"dropout_layers: {layer.name} ({type(layer).__name__}) has a "
                             "dropout rate that zero_dropout cannot zero")
    return found


def zero_dropout(model):
    """Sets every dropout rate in `model` to 0 (random masks cannot match another framework's
    RNG; with the rates at 0 a resumed epoch is deterministic); the paths it changed."""
    found = dropout_layers(model)
    for _, layer in found:
        if isinstance(layer, layers.MultiHeadAttention):
            layer._dropout = 0.0
            layer._dropout_layer.rate = 0.0
        else:
            layer.rate = 0.0
    return [p for p, _ in found]


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

    dropout_names, no_dropout = [p for p, _ in dropout_layers(model)], {}
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
        if dropout_names:  # the same resume with every dropout rate at 0: deterministic
            loaded = _reload(fmt, os.path.join(target, path), spec)
            if zero_dropout(loaded) != dropout_names:
                raise RuntimeError(f"{name}: {fmt} reloads other dropout layers than the model")
            _fit(loaded, spec, fit_kwargs)
            no_dropout.update({f"{prefix}_{k}": w for k, w in enumerate(loaded.get_weights())})
    if spec.get("postprocess"):
        spec["postprocess"](target, spec, data, skipped)
    np.savez_compressed(os.path.join(target, "data.npz"), **data)
    if no_dropout:
        np.savez_compressed(os.path.join(target, "resumed_no_dropout.npz"), **no_dropout)

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
        "dropout_layers": dropout_names,
        "tf_version": tf.__version__,
        "tf_keras_version": tf_keras.__version__,
    }
    files = ["data.npz", "meta.json"] + (["resumed_no_dropout.npz"] if no_dropout else [])
    for fmt in FORMATS:
        if fmt not in skipped:
            files += FORMAT_FILES[fmt]
    missing = [f for f in files
               if f != "meta.json" and not os.path.exists(os.path.join(target, f))]
    if missing:
        raise RuntimeError(f"{name}: tf.keras did not write {missing}")
    meta["files"] = sorted(files)
    with open(os.path.join(target, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(target) for f in fs)
    print(f"{name}: {size / 1024:.0f} KB, skipped {sorted(skipped)}", flush=True)


# ------------------------------------------------------------------ graph features
def functional_shared():
    rng = seed(9)
    a = tf_keras.Input((8,), name="left")
    b = tf_keras.Input((8,), name="right")
    shared = layers.Dense(8, activation="relu", name="shared")  # nodes 0 and 1
    twice = layers.Dense(8, activation="tanh", name="twice")  # applied twice in a chain
    ha, hb = shared(a), shared(b)
    h = layers.concatenate([twice(twice(ha)), hb, layers.subtract([ha, hb])], name="concat")
    out = layers.Dense(1, name="out")(h)
    model = tf_keras.Model([a, b], out, name="functional_shared")
    model.compile(optimizer=tf_keras.optimizers.Nadam(2e-3), loss="mse",
                  metrics=[tf_keras.metrics.RootMeanSquaredError(name="rmse")])
    x = {"left": rng.standard_normal((N, 8)).astype("float32"),
         "right": rng.standard_normal((N, 8)).astype("float32")}
    y = (x["left"][:, :1] - x["right"][:, 1:2]).astype("float32")
    return dict(model=model, x=x, y=y, batch_size=16,
                description="Shared layers: one Dense called on two inputs (node indices 0, 1), "
                            "one applied twice in a chain; subtract, concatenate; Nadam, mse")


def multi_output_loss_weights():
    rng = seed(10)
    inp = tf_keras.Input((10,), name="features")
    h = layers.Dense(16, activation="relu", name="trunk")(inp)
    cls = layers.Dense(3, activation="softmax", name="class_out")(h)
    reg = layers.Dense(2, name="reg_out")(layers.Dense(8, activation="elu", name="reg_hidden")(h))
    model = tf_keras.Model(inp, [cls, reg], name="multi_output_loss_weights")
    model.compile(optimizer=tf_keras.optimizers.Adam(5e-3),
                  loss={"class_out": "sparse_categorical_crossentropy", "reg_out": "mse"},
                  loss_weights={"class_out": 1.0, "reg_out": 0.5},
                  metrics={"class_out": ["accuracy"], "reg_out": ["mae"]})
    x = rng.standard_normal((N, 10)).astype("float32")
    y = {"class_out": sparse_labels(rng, 3), "reg_out": x[:, :2] * 2.0}
    return dict(model=model, x=x, y=y, batch_size=16,
                description="Two outputs with a loss each, loss_weights {class_out: 1, reg_out: "
                            "0.5} and per-output metrics; Adam")


def tfoplambda():
    rng = seed(11)
    inp = tf_keras.Input((8,), name="features")
    h = layers.Dense(8, name="dense")(inp)
    h = h * 2.0  # tf.math.multiply -> TFOpLambda
    h = tf.concat([h, inp], axis=-1)  # tf.concat -> TFOpLambda
    h = tf.nn.relu(h)  # tf.nn.relu -> TFOpLambda
    h = h + 1.0  # tf.__operators__.add
    out = layers.Dense(3, activation="softmax", name="probs")(h)
    model = tf_keras.Model(inp, out, name="tfoplambda")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = rng.standard_normal((N, 8)).astype("float32")
    return dict(model=model, x=x, y=sparse_labels(rng, 3), batch_size=16,
                description="TF ops on Keras tensors (x * 2, tf.concat, tf.nn.relu, + 1): "
                            "TFOpLambda and tf.__operators__ layers")


def lambda_layer():
    rng = seed(12)
    inp = tf_keras.Input((6,), name="features")
    h = layers.Dense(6, name="dense")(inp)
    h = layers.Lambda(lambda t: t * 0.5 + tf.square(t) * 0.1, name="poly")(h)
    out = layers.Dense(1, name="out")(h)
    model = tf_keras.Model(inp, out, name="lambda_layer")
    model.compile(optimizer=tf_keras.optimizers.SGD(0.01), loss="mae")
    x = rng.standard_normal((N, 6)).astype("float32")
    return dict(model=model, x=x, y=x[:, :1] ** 2, batch_size=16, safe_mode=False,
                description="A Lambda layer with a Python lambda (marshalled bytecode): loads "
                            "only with safe_mode=False in the .keras format; SGD, mae")


def custom_layer():
    rng = seed(13)
    inp = tf_keras.Input((5,), name="features")
    h = ScaledDense(7, activation="relu", init_scale=0.5, name="scaled")(inp)
    out = layers.Dense(2, activation="softmax", name="probs")(h)
    model = tf_keras.Model(inp, out, name="custom_layer")
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x = rng.standard_normal((N, 5)).astype("float32")
    return dict(model=model, x=x, y=sparse_labels(rng, 2), batch_size=16,
                custom_objects=["kerastorch_tests>ScaledDense"],
                description="A registered custom layer (kerastorch_tests>ScaledDense, twin in "
                            "tests/keras2/custom_layers.py); needs custom_objects to load")


OPTIMIZERS = {
    "adam": lambda: tf_keras.optimizers.Adam(1e-2, beta_1=0.85, amsgrad=False),
    "legacy_adam_decay": lambda: tf_keras.optimizers.legacy.Adam(1e-2, decay=0.05),
    "sgd_nesterov": lambda: tf_keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
    "rmsprop": lambda: tf_keras.optimizers.RMSprop(1e-2, rho=0.8, momentum=0.1),
    "adagrad": lambda: tf_keras.optimizers.Adagrad(0.1, initial_accumulator_value=0.2),
    "legacy_sgd_momentum": lambda: tf_keras.optimizers.legacy.SGD(0.05, momentum=0.9),
}


def _mlp(label, optimizer, names=("dense", "dense_1")):
    rng = seed(14)  # the same model and data for every optimizer
    model = tf_keras.Sequential([
        tf_keras.Input((4,), name="features"),
        layers.Dense(8, activation="relu", name=names[0]),
        layers.Dense(3, activation="softmax", name=names[1]),
    ], name=f"mlp_{label}")
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x = rng.standard_normal((N, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0.5).astype("int32")
    return model, x, y


def _optimizer_builder(label):
    def build():
        model, x, y = _mlp(label, OPTIMIZERS[label]())
        return dict(model=model, x=x, y=y, batch_size=16, optimizer=label,
                    description=f"The same MLP trained with {label}")
    build.__name__ = f"optimizers_{label}"
    return build


# ------------------------------------------------------------------ TF 1.x / Keras 2.1 layout
def _strip_keras3_keys(obj):
    if isinstance(obj, dict):
        return {k: _strip_keras3_keys(v) for k, v in obj.items()
                if k not in ("module", "registered_name", "build_config", "compile_config")}
    if isinstance(obj, list):
        return [_strip_keras3_keys(v) for v in obj]
    return obj


def _rewrite_tf1(target, spec, data, skipped):
    """Rewrites model.h5 into the layout Keras 2.1.6 (TF 1.x) wrote."""
    path = os.path.join(target, "model.h5")
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        layer_configs = []
        for layer in config["config"]["layers"]:
            if layer["class_name"] == "InputLayer":
                continue
            layer = _strip_keras3_keys(layer)
            layer_configs.append(layer)
        layer_configs[0]["config"]["batch_input_shape"] = [None, 4]
        layer_configs[0]["config"]["dtype"] = "float32"
        for layer in layer_configs:
            c = layer["config"]
            if "kernel_initializer" in c:  # glorot_uniform as Keras 2.1 wrote it
                c["kernel_initializer"] = {"class_name": "VarianceScaling", "config": {
                    "scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}}
                c["bias_initializer"] = {"class_name": "Zeros", "config": {}}
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": layer_configs})
        f.attrs["keras_version"] = b"2.1.6"
        f.attrs["backend"] = b"tensorflow"
        training = json.loads(f.attrs["training_config"])
        opt = training["optimizer_config"]["config"]
        f.attrs["training_config"] = json.dumps({
            "optimizer_config": {"class_name": "Adam", "config": {
                "lr": opt["learning_rate"], "beta_1": opt["beta_1"], "beta_2": opt["beta_2"],
                "decay": opt["decay"], "epsilon": opt["epsilon"], "amsgrad": False}},
            "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"],
            "sample_weight_mode": None, "loss_weights": None})
        # Keras 2.1's Adam weights: iterations, then one m per parameter, then one v.
        group = f["optimizer_weights"]
        old = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
        values = [group[n][()] for n in old]
        for key in list(group.keys()):
            del group[key]
        names = ["Adam/iterations:0"] + [
            f"training/Adam/Variable{'' if i == 0 else f'_{i}'}:0" for i in range(len(old) - 1)]
        for n, v in zip(names, values, strict=True):
            group.create_dataset(n, data=v)
        group.attrs["weight_names"] = [n.encode() for n in names]
    for k in [k for k in data if k.startswith("resumed_") and k[8:].isdigit()]:
        del data[k]
    loaded = tf_keras.models.load_model(path)
    _fit(loaded, spec, {"epochs": 1, "batch_size": spec["batch_size"], "shuffle": False})
    data.update({f"resumed_{k}": w for k, w in enumerate(loaded.get_weights())})


def legacy_tf1():
    model, x, y = _mlp("legacy_tf1", tf_keras.optimizers.legacy.Adam(1e-2),
                       names=("dense_1", "dense_2"))
    return dict(model=model, x=x, y=y, batch_size=16, optimizer="legacy_adam",
                postprocess=_rewrite_tf1,
                description="model.h5 rewritten into the TF 1.x / Keras 2.1.6 layout: Sequential "
                            "config as a bare list of layers (batch_input_shape on the first, no "
                            "InputLayer), no module/registered_name keys, VarianceScaling "
                            "initialisers, training_config with lr/decay, optimizer weights "
                            "named training/Adam/Variable_<i>:0; resumed_* from that file")


BUILDERS = {f.__name__: f for f in REAL_WORLD + [functional_shared, multi_output_loss_weights,
                                                 tfoplambda, lambda_layer, custom_layer]}
BUILDERS.update({f"optimizers_{label}": _optimizer_builder(label) for label in OPTIMIZERS})
BUILDERS["legacy_tf1"] = legacy_tf1


# ------------------------------------------------------------------ the layer zoo
def _float(*shape):
    return ("float32", shape)


def _int(high, *shape):
    return ("int32", shape, high)


L = layers
# class name -> (layer factory, input specs, call style). Non-default arguments throughout.
ZOO = {
    "Activation": (lambda: L.Activation("softmax"), [_float(5, 6)], "single"),
    "ActivityRegularization": (lambda: L.ActivityRegularization(l1=0.01, l2=0.02),
                               [_float(6)], "single"),
    "Add": (lambda: L.Add(), [_float(4, 5), _float(4, 5)], "list"),
    "Subtract": (lambda: L.Subtract(), [_float(4, 5), _float(4, 5)], "list"),
    "Multiply": (lambda: L.Multiply(), [_float(4, 5), _float(4, 5)], "list"),
    "Average": (lambda: L.Average(), [_float(4, 5), _float(4, 5), _float(4, 5)], "list"),
    "Maximum": (lambda: L.Maximum(), [_float(4, 5), _float(4, 5)], "list"),
    "Minimum": (lambda: L.Minimum(), [_float(4, 5), _float(4, 5)], "list"),
    "Concatenate": (lambda: L.Concatenate(axis=1), [_float(3, 4), _float(2, 4)], "list"),
    "Dot": (lambda: L.Dot(axes=2, normalize=True), [_float(3, 4), _float(5, 4)], "list"),
    "AdditiveAttention": (lambda: L.AdditiveAttention(use_scale=False),
                          [_float(3, 4), _float(5, 4)], "list"),
    "Attention": (lambda: L.Attention(use_scale=True, score_mode="concat"),
                  [_float(3, 4), _float(5, 4)], "list"),
    "MultiHeadAttention": (lambda: L.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4,
                                                        use_bias=False),
                           [_float(3, 5), _float(4, 5)], "args"),
    "AlphaDropout": (lambda: L.AlphaDropout(0.3), [_float(6)], "single"),
    "Dropout": (lambda: L.Dropout(0.4, noise_shape=(None, 1, 5)), [_float(3, 5)], "single"),
    "GaussianDropout": (lambda: L.GaussianDropout(0.2), [_float(6)], "single"),
    "GaussianNoise": (lambda: L.GaussianNoise(0.5), [_float(6)], "single"),
    "SpatialDropout1D": (lambda: L.SpatialDropout1D(0.3), [_float(5, 3)], "single"),
    "SpatialDropout2D": (lambda: L.SpatialDropout2D(0.3), [_float(4, 4, 3)], "single"),
    "SpatialDropout3D": (lambda: L.SpatialDropout3D(0.3), [_float(3, 3, 3, 2)], "single"),
    "AveragePooling1D": (lambda: L.AveragePooling1D(3, strides=2, padding="same"),
                         [_float(8, 3)], "single"),
    "AveragePooling2D": (lambda: L.AveragePooling2D((2, 3), strides=(1, 2), padding="same"),
                         [_float(5, 7, 2)], "single"),
    "AveragePooling3D": (lambda: L.AveragePooling3D(2, strides=(1, 2, 2)),
                         [_float(4, 4, 4, 2)], "single"),
    "MaxPooling1D": (lambda: L.MaxPooling1D(3, strides=2, padding="same"),
                     [_float(8, 3)], "single"),
    "MaxPooling2D": (lambda: L.MaxPooling2D((3, 2), strides=(2, 1), padding="same"),
                     [_float(7, 5, 2)], "single"),
    "MaxPooling3D": (lambda: L.MaxPooling3D(2, strides=1), [_float(4, 4, 4, 2)], "single"),
    "GlobalAveragePooling1D": (lambda: L.GlobalAveragePooling1D(keepdims=True),
                               [_float(5, 3)], "single"),
    "GlobalAveragePooling2D": (lambda: L.GlobalAveragePooling2D(keepdims=True),
                               [_float(4, 4, 3)], "single"),
    "GlobalAveragePooling3D": (lambda: L.GlobalAveragePooling3D(data_format="channels_first"),
                               [_float(2, 3, 3, 3)], "single"),
    "GlobalMaxPooling1D": (lambda: L.GlobalMaxPooling1D(data_format="channels_first"),
                           [_float(5, 3)], "single"),
    "GlobalMaxPooling2D": (lambda: L.GlobalMaxPooling2D(keepdims=True), [_float(4, 4, 3)],
                           "single"),
    "GlobalMaxPooling3D": (lambda: L.GlobalMaxPooling3D(), [_float(3, 3, 3, 2)], "single"),
    "BatchNormalization": (lambda: L.BatchNormalization(axis=1, momentum=0.9, epsilon=1e-2,
                                                        center=False),
                           [_float(4, 5, 3)], "single"),
    "LayerNormalization": (lambda: L.LayerNormalization(axis=[1, 2], epsilon=1e-4),
                           [_float(3, 4)], "single"),
    "GroupNormalization": (lambda: L.GroupNormalization(groups=2, epsilon=1e-4),
                           [_float(5, 4)], "single"),
    "UnitNormalization": (lambda: L.UnitNormalization(axis=1), [_float(3, 4)], "single"),
    "Normalization": (lambda: L.Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0]),
                      [_float(3)], "single"),
    "Bidirectional": (lambda: L.Bidirectional(L.GRU(4, return_sequences=True),
                                              merge_mode="ave"), [_float(6, 3)], "single"),
    "TimeDistributed": (lambda: L.TimeDistributed(L.Conv2D(2, 2)), [_float(3, 5, 5, 2)],
                        "single"),
    "GRU": (lambda: L.GRU(5, return_sequences=True, go_backwards=True, reset_after=False),
            [_float(6, 3)], "single"),
    "LSTM": (lambda: L.LSTM(4, return_sequences=True, unit_forget_bias=False,
                            recurrent_activation="hard_sigmoid"), [_float(6, 3)], "single"),
    "SimpleRNN": (lambda: L.SimpleRNN(3, activation="relu", return_sequences=True),
                  [_float(6, 3)], "single"),
    "RNN": (lambda: L.RNN(L.SimpleRNNCell(3), go_backwards=True), [_float(6, 3)], "single"),
    "LSTMCell": (lambda: L.RNN(L.LSTMCell(3), return_sequences=True), [_float(6, 3)], "single"),
    "GRUCell": (lambda: L.RNN(L.GRUCell(3, reset_after=True)), [_float(6, 3)], "single"),
    "SimpleRNNCell": (lambda: L.RNN(L.SimpleRNNCell(4, activation="sigmoid")), [_float(6, 3)],
                      "single"),
    "StackedRNNCells": (lambda: L.RNN(L.StackedRNNCells([L.GRUCell(3), L.SimpleRNNCell(2)])),
                        [_float(6, 3)], "single"),
    "CategoryEncoding": (lambda: L.CategoryEncoding(num_tokens=6, output_mode="count"),
                         [_int(6, 4)], "single"),
    "Hashing": (lambda: L.Hashing(num_bins=5, salt=7), [_int(100, 4)], "single"),
    "IntegerLookup": (lambda: L.IntegerLookup(vocabulary=[3, 5, 7], num_oov_indices=2),
                      [_int(9, 4)], "single"),
    "Discretization": (lambda: L.Discretization(bin_boundaries=[-0.5, 0.0, 0.5]),
                       [_float(5)], "single"),
    "CenterCrop": (lambda: L.CenterCrop(4, 3), [_float(6, 5, 2)], "single"),
    "Rescaling": (lambda: L.Rescaling(1 / 127.5, offset=-1.0), [_float(4, 4, 3)], "single"),
    "Resizing": (lambda: L.Resizing(4, 5, interpolation="nearest"), [_float(6, 7, 2)], "single"),
    "RandomBrightness": (lambda: L.RandomBrightness(0.2), [_float(6, 6, 3)], "single"),
    "RandomContrast": (lambda: L.RandomContrast(0.3), [_float(6, 6, 3)], "single"),
    "RandomCrop": (lambda: L.RandomCrop(4, 4), [_float(6, 6, 3)], "single"),
    "RandomFlip": (lambda: L.RandomFlip("horizontal"), [_float(6, 6, 3)], "single"),
    "RandomRotation": (lambda: L.RandomRotation(0.2), [_float(6, 6, 3)], "single"),
    "RandomTranslation": (lambda: L.RandomTranslation(0.1, 0.2), [_float(6, 6, 3)], "single"),
    "RandomZoom": (lambda: L.RandomZoom(0.2), [_float(6, 6, 3)], "single"),
    "Conv1D": (lambda: L.Conv1D(4, 3, strides=2, padding="same", activation="softmax"),
               [_float(9, 3)], "single"),
    "Conv2D": (lambda: L.Conv2D(4, (3, 2), strides=(2, 1), padding="same", activation="softmax"),
               [_float(7, 6, 3)], "single"),
    "Conv3D": (lambda: L.Conv3D(2, 2, padding="same", activation="relu",
                                bias_initializer="ones"), [_float(4, 4, 4, 2)], "single"),
    "Conv1DTranspose": (lambda: L.Conv1DTranspose(3, 3, strides=2, padding="same"),
                        [_float(5, 2)], "single"),
    "Conv2DTranspose": (lambda: L.Conv2DTranspose(3, (3, 2), strides=2, activation="softmax"),
                        [_float(4, 4, 2)], "single"),
    "Conv3DTranspose": (lambda: L.Conv3DTranspose(2, 2, strides=2), [_float(3, 3, 3, 2)],
                        "single"),
    "DepthwiseConv1D": (lambda: L.DepthwiseConv1D(3, depth_multiplier=2, padding="same"),
                        [_float(7, 3)], "single"),
    "DepthwiseConv2D": (lambda: L.DepthwiseConv2D(3, strides=2, depth_multiplier=2,
                                                  activation="relu"), [_float(7, 7, 3)], "single"),
    "SeparableConv1D": (lambda: L.SeparableConv1D(4, 3, depth_multiplier=2, padding="same"),
                        [_float(7, 3)], "single"),
    "SeparableConv2D": (lambda: L.SeparableConv2D(3, 3, strides=2, depth_multiplier=2,
                                                  activation="softmax"), [_float(7, 7, 3)],
                        "single"),
    "Cropping1D": (lambda: L.Cropping1D((1, 2)), [_float(6, 3)], "single"),
    "Cropping2D": (lambda: L.Cropping2D(((1, 0), (2, 1))), [_float(6, 6, 2)], "single"),
    "Cropping3D": (lambda: L.Cropping3D(((1, 0), (0, 1), (1, 1))), [_float(4, 4, 4, 2)],
                   "single"),
    "ZeroPadding1D": (lambda: L.ZeroPadding1D((1, 2)), [_float(4, 3)], "single"),
    "ZeroPadding2D": (lambda: L.ZeroPadding2D(((1, 0), (2, 1))), [_float(3, 3, 2)], "single"),
    "ZeroPadding3D": (lambda: L.ZeroPadding3D(1), [_float(2, 2, 2, 2)], "single"),
    "UpSampling1D": (lambda: L.UpSampling1D(3), [_float(4, 2)], "single"),
    "UpSampling2D": (lambda: L.UpSampling2D((2, 3), interpolation="bilinear"),
                     [_float(3, 3, 2)], "single"),
    "UpSampling3D": (lambda: L.UpSampling3D(2), [_float(2, 2, 2, 2)], "single"),
    "Dense": (lambda: L.Dense(5, activation="tanh", use_bias=False,
                              kernel_regularizer=tf_keras.regularizers.l1(0.01)),
              [_float(3, 6)], "single"),
    "EinsumDense": (lambda: L.EinsumDense("abc,cd->abd", output_shape=(None, 5), bias_axes="d"),
                    [_float(3, 4)], "single"),
    "Embedding": (lambda: L.Embedding(10, 3, embeddings_initializer="uniform"), [_int(10, 5)],
                  "single"),
    "Flatten": (lambda: L.Flatten(), [_float(3, 4, 2)], "single"),
    "Identity": (lambda: L.Identity(), [_float(4)], "single"),
    "Masking": (lambda: L.Masking(mask_value=0.5), [_float(4, 3)], "single"),
    "Permute": (lambda: L.Permute((2, 1)), [_float(3, 4)], "single"),
    "RepeatVector": (lambda: L.RepeatVector(3), [_float(4)], "single"),
    "Reshape": (lambda: L.Reshape((2, -1)), [_float(3, 4)], "single"),
    "ELU": (lambda: L.ELU(alpha=0.5), [_float(6)], "single"),
    "LeakyReLU": (lambda: L.LeakyReLU(alpha=0.2), [_float(6)], "single"),
    "PReLU": (lambda: L.PReLU(shared_axes=[1]), [_float(3, 4)], "single"),
    "ReLU": (lambda: L.ReLU(max_value=2.0, negative_slope=0.1, threshold=0.2), [_float(6)],
             "single"),
    "Softmax": (lambda: L.Softmax(axis=1), [_float(3, 4)], "single"),
    "StringLookup": (lambda: L.StringLookup(vocabulary=["a", "b", "c"], num_oov_indices=1),
                     [("string", (4,), ["a", "b", "c", "d"])], "single"),
    "TextVectorization": (lambda: L.TextVectorization(
        vocabulary=["the", "cat", "sat"], output_sequence_length=5),
        [("string", (), ["the cat", "a cat sat", "the dog sat on the mat", ""])], "single"),
}
_NO_RANDOM_WEIGHTS = {"Normalization", "IntegerLookup", "StringLookup", "TextVectorization",
                      "Hashing", "Discretization", "CategoryEncoding"}
ZOO_BATCH = 4


def _zoo_input(rng, spec):
    kind, shape = spec[0], spec[1]
    if kind == "float32":
        return rng.standard_normal((ZOO_BATCH, *shape)).astype("float32")
    if kind == "int32":
        return rng.integers(0, spec[2], size=(ZOO_BATCH, *shape)).astype("int32")
    words = np.array(spec[2])
    if not shape:
        return words[:ZOO_BATCH]
    return words[rng.integers(0, len(words), size=(ZOO_BATCH, *shape))]


def write_zoo(out_dir, names=None):
    """zoo/<Class>.h5 (one functional model around one layer, uncompiled), data.npz, meta.json.

    x_<Class> is the input (x_<Class>_<k> for the k-th of several inputs), pred_<Class> the
    model's output in inference mode. `names` regenerates only those classes.
    """
    target = os.path.join(out_dir, "zoo")
    if names is None:
        shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target, exist_ok=True)
    data, written, skipped = {}, [], {}
    meta_path = os.path.join(target, "meta.json")
    if names is not None and os.path.exists(meta_path):  # regenerating a few: keep the rest
        with open(meta_path) as f:
            old = json.load(f)
        written, skipped = old["layers"], old["skipped"]
        with np.load(os.path.join(target, "data.npz")) as old_data:
            data = {k: old_data[k] for k in old_data.files}
    for i, (class_name, (factory, input_specs, call)) in enumerate(sorted(ZOO.items())):
        if names is not None and class_name not in names:
            continue
        tf_keras.backend.clear_session()
        rng = seed(500 + i)
        try:
            inputs = [tf_keras.Input(spec[1], dtype=spec[0], name=f"input_{k}")
                      for k, spec in enumerate(input_specs)]
            layer = factory()
            if call == "single":
                out = layer(inputs[0])
            elif call == "list":
                out = layer(inputs)
            else:
                out = layer(*inputs)
            model = tf_keras.Model(inputs, out, name=f"zoo_{class_name.lower()}")
            if class_name not in _NO_RANDOM_WEIGHTS:
                weights = []
                for w in layer.weights:
                    shape = tuple(w.shape)
                    if "variance" in w.name:
                        weights.append(rng.uniform(0.5, 1.5, shape).astype("float32"))
                    else:
                        weights.append((rng.standard_normal(shape) * 0.5).astype("float32"))
                layer.set_weights(weights)
            xs = [_zoo_input(rng, spec) for spec in input_specs]
            if class_name == "Masking":
                xs[0][:, 1, :] = 0.5
            pred = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
            model.save(os.path.join(target, f"{class_name}.h5"))
        except Exception as e:  # recorded in meta.json, not fatal
            skipped[class_name] = f"{type(e).__name__}: {e}"[:300]
            print(f"zoo {class_name}: skipped ({skipped[class_name]})", flush=True)
            continue
        skipped.pop(class_name, None)
        if class_name not in written:
            written.append(class_name)
        if len(xs) == 1:
            data[f"x_{class_name}"] = xs[0]
        else:
            data[f"x_{class_name}"] = xs[0]
            data.update({f"x_{class_name}_{k}": x for k, x in enumerate(xs)})
        data[f"pred_{class_name}"] = pred
    np.savez_compressed(os.path.join(target, "data.npz"), **data)
    meta = {"layers": sorted(written), "skipped": skipped, "batch": ZOO_BATCH,
            "num_inputs": {c: len(ZOO[c][1]) for c in sorted(written)},
            "description": "one tiny functional model per tf.keras layer class, non-default "
                           "arguments, random weights; x_<Class> (and x_<Class>_<k> for several "
                           "inputs; x_<Class> is then the first), pred_<Class>: inference mode",
            "tf_version": tf.__version__, "tf_keras_version": tf_keras.__version__}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    size = sum(os.path.getsize(os.path.join(target, f)) for f in os.listdir(target))
    print(f"zoo: {len(written)} layers, {size / 1024:.0f} KB, skipped {sorted(skipped)}")


def main(argv):
    """argv[2:]: fixture names (default: all), "zoo" for the whole zoo, "zoo/<Class>" for one."""
    out_dir = argv[1]
    names = argv[2:] or list(BUILDERS) + ["zoo"]
    os.makedirs(out_dir, exist_ok=True)
    zoo_names = [n[4:] for n in names if n.startswith("zoo/")]
    if "zoo" in names:
        write_zoo(out_dir)
    elif zoo_names:
        write_zoo(out_dir, zoo_names)
    for name in names:
        if name == "zoo" or name.startswith("zoo/"):
            continue
        tf_keras.backend.clear_session()
        write_fixture(out_dir, name, BUILDERS[name]())


if __name__ == "__main__":
    main(sys.argv)
