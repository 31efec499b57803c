"""3D convolution and pooling with 'same' padding and a stride beyond the window, run by real
tf.keras 2.21 with the CPU kernels the environment selects (TF_ENABLE_ONEDNN_OPTS).

    python tf_same_3d.py OUT.pkl

CASES (shared with the torch-side test, test_layers_vs_tf.py) are (class name, constructor
arguments, input shape); each input and Conv3D's weights come from numpy.random.RandomState(i).
OUT.pkl: a list of {"inputs", "weights", "output"}, one per case. tf_layer_cases.py runs them
too, with the oracle's TF_ENABLE_ONEDNN_OPTS=0 (its case "same_3d-eigen").
"""

import pickle
import sys

import numpy as np

CASES = [
    ("Conv3D", {"filters": 2, "kernel_size": 1, "strides": 3, "padding": "same"}, (1, 6, 4, 7, 2)),
    ("Conv3D", {"filters": 3, "kernel_size": [2, 1, 1], "strides": [5, 1, 4], "padding": "same",
                "activation": "softmax"}, (2, 4, 3, 7, 3)),
    ("Conv3D", {"filters": 2, "kernel_size": 1, "strides": [1, 6, 3], "padding": "same",
                "use_bias": False}, (1, 3, 6, 5, 1)),
    ("MaxPooling3D", {"pool_size": 1, "strides": 3, "padding": "same"}, (1, 6, 4, 7, 2)),
    ("AveragePooling3D", {"pool_size": [2, 1, 1], "strides": [4, 3, 1], "padding": "same"},
     (1, 6, 6, 3, 2)),
]


def data(index, shape):
    rs = np.random.RandomState(index)
    return rs.standard_normal(shape).astype("float32"), rs


def run_cases(tf_keras):
    """The CASES under this process's TensorFlow; tf_layer_cases.py also runs them (Eigen)."""
    results = []
    for index, (class_name, kwargs, shape) in enumerate(CASES):
        x, rs = data(index, shape)
        layer = getattr(tf_keras.layers, class_name)(**kwargs)
        layer(x)
        weights = [(rs.standard_normal(tuple(w.shape)) * 0.5).astype("float32")
                   for w in layer.weights]
        if weights:
            layer.set_weights(weights)
        results.append({"inputs": x, "weights": weights, "output": np.asarray(layer(x))})
    return results


if __name__ == "__main__":
    import tf_keras

    with open(sys.argv[1], "wb") as f:
        pickle.dump(run_cases(tf_keras), f, protocol=4)
