"""Saves one small model.h5 per loss spec as tf.keras 2.21 compiles it (run under TensorFlow).

    python tf_loss_configs.py OUT_DIR

Loss specs cover the shapes a Keras 2 `training_config` holds: class configs (with `fn`,
`reduction: "auto"` or another reduction, non-default arguments), plain function names and
aliases, function objects, and per-output dicts and lists with loss weights. For each case
OUT_DIR/<case>.h5 is written and stdout gets one JSON line `{case: evaluate() loss}` on the data
of OUT_DIR/data.npz (x; y_<kind> for kind in sparse, onehot, binary, positive), one batch.

Imports only tensorflow, tf_keras, numpy and json.
"""

import json
import os
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tf_keras  # noqa: E402

L = tf_keras.losses
# case: (loss spec, output activations, target kinds, loss_weights); two outputs where two
# activations are given.
CASES = {
    "scce_logits_class": (L.SparseCategoricalCrossentropy(from_logits=True), ["linear"],
                          ["sparse"], None),
    "scce_class": (L.SparseCategoricalCrossentropy(), ["softmax"], ["sparse"], None),
    "scce_sum": (L.SparseCategoricalCrossentropy(reduction="sum"), ["softmax"], ["sparse"],
                 None),
    "cce_class": (L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1), ["linear"],
                  ["onehot"], None),
    "bce_class": (L.BinaryCrossentropy(label_smoothing=0.2), ["sigmoid"], ["binary"], None),
    "bce_logits_class": (L.BinaryCrossentropy(from_logits=True), ["linear"], ["binary"], None),
    "binary_focal_class": (L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3,
                                                     gamma=1.5), ["sigmoid"], ["binary"], None),
    "categorical_focal_class": (L.CategoricalFocalCrossentropy(alpha=0.5, gamma=3.0),
                                ["softmax"], ["onehot"], None),
    "mse_class": (L.MeanSquaredError(), ["linear"], ["positive"], None),
    "mae_class": (L.MeanAbsoluteError(reduction="sum_over_batch_size"), ["linear"],
                  ["positive"], None),
    "mape_class": (L.MeanAbsolutePercentageError(), ["linear"], ["positive"], None),
    "msle_class": (L.MeanSquaredLogarithmicError(), ["softplus"], ["positive"], None),
    "huber_class": (L.Huber(delta=0.5), ["linear"], ["positive"], None),
    "logcosh_class": (L.LogCosh(), ["linear"], ["positive"], None),
    "poisson_class": (L.Poisson(), ["softplus"], ["positive"], None),
    "kld_class": (L.KLDivergence(), ["softmax"], ["onehot"], None),
    "cosine_class": (L.CosineSimilarity(axis=-1), ["linear"], ["positive"], None),
    "hinge_class": (L.Hinge(), ["tanh"], ["binary"], None),
    "squared_hinge_class": (L.SquaredHinge(), ["tanh"], ["binary"], None),
    "categorical_hinge_class": (L.CategoricalHinge(), ["linear"], ["onehot"], None),
    "fn_name": ("sparse_categorical_crossentropy", ["softmax"], ["sparse"], None),
    "fn_alias_mse": ("mse", ["linear"], ["positive"], None),
    "fn_alias_kld": ("kld", ["softmax"], ["onehot"], None),
    "fn_logcosh": ("logcosh", ["linear"], ["positive"], None),
    "fn_kullback_leibler": ("kullback_leibler_divergence", ["softmax"], ["onehot"], None),
    "fn_huber": ("huber", ["linear"], ["positive"], None),
    "fn_object": (L.categorical_hinge, ["linear"], ["onehot"], None),
    "per_output_dict": ({"out_0": L.SparseCategoricalCrossentropy(from_logits=True),
                         "out_1": "mae"}, ["linear", "linear"], ["sparse", "positive"],
                        {"out_0": 1.0, "out_1": 0.5}),
    "per_output_list": ([L.CategoricalCrossentropy(), L.Huber(delta=2.0)],
                        ["softmax", "linear"], ["onehot", "positive"], [0.3, 1.0]),
}


def build(activations):
    tf_keras.utils.set_random_seed(7)
    x = tf_keras.Input((4,), name="x")
    outputs = [tf_keras.layers.Dense(3, activation=a, name=f"out_{i}")(x)
               for i, a in enumerate(activations)]
    return tf_keras.Model(x, outputs if len(outputs) > 1 else outputs[0])


def main(out_dir):
    data = np.load(os.path.join(out_dir, "data.npz"))
    losses = {}
    for case, (loss, activations, kinds, loss_weights) in CASES.items():
        model = build(activations)
        model.compile(optimizer="sgd", loss=loss, loss_weights=loss_weights)
        y = [data[f"y_{k}"] for k in kinds]
        result = model.evaluate(data["x"], y if len(y) > 1 else y[0], batch_size=len(data["x"]),
                                verbose=0, return_dict=True)
        losses[case] = float(result["loss"])
        model.save(os.path.join(out_dir, f"{case}.h5"))
    print(json.dumps({"losses": losses, "kinds": {c: v[2] for c, v in CASES.items()}}))


if __name__ == "__main__":
    main(sys.argv[1])
