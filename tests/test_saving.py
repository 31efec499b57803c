"""Saving and loading: Keras 3 `.keras` / `.weights.h5`, Keras 2 `.h5`, torch `.pt`, configs."""

import json
import sys
import warnings

import numpy as np
import pytest
import torch

import kerastorch as kt
from kerastorch import layers as L
from tests.keras3 import import_keras3

h5py = pytest.importorskip("h5py")

ATOL = 1e-5


def _np(y):
    return y.detach().cpu().numpy() if isinstance(y, torch.Tensor) else np.asarray(y)


def _out(model, x):
    with torch.no_grad():
        y = model(torch.as_tensor(x)) if not isinstance(x, list) else \
            model([torch.as_tensor(v) for v in x])
    if isinstance(y, (list, tuple)):
        return [_np(v) for v in y]
    return _np(y)


def _k3_out(model, x):
    y = model(x) if not isinstance(x, list) else model(x)
    if isinstance(y, (list, tuple)):
        return [_np(v) for v in y]
    return _np(y)


def _close(a, b, atol=ATOL):
    if isinstance(a, list):
        assert len(a) == len(b)
        for u, v in zip(a, b, strict=True):
            np.testing.assert_allclose(u, v, atol=atol, rtol=0)
    else:
        np.testing.assert_allclose(a, b, atol=atol, rtol=0)


def _randomize(model, seed=1):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.standard_normal(w.shape).astype("float32") for w in
                       model.get_weights()])


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).random(shape).astype("float32")


# ------------------------------------------------------------------ models used below
def kt_cnn(K=kt):
    return K.Sequential([K.Input((8, 8, 3)), K.layers.Conv2D(4, 3, activation="relu"),
                         K.layers.MaxPooling2D(), K.layers.GlobalMaxPooling2D(),
                         K.layers.Dense(2)])


def kt_functional(K=kt):
    a = K.Input((4,), name="a")
    b = K.Input((3,), name="b")
    h = K.layers.Dense(5, activation="relu", name="ha")(a)
    g = K.layers.Dense(5, name="hb")(b)
    s = K.layers.Add()([h, g]) if hasattr(K.layers, "Add") else h
    out1 = K.layers.Dense(2, name="out1")(s)
    out2 = K.layers.Dense(1, name="out2")(h)
    return K.Model([a, b], [out1, out2])


def kt_nested(K=kt):
    inner = K.Sequential([K.Input((6,)), K.layers.Dense(4, activation="tanh"),
                          K.layers.Dense(3)], name="inner")
    i = K.Input((5,), name="x")
    block_in = K.Input((3,), name="block_in")
    block = K.Model(block_in, K.layers.Dense(2)(block_in), name="block")
    y = K.layers.Dense(6)(i)
    y = inner(y)
    y = block(y)
    return K.Model(i, y)


# ------------------------------------------------------------------ round trips in kerastorch
FORMATS = ["m.weights.h5", "m.h5", "m.pt", "m.pth", "m.keras"]


@pytest.mark.parametrize("filename", FORMATS)
@pytest.mark.parametrize("build", [kt_cnn, kt_functional, kt_nested])
def test_weights_round_trip_every_format(tmp_path, filename, build):
    model = build()
    _randomize(model)
    if filename.endswith(".keras"):
        model.save(tmp_path / filename)
    else:
        model.save_weights(tmp_path / filename)
    kt.backend.clear_session()
    other = build()
    before = [w.copy() for w in other.get_weights()]
    other.load_weights(tmp_path / filename)
    for a, b, c in zip(model.get_weights(), other.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)
        assert a.shape == c.shape
    assert any(not np.array_equal(a, c) for a, c in zip(other.get_weights(), before, strict=True))


@pytest.mark.parametrize("filename", ["m.keras", "m.h5"])
@pytest.mark.parametrize("build", [kt_cnn, kt_functional, kt_nested])
def test_whole_model_round_trip(tmp_path, filename, build):
    model = build()
    _randomize(model)
    model.save(tmp_path / filename)
    restored = kt.models.load_model(tmp_path / filename)
    assert type(restored) is type(model)
    assert [lay.name for lay in restored.layers] == [lay.name for lay in model.layers]
    x = [_rand(2, 4), _rand(2, 3)] if build is kt_functional else \
        _rand(2, *model.inputs[0].shape[1:])
    _close(_out(restored, x), _out(model, x))


def _supported_layer_models():
    """One small Sequential per supported layer type (those present in kerastorch.layers)."""
    cases = [
        ("Dense", lambda K: K.layers.Dense(3, activation="relu"), (4,)),
        ("Conv1D", lambda K: K.layers.Conv1D(2, 3), (6, 3)),
        ("Conv2D", lambda K: K.layers.Conv2D(2, 3, padding="same", strides=2), (6, 6, 3)),
        ("Conv3D", lambda K: K.layers.Conv3D(2, 2), (3, 3, 3, 2)),
        ("MaxPooling2D", lambda K: K.layers.MaxPooling2D(), (4, 4, 2)),
        ("GlobalAveragePooling1D", lambda K: K.layers.GlobalAveragePooling1D(), (4, 2)),
        ("BatchNormalization", lambda K: K.layers.BatchNormalization(), (4,)),
        ("LayerNormalization", lambda K: K.layers.LayerNormalization(), (4,)),
        ("GroupNormalization", lambda K: K.layers.GroupNormalization(groups=2), (4,)),
        ("Embedding", lambda K: K.layers.Embedding(10, 3), (5,)),
        ("SimpleRNN", lambda K: K.layers.SimpleRNN(3, return_sequences=True), (5, 4)),
        ("LSTM", lambda K: K.layers.LSTM(3), (5, 4)),
        ("GRU", lambda K: K.layers.GRU(3), (5, 4)),
        ("Bidirectional", lambda K: K.layers.Bidirectional(K.layers.LSTM(3)), (5, 4)),
        ("TimeDistributed", lambda K: K.layers.TimeDistributed(K.layers.Dense(2)), (5, 4)),
        ("Flatten", lambda K: K.layers.Flatten(), (2, 3)),
        ("Reshape", lambda K: K.layers.Reshape((6,)), (2, 3)),
        ("Dropout", lambda K: K.layers.Dropout(0.5), (4,)),
        ("Activation", lambda K: K.layers.Activation("tanh"), (4,)),
        ("ZeroPadding2D", lambda K: K.layers.ZeroPadding2D(1), (4, 4, 2)),
        ("UpSampling2D", lambda K: K.layers.UpSampling2D(), (4, 4, 2)),
        ("Permute", lambda K: K.layers.Permute((2, 1)), (2, 3)),
        ("RepeatVector", lambda K: K.layers.RepeatVector(3), (4,)),
        ("Rescaling", lambda K: K.layers.Rescaling(0.5, offset=1.0), (4,)),
        ("Masking", lambda K: K.layers.Masking(), (3, 4)),
        ("UnitNormalization", lambda K: K.layers.UnitNormalization(), (4,)),
        ("Cropping1D", lambda K: K.layers.Cropping1D(1), (5, 2)),
        ("Cropping2D", lambda K: K.layers.Cropping2D(1), (5, 5, 2)),
        ("Conv1DTranspose", lambda K: K.layers.Conv1DTranspose(2, 3, strides=2), (5, 3)),
        ("Conv2DTranspose", lambda K: K.layers.Conv2DTranspose(2, 3, strides=2,
                                                               padding="same"), (4, 4, 3)),
        ("DepthwiseConv2D", lambda K: K.layers.DepthwiseConv2D(3, depth_multiplier=2),
         (5, 5, 3)),
        ("DepthwiseConv1D", lambda K: K.layers.DepthwiseConv1D(3), (5, 3)),
        ("SeparableConv2D", lambda K: K.layers.SeparableConv2D(4, 3), (5, 5, 3)),
        ("SeparableConv1D", lambda K: K.layers.SeparableConv1D(4, 3), (5, 3)),
        ("AveragePooling2D", lambda K: K.layers.AveragePooling2D(2, padding="same"),
         (5, 5, 2)),
        ("Normalization", lambda K: K.layers.Normalization(mean=[1.0, 2.0],
                                                           variance=[4.0, 9.0]), (3, 2)),
        ("Resizing", lambda K: K.layers.Resizing(3, 5), (4, 4, 2)),
        ("CenterCrop", lambda K: K.layers.CenterCrop(2, 2), (4, 4, 2)),
        ("GaussianNoise", lambda K: K.layers.GaussianNoise(0.3), (4,)),
        ("Identity", lambda K: K.layers.Identity(), (4,)),
        ("LSTM_sequences", lambda K: K.layers.LSTM(3, return_sequences=True,
                                                   go_backwards=True), (5, 4)),
        ("GRU_no_reset_after", lambda K: K.layers.GRU(3, reset_after=False), (5, 4)),
        ("Embedding_mask", lambda K: K.layers.Embedding(10, 3, mask_zero=True), (5,)),
        ("UpSampling1D", lambda K: K.layers.UpSampling1D(2), (4, 2)),
        ("ZeroPadding1D", lambda K: K.layers.ZeroPadding1D(2), (4, 2)),
        ("Conv3DTranspose", lambda K: K.layers.Conv3DTranspose(2, 2), (3, 3, 3, 2)),
    ]
    return [c for c in cases if hasattr(L, c[0].split("_")[0])]


def _layer_input(name, shape):
    if name.startswith("Embedding"):
        return np.random.default_rng(0).integers(0, 10, (2,) + shape)
    return _rand(2, *shape)


@pytest.mark.parametrize("name,make,shape", _supported_layer_models(),
                         ids=[c[0] for c in _supported_layer_models()])
def test_every_supported_layer_moves_between_keras3_and_kerastorch(tmp_path, name, make, shape):
    keras = import_keras3()
    x = _layer_input(name, shape)
    k_model = keras.Sequential([keras.Input(shape), make(keras)])
    _randomize(k_model)
    k_model.save(tmp_path / "k.keras")
    k_model.save_weights(tmp_path / "k.weights.h5")
    expected = _k3_out(k_model, x)
    # Keras 3 -> kerastorch, whole model and weights only.
    restored = kt.models.load_model(tmp_path / "k.keras")
    _close(_out(restored, x), expected)
    t_model = kt.Sequential([kt.Input(shape), make(kt)])
    t_model.load_weights(tmp_path / "k.weights.h5")
    _close(_out(t_model, x), expected)
    # kerastorch -> Keras 3.
    _randomize(t_model, seed=2)
    t_model.save(tmp_path / "t.keras")
    t_model.save_weights(tmp_path / "t.weights.h5")
    k_restored = keras.models.load_model(tmp_path / "t.keras")
    _close(_k3_out(k_restored, x), _out(t_model, x))
    k_model.load_weights(tmp_path / "t.weights.h5")
    _close(_k3_out(k_model, x), _out(t_model, x))


# ------------------------------------------------------------------ Keras 3 files
@pytest.mark.parametrize("build", [kt_cnn, kt_functional, kt_nested])
def test_keras3_files_load_into_kerastorch_with_same_outputs(tmp_path, build):
    keras = import_keras3()
    k_model = build(keras)
    _randomize(k_model)
    k_model.save(tmp_path / "k.keras")
    k_model.save_weights(tmp_path / "k.weights.h5")
    x = [_rand(2, 4), _rand(2, 3)] if build is kt_functional else \
        _rand(2, *k_model.inputs[0].shape[1:])
    expected = _k3_out(k_model, x)
    restored = kt.models.load_model(tmp_path / "k.keras")
    _close(_out(restored, x), expected)
    # Keras 3's auto names ('input_layer', 'functional') differ from kerastorch's: the weights
    # file is keyed by position in the model, so a model built in kerastorch code loads it.
    t_model = build(kt)
    t_model.load_weights(tmp_path / "k.weights.h5")
    _close(_out(t_model, x), expected)


@pytest.mark.parametrize("build", [kt_cnn, kt_functional, kt_nested])
def test_kerastorch_files_load_in_keras3_with_same_outputs(tmp_path, build):
    keras = import_keras3()
    t_model = build(kt)
    _randomize(t_model)
    t_model.save(tmp_path / "t.keras")
    t_model.save_weights(tmp_path / "t.weights.h5")
    t_model.save_weights(tmp_path / "t.h5")
    x = [_rand(2, 4), _rand(2, 3)] if build is kt_functional else \
        _rand(2, *t_model.inputs[0].shape[1:])
    expected = _out(t_model, x)
    k_restored = keras.models.load_model(tmp_path / "t.keras")
    _close(_k3_out(k_restored, x), expected)
    k_model = build(keras)
    k_model.load_weights(tmp_path / "t.weights.h5")
    _close(_k3_out(k_model, x), expected)
    k_model = build(keras)
    k_model.load_weights(tmp_path / "t.h5")  # Keras 3 reads legacy .h5 by layer order
    _close(_k3_out(k_model, x), expected)


def test_keras3_legacy_h5_whole_model_and_weights_load(tmp_path):
    keras = import_keras3()
    k_model = kt_nested(keras)
    _randomize(k_model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k_model.save(tmp_path / "k.h5")  # Keras 3 writes Keras 2's whole-model HDF5 layout
    x = _rand(2, 5)
    restored = kt.models.load_model(tmp_path / "k.h5")
    _close(_out(restored, x), _k3_out(k_model, x))
    t_model = kt_nested()
    t_model.load_weights(tmp_path / "k.h5")
    _close(_out(t_model, x), _k3_out(k_model, x))


def test_kerastorch_whole_model_h5_loads_in_keras3(tmp_path):
    keras = import_keras3()
    t_model = kt_cnn()
    _randomize(t_model)
    t_model.save(tmp_path / "t.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k_model = keras.models.load_model(tmp_path / "t.h5")
    x = _rand(2, 8, 8, 3)
    _close(_k3_out(k_model, x), _out(t_model, x))


def test_keras3_weights_file_layout_is_written(tmp_path):
    model = kt_nested()
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5") as f:
        assert f["layers/dense/vars/0"].shape == (5, 6)
        assert f["layers/sequential/layers/dense/vars/0"].shape == (6, 4)
        assert f["layers/sequential/layers/dense_1/vars/1"].shape == (3,)
        assert f["layers/functional/layers/dense/vars/0"].shape == (3, 2)
        assert f["layers/sequential/vars"].attrs["name"] == "inner"
        assert f["vars"].attrs["name"] == model.name


def test_multi_head_attention_and_merging_keras3_parity(tmp_path):
    keras = import_keras3()

    def build(K):
        q = K.Input((4, 6), name="q")
        v = K.Input((5, 6), name="v")
        att = K.layers.MultiHeadAttention(num_heads=2, key_dim=3)(q, v)
        cat = K.layers.Concatenate()([att, q])
        return K.Model([q, v], K.layers.Dense(2)(cat))

    k_model = build(keras)
    _randomize(k_model)
    k_model.save(tmp_path / "k.keras")
    x = [_rand(2, 4, 6), _rand(2, 5, 6, seed=1)]
    expected = _k3_out(k_model, x)
    _close(_out(kt.models.load_model(tmp_path / "k.keras"), x), expected)
    t_model = build(kt)
    t_model.load_weights(tmp_path / "k.keras")
    _close(_out(t_model, x), expected)
    t_model.save(tmp_path / "t.keras")
    _close(_k3_out(keras.models.load_model(tmp_path / "t.keras"), x), expected)


# ------------------------------------------------------------------ Keras 2 .h5 fixtures
def _write_keras2_weights(path, layers, root_attrs=True, group=None):
    """Writes Keras 2's weights layout: [(layer_name, [(weight_name, array), ...]), ...]."""
    with h5py.File(path, "w") as f:
        g = f if group is None else f.create_group(group)
        g.attrs["layer_names"] = [name.encode() for name, _ in layers]
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = b"2.15.0"
        for name, weights in layers:
            lg = g.create_group(name)
            lg.attrs["weight_names"] = [w.encode() for w, _ in weights]
            for w, value in weights:
                lg.create_dataset(w, data=value)
        return f


def _keras2_fixture_layers(rng):
    k1, b1 = rng.standard_normal((4, 3)).astype("float32"), rng.standard_normal(3).astype("f4")
    k2, b2 = rng.standard_normal((3, 2)).astype("float32"), rng.standard_normal(2).astype("f4")
    return [("input_1", []),
            ("dense", [("dense/kernel:0", k1), ("dense/bias:0", b1)]),
            ("dropout", []),
            ("dense_1", [("dense_1/kernel:0", k2), ("dense_1/bias:0", b2)])]


def _mlp(names=("dense", "dense_1")):
    return kt.Sequential([kt.Input((4,)), L.Dense(3, name=names[0]), L.Dense(2, name=names[1])])


def test_keras2_h5_weights_load_by_order(tmp_path):
    saved = _keras2_fixture_layers(np.random.default_rng(0))
    _write_keras2_weights(tmp_path / "w.h5", saved)
    model = _mlp(names=("first", "second"))  # names differ: order decides
    model.load_weights(tmp_path / "w.h5")
    expected = [saved[1][1][0][1], saved[1][1][1][1], saved[3][1][0][1], saved[3][1][1][1]]
    for got, want in zip(model.get_weights(), expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_keras2_h5_weights_load_by_name_and_skip_mismatch(tmp_path):
    rng = np.random.default_rng(0)
    saved = _keras2_fixture_layers(rng)
    saved[3] = ("dense_1", [("dense_1/kernel:0", np.ones((7, 2), "float32")),
                            ("dense_1/bias:0", np.ones(2, "float32"))])
    saved.append(("unused", [("unused/kernel:0", np.ones((1, 1), "float32"))]))
    _write_keras2_weights(tmp_path / "w.h5", saved)
    model = kt.Sequential([kt.Input((4,)), L.Dense(2, name="dense_1"), L.Dense(3, name="x"),
                           L.Dense(3, name="dense")])
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"dense_1.*kernel.*\(4, 2\).*\(7, 2\)"):
        model.load_weights(tmp_path / "w.h5", by_name=True)
    for a, b in zip(before, model.get_weights(), strict=True):  # nothing changed
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="Skipping"):
        model.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    # Per weight, as Keras 2: dense_1's kernel (4, 2) vs (7, 2) and dense's kernel (3, 3) vs
    # (4, 3) are skipped, the biases fit and load; 'x' is not in the file.
    after = model.get_weights()
    for i in (0, 2, 3, 4):
        np.testing.assert_array_equal(after[i], before[i])
    np.testing.assert_array_equal(after[1], np.ones(2, "float32"))
    np.testing.assert_array_equal(after[5], saved[1][1][1][1])
    model = kt.Sequential([kt.Input((4,)), L.Dense(3, name="dense"), L.Dense(2, name="x"),
                           L.Dense(2, name="dense_1")])
    with pytest.warns(UserWarning, match=r"dense_1.*\(2, 2\).*\(7, 2\)"):
        model.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    np.testing.assert_array_equal(model.get_layer("dense").get_weights()[0], saved[1][1][0][1])


def test_keras2_h5_by_name_loads_matching_layers(tmp_path):
    saved = _keras2_fixture_layers(np.random.default_rng(0))
    _write_keras2_weights(tmp_path / "w.h5", saved)
    model = kt.Sequential([kt.Input((4,)), L.Dense(3, name="dense"), L.Dense(5, name="other"),
                           L.Dense(2, name="extra")])
    before = model.get_weights()
    model.load_weights(tmp_path / "w.h5", by_name=True)
    np.testing.assert_array_equal(model.get_layer("dense").get_weights()[0], saved[1][1][0][1])
    np.testing.assert_array_equal(model.get_layer("other").get_weights()[0], before[2])


def test_keras2_whole_model_h5_fixture_loads(tmp_path):
    rng = np.random.default_rng(0)
    saved = _keras2_fixture_layers(rng)
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4],
                                                "dtype": "float32", "sparse": False,
                                                "ragged": False, "name": "input_1"}},
        {"class_name": "Dense", "config": {
            "name": "dense", "trainable": True, "dtype": "float32", "units": 3,
            "activation": "relu", "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None,
            "bias_constraint": None}},
        {"class_name": "Dropout", "config": {"name": "dropout", "trainable": True,
                                             "dtype": "float32", "rate": 0.5,
                                             "noise_shape": None, "seed": None}},
        {"class_name": "Dense", "config": {
            "name": "dense_1", "trainable": True, "dtype": "float32", "units": 2,
            "activation": "softmax", "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}}}}]},
        "keras_version": "2.15.0", "backend": "tensorflow"}
    _write_keras2_weights(tmp_path / "m.h5", saved, group="model_weights")
    with h5py.File(tmp_path / "m.h5", "a") as f:
        f.attrs["model_config"] = json.dumps(config).encode()
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["backend"] = b"tensorflow"
    model = kt.models.load_model(tmp_path / "m.h5")
    assert [lay.name for lay in model.layers] == ["dense", "dropout", "dense_1"]
    x = _rand(3, 4)
    k1, b1, k2, b2 = saved[1][1][0][1], saved[1][1][1][1], saved[3][1][0][1], saved[3][1][1][1]
    h = np.maximum(x @ k1 + b1, 0) @ k2 + b2
    expected = np.exp(h) / np.exp(h).sum(-1, keepdims=True)
    _close(_out(model, x), expected)


def test_keras2_functional_config_with_nested_model(tmp_path):
    # Keras 2's functional config: nodes as [layer, node, tensor, kwargs], and a nested model
    # whose own first node counts in the node indices.
    inner = {"class_name": "Functional", "config": {
        "name": "inner", "layers": [
            {"class_name": "InputLayer", "name": "in_inner", "inbound_nodes": [],
             "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "in_inner"}},
            {"class_name": "Dense", "name": "d_inner", "config": {"name": "d_inner", "units": 2},
             "inbound_nodes": [[["in_inner", 0, 0, {}]]]}],
        "input_layers": [["in_inner", 0, 0]], "output_layers": [["d_inner", 0, 0]]},
        "name": "inner", "inbound_nodes": [[["d_outer", 0, 0, {}]]]}
    config = {"class_name": "Functional", "config": {
        "name": "outer", "layers": [
            {"class_name": "InputLayer", "name": "x", "inbound_nodes": [],
             "config": {"batch_input_shape": [None, 4], "dtype": "float32", "name": "x"}},
            {"class_name": "Dense", "name": "d_outer", "config": {"name": "d_outer", "units": 3},
             "inbound_nodes": [[["x", 0, 0, {}]]]},
            inner],
        "input_layers": [["x", 0, 0]], "output_layers": [["inner", 1, 0]]}}
    model = kt.models.model_from_config(config)
    assert [lay.name for lay in model.layers] == ["x", "d_outer", "inner"]
    assert _out(model, _rand(2, 4)).shape == (2, 2)


# ------------------------------------------------------------------ errors
def test_different_architecture_weights_h5_raises_and_changes_nothing(tmp_path):
    _mlp().save_weights(tmp_path / "m.weights.h5")
    other = kt.Sequential([kt.Input((4,)), L.Dense(5), L.Dense(2)])
    before = other.get_weights()
    with pytest.raises(ValueError) as info:
        other.load_weights(tmp_path / "m.weights.h5")
    message = str(info.value)
    assert "dense" in message and "kernel" in message and "(4, 5)" in message and \
        "(4, 3)" in message
    for a, b in zip(before, other.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_missing_layer_in_weights_file_raises(tmp_path):
    kt.Sequential([kt.Input((4,)), L.Dense(3)]).save_weights(tmp_path / "m.weights.h5")
    with pytest.raises(ValueError, match=r"dense_1.*expects 2 weight.*has 0"):
        _mlp().load_weights(tmp_path / "m.weights.h5")
    three = kt.Sequential([kt.Input((4,)), L.Dense(3), L.Dense(2), L.Dense(2)])
    three.save_weights(tmp_path / "three.weights.h5")
    with pytest.raises(ValueError, match="does not have"):
        _mlp().load_weights(tmp_path / "three.weights.h5")


def test_skip_mismatch_loads_the_rest(tmp_path):
    source = kt.Sequential([kt.Input((4,)), L.Dense(3), L.Dense(7)])
    _randomize(source)
    source.save_weights(tmp_path / "m.weights.h5")
    target = _mlp()
    before = target.get_weights()
    with pytest.warns(UserWarning, match="Skipping"):
        target.load_weights(tmp_path / "m.weights.h5", skip_mismatch=True)
    got = target.get_weights()
    np.testing.assert_array_equal(got[0], source.get_weights()[0])
    np.testing.assert_array_equal(got[2], before[2])


def test_legacy_h5_layer_count_and_weight_shape_errors(tmp_path):
    _mlp().save_weights(tmp_path / "m.h5")
    with pytest.raises(ValueError, match="Layer count mismatch"):
        kt.Sequential([kt.Input((4,)), L.Dense(2)]).load_weights(tmp_path / "m.h5")
    model = kt.Sequential([kt.Input((4,)), L.Dense(3), L.Dense(9)])
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"dense_1.*kernel.*\(3, 9\).*\(3, 2\)"):
        model.load_weights(tmp_path / "m.h5")
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_torch_state_dict_mismatch_raises_and_changes_nothing(tmp_path):
    _mlp().save_weights(tmp_path / "m.pt")
    model = kt.Sequential([kt.Input((4,)), L.Dense(3), L.Dense(9)])
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"1\.weight.*dense_1.*\(9, 3\).*\(2, 3\)"):
        model.load_weights(tmp_path / "m.pt")
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("filename", ["m.weights.h5", "m.h5", "m.keras", "m.pt"])
def test_truncated_file_gives_clear_error(tmp_path, filename):
    model = _mlp()
    path = tmp_path / filename
    model.save(path) if filename.endswith(".keras") else model.save_weights(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ValueError, match="corrupt"):
        if filename.endswith(".keras"):
            kt.models.load_model(path)
        else:
            model.load_weights(path)


def test_garbage_file_gives_clear_error(tmp_path):
    path = tmp_path / "m.weights.h5"
    path.write_bytes(b"not an hdf5 file at all" * 10)
    with pytest.raises(ValueError, match="not a valid HDF5 file"):
        _mlp().load_weights(path)
    with pytest.raises(FileNotFoundError):
        _mlp().load_weights(tmp_path / "absent.weights.h5")


def test_bad_extension_errors(tmp_path):
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        _mlp().save(tmp_path / "m.txt")
    with pytest.raises(ValueError, match="weights.h5"):
        _mlp().save_weights(tmp_path / "m.txt")


class MyScale(kt.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["factor"] = self.factor
        return config


def test_unknown_custom_layer_names_class_and_custom_objects(tmp_path):
    model = kt.Sequential([kt.Input((3,)), MyScale(3.0), L.Dense(2)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match=r"MyScale.*custom_objects"):
        kt.models.load_model(tmp_path / "m.keras")
    restored = kt.models.load_model(tmp_path / "m.keras", custom_objects={"MyScale": MyScale})
    x = _rand(2, 3)
    _close(_out(restored, x), _out(model, x))
    with kt.saving.custom_object_scope({"MyScale": MyScale}):
        _close(_out(kt.models.load_model(tmp_path / "m.keras"), x), _out(model, x))


def test_register_keras_serializable(tmp_path):
    @kt.saving.register_keras_serializable(package="tests")
    class Doubler(MyScale):
        pass

    assert kt.saving.get_custom_objects()["tests>Doubler"] is Doubler
    model = kt.Sequential([kt.Input((3,)), Doubler(2.0)])
    config = json.loads(model.to_json())
    assert config["config"]["layers"][1]["registered_name"] == "tests>Doubler"
    model.save(tmp_path / "m.keras")
    restored = kt.models.load_model(tmp_path / "m.keras")
    assert type(restored.layers[0]) is Doubler and restored.layers[0].factor == 2.0
    del kt.saving.get_custom_objects()["tests>Doubler"]


def test_missing_h5py_gives_clear_import_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match="pip install h5py"):
        _mlp().save_weights(tmp_path / "m.weights.h5")


# ------------------------------------------------------------------ configs
def test_get_config_from_config_to_json_model_from_json():
    model = kt_functional()
    _randomize(model)
    config = model.get_config()
    assert [c["class_name"] for c in config["layers"]][:2] == ["InputLayer", "InputLayer"]
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    clone = kt.Model.from_config(config)
    assert [lay.name for lay in clone.layers] == [lay.name for lay in model.layers]
    assert clone.count_params() == model.count_params()
    js = model.to_json()
    again = kt.models.model_from_json(js)
    assert json.loads(again.to_json())["config"]["layers"] == json.loads(js)["config"]["layers"]
    seq = kt_cnn()
    seq2 = kt.Sequential.from_config(seq.get_config())
    assert [type(a) for a in seq2.layers] == [type(b) for b in seq.layers]
    dense = L.Dense(3, activation="relu", name="d")
    dense2 = L.Dense.from_config(dense.get_config())
    assert dense2.get_config() == dense.get_config()


def test_keras3_reads_kerastorch_json_config():
    keras = import_keras3()
    model = kt_nested()
    k_model = keras.models.model_from_json(model.to_json())
    assert [lay.name for lay in k_model.layers] == [lay.name for lay in model.layers]
    assert k_model.count_params() == model.count_params()


@pytest.mark.parametrize("build", [kt_cnn, kt_functional, kt_nested])
def test_clone_model(build):
    model = build()
    clone = kt.models.clone_model(model)
    assert clone is not model
    assert [lay.name for lay in clone.layers] == [lay.name for lay in model.layers]
    assert all(a is not b for a, b in zip(clone.layers, model.layers, strict=True))
    clone.set_weights(model.get_weights())
    x = [_rand(2, 4), _rand(2, 3)] if build is kt_functional else \
        _rand(2, *model.inputs[0].shape[1:])
    _close(_out(clone, x), _out(model, x))


# ------------------------------------------------------------------ optimizer state
def _train_step(model, optimizer, x, y):
    loss = ((model(torch.as_tensor(x)) - torch.as_tensor(y)) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def test_optimizer_state_saved_and_restored_with_weights(tmp_path):
    model = _mlp()
    model.optimizer = kt.optimizers.Adam(learning_rate=0.01)
    model.optimizer.build(model.trainable_weights)
    x, y = _rand(8, 4), _rand(8, 2, seed=1)
    for _ in range(3):
        _train_step(model, model.optimizer, x, y)
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5") as f:
        assert len(f["optimizer/vars"]) == 2 + 2 * 4
        assert int(f["optimizer/vars/0"][()]) == 3
    other = _mlp()
    other.optimizer = kt.optimizers.Adam(learning_rate=0.01)
    other.load_weights(tmp_path / "m.weights.h5")
    assert other.optimizer.iterations == 3
    for a, b in zip(model.optimizer.variables, other.optimizer.variables, strict=True):
        np.testing.assert_allclose(_np(a), _np(b))
    # Training continues identically from the restored state.
    _train_step(model, model.optimizer, x, y)
    _train_step(other, other.optimizer, x, y)
    for a, b in zip(model.get_weights(), other.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_keras3_optimizer_state_loads(tmp_path):
    keras = import_keras3()
    k_model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
                                keras.layers.Dense(2)])
    k_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    k_model.fit(_rand(8, 4), _rand(8, 2, seed=1), epochs=2, batch_size=4, verbose=0)
    k_model.save_weights(tmp_path / "k.weights.h5")
    model = _mlp()
    model.optimizer = kt.optimizers.Adam(learning_rate=0.01)
    model.load_weights(tmp_path / "k.weights.h5")
    assert model.optimizer.iterations == 4
    k_vars = [_np(v.value) for v in k_model.optimizer.variables]
    t_vars = model.optimizer._keras_layout(model.optimizer.variables)
    assert len(k_vars) == len(t_vars) == 10
    for a, b in zip(k_vars, t_vars, strict=True):
        np.testing.assert_allclose(a, _np(b), atol=1e-7)


def _compiled_mlp(K):
    model = K.Sequential([K.Input((4,)), K.layers.Dense(3, activation="relu"),
                          K.layers.Dense(2)])
    model.compile(optimizer=K.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    return model


def test_keras3_keras_file_restores_optimizer_and_training_resumes(tmp_path):
    keras = import_keras3()
    x, y = _rand(16, 4), _rand(16, 2, seed=1)
    k_model = _compiled_mlp(keras)
    k_model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    k_model.save(tmp_path / "k.keras")
    model = kt.models.load_model(tmp_path / "k.keras")
    assert model.compiled and isinstance(model.optimizer, kt.optimizers.Adam)
    assert model.optimizer.iterations == 4
    k_vars = [_np(v.value) for v in k_model.optimizer.variables]
    t_vars = [_np(v) for v in model.optimizer._keras_layout(model.optimizer.variables)]
    assert len(k_vars) == len(t_vars)
    for a, b in zip(k_vars, t_vars, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-7)
    k_model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    for a, b in zip(k_model.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=ATOL)


def test_kerastorch_keras_file_restores_optimizer_in_keras3(tmp_path):
    keras = import_keras3()
    x, y = _rand(16, 4), _rand(16, 2, seed=1)
    model = _compiled_mlp(kt)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / "t.keras")
    k_model = keras.models.load_model(tmp_path / "t.keras")
    assert int(k_model.optimizer.iterations) == 4
    k_vars = [_np(v.value) for v in k_model.optimizer.variables]
    t_vars = [_np(v) for v in model.optimizer._keras_layout(model.optimizer.variables)]
    for a, b in zip(k_vars, t_vars, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-7)
    restored = kt.models.load_model(tmp_path / "t.keras")
    assert restored.optimizer.iterations == 4
    restored_uncompiled = kt.models.load_model(tmp_path / "t.keras", compile=False)
    assert not restored_uncompiled.compiled


def _subclassed(K):
    class Net(K.Model):
        def __init__(self):
            super().__init__()
            self.d1 = K.layers.Dense(3)
            self.blocks = [K.layers.Dense(2), K.layers.Dense(2)]
            self.bn = K.layers.BatchNormalization()

        def call(self, x):
            return self.bn(self.blocks[1](self.blocks[0](self.d1(x))))

    return Net()


def test_subclassed_model_weights_move_between_keras3_and_kerastorch(tmp_path):
    keras = import_keras3()
    x = _rand(2, 4)
    k_model = _subclassed(keras)
    k_model(x)
    rng = np.random.default_rng(0)
    k_model.set_weights([rng.random(w.shape).astype("float32") for w in k_model.get_weights()])
    k_model.save_weights(tmp_path / "k.weights.h5")
    t_model = _subclassed(kt)
    t_model(torch.as_tensor(x))
    t_model.load_weights(tmp_path / "k.weights.h5")
    _close(_out(t_model, x), _k3_out(k_model, x))
    t_model.bn.set_weights([w * 2 for w in t_model.bn.get_weights()])
    t_model.save_weights(tmp_path / "t.weights.h5")
    k_model.load_weights(tmp_path / "t.weights.h5")
    _close(_k3_out(k_model, x), _out(t_model, x))


def test_load_weights_into_unbuilt_model_says_build_first(tmp_path):
    _mlp().save_weights(tmp_path / "m.weights.h5")
    unbuilt = kt.Sequential([L.Dense(3), L.Dense(2)])
    with pytest.raises(ValueError, match="not built"):
        unbuilt.load_weights(tmp_path / "m.weights.h5")
    unbuilt.build((None, 4))
    unbuilt.load_weights(tmp_path / "m.weights.h5")


def _shared(K):
    a = K.Input((4,), name="a")
    b = K.Input((4,), name="b")
    shared = K.layers.Dense(3, name="shared")
    ya, yb = shared(a), shared(b)
    tower = K.Sequential([K.Input((3,)), K.layers.Dense(3)], name="tower")
    za, zb = tower(ya), tower(yb)
    return K.Model([a, b], [K.layers.Dense(1, name="head")(za), zb])


def test_shared_layers_and_models_round_trip_with_keras3(tmp_path):
    keras = import_keras3()
    x = [_rand(2, 4), _rand(2, 4, seed=1)]
    k_model = _shared(keras)
    _randomize(k_model)
    k_model.save(tmp_path / "k.keras")
    restored = kt.models.load_model(tmp_path / "k.keras")
    _close(_out(restored, x), _k3_out(k_model, x))
    assert len(restored.get_layer("shared")._inbound_nodes) == 2
    t_model = _shared(kt)
    _randomize(t_model, seed=3)
    t_model.save(tmp_path / "t.keras")
    _close(_k3_out(keras.models.load_model(tmp_path / "t.keras"), x), _out(t_model, x))
    _close(_out(kt.models.load_model(tmp_path / "t.keras"), x), _out(t_model, x))


def test_keras3_custom_layer_file_loads_with_custom_objects(tmp_path):
    keras = import_keras3()

    @keras.saving.register_keras_serializable(package="k3pkg")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    k_model = keras.Sequential([keras.Input((3,)), Scale(3.0), keras.layers.Dense(2)])
    k_model.save(tmp_path / "k.keras")
    with pytest.raises(ValueError, match=r"Scale.*custom_objects"):
        kt.models.load_model(tmp_path / "k.keras")
    restored = kt.models.load_model(tmp_path / "k.keras", custom_objects={"Scale": MyScale})
    x = _rand(2, 3)
    _close(_out(restored, x), _k3_out(k_model, x))
    restored = kt.models.load_model(tmp_path / "k.keras",
                                    custom_objects={"k3pkg>Scale": MyScale})
    _close(_out(restored, x), _k3_out(k_model, x))


def test_lambda_layers_need_safe_mode_false_and_move_with_keras3(tmp_path):
    keras = import_keras3()
    x = _rand(2, 3)
    with pytest.warns(UserWarning, match="lambda"):
        kt.Sequential([kt.Input((3,)), L.Lambda(lambda t: t * 2.0 + 1.0)]).save(
            tmp_path / "t.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        kt.models.load_model(tmp_path / "t.keras")
    restored = kt.models.load_model(tmp_path / "t.keras", safe_mode=False)
    _close(_out(restored, x), x * 2.0 + 1.0)
    k_restored = keras.models.load_model(tmp_path / "t.keras", safe_mode=False)
    _close(_k3_out(k_restored, x), x * 2.0 + 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: t - 3.0)]).save(
            tmp_path / "k.keras")
    restored = kt.models.load_model(tmp_path / "k.keras", safe_mode=False)
    _close(_out(restored, x), x - 3.0)


class _CellLayer(kt.layers.Layer):
    """Keeps its weight itself, where its Keras 3 counterpart keeps it in a `cell` sublayer."""

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 2), name="kernel")

    def call(self, x):
        return x @ self.kernel

    def compute_output_shape(self, input_shape):
        return input_shape[:-1] + (2,)

    def _keras3_variable_groups(self):
        return {"": [], "cell": [self.kernel]}


def test_layer_hook_places_variables_where_keras3_keeps_them(tmp_path):
    model = kt.Sequential([kt.Input((3,)), _CellLayer()])
    _randomize(model)
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5") as f:
        np.testing.assert_array_equal(f["layers/private__cell_layer/cell/vars/0"][()],
                                      model.get_weights()[0])
    other = kt.Sequential([kt.Input((3,)), _CellLayer()])
    other.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_array_equal(other.get_weights()[0], model.get_weights()[0])


def test_whole_model_h5_restores_optimizer_state(tmp_path):
    keras = import_keras3()
    x, y = _rand(16, 4), _rand(16, 2, seed=1)
    model = _compiled_mlp(kt)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / "t.h5")
    restored = kt.models.load_model(tmp_path / "t.h5")
    assert restored.compiled and restored.optimizer.iterations == 4
    for a, b in zip(model.optimizer._keras_layout(model.optimizer.variables),
                    restored.optimizer._keras_layout(restored.optimizer.variables), strict=True):
        np.testing.assert_array_equal(_np(a), _np(b))
    k_model = _compiled_mlp(keras)
    k_model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k_model.save(tmp_path / "k.h5")
    restored = kt.models.load_model(tmp_path / "k.h5")
    assert restored.optimizer.iterations == 4
    for a, b in zip(k_model.optimizer.variables,
                    restored.optimizer._keras_layout(restored.optimizer.variables), strict=True):
        np.testing.assert_allclose(_np(a.value), _np(b), atol=1e-7)
    _close(_out(restored, x), _k3_out(k_model, x))


def test_layers_serialize_and_deserialize_with_keras3():
    keras = import_keras3()
    config = kt.layers.serialize(L.Conv2D(4, 3, strides=2, activation="relu", name="c"))
    assert config["module"] == "keras.layers" and config["class_name"] == "Conv2D"
    k_layer = keras.layers.deserialize(config)
    assert (k_layer.name, k_layer.filters, k_layer.strides) == ("c", 4, (2, 2))
    layer = kt.layers.deserialize(keras.layers.serialize(keras.layers.Dense(5, use_bias=False)))
    assert isinstance(layer, L.Dense) and layer.units == 5 and layer.use_bias is False
