"""Bad Keras 2 files: a clear error naming the file (and the layer and shapes where they apply),
and a model that `load_weights` failed on is left exactly as it was.

The files are copies of the committed tf.keras 2.21 fixtures (tests/keras2/fixtures), truncated,
overwritten or edited in `tmp_path`. Errors are ValueError/OSError-family, as Keras raises.
"""

import json
import shutil
import zipfile

import h5py
import numpy as np
import pytest

import kerastorch as keras
from kerastorch import layers as L
from tests.keras2.oracle import fixture_dir

LOAD_ERRORS = (ValueError, OSError)


def mlp(hidden=8, extra=False):
    """The architecture of the optimizers_* fixtures (layers dense, dense_1)."""
    keras.backend.clear_session()
    layers = [keras.Input((4,), name="features"), L.Dense(hidden, activation="relu", name="dense")]
    if extra:
        layers.append(L.Dense(hidden, name="extra"))
    layers.append(L.Dense(3, activation="softmax", name="dense_1"))
    model = keras.Sequential(layers)
    rng = np.random.default_rng(0)
    model.set_weights([rng.standard_normal(tuple(w.shape)).astype("float32")
                       for w in model.weights])
    return model


def snapshot(model):
    return [np.array(w) for w in model.get_weights()]


def assert_unchanged(model, before):
    after = model.get_weights()
    assert len(after) == len(before)
    for a, b in zip(after, before, strict=True):
        np.testing.assert_array_equal(a, b)


def copy(name, filename, tmp_path):
    target = tmp_path / f"{name}_{filename}"
    shutil.copy(fixture_dir(name) / filename, target)
    return target


def truncate(path, fraction):
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * fraction)])
    return path


def scribble(path, start_fraction, length=4096):
    data = bytearray(path.read_bytes())
    start = int(len(data) * start_fraction)
    rng = np.random.default_rng(1)
    data[start:start + length] = rng.integers(0, 256, size=len(data[start:start + length]),
                                              dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
    return path


# ------------------------------------------------------------------ truncated / corrupt
@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.9])
def test_truncated_full_model_h5_names_the_file(tmp_path, fraction):
    path = truncate(copy("optimizers_adam", "model.h5", tmp_path), fraction)
    with pytest.raises(LOAD_ERRORS, match=path.name):
        keras.models.load_model(path)


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.9])
def test_truncated_weights_h5_leaves_the_model_as_it_was(tmp_path, fraction):
    path = truncate(copy("optimizers_adam", "weights.h5", tmp_path), fraction)
    model = mlp()
    before = snapshot(model)
    with pytest.raises(LOAD_ERRORS, match=path.name):
        model.load_weights(path)
    assert_unchanged(model, before)


@pytest.mark.parametrize("where", [0.0, 0.5, 0.95])
def test_corrupt_weights_h5_leaves_the_model_as_it_was(tmp_path, where):
    path = scribble(copy("optimizers_adam", "weights.h5", tmp_path), where)
    model = mlp()
    before = snapshot(model)
    try:
        model.load_weights(path)
    except LOAD_ERRORS as err:
        assert path.name in str(err), err
        assert_unchanged(model, before)
        return
    # Bytes overwritten in unused space of the file may leave it readable: then the load is
    # complete, with the weights tf.keras saved.
    with h5py.File(fixture_dir("optimizers_adam") / "weights.h5", "r") as f:
        kernel = f["dense"]["dense"]["kernel:0"][()]
    np.testing.assert_array_equal(model.get_weights()[0], kernel)


@pytest.mark.parametrize("fraction", [0.0, 0.3, 0.7, 0.98])
def test_truncated_keras_zip_names_the_file(tmp_path, fraction):
    path = truncate(copy("optimizers_adam", "model.keras", tmp_path), fraction)
    with pytest.raises(LOAD_ERRORS, match=path.name):
        keras.models.load_model(path)


@pytest.mark.parametrize("fraction", [0.0, 0.5, 0.98])
def test_truncated_keras_zip_load_weights_leaves_the_model_as_it_was(tmp_path, fraction):
    path = truncate(copy("optimizers_adam", "model.keras", tmp_path), fraction)
    model = mlp()
    before = snapshot(model)
    with pytest.raises(LOAD_ERRORS, match=path.name):
        model.load_weights(path)
    assert_unchanged(model, before)


def test_keras_zip_with_corrupt_weights_member_names_the_file(tmp_path):
    source = fixture_dir("optimizers_adam") / "model.keras"
    path = tmp_path / "corrupt_member.keras"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith(".h5"):
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(LOAD_ERRORS, match=path.name):
        keras.models.load_model(path)
    model = mlp()
    before = snapshot(model)
    with pytest.raises(LOAD_ERRORS, match=path.name):
        model.load_weights(path)
    assert_unchanged(model, before)


def test_a_text_file_named_h5_is_refused_with_its_name(tmp_path):
    path = tmp_path / "notes.h5"
    path.write_text("these are not weights\n" * 100)
    model = mlp()
    before = snapshot(model)
    with pytest.raises(LOAD_ERRORS, match="notes.h5"):
        model.load_weights(path)
    with pytest.raises(LOAD_ERRORS, match="notes.h5"):
        keras.models.load_model(path)
    assert_unchanged(model, before)


# ------------------------------------------------------------------ another architecture
def test_weights_of_another_architecture_name_file_layer_and_shapes(tmp_path):
    path = copy("cnn_bn_dropout", "weights.h5", tmp_path)
    model = mlp()
    before = snapshot(model)
    with pytest.raises(ValueError, match=path.name) as info:
        model.load_weights(path)
    message = str(info.value)
    assert "dense" in message  # the model's layers, and what the file has instead
    assert "conv2d" in message
    assert_unchanged(model, before)


def test_same_layers_different_shapes_names_the_layer_and_both_shapes(tmp_path):
    path = copy("optimizers_adam", "weights.h5", tmp_path)
    model = mlp(hidden=5)  # the file has Dense(8): kernels (4, 8) vs (4, 5)
    before = snapshot(model)
    with pytest.raises(ValueError, match=path.name) as info:
        model.load_weights(path)
    message = str(info.value)
    assert "dense" in message and "(4, 8)" in message and "(4, 5)" in message, message
    assert_unchanged(model, before)
    with pytest.raises(ValueError, match="(4, 8)") as info:
        model.load_weights(path, by_name=True)
    assert path.name in str(info.value) and "(4, 5)" in str(info.value)
    assert_unchanged(model, before)


def test_skip_mismatch_loads_what_fits_and_warns(tmp_path):
    path = copy("optimizers_adam", "weights.h5", tmp_path)
    model = mlp(hidden=5)
    before = snapshot(model)
    with pytest.warns(UserWarning, match="dense"):
        model.load_weights(path, by_name=True, skip_mismatch=True)
    with h5py.File(path, "r") as f:
        bias_1 = f["dense_1"]["dense_1"]["bias:0"][()]
    # dense (4, 8)/(8,) and dense_1's kernel (8, 3) do not fit; dense_1's bias (3,) does.
    for k in range(3):
        np.testing.assert_array_equal(model.get_weights()[k], before[k])
    np.testing.assert_array_equal(model.get_weights()[3], bias_1)


# ------------------------------------------------------------------ missing / extra layer
def test_model_with_an_extra_layer_names_the_file_and_the_layers(tmp_path):
    path = copy("optimizers_adam", "weights.h5", tmp_path)
    model = mlp(extra=True)
    before = snapshot(model)
    with pytest.raises(ValueError, match=path.name) as info:
        model.load_weights(path)
    assert "extra" in str(info.value)
    assert_unchanged(model, before)


def test_file_with_a_layer_the_model_lacks_names_the_file_and_the_layers(tmp_path):
    path = copy("optimizers_adam", "weights.h5", tmp_path)
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((4,)), L.Dense(3, name="dense")])
    before = snapshot(model)
    with pytest.raises(ValueError, match=path.name) as info:
        model.load_weights(path)
    assert "dense_1" in str(info.value)
    assert_unchanged(model, before)


def test_full_model_h5_missing_a_layer_group_names_file_and_layer(tmp_path):
    path = copy("optimizers_adam", "model.h5", tmp_path)
    with h5py.File(path, "r+") as f:
        del f["model_weights"]["dense_1"]
    with pytest.raises(ValueError, match=path.name) as info:
        keras.models.load_model(path)
    assert "dense_1" in str(info.value)
    model = mlp()
    before = snapshot(model)
    with pytest.raises(ValueError, match="dense_1"):
        model.load_weights(path)
    assert_unchanged(model, before)


def test_weights_h5_missing_a_dataset_names_file_layer_and_weight(tmp_path):
    path = copy("optimizers_adam", "weights.h5", tmp_path)
    with h5py.File(path, "r+") as f:
        del f["dense_1"]["dense_1"]["bias:0"]
    model = mlp()
    before = snapshot(model)
    with pytest.raises(ValueError, match=path.name) as info:
        model.load_weights(path)
    assert "dense_1" in str(info.value) and "bias" in str(info.value)
    assert_unchanged(model, before)


def test_full_model_h5_config_with_a_layer_the_weights_lack(tmp_path):
    """The config lists one more Dense than the weights hold: an error, not a half model."""
    path = copy("optimizers_adam", "model.h5", tmp_path)
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        extra = json.loads(json.dumps(config["config"]["layers"][1]))
        extra["config"]["name"] = "inserted"
        extra["config"]["units"] = 8
        config["config"]["layers"].insert(2, extra)
        f.attrs["model_config"] = json.dumps(config)
    with pytest.raises(ValueError, match=path.name) as info:
        keras.models.load_model(path)
    assert "inserted" in str(info.value)


# ------------------------------------------------------------------ unknown formats
def test_h5_of_an_unknown_layout_is_refused_with_its_name(tmp_path):
    """An HDF5 file that is neither a Keras 2 nor a Keras 3 weights file."""
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("data", data=np.zeros(3))
        f.attrs["format"] = "not keras"
    model = mlp()
    before = snapshot(model)
    with pytest.raises(ValueError, match="other.h5"):
        model.load_weights(path)
    with pytest.raises(ValueError, match="other.h5"):
        keras.models.load_model(path)
    assert_unchanged(model, before)


def test_keras_zip_from_a_newer_unknown_format_version_is_refused(tmp_path):
    """A `.keras` whose metadata names a Keras major version kerastorch does not know, and
    whose config it cannot read: the error names the file and the version."""
    path = tmp_path / "future.keras"
    with zipfile.ZipFile(fixture_dir("optimizers_adam") / "model.keras") as src, \
            zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "metadata.json":
                meta = json.loads(data)
                meta["keras_version"] = "9.0.0"
                data = json.dumps(meta)
            if item.filename == "config.json":
                data = json.dumps({"format": "keras-9", "graph": []})
            dst.writestr(item, data)
    with pytest.raises(ValueError, match="future.keras") as info:
        keras.models.load_model(path)
    assert "9.0.0" in str(info.value)


def test_h5_from_a_newer_unknown_keras_version_is_refused(tmp_path):
    path = copy("optimizers_adam", "model.h5", tmp_path)
    with h5py.File(path, "r+") as f:
        f.attrs["keras_version"] = b"9.0.0"
        f.attrs["model_config"] = json.dumps({"format": "keras-9", "graph": []})
    with pytest.raises(ValueError, match=path.name) as info:
        keras.models.load_model(path)
    assert "9.0.0" in str(info.value)
