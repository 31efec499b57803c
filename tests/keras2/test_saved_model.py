"""tf.keras 2.21's SavedModel directories (`model.save(dir, save_format="tf")`) load without
TensorFlow: the model from keras_metadata.pb, its weights from the variables bundle, its compile
state from the metadata's training_config and its optimizer state from the bundle.

Shared fixtures: tests/keras2/fixtures (`make keras2-fixtures`). The cases they do not cover (a
plain `tf.Module`, a legacy optimizer's slot variables, a nested model with mixed trainability)
come from tests/keras2/tf_make_savedmodels.py, run under TensorFlow once per session.
"""

import json
import shutil
import sys

import numpy as np
import pytest

import kerastorch as keras
from kerastorch.saving.tf_format import saved_model
from tests.keras2.oracle import fixture_dir
from tests.keras2.oracle import run_tf
from tests.keras2.test_resume_training import assert_weights
from tests.keras2.test_resume_training import zero_dropout
from tests.keras2.test_tf_checkpoint import MODELS
from tests.keras2.test_tf_checkpoint import _assert_same
from tests.keras2.test_tf_checkpoint import _assert_weights_equal_h5
from tests.keras2.test_tf_checkpoint import load_kwargs

DEEP_CONV = {"resnet_block", "unet_small"}  # stacked convs: float32 sums in another order

# Dropout's random masks cannot match TensorFlow's: these resume with every rate at 0, against
# resumed_no_dropout.npz (test_resume_training.py says how).
RESUME_DROPOUT = ["cnn_bn_dropout", "frozen_nested", "transformer_block"]
COMPILE_GAPS = {}


def _gaps(names, gaps):
    return [pytest.param(n, marks=pytest.mark.xfail(reason=gaps[n], strict=True))
            if n in gaps else n for n in names]


def _inputs(root, meta):
    data = np.load(root / "data.npz")
    if len(meta["inputs"]) > 1:
        return [data[f"x_{n}"] for n in meta["inputs"]], data
    return data["x"], data


def _targets(data, meta):
    if len(meta["outputs"]) > 1:
        return [data[f"y_{n}"] for n in meta["outputs"]]
    return data["y"]


def _preds(data):
    if "pred" in data.files:
        return [data["pred"]]
    return [data[f"pred_{i}"] for i in range(sum(k.startswith("pred_") for k in data.files))]


@pytest.mark.parametrize("name", MODELS)
def test_saved_model_predicts_as_tf_keras_with_the_h5_weights(name):
    root = fixture_dir(name)
    meta = json.loads((root / "meta.json").read_text())
    model = keras.models.load_model(root / "savedmodel", **load_kwargs(root))
    _assert_weights_equal_h5(model, root / "weights.h5")
    x, data = _inputs(root, meta)
    got = model.predict(x, batch_size=meta["batch_size"], verbose=0)
    got = got if isinstance(got, (list, tuple)) else [got]
    atol = 1e-4 if name in DEEP_CONV else 1e-5
    for a, b in zip(got, _preds(data), strict=True):
        np.testing.assert_allclose(np.asarray(a), b, rtol=0, atol=atol)


@pytest.mark.parametrize("name", _gaps(MODELS, COMPILE_GAPS))
def test_saved_model_restores_the_compile_config(name):
    root = fixture_dir(name)
    model = keras.models.load_model(root / "savedmodel", **load_kwargs(root))
    metadata, _ = saved_model._root_metadata(str(root / "savedmodel"))
    optimizer = metadata["training_config"]["optimizer_config"]
    assert type(model.optimizer).__name__ == optimizer["class_name"].split(">")[-1]
    config = optimizer["config"]
    assert float(model.optimizer.learning_rate) == pytest.approx(config["learning_rate"])
    assert model.loss is not None
    uncompiled = keras.models.load_model(root / "savedmodel", compile=False,
                                         **load_kwargs(root))
    assert getattr(uncompiled, "optimizer", None) is None


@pytest.mark.parametrize("name", [n for n in MODELS if n not in RESUME_DROPOUT])
def test_fit_resumed_from_saved_model_lands_on_tf_keras_weights(name):
    root = fixture_dir(name)
    meta = json.loads((root / "meta.json").read_text())
    if "resume_savedmodel" in meta["skipped_formats"]:
        pytest.fail(f"the fixture has no resumed weights: {meta['skipped_formats']}")
    model = keras.models.load_model(root / "savedmodel", **load_kwargs(root))
    x, data = _inputs(root, meta)
    model.fit(x, _targets(data, meta), verbose=0, **meta["fit_kwargs"])
    expected = [data[f"resumed_savedmodel_{k}"] for k in range(len(model.get_weights()))]
    _assert_same(model.get_weights(), expected, atol=1e-4)


@pytest.mark.parametrize("name", RESUME_DROPOUT)
def test_fit_resumed_from_saved_model_without_dropout_lands_on_tf_keras_weights(name):
    root = fixture_dir(name)
    meta = json.loads((root / "meta.json").read_text())
    model = keras.models.load_model(root / "savedmodel", **load_kwargs(root))
    assert zero_dropout(model) == meta["dropout_layers"] != []
    x, data = _inputs(root, meta)
    model.fit(x, _targets(data, meta), verbose=0, **meta["fit_kwargs"])
    assert_weights(model.get_weights(), np.load(root / "resumed_no_dropout.npz"),
                   "resumed_savedmodel")


@pytest.mark.parametrize("name", ["optimizers_adam", "optimizers_rmsprop"])
def test_fit_resumed_after_load_weights_of_the_checkpoint_lands_where_h5_resume_does(name):
    """In tf.keras 2.21, load_weights("ckpt") into a compiled model restores the optimizer
    state: fit then reaches the weights of resuming from model.h5 (checked under TF: equal)."""
    root = fixture_dir(name)
    meta = json.loads((root / "meta.json").read_text())
    model = keras.models.load_model(root / "savedmodel", **load_kwargs(root))
    model.load_weights(str(root / "ckpt"))
    x, data = _inputs(root, meta)
    model.fit(x, _targets(data, meta), verbose=0, **meta["fit_kwargs"])
    expected = [data[f"resumed_{k}"] for k in range(len(model.get_weights()))]
    _assert_same(model.get_weights(), expected, atol=1e-4)


def test_saved_model_without_keras_metadata_says_what_to_do(tmp_path):
    target = tmp_path / "savedmodel"
    shutil.copytree(fixture_dir("cnn_bn_dropout") / "savedmodel", target)
    (target / "keras_metadata.pb").unlink()
    with pytest.raises(ValueError, match="keras_metadata.pb is missing"):
        keras.models.load_model(target)


def test_saved_model_of_tf_2_4_with_the_metadata_in_the_object_graph_loads(tmp_path):
    """Before TF 2.5 there was no keras_metadata.pb: each Keras object's metadata was the
    `metadata` field of its SavedUserObject in saved_model.pb. Rewrite a 2.21 SavedModel so."""
    from kerastorch.saving.tf_format import protos
    root = fixture_dir("cnn_bn_dropout")
    target = tmp_path / "savedmodel"
    shutil.copytree(root / "savedmodel", target)
    metadata = protos.parse("SavedMetadata", (target / "keras_metadata.pb").read_bytes(), "m")
    graph = protos.parse("SavedModel", (target / "saved_model.pb").read_bytes(), "s")
    nodes = graph.meta_graphs[0].object_graph_def.nodes
    for node in metadata.nodes:
        nodes[node.node_id].user_object.metadata = node.metadata
    (target / "saved_model.pb").write_bytes(graph.SerializeToString())
    (target / "keras_metadata.pb").unlink()
    model = keras.models.load_model(target)
    data = np.load(root / "data.npz")
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["pred"], atol=1e-5)


def test_corrupt_keras_metadata_raises_value_error_naming_the_file(tmp_path):
    target = tmp_path / "savedmodel"
    shutil.copytree(fixture_dir("cnn_bn_dropout") / "savedmodel", target)
    raw = (target / "keras_metadata.pb").read_bytes()
    (target / "keras_metadata.pb").write_bytes(raw[:len(raw) // 2])
    with pytest.raises(ValueError, match="keras_metadata.pb"):
        keras.models.load_model(target)


def test_saved_model_with_truncated_variables_raises_value_error(tmp_path):
    target = tmp_path / "savedmodel"
    shutil.copytree(fixture_dir("cnn_bn_dropout") / "savedmodel", target)
    data = target / "variables" / "variables.data-00000-of-00001"
    data.write_bytes(data.read_bytes()[:100])
    with pytest.raises(ValueError, match="variables.data-00000-of-00001.*truncated"):
        keras.models.load_model(target)


def test_no_tensorflow_is_imported():
    keras.models.load_model(fixture_dir("cnn_bn_dropout") / "savedmodel")
    assert "tensorflow" not in sys.modules


# ------------------------------------------------------------------ cases made here under TF
@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("tf_savedmodels")
    run_tf("tf_make_savedmodels.py", out)
    return out


def test_plain_tf_module_saved_model_gets_a_clear_error(made):
    with pytest.raises(ValueError, match=r"without Keras metadata.*tf.saved_model.save.*"
                       r"signatures \['serving_default'\].*TFSMLayer") as info:
        keras.models.load_model(made / "plain_module" / "savedmodel")
    assert "plain_module" in str(info.value)


@pytest.mark.parametrize("case", ["legacy_adam", "nested_mixed"])
def test_saved_model_and_checkpoint_weights_of_nested_and_legacy_optimizer_models(made, case):
    root = made / case
    data = np.load(root / "data.npz")
    model = keras.models.load_model(root / "savedmodel")
    weights = [data[f"w_{k}"] for k in range(sum(k.startswith("w_") for k in data.files))]
    _assert_same(model.get_weights(), weights)
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["pred"], atol=1e-5)
    fresh = keras.models.clone_model(model)
    fresh.load_weights(str(root / "ckpt"))
    _assert_same(fresh.get_weights(), weights)


@pytest.mark.parametrize("case", ["legacy_adam", "nested_mixed"])
def test_saved_model_optimizer_starts_fresh_and_load_weights_restores_its_state(made, case):
    """tf.keras 2.21's load_model(SavedModel) compiles with a fresh optimizer (iterations 0; the
    fixtures' resumed_savedmodel weights are what fit reaches from there); load_weights of the
    same directory or of a TF checkpoint into a compiled model restores iterations and slots."""
    root = made / case
    data = np.load(root / "data.npz")
    model = keras.models.load_model(root / "savedmodel")
    assert int(model.optimizer.iterations) == 0
    model.load_weights(root / "savedmodel")
    tf_state = [data[f"opt_{k}"] for k in range(sum(k.startswith("opt_") for k in data.files))]
    assert int(model.optimizer.iterations) == int(tf_state[0])
    own = [v.numpy() if hasattr(v, "numpy") else np.asarray(v)
           for v in model.optimizer.variables if tuple(v.shape) != ()]
    tf_slots = [s for s in tf_state[1:] if s.shape != ()]
    assert len(own) == len(tf_slots)
    # Every tf.keras slot is one of the loaded optimizer's variables (compared as sorted values:
    # torch keeps a Dense kernel's slot transposed).
    for slot in tf_slots:
        match = [i for i, v in enumerate(own) if v.size == slot.size and
                 np.allclose(np.sort(v.ravel()), np.sort(slot.ravel()), rtol=0, atol=1e-7)]
        assert match, f"no optimizer variable equals tf.keras's slot of shape {slot.shape}"
        own.pop(match[0])


def test_directory_that_is_not_a_saved_model_raises_value_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match="not a SavedModel"):
        keras.models.load_model(tmp_path)


class _Net(keras.Model):
    """kerastorch's twin of tf_make_savedmodels.Net."""

    def __init__(self):
        super().__init__(name="net")
        self.encoder = keras.layers.Dense(6, activation="relu")
        self.blocks = [keras.layers.Dense(6, activation="tanh"),
                       keras.layers.BatchNormalization()]
        self.head = keras.layers.Dense(2)

    def build(self, input_shape):
        self.scale = self.add_weight(name="scale", shape=(2,), initializer="ones")
        super().build(input_shape)

    def call(self, x, training=False):
        h = self.encoder(x)
        for block in self.blocks:
            h = block(h, training=training)
        return self.head(h) * self.scale


def test_subclassed_model_loads_a_tf_checkpoint_by_attribute_names(made):
    root = made / "subclassed"
    data = np.load(root / "data.npz")
    model = _Net()
    model(data["x"][:2])
    model.load_weights(str(root / "ckpt"))
    np.testing.assert_allclose(model.encoder.kernel.numpy(), data["encoder_kernel"], atol=0)
    np.testing.assert_allclose(model.scale.numpy(), data["scale"], atol=0)
    np.testing.assert_allclose(model.blocks[1].moving_mean.numpy(), data["bn_moving_mean"],
                               atol=0)
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["pred"], atol=1e-5)
    other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="Layer count mismatch"):
        other.load_weights(str(root / "ckpt"))
