"""Models real tf.keras 2.21 wrote load in kerastorch: architecture, weights and predictions.

For every fixture of tests/keras2/fixtures (written by make_files.py under tf_keras): the
full-model `.h5` and tf.keras's `.keras` rebuild the model (layer names and order, parameter
count) and predict what tf.keras predicted (data.npz `pred`); the weights-only `.h5` loads into
it by order and by name, and with `skip_mismatch=True` into a model that differs in one layer.

What tf.keras recorded is the reference: `model_weights.attrs["layer_names"]` of model.h5 lists
tf.keras's `model.layers`, and weights.h5 holds every weight `count_params()` counts.
"""

import json
import warnings

import h5py
import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.saving import keras2_loading
from kerastorch.saving import object_registration
from tests.keras2.custom_layers import CUSTOM_OBJECTS
from tests.keras2.oracle import FIXTURES
from tests.keras2.oracle import fixture_dir
from tests.keras2.oracle import run_tf

ATOL = 1e-5
# Deep conv stacks with BatchNormalization: float32 sums over 3x3xC windows, several layers
# deep, differ between TF's and torch's kernels by a few 1e-6 per layer.
CONV_STACK_ATOL = {"resnet_block": 1e-4, "unet_small": 1e-4}


def fixture_names():
    if not FIXTURES.exists():
        return []
    return sorted(p.name for p in FIXTURES.iterdir()
                  if (p / "meta.json").exists() and p.name != "zoo")


NAMES = fixture_names()
def _params(names):
    return list(names)


def _meta(name):
    return json.loads((fixture_dir(name) / "meta.json").read_text())


def _inputs(name):
    data = np.load(fixture_dir(name) / "data.npz")
    meta = _meta(name)
    if "x" in data.files:
        return data["x"]
    return [data[f"x_{n}"] for n in meta["inputs"]]


def _expected(name):
    data = np.load(fixture_dir(name) / "data.npz")
    if "pred" in data.files:
        return [data["pred"]]
    return [data[k] for k in sorted((k for k in data.files if k.startswith("pred_")),
                                    key=lambda k: int(k.split("_")[1]))]


def _predict(model, x):
    out = model.predict(x, verbose=0)
    return [np.asarray(o) for o in out] if isinstance(out, (list, tuple)) else [np.asarray(out)]


def _load(name, filename, **kwargs):
    meta = _meta(name)
    kwargs.setdefault("compile", False)
    if meta.get("custom_objects"):
        kwargs.setdefault("custom_objects", CUSTOM_OBJECTS)
    if meta.get("safe_mode") is False:
        kwargs.setdefault("safe_mode", False)
    keras.backend.clear_session()
    return keras.models.load_model(fixture_dir(name) / filename, **kwargs)


def _tf_layer_names(name):
    with h5py.File(fixture_dir(name) / "model.h5", "r") as f:
        return [n.decode() if isinstance(n, bytes) else str(n)
                for n in f["model_weights"].attrs["layer_names"]]


def _tf_param_count(name):
    sizes = []
    with h5py.File(fixture_dir(name) / "weights.h5", "r") as f:
        f.visititems(lambda _, obj: sizes.append(obj.size) if isinstance(obj, h5py.Dataset)
                     else None)
    return int(sum(sizes))


def _assert_predicts_like_tf(name, model):
    got = _predict(model, _inputs(name))
    expected = _expected(name)
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g.shape == e.shape
        np.testing.assert_allclose(g, e, atol=CONV_STACK_ATOL.get(name, ATOL), rtol=0)


# ------------------------------------------------------------------ whole models
@pytest.mark.parametrize("filename", ["model.h5", "model.keras"])
@pytest.mark.parametrize("name", NAMES)
def test_tf_keras_model_file_rebuilds_the_architecture(name, filename):
    model = _load(name, filename)
    assert [layer.name for layer in model.layers] == _tf_layer_names(name)
    assert len(model.layers) == len(_tf_layer_names(name))
    assert model.count_params() == _tf_param_count(name)


@pytest.mark.parametrize("filename", ["model.h5", "model.keras"])
@pytest.mark.parametrize("name", _params(NAMES))
def test_tf_keras_model_file_predicts_like_tf(name, filename):
    _assert_predicts_like_tf(name, _load(name, filename))


def test_every_issue_fixture_is_covered():
    for name in ("cnn_bn_dropout", "text_two_input", "resnet_block", "unet_small", "timeseries",
                 "transformer_block", "normalization_l2_auc", "frozen_nested",
                 "functional_shared", "multi_output_loss_weights", "tfoplambda", "lambda_layer",
                 "custom_layer", "legacy_tf1"):
        assert name in NAMES, name


def test_legacy_tf1_file_is_keras_2_1_layout():
    with h5py.File(fixture_dir("legacy_tf1") / "model.h5", "r") as f:
        version = f.attrs["keras_version"]
        config = json.loads(f.attrs["model_config"])
    assert (version.decode() if isinstance(version, bytes) else version) == "2.1.6"
    assert isinstance(config["config"], list)  # a bare list of layers
    assert keras2_loading.is_keras2_config(config)
    model = _load("legacy_tf1", "model.h5")
    assert isinstance(model, keras.Sequential)
    _assert_predicts_like_tf("legacy_tf1", model)


# ------------------------------------------------------------------ weights-only .h5
def _zero_weights(model):
    model.set_weights([np.zeros_like(w) for w in model.get_weights()])


@pytest.mark.parametrize("by_name", [False, True])
@pytest.mark.parametrize("name", _params(NAMES))
def test_weights_h5_loads_into_model_from_h5(name, by_name):
    model = _load(name, "model.h5")
    reference = [w.copy() for w in model.get_weights()]
    _zero_weights(model)
    model.load_weights(fixture_dir(name) / "weights.h5", by_name=by_name)
    for got, ref in zip(model.get_weights(), reference, strict=True):
        np.testing.assert_array_equal(got, ref)
    _assert_predicts_like_tf(name, model)


def _changed_config(name):
    """model.h5's config with one output layer made one unit (or filter) larger, and its name;
    None where no output layer has units or filters."""
    with h5py.File(fixture_dir(name) / "model.h5", "r") as f:
        config = json.loads(f.attrs["model_config"])
    inner = config["config"]
    layers = inner if isinstance(inner, list) else inner["layers"]
    outputs = {layers[-1]["config"]["name"]}
    if isinstance(inner, dict) and "output_layers" in inner:
        outputs = {entry[0] for entry in inner["output_layers"]}
    for layer in reversed(layers):
        cfg = layer["config"]
        if cfg.get("name") in outputs:
            for key in ("units", "filters"):
                if isinstance(cfg.get(key), int):
                    cfg[key] += 1
                    return config, cfg["name"]
    return None


CHANGEABLE = [n for n in NAMES if _changed_config(n) is not None]


@pytest.mark.parametrize("by_name", [False, True])
@pytest.mark.parametrize("name", CHANGEABLE)
def test_weights_h5_into_a_different_model_skips_only_the_mismatch(name, by_name):
    reference = _load(name, "model.h5")
    config, changed = _changed_config(name)
    custom = CUSTOM_OBJECTS if _meta(name).get("custom_objects") else None
    keras.backend.clear_session()
    model = keras2_loading.model_from_keras2_config(config, custom, safe_mode=False)
    before = [w.copy() for w in model.get_weights()]
    own = [w.copy() for w in model.get_layer(changed).get_weights()]
    path = fixture_dir(name) / "weights.h5"
    with pytest.raises(ValueError, match=rf"{changed}.*shape"):
        model.load_weights(path, by_name=by_name)
    for got, old in zip(model.get_weights(), before, strict=True):  # a failed load changes nothing
        np.testing.assert_array_equal(got, old)
    with pytest.warns(UserWarning, match="Skipping"):
        model.load_weights(path, by_name=by_name, skip_mismatch=True)
    for layer in model.layers:
        if layer.name == changed:  # keeps its own weights, of the new shapes
            ref = reference.get_layer(changed).get_weights()
            assert any(a.shape != b.shape for a, b in zip(layer.get_weights(), ref, strict=True))
            for got, old in zip(layer.get_weights(), own, strict=True):
                np.testing.assert_array_equal(got, old)
            continue
        for got, ref in zip(layer.get_weights(),
                            reference.get_layer(layer.name).get_weights(), strict=True):
            np.testing.assert_array_equal(got, ref)


# ------------------------------------------------------------------ Lambda, custom layers, ops
_LAMBDA_MESSAGE = "Requested the deserialization of a Lambda layer with a Python `lambda`"


@pytest.mark.parametrize("filename", ["model.h5", "model.keras"])
def test_lambda_layer_loads_only_with_safe_mode_false(filename):
    path = fixture_dir("lambda_layer") / filename
    with pytest.raises(ValueError, match="safe_mode=False") as info:
        keras.models.load_model(path, compile=False)
    assert _LAMBDA_MESSAGE in str(info.value)  # tf_keras's message,
    assert str(path) in str(info.value)  # after the name of the file being read
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(path, compile=False, safe_mode=True)
    model = keras.models.load_model(path, compile=False, safe_mode=False)
    assert any(type(layer).__name__ == "Lambda" for layer in model.layers)
    _assert_predicts_like_tf("lambda_layer", model)


@pytest.mark.parametrize("filename", ["model.h5", "model.keras"])
def test_custom_layer_needs_custom_objects(filename, monkeypatch):
    path = fixture_dir("custom_layer") / filename
    for key in [k for k, v in object_registration._GLOBAL_CUSTOM_OBJECTS.items()
                if v is CUSTOM_OBJECTS["ScaledDense"]]:
        monkeypatch.delitem(object_registration._GLOBAL_CUSTOM_OBJECTS, key)
    with pytest.raises(ValueError, match=r"ScaledDense.*custom_objects"):
        keras.models.load_model(path, compile=False)
    model = keras.models.load_model(path, compile=False, custom_objects=CUSTOM_OBJECTS)
    assert any(isinstance(layer, CUSTOM_OBJECTS["ScaledDense"]) for layer in model.layers)
    _assert_predicts_like_tf("custom_layer", model)
    with keras.saving.custom_object_scope(CUSTOM_OBJECTS):
        model = keras.models.load_model(path, compile=False)
    _assert_predicts_like_tf("custom_layer", model)


def test_tfoplambda_nodes_load_as_op_layers():
    model = _load("tfoplambda", "model.h5")
    ops = {layer.name: type(layer).__name__ for layer in model.layers}
    assert {"tf.math.multiply", "tf.concat", "tf.nn.relu"} <= set(ops)
    assert {ops[n] for n in ops if n.startswith("tf.")} == {"TFOpLambda"}


@pytest.mark.parametrize("filename", ["m.keras", "m.h5"])
def test_op_layers_survive_a_kerastorch_save(tmp_path, filename):
    """TFOpLambda layers loaded from tf.keras, and kerastorch's own (ops on Keras tensors,
    slicing, constants, several outputs), load again from the files kerastorch writes."""
    model = _load("tfoplambda", "model.h5")
    model.save(tmp_path / filename)
    _assert_predicts_like_tf("tfoplambda", keras.models.load_model(tmp_path / filename))
    a, b = keras.Input((6,), name="a"), keras.Input((6,), name="b")
    x = keras.layers.Dense(6, name="d")(a) * 2 - b
    x = keras.ops.concatenate([x, a], axis=-1)[:, 1:8:2]
    y = keras.ops.mean(x, axis=1, keepdims=True) + keras.ops.split(x, 2, axis=1)[0]
    ours = keras.Model([a, b], [y, -x, keras.ops.one_hot(keras.ops.argmax(x, axis=-1), 4)])
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal((3, 6)).astype("float32") for _ in range(2)]
    expected = _predict(ours, inputs)
    ours.save(tmp_path / ("k" + filename))
    got = _predict(keras.models.load_model(tmp_path / ("k" + filename)), inputs)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, atol=ATOL, rtol=0)


def test_unknown_tf_function_names_itself_and_can_be_given():
    config = {"class_name": "Functional", "config": {
        "name": "m", "layers": [
            {"class_name": "InputLayer", "name": "x", "inbound_nodes": [],
             "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "x"}},
            {"class_name": "TFOpLambda", "name": "tf.math.bessel_i0",
             "config": {"name": "tf.math.bessel_i0", "function": "math.bessel_i0",
                        "trainable": True, "dtype": "float32"},
             "inbound_nodes": [["x", 0, 0, {"name": None}]]}],
        "input_layers": [["x", 0, 0]], "output_layers": [["tf.math.bessel_i0", 0, 0]]}}
    with pytest.raises(ValueError, match=r"tf\.math\.bessel_i0"):
        keras2_loading.model_from_keras2_config(config)
    model = keras2_loading.model_from_keras2_config(
        config, custom_objects={"tf.math.bessel_i0": lambda x, name=None: torch.special.i0(x)})
    x = np.array([[0.0, 1.0, 2.0]], "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), torch.special.i0(
        torch.as_tensor(x)).numpy(), atol=1e-6)


def test_keras2_configs_are_detected():
    with h5py.File(fixture_dir("cnn_bn_dropout") / "model.h5", "r") as f:
        assert keras2_loading.is_keras2_config(json.loads(f.attrs["model_config"]))
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Dense(2)(inp))
    assert not keras2_loading.is_keras2_config(keras.saving.serialize_keras_object(model))


# ------------------------------------------------------------------ ops and layers vs TF live
def test_tf_ops_and_nested_models_load_like_tf(tmp_path):
    """More TF functions on Keras tensors, nested Sequential/functional models called twice,
    Keras 2 arguments (list kernel_size, time_major, hard_sigmoid): tf.keras writes `.h5` and
    `.keras` files and its predictions, kerastorch loads and predicts the same."""
    out = json.loads(run_tf("tf_load_models.py", tmp_path))
    assert out
    for name, inputs in out.items():
        data = np.load(tmp_path / f"{name}.npz")
        x = data["x"]
        for filename in (f"{name}.h5", f"{name}.keras"):
            keras.backend.clear_session()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = keras.models.load_model(tmp_path / filename, compile=False)
            assert [layer.name for layer in model.layers] == inputs["layers"], filename
            assert model.count_params() == inputs["params"], filename
            # outputs reach ~100 (sums of ~200 op results): float32 keeps ~7 digits of them
            np.testing.assert_allclose(_predict(model, x)[0], data["pred"], atol=ATOL, rtol=2e-6,
                                       err_msg=filename)


# ------------------------------------------------------------------ one model per layer class
def _zoo_meta():
    path = FIXTURES / "zoo" / "meta.json"
    return json.loads(path.read_text()) if path.exists() else {"layers": []}


@pytest.mark.parametrize("class_name", _zoo_meta()["layers"])
def test_zoo_model_of_each_layer_class_loads_and_predicts_like_tf(class_name):
    root = fixture_dir("zoo")
    count = _zoo_meta()["num_inputs"][class_name]
    data = np.load(root / "data.npz")
    x = [data[f"x_{class_name}_{k}"] for k in range(count)] if count > 1 \
        else data[f"x_{class_name}"]
    keras.backend.clear_session()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = keras.models.load_model(root / f"{class_name}.h5", compile=False)
    with h5py.File(root / f"{class_name}.h5", "r") as f:
        names = [n.decode() if isinstance(n, bytes) else str(n)
                 for n in f["model_weights"].attrs["layer_names"]]
    assert [layer.name for layer in model.layers] == names
    got = _predict(model, x)[0]
    expected = data[f"pred_{class_name}"]
    assert got.shape == expected.shape
    np.testing.assert_allclose(got.astype("float64"), expected, atol=ATOL, rtol=0)
