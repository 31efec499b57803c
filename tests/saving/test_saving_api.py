"""saving/saving_api.py: the file format chosen by the extension, overwrite, the weights of a
`.keras` file, torch state_dict files checked before anything changes, and the errors for what
cannot be read or written."""

import warnings
import zipfile

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.saving import saving_api

pytest.importorskip("h5py")


def _model(units=3, seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, name="d"),
                             keras.layers.Dense(2, name="out")])


def _same_weights(a, b):
    for u, v in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(u, v)


@pytest.mark.parametrize("filename, kind", [
    ("m.keras", "zip"), ("m.h5", "hdf5"), ("m.hdf5", "hdf5"),
])
def test_save_model_format_follows_the_extension(tmp_path, filename, kind):
    model = _model()
    path = tmp_path / filename
    saving_api.save_model(model, path)
    head = path.read_bytes()[:8]
    assert head.startswith(b"PK") if kind == "zip" else head == b"\x89HDF\r\n\x1a\n"
    _same_weights(model, saving_api.load_model(path))


@pytest.mark.parametrize("filename", ["w.weights.h5", "w.h5", "w.pt", "w.pth"])
def test_weights_round_trip_in_every_weights_format(tmp_path, filename):
    source, target = _model(seed=1), _model(seed=2)
    saving_api.save_weights(source, tmp_path / filename)
    saving_api.load_weights(target, tmp_path / filename)
    _same_weights(source, target)


def test_weights_of_a_keras_file_load_into_a_model_built_in_code(tmp_path):
    source, target = _model(seed=1), _model(seed=2)
    source.save(tmp_path / "m.keras")
    saving_api.load_weights(target, tmp_path / "m.keras")
    _same_weights(source, target)
    broken = tmp_path / "broken.keras"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("config.json", "{}")
    with pytest.raises(ValueError, match="Could not read the weights in '.*broken.keras'"):
        saving_api.load_weights(target, broken)


def test_overwrite_false_refuses_an_existing_file(tmp_path):
    path = tmp_path / "m.keras"
    path.write_bytes(b"old")
    for save in (saving_api.save_model, saving_api.save_weights):
        with pytest.raises(FileExistsError, match="exists and `overwrite=False`"):
            save(_model(), path, overwrite=False)
    assert path.read_bytes() == b"old"


@pytest.mark.parametrize("call, message", [
    (lambda m, d: saving_api.save_model(m, d / "m.txt"), "Invalid filepath extension for saving"),
    (lambda m, d: saving_api.save_model(m, d / "m.keras", save_format="pb"),
     "`save_format` is not supported"),
    (lambda m, d: saving_api.save_model(m, d / "m.keras", signatures=None),
     r"not supported: \['signatures'\]"),
    (lambda m, d: saving_api.save_weights(m, d / "w.npz"), "must end in `.weights.h5`"),
    (lambda m, d: saving_api.save_weights(m, d / "w.weights.h5") or
     saving_api.load_model(d / "w.weights.h5"), "No model config found .* holds weights only"),
    (lambda m, d: saving_api.load_model(d / "w.pt"), "holds weights only"),
    (lambda m, d: saving_api.load_model(d / "m.txt"), "File format not supported"),
    (lambda m, d: saving_api.load_weights(m, d / "w.weights.h5", by_name=True),
     "`by_name=True` is only supported for Keras 2 `.h5`"),
])
def test_unsupported_requests_are_value_errors(tmp_path, call, message):
    with pytest.raises(ValueError, match=message):
        call(_model(), tmp_path)


def test_load_weights_into_an_unbuilt_model_says_how_to_build_it(tmp_path):
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="is not built yet.*`model.build\\(input_shape\\)`"):
        saving_api.load_weights(model, tmp_path / "w.weights.h5")


def test_torch_weights_are_checked_before_anything_changes(tmp_path):
    path = tmp_path / "w.pt"
    source = _model(units=5, seed=3)
    torch.save(source.state_dict(), path)
    target = _model(units=3)
    before = target.get_weights()
    with pytest.raises(ValueError, match=r"shape mismatch for '0.weight' \(layer 'd'\): the "
                                         r"model's weight has shape \(3, 4\), the saved weight "
                                         r"has shape \(5, 4\).*Nothing was loaded"):
        saving_api.load_weights(target, path)
    for a, b in zip(before, target.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        saving_api.load_weights(target, path, skip_mismatch=True)
    assert any("Skipping weights that do not fit" in str(w.message) for w in caught)
    # the entries that do not fit are skipped; the one that fits (out's bias) is loaded
    after = target.get_weights()
    for i in range(3):
        np.testing.assert_array_equal(before[i], after[i])
    np.testing.assert_array_equal(after[3], source.get_weights()[3])


def test_torch_weights_file_errors(tmp_path):
    model = _model()
    with pytest.raises(FileNotFoundError, match="No such file"):
        saving_api.load_weights(model, tmp_path / "none.pt")
    (tmp_path / "bad.pt").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="Could not read the torch weights file"):
        saving_api.load_weights(model, tmp_path / "bad.pt")
    torch.save([1, 2], tmp_path / "list.pt")
    with pytest.raises(ValueError, match="does not hold a state_dict .* got list"):
        saving_api.load_weights(model, tmp_path / "list.pt")
    state = model.state_dict()
    state["extra"] = torch.zeros(1)
    del state["1.bias"]
    torch.save(state, tmp_path / "keys.pt")
    with pytest.raises(ValueError, match=r"missing from the file: \['1.bias'\]; not in the "
                                         r"model: \['extra'\]"):
        saving_api.load_weights(model, tmp_path / "keys.pt")


def test_a_checkpoint_prefix_without_its_index_is_file_not_found(tmp_path):
    with pytest.raises((FileNotFoundError, ValueError)):
        saving_api.load_weights(_model(), str(tmp_path / "ckpt"))


def test_model_from_json_and_config_make_new_models():
    model = _model()
    from_json = saving_api.model_from_json(model.to_json())
    from_config = saving_api.model_from_config({"class_name": "Sequential",
                                                "config": model.get_config()})
    for rebuilt in (from_json, from_config):
        assert [layer.name for layer in rebuilt.layers] == ["d", "out"]
        assert [w.shape for w in rebuilt.weights] == [w.shape for w in model.weights]
