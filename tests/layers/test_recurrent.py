"""SimpleRNN, LSTM, GRU, Bidirectional and TimeDistributed against Keras 3."""

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import layers
from tests.keras3 import import_keras3

ATOL = 1e-5
RNNS = ["SimpleRNN", "LSTM", "GRU"]
RIGHT_PADDED = np.array([[1] * 6, [1] * 3 + [0] * 3, [1] * 5 + [0], [1] + [0] * 5], bool)
NOT_RIGHT_PADDED = np.array([[1] * 6, [0] * 3 + [1] * 3, [1, 0, 1, 1, 0, 1], [0] * 6], bool)


def _inputs(shape=(4, 6, 5), seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _as_list(y):
    return list(y) if isinstance(y, (list, tuple)) else [y]


def _compare(keras_layer, kt_layer, x, mask=None, **call):
    """Builds both, copies Keras's weights into kerastorch, returns both outputs as lists."""
    kmask = None if mask is None else mask
    ky = _as_list(keras_layer(x, mask=kmask, **call) if mask is not None else keras_layer(x, **call))
    kt_layer(torch.tensor(x))
    kt_layer.set_weights(keras_layer.get_weights())
    tmask = None if mask is None else torch.tensor(mask)
    ty = _as_list(kt_layer(torch.tensor(x), mask=tmask, **call) if mask is not None
                  else kt_layer(torch.tensor(x), **call))
    assert len(ky) == len(ty)
    for a, b in zip(ky, ty, strict=True):
        a = np.asarray(a.detach().cpu())
        assert a.shape == tuple(b.shape)
        np.testing.assert_allclose(b.detach().numpy(), a, atol=ATOL)
    return ky, ty


CONFIGS = [
    {},
    {"return_sequences": True},
    {"return_state": True},
    {"return_sequences": True, "return_state": True, "go_backwards": True},
    {"use_bias": False, "return_sequences": True},
    {"activation": "relu", "return_sequences": True},
    {"activation": "elu", "return_state": True},
]


@pytest.mark.parametrize("name", RNNS)
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()) or "default")
def test_rnn_matches_keras(name, config):
    keras3 = import_keras3()
    _compare(getattr(keras3.layers, name)(3, **config), getattr(layers, name)(3, **config),
             _inputs())


@pytest.mark.parametrize("config", [{"recurrent_activation": "hard_sigmoid"},
                                    {"reset_after": False, "return_sequences": True},
                                    {"reset_after": False, "go_backwards": True,
                                     "return_state": True}])
def test_gru_variants_match_keras(config):
    keras3 = import_keras3()
    _compare(keras3.layers.GRU(4, **config), layers.GRU(4, **config), _inputs())


def test_lstm_recurrent_activation_matches_keras():
    keras3 = import_keras3()
    cfg = {"recurrent_activation": "hard_sigmoid", "return_sequences": True}
    _compare(keras3.layers.LSTM(4, **cfg), layers.LSTM(4, **cfg), _inputs())


@pytest.mark.parametrize("name", RNNS)
@pytest.mark.parametrize("mask", [RIGHT_PADDED, NOT_RIGHT_PADDED], ids=["right", "holes"])
@pytest.mark.parametrize("config", [{"return_sequences": True, "return_state": True},
                                    {"go_backwards": True, "return_sequences": True,
                                     "return_state": True},
                                    {"return_sequences": True, "zero_output_for_mask": True},
                                    {"zero_output_for_mask": True}],
                         ids=["seq-state", "backwards", "zero-seq", "zero-last"])
def test_masked_rnn_matches_keras(name, mask, config):
    keras3 = import_keras3()
    ky, _ = _compare(getattr(keras3.layers, name)(3, **config),
                     getattr(layers, name)(3, **config), _inputs(), mask=mask)
    assert np.abs(np.asarray(ky[0].detach().cpu())).max() > 0


@pytest.mark.parametrize("name", RNNS)
def test_initial_state_matches_keras(name):
    keras3 = import_keras3()
    x = _inputs()
    n_states = 2 if name == "LSTM" else 1
    states = [_inputs((4, 3), seed=i + 1) for i in range(n_states)]
    k = getattr(keras3.layers, name)(3, return_sequences=True, return_state=True)
    ky = k(x, initial_state=states)
    t = getattr(layers, name)(3, return_sequences=True, return_state=True)
    t(torch.tensor(x))
    t.set_weights(k.get_weights())
    ty = t(torch.tensor(x), initial_state=[torch.tensor(s) for s in states])
    for a, b in zip(ky, ty, strict=True):
        np.testing.assert_allclose(b.detach().numpy(), np.asarray(a.detach().cpu()), atol=ATOL)


@pytest.mark.parametrize("name,units,expected", [("SimpleRNN", 7, [(5, 7), (7, 7), (7,)]),
                                                 ("LSTM", 7, [(5, 28), (7, 28), (28,)]),
                                                 ("GRU", 7, [(5, 21), (7, 21), (2, 21)])])
def test_weights_have_keras_shapes_names_and_counts(name, units, expected):
    keras3 = import_keras3()
    k = getattr(keras3.layers, name)(units)
    k.build((None, 4, 5))
    t = getattr(layers, name)(units)
    t.build((None, 4, 5))
    assert [w.shape for w in t.weights] == expected
    assert [w.name for w in t.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert t.count_params() == k.count_params()


def test_gru_kernel_view_reorders_gates_and_round_trips():
    layer = layers.GRU(2)
    layer.build((None, 3, 4))
    kernel = np.arange(4 * 6, dtype="float32").reshape(4, 6)
    bias = np.arange(12, dtype="float32").reshape(2, 6)
    layer.set_weights([kernel, np.zeros((2, 6), "float32"), bias])
    # Keras's column blocks (z, r, h) are torch's row blocks (r, z, n).
    np.testing.assert_array_equal(layer.weight_ih.detach().numpy()[:2], kernel.T[2:4])
    np.testing.assert_array_equal(layer.weight_ih.detach().numpy()[2:4], kernel.T[:2])
    np.testing.assert_array_equal(layer.bias.detach().numpy()[1, :2], bias[1, 2:4])
    np.testing.assert_array_equal(layer.get_weights()[0], kernel)
    np.testing.assert_array_equal(layer.get_weights()[2], bias)


def test_lstm_unit_forget_bias_initialisation():
    layer = layers.LSTM(3)
    layer.build((None, 2, 4))
    np.testing.assert_array_equal(layer.get_weights()[2], [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    layer = layers.LSTM(3, unit_forget_bias=False)
    layer.build((None, 2, 4))
    np.testing.assert_array_equal(layer.get_weights()[2], np.zeros(12))


@pytest.mark.parametrize("name", RNNS)
@pytest.mark.parametrize("config", [{}, {"return_sequences": True}, {"return_state": True},
                                    {"return_sequences": True, "return_state": True}])
def test_symbolic_shapes_match_keras(name, config):
    keras3 = import_keras3()
    k_out = getattr(keras3.layers, name)(3, **config)(keras3.Input((None, 5)))
    t_out = getattr(layers, name)(3, **config)(kerastorch.Input((None, 5)))
    assert [tuple(o.shape) for o in _as_list(k_out)] == [o.shape for o in _as_list(t_out)]


def test_bad_input_rank_raises_value_error_naming_layer():
    layer = layers.LSTM(3, name="my_lstm")
    with pytest.raises(ValueError, match="my_lstm.*expected ndim=3"):
        layer(torch.zeros(2, 5))


def test_wrong_feature_size_after_build_raises_value_error():
    layer = layers.GRU(3)
    layer(torch.zeros(2, 4, 5))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 5"):
        layer(torch.zeros(2, 4, 6), mask=None)


@pytest.mark.parametrize("cls,kwargs", [("LSTM", {}), ("GRU", {"reset_after": False}),
                                        ("SimpleRNN", {"activation": "relu"}),
                                        ("LSTM", {"recurrent_activation": "tanh"})])
def test_stateful_calls_continue_one_sequence_until_reset(cls, kwargs):
    x = torch.tensor(np.random.RandomState(1).randn(2, 6, 3).astype("float32"))
    whole = getattr(layers, cls)(4, return_sequences=True, **kwargs)
    expected = whole(x)
    stateful = getattr(layers, cls)(4, return_sequences=True, stateful=True, **kwargs)
    stateful(x[:, :3])
    stateful.set_weights(whole.get_weights())
    stateful.reset_states()
    halves = torch.cat([stateful(x[:, :3]), stateful(x[:, 3:])], dim=1)
    np.testing.assert_allclose(halves.detach().numpy(), expected.detach().numpy(), atol=1e-6)
    assert len(stateful.states) == (2 if cls == "LSTM" else 1)
    stateful.reset_states()
    np.testing.assert_allclose(stateful(x[:, :3]).detach().numpy(),
                               expected[:, :3].detach().numpy(), atol=1e-6)
    with pytest.raises(ValueError, match="same batch size"):
        stateful(x[:1, :3])
    with pytest.raises(AttributeError, match="must be stateful"):
        whole.reset_states()


def test_wrong_number_of_initial_states_raises():
    layer = layers.LSTM(3)
    with pytest.raises(ValueError, match="expects 2 initial state"):
        layer(torch.zeros(2, 4, 5), initial_state=[torch.zeros(2, 3)])


@pytest.mark.parametrize("name", RNNS)
def test_dropout_only_in_training(name):
    x = torch.tensor(_inputs())
    layer = getattr(layers, name)(3, dropout=0.5, recurrent_dropout=0.5, return_sequences=True)
    ref = getattr(layers, name)(3, return_sequences=True)
    layer(x)
    ref(x)
    ref.set_weights(layer.get_weights())
    torch.testing.assert_close(layer(x), ref(x))            # inference: no dropout
    torch.manual_seed(1)
    a = layer(x, training=True)
    torch.manual_seed(2)
    b = layer(x, training=True)
    assert not torch.allclose(a, b) and not torch.allclose(a, ref(x))


def test_input_dropout_alone_keeps_fused_kernel_and_differs_in_training():
    x = torch.tensor(_inputs())
    layer = layers.LSTM(3, dropout=0.9, return_sequences=True)
    out = layer(x, training=True)
    assert out.shape == (4, 6, 3)
    assert not torch.allclose(out, layer(x))


def test_recurrent_dropout_mask_is_fixed_over_time():
    """Keras samples one recurrent dropout mask per sequence: with zero inputs and recurrent
    kernel set to identity, a SimpleRNN(linear) keeps dropping the same units at every step."""
    layer = layers.SimpleRNN(4, activation=None, use_bias=True, recurrent_dropout=0.5,
                             return_sequences=True)
    layer.build((None, 5, 2))
    layer.set_weights([np.zeros((2, 4), "float32"), np.eye(4, dtype="float32"),
                       np.ones(4, "float32")])
    torch.manual_seed(3)
    y = layer(torch.zeros(64, 5, 2), training=True)
    dropped = (y[:, 1] == 1.0)  # h_1 = 1 + h_0 * mask * 2: a dropped unit resets to 1
    assert dropped.any() and (~dropped).any()
    torch.testing.assert_close(dropped, y[:, 2] == 1.0)


def test_gradients_flow_to_all_weights_on_fused_and_loop_paths():
    for layer in (layers.LSTM(3), layers.GRU(3, reset_after=False)):
        y = layer(torch.tensor(_inputs()))
        y.sum().backward()
        assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in layer.parameters())


@pytest.mark.parametrize("name", RNNS)
def test_config_round_trip(name):
    layer = getattr(layers, name)(5, return_sequences=True, go_backwards=True, dropout=0.25)
    clone = type(layer).from_config(layer.get_config())
    assert clone.units == 5 and clone.return_sequences and clone.go_backwards
    assert clone.dropout == 0.25


# ---------------------------------------------------------------------------- Bidirectional
@pytest.mark.parametrize("name", RNNS)
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("config", [{"return_sequences": True}, {"return_state": True}],
                         ids=["seq", "state"])
@pytest.mark.parametrize("mask", [None, RIGHT_PADDED, NOT_RIGHT_PADDED],
                         ids=["nomask", "right", "holes"])
def test_bidirectional_matches_keras(name, merge_mode, config, mask):
    keras3 = import_keras3()
    _compare(keras3.layers.Bidirectional(getattr(keras3.layers, name)(3, **config),
                                         merge_mode=merge_mode),
             layers.Bidirectional(getattr(layers, name)(3, **config), merge_mode=merge_mode),
             _inputs(), mask=mask)


def test_bidirectional_names_weights_and_shapes_match_keras():
    keras3 = import_keras3()
    k = keras3.layers.Bidirectional(keras3.layers.LSTM(4, return_sequences=True))
    t = layers.Bidirectional(layers.LSTM(4, return_sequences=True))
    k_out = k(keras3.Input((7, 3)))
    t_out = t(kerastorch.Input((7, 3)))
    assert tuple(k_out.shape) == t_out.shape == (None, 7, 8)
    assert t.forward_layer.name == "forward_lstm" and t.backward_layer.name == "backward_lstm"
    assert t.backward_layer.go_backwards
    assert t.count_params() == k.count_params()
    assert [w.shape for w in t.weights] == [tuple(w.shape) for w in k.weights]


def test_bidirectional_custom_backward_layer_matches_keras():
    keras3 = import_keras3()
    k = keras3.layers.Bidirectional(keras3.layers.LSTM(3, return_sequences=True),
                                    backward_layer=keras3.layers.GRU(3, return_sequences=True,
                                                                     go_backwards=True))
    t = layers.Bidirectional(layers.LSTM(3, return_sequences=True),
                             backward_layer=layers.GRU(3, return_sequences=True,
                                                       go_backwards=True))
    _compare(k, t, _inputs())


def test_bidirectional_rejects_bad_arguments():
    with pytest.raises(ValueError, match="Invalid merge mode"):
        layers.Bidirectional(layers.LSTM(3), merge_mode="max")
    with pytest.raises(ValueError, match="different `go_backwards`"):
        layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(3))
    with pytest.raises(ValueError, match="Layer` instance"):
        layers.Bidirectional("lstm")


def test_bidirectional_initial_state_matches_keras():
    keras3 = import_keras3()
    x = _inputs()
    states = [_inputs((4, 3), seed=i) for i in range(4)]
    k = keras3.layers.Bidirectional(keras3.layers.LSTM(3))
    ky = k(x, initial_state=states)
    t = layers.Bidirectional(layers.LSTM(3))
    t(torch.tensor(x))
    t.set_weights(k.get_weights())
    ty = t(torch.tensor(x), initial_state=[torch.tensor(s) for s in states])
    np.testing.assert_allclose(ty.detach().numpy(), np.asarray(ky.detach().cpu()), atol=ATOL)


# ---------------------------------------------------------------------------- TimeDistributed
def test_time_distributed_dense_matches_keras():
    keras3 = import_keras3()
    _compare(keras3.layers.TimeDistributed(keras3.layers.Dense(3)),
             layers.TimeDistributed(layers.Dense(3)), _inputs())


def test_time_distributed_conv_shapes_and_values_match_keras():
    keras3 = import_keras3()
    x = _inputs((2, 3, 8, 8, 2))
    _compare(keras3.layers.TimeDistributed(keras3.layers.Conv2D(4, 3)),
             layers.TimeDistributed(layers.Conv2D(4, 3)), x)
    k_out = keras3.layers.TimeDistributed(keras3.layers.Conv2D(4, 3))(keras3.Input((5, 8, 8, 2)))
    t = layers.TimeDistributed(layers.Conv2D(4, 3))
    t_out = t(kerastorch.Input((5, 8, 8, 2)))
    assert tuple(k_out.shape) == t_out.shape == (None, 5, 6, 6, 4)
    assert t.count_params() == 4 * (9 * 2 + 1)


def test_time_distributed_rejects_2d_input():
    layer = layers.TimeDistributed(layers.Dense(3))
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layer(kerastorch.Input((4,)))
    with pytest.raises(ValueError, match="Layer` instance"):
        layers.TimeDistributed(3)


def test_lstm_in_sequential_model_matches_keras():
    keras3 = import_keras3()
    k = keras3.Sequential([keras3.Input((6, 5)), keras3.layers.LSTM(8, return_sequences=True),
                           keras3.layers.GRU(4), keras3.layers.Dense(2)])
    t = kerastorch.Sequential([kerastorch.Input((6, 5)), layers.LSTM(8, return_sequences=True),
                               layers.GRU(4), layers.Dense(2)])
    t.set_weights(k.get_weights())
    x = _inputs()
    np.testing.assert_allclose(t(torch.tensor(x)).detach().numpy(),
                               np.asarray(k(x).detach().cpu()), atol=ATOL)
    assert t.count_params() == k.count_params()


# ---------------------------------------------------------------------------- RNN(cell)
def _compare_nested(keras_layer, kt_layer, x, **call):
    keras3 = import_keras3()
    ky = keras_layer(x, **call)
    kt_layer(torch.tensor(x))
    kt_layer.set_weights(keras_layer.get_weights())
    t_call = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in call.items()}
    ty = kt_layer(torch.tensor(x), **t_call)
    a = [np.asarray(v.detach().cpu()) for v in keras3.tree.flatten(ky)]
    b = [v.detach().numpy() for v in kerastorch.tree.flatten(ty)]
    assert len(a) == len(b)
    for p, q in zip(a, b, strict=True):
        np.testing.assert_allclose(q, p, atol=ATOL)
    assert kt_layer.count_params() == keras_layer.count_params()
    assert [w.shape for w in kt_layer.weights] == [tuple(w.shape) for w in keras_layer.weights]


CELLS = [("SimpleRNNCell", {}), ("LSTMCell", {}), ("GRUCell", {}),
         ("GRUCell", {"reset_after": False}), ("LSTMCell", {"activation": "relu"})]


@pytest.mark.parametrize("cell,cell_kw", CELLS, ids=[f"{c}{k}" for c, k in CELLS])
@pytest.mark.parametrize("config", [{"return_sequences": True, "return_state": True},
                                    {"go_backwards": True}], ids=["seq-state", "backwards"])
@pytest.mark.parametrize("mask", [None, NOT_RIGHT_PADDED], ids=["nomask", "mask"])
def test_rnn_of_cell_matches_keras(cell, cell_kw, config, mask):
    keras3 = import_keras3()
    call = {} if mask is None else {"mask": mask}
    _compare_nested(keras3.layers.RNN(getattr(keras3.layers, cell)(3, **cell_kw), **config),
                    layers.RNN(getattr(layers, cell)(3, **cell_kw), **config), _inputs(), **call)


def test_stacked_cells_match_keras_with_states_and_shapes():
    keras3 = import_keras3()
    k = keras3.layers.RNN([keras3.layers.LSTMCell(4), keras3.layers.GRUCell(3)],
                          return_state=True)
    t = layers.RNN([layers.LSTMCell(4), layers.GRUCell(3)], return_state=True)
    _compare_nested(k, t, _inputs())
    k_shape = keras3.layers.RNN([keras3.layers.LSTMCell(4), keras3.layers.GRUCell(3)],
                                return_state=True).compute_output_shape((None, 6, 5))
    t_shape = layers.RNN([layers.LSTMCell(4), layers.GRUCell(3)],
                         return_state=True).compute_output_shape((None, 6, 5))
    assert list(k_shape) == t_shape


def test_rnn_of_cell_equals_fused_layer():
    """RNN(LSTMCell) (Python loop, Keras layout) and LSTM (torch kernel) agree on weights."""
    x = torch.tensor(_inputs())
    loop, fused = layers.RNN(layers.LSTMCell(5), return_sequences=True), \
        layers.LSTM(5, return_sequences=True)
    loop(x)
    fused(x)
    fused.set_weights(loop.get_weights())
    torch.testing.assert_close(loop(x), fused(x), atol=1e-5, rtol=1e-5)


def test_rnn_custom_cell_and_symbolic_shape():
    class MinimalCell(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

        def call(self, inputs, states):
            output = inputs @ self.kernel + states[0]
            return output, [output]

    layer = layers.RNN(MinimalCell(4), return_sequences=True)
    out = layer(kerastorch.Input((7, 3)))
    assert out.shape == (None, 7, 4)
    y = layer(torch.ones(2, 7, 3))
    k = layer.cell.kernel.numpy()
    np.testing.assert_allclose(y[:, -1].detach().numpy(), np.tile(7 * k.sum(0), (2, 1)),
                               rtol=1e-5)


def test_rnn_cell_dropout_masks_fixed_per_sequence_and_reset():
    cell = layers.SimpleRNNCell(4, recurrent_dropout=0.5)
    layer = layers.RNN(cell, return_sequences=True)
    layer(torch.zeros(8, 5, 2))
    assert layer(torch.zeros(8, 5, 2), training=True).shape == (8, 5, 4)
    assert cell._recurrent_dropout_mask is None  # reset after the sequence


def test_rnn_rejects_bad_cells_and_stateful():
    with pytest.raises(ValueError, match="`call` method"):
        layers.RNN(3)
    with pytest.raises(NotImplementedError, match="stateful=True"):
        layers.RNN(layers.LSTMCell(3), stateful=True)


@pytest.mark.parametrize("name", RNNS)
def test_embedding_mask_zero_feeds_rnn_like_keras(name):
    """Keras's Sequential passes Embedding(mask_zero=True)'s mask to the RNN; here the mask is
    passed by hand (models do not propagate masks yet) and the numbers must be Keras's."""
    keras3 = import_keras3()
    tokens = np.array([[3, 5, 2, 0, 0, 0], [7, 1, 1, 4, 2, 9], [4, 0, 0, 0, 0, 0]], "int64")
    k = keras3.Sequential([keras3.Input((6,), dtype="int64"),
                           keras3.layers.Embedding(10, 4, mask_zero=True),
                           getattr(keras3.layers, name)(3, return_sequences=True)])
    embedding = layers.Embedding(10, 4, mask_zero=True)
    rnn = getattr(layers, name)(3, return_sequences=True)
    x = torch.tensor(tokens)
    rnn(embedding(x))
    embedding.set_weights(k.layers[0].get_weights())
    rnn.set_weights(k.layers[1].get_weights())
    y = rnn(embedding(x), mask=embedding.compute_mask(x))
    np.testing.assert_allclose(y.detach().numpy(), np.asarray(k(tokens).detach().cpu()),
                               atol=ATOL)


def test_two_sgd_epochs_match_keras():
    """Gradients through the Keras-layout views (GRU gate reordering included) equal Keras's."""
    keras3 = import_keras3()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 6, 5)).astype("float32")
    y = rng.standard_normal((8, 2)).astype("float32")

    def build(k):
        return k.Sequential([k.Input((6, 5)),
                             k.layers.Bidirectional(k.layers.GRU(4, return_sequences=True)),
                             k.layers.LSTM(3), k.layers.Dense(2)])
    km, tm = build(keras3), build(kerastorch)
    tm.set_weights(km.get_weights())
    km.compile(optimizer=keras3.optimizers.SGD(0.1), loss="mse")
    tm.compile(optimizer=kerastorch.optimizers.SGD(0.1), loss="mse")
    hk = km.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    ht = tm.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(ht.history["loss"], hk.history["loss"], rtol=1e-5)
    for a, b in zip(km.get_weights(), tm.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, atol=ATOL)


def test_seq2seq_encoder_states_feed_decoder_like_keras():
    """The Keras seq2seq pattern: encoder LSTM(return_state) -> decoder LSTM(initial_state)."""
    keras3 = import_keras3()

    def build(k):
        enc_in = k.Input((None, 5))
        _, h, c = k.layers.LSTM(4, return_state=True)(enc_in)
        dec_in = k.Input((None, 3))
        dec = k.layers.LSTM(4, return_sequences=True)(dec_in, initial_state=[h, c])
        return k.Model([enc_in, dec_in], k.layers.Dense(3, activation="softmax")(dec))
    km, tm = build(keras3), build(kerastorch)
    tm.set_weights(km.get_weights())
    a, b = _inputs((2, 7, 5)), _inputs((2, 4, 3), seed=1)
    np.testing.assert_allclose(tm([torch.tensor(a), torch.tensor(b)]).detach().numpy(),
                               np.asarray(km([a, b]).detach().cpu()), atol=ATOL)
    assert tm.count_params() == km.count_params()


# ---------------------------------------------------------------------------- RNN(cell) layout
@pytest.mark.parametrize("name", RNNS)
def test_layers_are_rnns_of_their_cell_with_the_cell_weights(name):
    layer = getattr(layers, name)(3, dropout=0.25)
    layer.build((None, 6, 5))
    assert isinstance(layer, layers.RNN)
    assert type(layer.cell) is getattr(layers, f"{name}Cell")
    assert layer.units == layer.cell.units == 3 and layer.dropout == layer.cell.dropout == 0.25
    assert [w.path for w in layer.weights] == [f"{layer.name}/{n}" for n in
                                               ("kernel", "recurrent_kernel", "bias")]
    assert layer.weight_ih is layer.cell.weight_ih and layer.kernel is layer.cell.kernel
    assert list(layer.state_dict()) == ["cell.weight_ih", "cell.weight_hh", "cell.bias"]


@pytest.mark.parametrize("name", RNNS)
def test_state_dict_from_before_the_cell_loads(name):
    """State dicts written when the weights sat on the layer itself still load."""
    layer = getattr(layers, name)(3)
    layer.build((None, 6, 5))
    flat = {key.replace("cell.", ""): value.clone() + 1.0
            for key, value in layer.state_dict().items()}
    layer.load_state_dict(flat)
    torch.testing.assert_close(layer.weight_ih, flat["weight_ih"])
    torch.testing.assert_close(layer.bias, flat["bias"])


@pytest.mark.parametrize("cell,kwargs,fused", [
    ("LSTMCell", {}, True), ("GRUCell", {}, True), ("SimpleRNNCell", {"activation": "relu"}, True),
    ("LSTMCell", {"recurrent_activation": "hard_sigmoid"}, False),
    ("GRUCell", {"reset_after": False}, False), ("SimpleRNNCell", {"activation": "elu"}, False)])
def test_rnn_of_builtin_cell_takes_the_fused_kernel_when_it_computes_the_same(cell, kwargs,
                                                                              fused):
    x = torch.tensor(_inputs())
    c = getattr(layers, cell)(4, **kwargs)
    layer = layers.RNN(c, return_sequences=True)
    layer(x)
    calls = []
    kernel = c._fused_kernel

    def counting(*args):
        calls.append(1)
        return kernel(*args)
    if kernel is not None:
        c._fused_kernel = counting
    y = layer(x)
    assert bool(calls) == fused
    # the same numbers as the cell's own step, called step by step
    states = [torch.zeros(4, 4) for _ in range(len(layer.state_size))]
    outputs = []
    for t in range(x.shape[1]):
        out, states = c(x[:, t], states)
        outputs.append(out)
    torch.testing.assert_close(y, torch.stack(outputs, 1), atol=1e-5, rtol=1e-5)


def test_input_dropout_with_an_unpackable_mask_is_applied_once():
    x = torch.tensor(_inputs())
    mask = torch.tensor(NOT_RIGHT_PADDED)
    layer = layers.LSTM(3, dropout=0.5, seed=7, return_sequences=True)
    ref = layers.LSTM(3, return_sequences=True)
    layer(x)
    ref(x)
    ref.set_weights(layer.get_weights())
    y = layer(x, mask=mask, training=True)
    generator = torch.Generator().manual_seed(7)
    keep = (torch.rand(x[:, 0].shape, generator=generator) < 0.5).to(x.dtype) / 0.5
    torch.testing.assert_close(y, ref(x * keep.unsqueeze(1), mask=mask), atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("cell", ["SimpleRNNCell", "LSTMCell", "GRUCell"])
def test_cell_state_dict_in_the_old_keras_layout_loads(cell):
    """Cells used to keep `kernel`, `recurrent_kernel`, `bias` in Keras's layout."""
    c = getattr(layers, cell)(3)
    c.build((None, 5))
    rng = np.random.default_rng(1)
    old = {w.name: torch.tensor(rng.standard_normal(w.shape), dtype=torch.float32)
           for w in c.weights}
    c.load_state_dict(old)
    for w in c.weights:
        np.testing.assert_array_equal(w.numpy(), old[w.name].numpy())


@pytest.mark.parametrize("name", RNNS)
def test_load_weights_of_a_pt_file_from_before_the_cell(name, tmp_path):
    def make():
        return kerastorch.Sequential([kerastorch.Input((6, 5)), getattr(layers, name)(3),
                                      layers.Dense(2)])
    model = make()
    flat = {key.replace("cell.", ""): value for key, value in model.state_dict().items()}
    assert any(key.endswith(".weight_ih") for key in flat)
    torch.save(flat, tmp_path / "old.pt")
    other = make()
    other.load_weights(str(tmp_path / "old.pt"))
    x = torch.tensor(_inputs())
    torch.testing.assert_close(other(x), model(x))
