"""A Keras-style transformer encoder and an image preprocessing stem, built the same way in
Keras 3 and kerastorch: same weights in, same outputs and training-step results out."""

import numpy as np
import torch

from tests.keras3 import import_keras3

RNG = np.random.RandomState(0)


def _encoder(lib, vocab=50, length=12, dim=16):
    L = lib.layers
    tokens = lib.Input((length,), dtype="int32")
    x = L.Embedding(vocab, dim)(tokens)
    attn = L.MultiHeadAttention(num_heads=4, key_dim=4, dropout=0.1)(x, x)
    x = L.LayerNormalization(epsilon=1e-6)(L.Add()([x, L.Dropout(0.1)(attn)]))
    ff = L.Dense(32, activation="relu")(x)
    ff = L.Dense(dim)(ff)
    x = L.LayerNormalization(epsilon=1e-6)(L.Add()([x, ff]))
    x = L.Flatten()(x)
    out = L.Dense(3, activation="softmax")(x)
    return lib.Model(tokens, out)


def _image_stem(lib):
    L = lib.layers
    img = lib.Input((10, 12, 3))
    x = L.Rescaling(1 / 255.0)(img)
    x = L.Resizing(8, 8)(x)
    x = L.ZeroPadding2D(1)(x)
    x = L.Conv2D(4, 3)(x)
    x = L.BatchNormalization()(x)
    x = L.ReLU(max_value=6.0)(x)
    x = L.UpSampling2D(2, interpolation="bilinear")(x)
    x = L.Cropping2D(((1, 1), (2, 2)))(x)
    x = L.SpatialDropout2D(0.2)(x)
    x = L.Flatten()(x)
    return lib.Model(img, L.Dense(2)(x))


def _compare(keras3, make, x, y):
    import kerastorch
    import kerastorch.losses
    import kerastorch.optimizers
    k3, kt = make(keras3), make(kerastorch)
    assert kt.count_params() == k3.count_params()
    kt.set_weights(k3.get_weights())
    np.testing.assert_allclose(kt.predict(x, verbose=0), k3.predict(x, verbose=0), atol=1e-5)
    return k3, kt


def test_transformer_encoder_matches_keras():
    keras3 = import_keras3()
    x = RNG.randint(1, 50, size=(6, 12)).astype("int32")
    _compare(keras3, _encoder, x, None)


def test_image_stem_matches_keras_in_inference_and_after_a_training_step():
    keras3 = import_keras3()
    import kerastorch
    x = (RNG.rand(4, 10, 12, 3) * 255).astype("float32")
    y = RNG.randn(4, 2).astype("float32")
    k3, kt = _compare(keras3, _image_stem, x, y)
    # With dropout off, one SGD step moves BN statistics and weights identically.
    for model in (k3, kt):
        [l for l in model.layers if "spatial_dropout" in l.name][0].rate = 0.0
    k3.compile(optimizer=keras3.optimizers.SGD(0.01), loss="mse")
    kt.compile(optimizer=kerastorch.optimizers.SGD(0.01), loss="mse")
    assert abs(float(k3.train_on_batch(x, y)) - float(kt.train_on_batch(x, y))) < 1e-4
    for a, b in zip(kt.get_weights(), k3.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    assert isinstance(kt(torch.tensor(x)), torch.Tensor)
