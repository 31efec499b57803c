"""Masks made by Embedding(mask_zero=True) / Masking travel through Sequential and functional
models to the layers that take `mask=`, as in Keras 3; models without them take no masked path."""

import numpy as np
import torch

import kerastorch as keras
from kerastorch import layers
from tests.keras3 import import_keras3

PADDED = np.array([[3, 5, 0, 0, 0], [1, 2, 7, 4, 0], [4, 0, 0, 0, 0], [9, 8, 7, 6, 5]])


def _close(ours, theirs):
    np.testing.assert_allclose(ours.detach().numpy(), np.asarray(theirs.detach().cpu()),
                               atol=1e-5)


def test_sequential_embedding_lstm_equals_keras3():
    keras3 = import_keras3()

    def build(k):
        return k.Sequential([k.Input((5,)), k.layers.Embedding(10, 4, mask_zero=True),
                             k.layers.LSTM(6), k.layers.Dense(2)])

    theirs, ours = build(keras3), build(keras)
    ours.set_weights(theirs.get_weights())
    assert ours._has_masks
    _close(ours(PADDED), theirs(PADDED))
    # the padded steps change nothing: the same sequence with other padding lengths agrees
    unpadded = ours(PADDED[:1, :2])
    _close(ours(PADDED[:1]), unpadded)


def test_functional_masks_reach_rnn_and_pooling_and_outputs_carry_them():
    keras3 = import_keras3()

    def build(k):
        inputs = k.Input((5,), dtype="int32")
        x = k.layers.Embedding(10, 4, mask_zero=True)(inputs)
        x = k.layers.Dropout(0.5)(x)
        seq = k.layers.GRU(3, return_sequences=True)(x)
        pooled = k.layers.GlobalAveragePooling1D()(seq)
        return k.Model(inputs, [seq, pooled])

    theirs, ours = build(keras3), build(keras)
    ours.set_weights(theirs.get_weights())
    (s_t, p_t), (s_o, p_o) = theirs(PADDED), ours(PADDED)
    _close(s_o, s_t)
    _close(p_o, p_t)
    np.testing.assert_array_equal(s_o._keras_mask.numpy(), PADDED != 0)
    np.testing.assert_array_equal(s_o._keras_mask.numpy(), np.asarray(s_t._keras_mask.cpu()))
    assert getattr(p_o, "_keras_mask", None) is None


def test_masking_layer_feeds_simple_rnn_like_keras3():
    keras3 = import_keras3()
    x = np.random.default_rng(0).normal(size=(3, 4, 2)).astype("float32")
    x[0, 2:] = 0.0
    x[2, 1:] = 0.0

    def build(k):
        return k.Sequential([k.Input((4, 2)), k.layers.Masking(0.0), k.layers.SimpleRNN(3)])

    theirs, ours = build(keras3), build(keras)
    ours.set_weights(theirs.get_weights())
    _close(ours(x), theirs(x))


def test_global_average_pooling_1d_with_explicit_mask_equals_keras3():
    keras3 = import_keras3()
    x = np.random.default_rng(1).normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 0]], bool)
    ours = layers.GlobalAveragePooling1D()(torch.from_numpy(x), mask=torch.from_numpy(mask))
    theirs = keras3.layers.GlobalAveragePooling1D()(x, mask=mask)
    _close(ours, theirs)


def test_models_without_mask_makers_take_the_plain_path():
    model = keras.Sequential([keras.Input((5,)), layers.Embedding(10, 4), layers.LSTM(3)])
    assert not model._has_masks
    inputs = keras.Input((4,))
    functional = keras.Model(inputs, layers.Dense(2)(inputs))
    assert not functional._has_masks


def test_custom_layers_make_and_receive_masks():
    received = []

    class NegativeIsPadding(layers.Layer):
        def call(self, x):
            return x

        def compute_mask(self, inputs, mask=None):
            return inputs[..., 0] >= 0

    class Recorder(layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, x, mask=None):
            received.append(mask)
            return x

    model = keras.Sequential([keras.Input((3, 2)), NegativeIsPadding(), Recorder(),
                              layers.Dense(2), Recorder()])
    x = torch.tensor([[[1.0, 1.0], [-1.0, 0.0], [2.0, 2.0]]])
    received.clear()  # building the model called the layers symbolically
    out = model(x)
    expected = torch.tensor([[True, False, True]])
    assert len(received) == 2
    assert torch.equal(received[0], expected) and torch.equal(received[1], expected)
    assert torch.equal(out._keras_mask, expected)


def test_masked_model_trains_with_fit():
    model = keras.Sequential([keras.Input((5,)), layers.Embedding(10, 4, mask_zero=True),
                              layers.LSTM(4), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    y = np.array([0, 1, 0, 1], "float32")
    history = model.fit(PADDED, y, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(PADDED, verbose=0).shape == (4, 1)


def test_direct_calls_attach_and_read_keras_mask_like_keras3():
    keras3 = import_keras3()
    ours_emb = layers.Embedding(10, 4, mask_zero=True)
    theirs_emb = keras3.layers.Embedding(10, 4, mask_zero=True)
    theirs_emb.build((None, 5))
    ours_emb.build((None, 5))
    ours_emb.set_weights(theirs_emb.get_weights())
    ours_out, theirs_out = ours_emb(PADDED), theirs_emb(PADDED)
    np.testing.assert_array_equal(ours_out._keras_mask.numpy(),
                                  np.asarray(theirs_out._keras_mask.cpu()))
    ours_lstm, theirs_lstm = layers.LSTM(3), keras3.layers.LSTM(3)
    theirs_val = theirs_lstm(theirs_out)
    ours_lstm.build((None, 5, 4))
    ours_lstm.set_weights(theirs_lstm.get_weights())
    _close(ours_lstm(ours_out), theirs_val)
    _close(layers.GlobalAveragePooling1D()(ours_out),
           keras3.layers.GlobalAveragePooling1D()(theirs_out))
    x = np.zeros((2, 3, 2), "float32")
    x[0, 0] = 1.0
    masked = layers.Masking()(x)
    np.testing.assert_array_equal(masked._keras_mask.numpy(),
                                  np.asarray(keras3.layers.Masking()(x)._keras_mask.cpu()))


def _attention_models(k):
    def positional(e):
        return k.layers.MultiHeadAttention(2, 4)(e, e)

    def keywords(e):
        return k.layers.MultiHeadAttention(2, 4)(query=e, value=e, key=e)

    def causal(e):
        return k.layers.MultiHeadAttention(2, 4)(e, e, use_causal_mask=True)

    def dot(e):
        return k.layers.Attention()([e, e])

    return [positional, keywords, causal, dot]


def test_attention_receives_query_and_value_masks_like_keras3():
    keras3 = import_keras3()
    for i, (theirs_fn, ours_fn) in enumerate(zip(_attention_models(keras3),
                                                 _attention_models(keras), strict=True)):
        models = []
        for k, fn in ((keras3, theirs_fn), (keras, ours_fn)):
            inputs = k.Input((5,), dtype="int32")
            embedded = k.layers.Embedding(10, 8, mask_zero=True)(inputs)
            models.append(k.Model(inputs, fn(embedded)))
        theirs, ours = models
        ours.set_weights(theirs.get_weights())
        _close(ours(PADDED), theirs(PADDED))


def test_lambda_with_mask_makes_masks_for_the_next_layers():
    keras3 = import_keras3()
    x = np.random.default_rng(2).normal(size=(2, 4, 3)).astype("float32")
    x[0, 2:] = 0.0

    def build(k):
        inputs = k.Input((4, 3))
        masked = k.layers.Lambda(lambda t: t, mask=lambda t, m: k.ops.any(t != 0, axis=-1))(
            inputs)
        return k.Model(inputs, k.layers.GRU(2)(masked))

    theirs, ours = build(keras3), build(keras)
    ours.set_weights(theirs.get_weights())
    assert ours._has_masks
    _close(ours(x), theirs(x))


def test_mask_argument_of_a_model_call_reaches_its_layers_like_keras3():
    keras3 = import_keras3()
    x = np.random.default_rng(4).normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[True, True, False, False], [True, True, True, True]])

    def build(k):
        return k.Sequential([k.Input((4, 3)), k.layers.LSTM(2)])

    theirs, ours = build(keras3), build(keras)
    ours.set_weights(theirs.get_weights())
    _close(ours(x, mask=torch.from_numpy(mask)), theirs(x, mask=mask))
    _close(ours(x[:1], mask=torch.from_numpy(mask[:1])), ours(x[:1, :2]))
