"""saving/saving_lib.py: Keras 3's `.weights.h5` layout (variables by object path), the `.keras`
zip, and the errors that name the file. The layout is compared with the file Keras 3 writes for
the same model."""

import json
import warnings
import zipfile

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.saving import saving_lib
from tests.keras3 import import_keras3

h5py = pytest.importorskip("h5py")


def _model(k):
    inner = k.Sequential([k.Input((4,)), k.layers.Dense(4, name="a"), k.layers.Dense(4, name="b")],
                         name="inner")
    inputs = k.Input((3,))
    x = k.layers.Dense(4, name="first")(inputs)
    x = k.layers.BatchNormalization(name="bn")(x)
    x = inner(x)
    outputs = k.layers.Dense(2, name="last")(x)
    return k.Model(inputs, outputs)


def _datasets(path):
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.__setitem__(name, obj.shape)
                     if isinstance(obj, h5py.Dataset) else None)
    return found


def test_weights_file_keys_variables_by_object_path_as_keras3_does(tmp_path):
    keras3 = import_keras3()
    _model(keras3).save_weights(tmp_path / "theirs.weights.h5")
    _model(keras).save_weights(tmp_path / "ours.weights.h5")
    theirs = _datasets(tmp_path / "theirs.weights.h5")
    ours = _datasets(tmp_path / "ours.weights.h5")
    assert ours == theirs
    # by class, made unique within each list; trainable variables first
    assert ours["layers/dense/vars/0"] == (3, 4) and ours["layers/dense_1/vars/0"] == (4, 2)
    assert ours["layers/sequential/layers/dense_1/vars/1"] == (4,)
    assert sorted(k for k in ours if k.startswith("layers/batch_normalization/")) == [
        f"layers/batch_normalization/vars/{i}" for i in range(4)]


def test_variable_groups_name_each_layer_path():
    groups = saving_lib.variable_groups(_model(keras))
    paths = [path for path, _, _ in groups]
    assert paths[0] == "" and "layers/sequential/layers/dense" in paths
    by_path = {path: [tuple(v.shape) for v in variables] for path, _, variables in groups}
    assert by_path["layers/batch_normalization"] == [(4,)] * 4
    assert by_path["layers/dense"] == [(3, 4), (4,)]
    assert by_path[""] == []


def test_keras_file_is_a_zip_of_config_metadata_and_weights(tmp_path):
    model = _model(keras)
    path = tmp_path / "m.keras"
    saving_lib.save_model(model, path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
    assert config["class_name"] == "Functional"
    assert config["module"] == "keras.src.models.functional"
    assert metadata["keras_version"].startswith("3.")
    assert {"kerastorch_version", "date_saved"} <= set(metadata)
    loaded = saving_lib.load_model(path)
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               atol=1e-6)


def test_keras_file_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such file: '.*missing.keras'"):
        saving_lib.load_model(tmp_path / "missing.keras")
    garbage = tmp_path / "garbage.keras"
    garbage.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="garbage.keras': it is not a valid `.keras` \\(zip\\)"):
        saving_lib.load_model(garbage)
    no_config = tmp_path / "empty.keras"
    with zipfile.ZipFile(no_config, "w") as archive:
        archive.writestr("other.txt", "x")
    with pytest.raises(ValueError, match=r"empty.keras' is not a `.keras` file: it has no "
                                         r"config.json \(found \['other.txt'\]\)"):
        saving_lib.load_model(no_config)
    odd = tmp_path / "odd.keras"
    with zipfile.ZipFile(odd, "w") as archive:
        archive.writestr("config.json", json.dumps([1, 2]))
        archive.writestr("metadata.json", json.dumps({"keras_version": "9.0.0"}))
    with pytest.raises(ValueError, match=r"Cannot read the model in '.*odd.keras' \(written by "
                                         r"Keras 9.0.0\).*found list"):
        saving_lib.load_model(odd)


def test_open_h5_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such file"):
        saving_lib.open_h5(tmp_path / "none.h5", "r")
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"\x00" * 64)
    with pytest.raises(ValueError, match="bad.weights.h5': it is not a valid HDF5 file"):
        saving_lib.open_h5(bad, "r")


def test_naming_file_turns_reader_errors_into_value_errors_naming_the_file():
    with pytest.raises(ValueError, match="Error reading 'w.h5': broken"):
        with saving_lib.naming_file("w.h5"):
            raise RuntimeError("broken")
    with pytest.raises(TypeError, match="Error reading 'w.h5': bad type"):
        with saving_lib.naming_file("w.h5"):
            raise TypeError("bad type")
    with pytest.raises(ValueError, match="^already names w.h5$"):
        with saving_lib.naming_file("w.h5"):
            raise ValueError("already names w.h5")
    with pytest.raises(FileNotFoundError):
        with saving_lib.naming_file("w.h5"):
            raise FileNotFoundError("w.h5")


def test_check_shape_raises_or_warns_with_skip_mismatch():
    layer = keras.layers.Dense(2, name="d")
    layer.build((None, 3))
    kernel = layer.weights[0]
    assert saving_lib.check_shape(kernel, np.zeros((3, 2)), "vars/0", False, "d")
    with pytest.raises(ValueError, match=r"Shape mismatch in layer 'd' for weight 'kernel' "
                                         r"\(vars/0\): the model's weight has shape \(3, 2\), "
                                         r"the saved weight has shape \(4, 2\)"):
        saving_lib.check_shape(kernel, np.zeros((4, 2)), "vars/0", False, "d")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert not saving_lib.check_shape(kernel, np.zeros((4, 2)), "vars/0", True, "d")
    assert "Skipping loading of this weight" in str(caught[0].message)


def test_read_dataset_names_where_a_damaged_dataset_is(tmp_path):
    class Broken:
        def __getitem__(self, key):
            raise OSError("checksum")

    with pytest.raises(ValueError, match="Could not read 'layers/dense/vars/0' from the "
                                         "weights file.*checksum"):
        saving_lib.read_dataset(Broken(), "layers/dense/vars/0")
    with h5py.File(tmp_path / "d.h5", "w") as f:
        f["x"] = np.arange(3)
        np.testing.assert_array_equal(saving_lib.read_dataset(f["x"], "x"), np.arange(3))


def test_json_default_writes_numpy_tuples_sets_and_dtypes():
    text = json.dumps({"a": np.float32(1.5), "b": (1, 2), "c": {3}, "d": torch.int8},
                      default=saving_lib.json_default)
    assert json.loads(text) == {"a": 1.5, "b": [1, 2], "c": [3], "d": "int8"}
    with pytest.raises(TypeError, match="Cannot serialize <object object .* to JSON"):
        json.dumps(object(), default=saving_lib.json_default)


def test_a_failed_weights_load_changes_nothing(tmp_path):
    model = _model(keras)
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "a") as f:
        del f["layers/dense_1/vars/0"]
        f["layers/dense_1/vars/0"] = np.zeros((4, 3), "float32")  # the last Dense, wrong shape
    other = _model(keras)
    before = other.get_weights()
    with pytest.raises(ValueError, match="Shape mismatch"):
        other.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(before, other.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
