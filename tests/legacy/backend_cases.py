"""The `K.*` calls compared with tf.keras 2.21's `tf_keras.backend` (both sides import this
file: numpy and the standard library only). An argument `{"array": shape, ...}` is made by
`make_arg` from its own seed, identically on both sides."""

import numpy as np


def A(*shape, seed=0, low=-2.0, high=2.0, dtype="float32"):  # noqa: N802
    return {"array": list(shape), "seed": seed, "low": low, "high": high, "dtype": dtype}


def make_arg(spec):
    if isinstance(spec, dict) and "array" in spec:
        rng = np.random.RandomState(spec["seed"])
        value = rng.uniform(spec["low"], spec["high"], size=spec["array"])
        if spec["dtype"].startswith("int"):
            value = np.floor(value)
        return value.astype(spec["dtype"])
    if isinstance(spec, dict) and "softmax" in spec:  # rows of probabilities
        value = make_arg(spec["softmax"]).astype("float64")
        value = np.exp(value) / np.exp(value).sum(axis=-1, keepdims=True)
        return value.astype("float32")
    if isinstance(spec, dict) and "const" in spec:
        return np.asarray(spec["const"], dtype=spec["dtype"])
    if isinstance(spec, dict) and "list" in spec:
        return [make_arg(s) for s in spec["list"]]
    return spec


def L(*specs):  # noqa: N802
    return {"list": list(specs)}


X = A(2, 3, 4)
P = A(4, 5, seed=1, low=0.05, high=0.95)  # probabilities
CASES = [
    ("mean", [X], {}), ("mean", [X], {"axis": 1}), ("mean", [X], {"axis": [0, 2], "keepdims": True}),
    ("sum", [X], {}), ("sum", [X], {"axis": -1, "keepdims": True}), ("prod", [X], {"axis": 1}),
    ("max", [X], {"axis": 0}), ("min", [X], {}), ("var", [X], {"axis": -1}),
    ("std", [X], {"axis": 1, "keepdims": True}), ("argmax", [X], {}), ("argmin", [X], {"axis": 0}),
    ("cumsum", [X], {"axis": 1}), ("cumprod", [X], {}),
    ("any", [A(3, 4, dtype="int32", low=-1, high=1.5)], {"axis": 1}),
    ("all", [A(3, 4, dtype="int32", low=0, high=3)], {}),
    ("abs", [X], {}), ("square", [X], {}), ("sqrt", [P], {}), ("exp", [X], {}), ("log", [P], {}),
    ("sign", [X], {}), ("round", [X], {}), ("sin", [X], {}), ("cos", [X], {}), ("tanh", [X], {}),
    ("sigmoid", [X], {}), ("softplus", [X], {}), ("softsign", [X], {}), ("hard_sigmoid", [X], {}),
    ("pow", [P, 3], {}), ("equal", [A(3, 4, dtype="int32"), A(3, 4, seed=2, dtype="int32")], {}),
    ("greater", [X, 0.5], {}), ("less_equal", [X, A(2, 3, 4, seed=3)], {}),
    ("maximum", [X, A(2, 3, 4, seed=3)], {}), ("minimum", [X, 0.0], {}),
    ("clip", [X, -0.5, 0.5], {}), ("clip", [X, 0.5, -0.5], {}), ("clip", [X, None, 1.0], {}),
    ("relu", [X], {}), ("relu", [X], {"alpha": 0.1, "max_value": 1.5}),
    ("relu", [X], {"threshold": 0.5}), ("elu", [X], {"alpha": 0.5}), ("softmax", [X], {}),
    ("softmax", [X], {"axis": 1}), ("l2_normalize", [X], {"axis": -1}),
    ("binary_crossentropy", [A(4, 5, seed=4, low=0, high=1), P], {}),
    ("binary_crossentropy", [A(4, 5, seed=4, low=0, high=1), A(4, 5)], {"from_logits": True}),
    ("categorical_crossentropy", [A(4, 5, seed=4, low=0, high=1), P], {}),
    ("categorical_crossentropy", [A(4, 5, seed=4, low=0, high=1), A(4, 5)], {"from_logits": True}),
    ("sparse_categorical_crossentropy", [A(4, dtype="int32", low=0, high=5), P], {}),
    ("sparse_categorical_crossentropy", [A(4, dtype="int32", low=0, high=5), A(4, 5)],
     {"from_logits": True}),
    ("reshape", [X, [4, 6]], {}), ("reshape", [X, [-1, 2]], {}),
    ("concatenate", [L(X, A(2, 3, 4, seed=5))], {}), ("concatenate", [L(X, X)], {"axis": 0}),
    ("stack", [L(X, X)], {"axis": 1}), ("expand_dims", [X], {}), ("expand_dims", [X, 0], {}),
    ("squeeze", [A(2, 1, 3), 1], {}), ("tile", [X, [1, 2, 1]], {}), ("transpose", [X], {}),
    ("permute_dimensions", [X, [2, 0, 1]], {}), ("repeat", [A(2, 3), 4], {}),
    ("repeat_elements", [X, 2, 1], {}), ("reverse", [X, 1], {}), ("reverse", [X, [0, 2]], {}),
    ("flatten", [X], {}), ("batch_flatten", [X], {}),
    ("gather", [A(5, 3), A(2, 2, dtype="int32", low=0, high=5)], {}),
    ("one_hot", [A(2, 3, dtype="int32", low=0, high=4), 4], {}),
    ("cast", [X, "int32"], {}), ("stop_gradient", [X], {}),
    ("temporal_padding", [X, [1, 2]], {}), ("spatial_2d_padding", [A(1, 2, 3, 2)], {}),
    ("bias_add", [X, A(4, seed=6)], {}), ("dot", [A(2, 3), A(3, 4, seed=7)], {}),
    ("dot", [X, A(4, 5, seed=7)], {}), ("dot", [X, A(6, 4, 5, seed=7)], {}),
    ("batch_dot", [X, A(2, 4, 5, seed=7)], {}), ("batch_dot", [X, A(2, 4, 5, seed=7)],
                                                {"axes": [2, 1]}),
    ("batch_dot", [A(2, 3), A(2, 3, seed=1)], {"axes": 1}),
    ("batch_dot", [X, A(2, 5, 4, seed=7)], {"axes": [2, 2]}),
    ("in_top_k", [A(4, 5), A(4, dtype="int32", low=0, high=5), 2], {}),
    ("ctc_batch_cost", [A(3, 4, dtype="int32", low=0, high=5),
                        {"softmax": A(3, 10, 6, seed=2)},
                        {"const": [[10], [8], [9]], "dtype": "int32"},
                        {"const": [[4], [2], [3]], "dtype": "int32"}], {}),
    ("batch_normalization", [X, A(4, seed=1), A(4, seed=2, low=0.5, high=1.5), A(4, seed=3),
                             A(4, seed=4)], {}),
    ("switch", [A(2, 3, 4, seed=8, low=0, high=2, dtype="int32"), X, A(2, 3, 4, seed=9)], {}),
    ("resize_images", [A(1, 2, 3, 2), 2, 3, "channels_last"], {}),
    ("resize_images", [A(1, 2, 2, 3), 2, 2, "channels_first"], {}),
    ("arange", [5], {}), ("arange", [1, 7, 2], {}), ("zeros_like", [X], {}),
    ("ones_like", [X], {"dtype": "int32"}), ("constant", [1.5], {"shape": [2, 2]}),
    ("cast_to_floatx", [A(2, 2, dtype="int32")], {}), ("int_shape", [X], {}), ("ndim", [X], {}),
    ("dtype", [A(2, dtype="int32")], {}), ("count_params", [X], {}), ("shape", [X], {}),
    ("epsilon", [], {}), ("floatx", [], {}), ("image_data_format", [], {}),
    ("learning_phase", [], {}),
]
