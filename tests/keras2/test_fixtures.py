"""The committed Keras 2 fixtures are complete: every directory has what its meta.json promises.

Cheap checks without TensorFlow; `make keras2-fixtures` (tests/keras2/make_files.py) writes them.
"""

import json

import h5py
import numpy as np
import pytest

from tests.keras2.oracle import FIXTURES

REAL_WORLD = ["cnn_bn_dropout", "text_two_input", "resnet_block", "unet_small", "timeseries",
              "transformer_block", "normalization_l2_auc", "frozen_nested"]
FORMATS = {"h5", "keras", "weights_h5", "savedmodel", "ckpt"}
FORMAT_FILES = {
    "h5": ["model.h5"],
    "keras": ["model.keras"],
    "weights_h5": ["weights.h5"],
    "savedmodel": ["savedmodel/keras_metadata.pb", "savedmodel/saved_model.pb",
                   "savedmodel/variables/variables.index",
                   "savedmodel/variables/variables.data-00000-of-00001"],
    "ckpt": ["ckpt.index", "ckpt.data-00000-of-00001", "checkpoint"],
}
META_KEYS = {"inputs", "outputs", "batch_size", "fit_kwargs", "optimizer", "description",
             "custom_objects", "tf_version", "tf_keras_version", "skipped_formats", "files"}


def fixture_names():
    if not FIXTURES.exists():
        return []
    return sorted(p.name for p in FIXTURES.iterdir()
                  if (p / "meta.json").exists() and p.name != "zoo")


def test_the_real_world_models_of_the_issue_are_there():
    assert set(REAL_WORLD) <= set(fixture_names()), sorted(set(REAL_WORLD) - set(fixture_names()))


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_has_every_file_meta_json_promises(name):
    root = FIXTURES / name
    meta = json.loads((root / "meta.json").read_text())
    assert META_KEYS <= set(meta), sorted(META_KEYS - set(meta))
    assert meta["tf_version"] == "2.21.0" and meta["tf_keras_version"] == "2.21.0"
    assert meta["fit_kwargs"]["shuffle"] is False
    assert meta["fit_kwargs"]["batch_size"] == meta["batch_size"]
    skipped = meta["skipped_formats"]
    assert set(skipped) <= FORMATS | {f"resume_{f}" for f in FORMATS}
    assert all(isinstance(reason, str) and reason for reason in skipped.values())
    expected = {"data.npz", "meta.json"}
    for fmt in FORMATS - set(skipped):
        expected |= set(FORMAT_FILES[fmt])
    assert expected <= set(meta["files"]), sorted(expected - set(meta["files"]))
    missing = [f for f in meta["files"] if not (root / f).is_file()]
    assert not missing, missing
    for f in meta["files"]:
        assert (root / f).stat().st_size > 0, f


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_data_npz_matches_meta(name):
    root = FIXTURES / name
    meta = json.loads((root / "meta.json").read_text())
    with np.load(root / "data.npz") as data:
        keys = set(data.files)
        xs = ["x"] if len(meta["inputs"]) == 1 else [f"x_{n}" for n in meta["inputs"]]
        ys = ["y"] if len(meta["outputs"]) == 1 else [f"y_{n}" for n in meta["outputs"]]
        preds = (["pred"] if len(meta["outputs"]) == 1
                 else [f"pred_{i}" for i in range(len(meta["outputs"]))])
        assert set(xs + ys + preds) <= keys, sorted(set(xs + ys + preds) - keys)
        n = len(data[xs[0]])
        assert all(len(data[k]) == n for k in xs + ys + preds)
        for fmt, prefix in (("h5", "resumed"), ("keras", "resumed_keras"),
                            ("savedmodel", "resumed_savedmodel")):
            if fmt in meta["skipped_formats"] or f"resume_{fmt}" in meta["skipped_formats"]:
                continue
            count = sum(1 for k in keys if k.startswith(prefix + "_") and k[len(prefix) + 1:]
                        .isdigit())
            assert count == meta["num_weights"], (fmt, count, meta["num_weights"])


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_with_dropout_has_its_resumes_without_dropout(name):
    root = FIXTURES / name
    meta = json.loads((root / "meta.json").read_text())
    if not meta.get("dropout_layers"):
        assert "resumed_no_dropout.npz" not in meta["files"]
        return
    assert "resumed_no_dropout.npz" in meta["files"]
    with np.load(root / "resumed_no_dropout.npz") as data, np.load(root / "data.npz") as full:
        for prefix in ("resumed", "resumed_keras", "resumed_savedmodel"):
            keys = [f"{prefix}_{k}" for k in range(meta["num_weights"])]
            assert set(keys) <= set(data.files), (prefix, sorted(data.files))
            assert [data[k].shape for k in keys] == [full[k].shape for k in keys]


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_h5_files_open_and_name_their_keras_version(name):
    root = FIXTURES / name
    meta = json.loads((root / "meta.json").read_text())
    if "model.h5" in meta["files"]:
        with h5py.File(root / "model.h5", "r") as f:
            assert "model_config" in f.attrs and "model_weights" in f
            assert f.attrs["keras_version"]
    if "weights.h5" in meta["files"]:
        with h5py.File(root / "weights.h5", "r") as f:
            assert len(f.attrs["layer_names"]) > 0


def test_every_fixture_name_of_the_layout_is_there():
    names = set(fixture_names())
    expected = set(REAL_WORLD) | {"functional_shared", "multi_output_loss_weights", "tfoplambda",
                                  "lambda_layer", "custom_layer", "legacy_tf1"} | {
        f"optimizers_{o}" for o in ("adam", "legacy_adam_decay", "sgd_nesterov", "rmsprop",
                                    "adagrad", "legacy_sgd_momentum")}
    assert expected <= names, sorted(expected - names)


def test_legacy_tf1_is_in_the_keras_2_1_layout():
    with h5py.File(FIXTURES / "legacy_tf1" / "model.h5", "r") as f:
        assert f.attrs["keras_version"] in (b"2.1.6", "2.1.6")
        config = json.loads(f.attrs["model_config"])
        training = json.loads(f.attrs["training_config"])
    assert config["class_name"] == "Sequential" and isinstance(config["config"], list)
    assert "batch_input_shape" in config["config"][0]["config"]
    assert "module" not in json.dumps(config)
    assert "lr" in training["optimizer_config"]["config"]


def test_zoo_has_a_file_and_data_for_every_layer_class():
    zoo = FIXTURES / "zoo"
    if not FIXTURES.exists() or not (zoo / "meta.json").exists():
        pytest.fail(f"missing {zoo}: run `make keras2-fixtures`")
    meta = json.loads((zoo / "meta.json").read_text())
    assert len(meta["layers"]) >= 90 and not meta["skipped"], meta["skipped"]
    with np.load(zoo / "data.npz") as data:
        for class_name in meta["layers"]:
            assert (zoo / f"{class_name}.h5").is_file(), class_name
            assert f"x_{class_name}" in data.files and f"pred_{class_name}" in data.files
