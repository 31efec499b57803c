"""One training step of a small CNN with BatchNormalization, regularizers and a constraint:
loss, updated weights and moving statistics equal Keras 3's."""

import numpy as np
import torch

from tests.keras3 import import_keras3

RNG = np.random.RandomState(0)
X = RNG.randn(8, 6, 6, 2).astype("float32")
Y = RNG.randint(0, 3, size=(8,)).astype("int64")


def _model(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input((6, 6, 2)),
        L.Conv2D(4, 3, kernel_regularizer=lib.regularizers.l2(0.01),
                 activity_regularizer=lib.regularizers.l1(0.001)),
        L.BatchNormalization(),
        L.Activation("relu"),
        L.Flatten(),
        L.Dense(3, kernel_regularizer="l2", bias_regularizer=lib.regularizers.l2(0.1),
                kernel_constraint=lib.constraints.max_norm(0.5)),
    ])


def test_one_training_step_matches_keras():
    keras3 = import_keras3()
    import kerastorch
    import kerastorch.losses
    import kerastorch.optimizers
    k3 = _model(keras3)
    kt = _model(kerastorch)
    kt.set_weights(k3.get_weights())
    k3.compile(optimizer=keras3.optimizers.SGD(0.1),
               loss=keras3.losses.SparseCategoricalCrossentropy(from_logits=True))
    kt.compile(optimizer=kerastorch.optimizers.SGD(0.1),
               loss=kerastorch.losses.SparseCategoricalCrossentropy(from_logits=True))
    loss3 = float(k3.train_on_batch(X, Y))
    losst = float(kt.train_on_batch(X, Y))
    assert abs(loss3 - losst) < 1e-4
    for a, b, w in zip(kt.get_weights(), k3.get_weights(), k3.weights, strict=True):
        if w.path.endswith("moving_variance"):
            # tf.keras 2 moves a 4D input's variance with the unbiased batch variance (its
            # fused kernel), Keras 3 with the biased one: TensorFlow is the reference.
            n = 8 * 4 * 4
            b = 0.99 + (b - 0.99) * n / (n - 1)
        np.testing.assert_allclose(a, b, atol=1e-5, err_msg=w.path)
    kt.set_weights(k3.get_weights())  # the same moving variance, for inference
    np.testing.assert_allclose(kt.predict(X, verbose=0), k3.predict(X, verbose=0), atol=1e-5)
    assert isinstance(kt(torch.tensor(X)), torch.Tensor)
