"""Masks through a model's layers: Embedding(mask_zero), Masking and custom compute_mask layers
hand their masks on; a layer gets `mask=` only when its call takes one; same outputs as Keras 3."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch.models import masked_call
from tests.keras3 import import_keras3


def _custom_layers(k):
    class DropLast(k.layers.Layer):
        """Masks out the last time step of every sequence."""

        def call(self, x):
            return x

        def compute_mask(self, x, mask=None):
            new = k.ops.concatenate([k.ops.ones_like(x[:, :-1, 0], dtype="bool"),
                                     k.ops.zeros_like(x[:, -1:, 0], dtype="bool")], axis=1)
            return new if mask is None else k.ops.logical_and(mask, new)

    class MaskedMean(k.layers.Layer):
        """Mean over the unmasked steps (takes `mask=`)."""

        def call(self, x, mask=None):
            if mask is None:
                return k.ops.mean(x, axis=1)
            m = k.ops.expand_dims(k.ops.cast(mask, x.dtype), -1)
            return k.ops.sum(x * m, axis=1) / k.ops.maximum(k.ops.sum(m, axis=1), 1.0)

    return DropLast, MaskedMean


def _models(k):
    drop_last, masked_mean = _custom_layers(k)
    emb = k.Sequential([k.Input((6,), dtype="int32"), k.layers.Embedding(10, 4, mask_zero=True),
                        masked_mean()], name="emb")
    masking = k.Sequential([k.Input((5, 3)), k.layers.Masking(0.0), k.layers.Dense(2),
                            masked_mean()], name="masking")
    custom = k.Sequential([k.Input((5, 3)), drop_last(), masked_mean()], name="custom")
    i = k.Input((6,), dtype="int32")
    x = k.layers.Embedding(10, 4, mask_zero=True)(i)
    x = drop_last()(x)
    functional = k.Model(i, masked_mean()(x), name="functional")
    return [emb, masking, custom, functional]


def _inputs():
    ids = np.array([[1, 2, 3, 0, 0, 0], [4, 5, 6, 7, 8, 9], [0, 0, 0, 0, 0, 1]], "int32")
    seq = np.random.default_rng(0).normal(size=(3, 5, 3)).astype("float32")
    seq[0, 3:] = 0.0
    seq[2, :] = 0.0
    return [ids, seq, seq, ids]


def test_masks_reach_the_layer_that_takes_them():
    ours = _models(keras)
    emb = ours[0]
    ids = _inputs()[0]
    out = keras.ops.convert_to_numpy(emb(ids))
    table = emb.layers[0].get_weights()[0]
    want = np.stack([table[[1, 2, 3]].mean(0), table[[4, 5, 6, 7, 8, 9]].mean(0),
                     table[[1]].mean(0)])
    np.testing.assert_allclose(out, want, atol=1e-6)
    # the custom compute_mask drops the last step on top of the Embedding's mask
    functional = ours[3]
    functional.layers[1].set_weights([table])
    out = keras.ops.convert_to_numpy(functional(ids))
    want = np.stack([table[[1, 2, 3]].mean(0), table[[4, 5, 6, 7, 8]].mean(0), np.zeros(4)])
    np.testing.assert_allclose(out, want, atol=1e-6)


def test_produces_masks():
    drop_last, masked_mean = _custom_layers(keras)
    assert masked_call.produces_masks([keras.layers.Embedding(3, 2, mask_zero=True)])
    assert masked_call.produces_masks([keras.layers.Masking()])
    assert masked_call.produces_masks([drop_last()])
    assert not masked_call.produces_masks([keras.layers.Embedding(3, 2), keras.layers.Dense(2),
                                           masked_mean()])


def test_named_masks_follow_the_argument_names():
    layer = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2)
    got = masked_call.named_masks(layer, "q", ["v"], {}, {"q": "mq", "v": "mv"}.get)
    assert got == {"query_mask": "mq", "value_mask": "mv"}
    got = masked_call.named_masks(layer, "q", ["v"], {"query_mask": "given"},
                                  {"q": "mq", "v": None}.get)
    assert got == {}


@pytest.mark.parametrize("index", range(4))
def test_outputs_match_keras3(index):
    k3 = import_keras3()
    ours, theirs = _models(keras)[index], _models(k3)[index]
    ours.set_weights([np.asarray(k3.ops.convert_to_numpy(w)) for w in theirs.get_weights()])
    x = _inputs()[index]
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ours(x)),
                               k3.ops.convert_to_numpy(theirs(x)), atol=1e-5)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=1e-5)
