"""to_torch / export: a graph model as a plain nn.Module (same outputs, shared parameters,
nested models, dict inputs), example inputs, torch.export files that reload and run the same,
and the errors for what cannot be exported."""

import importlib.util

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.porting import export


def _two_inputs():
    a = keras.Input((4,), name="a")
    b = keras.Input((3,), name="b")
    inner = keras.Sequential([keras.Input((7,)), keras.layers.Dense(5, activation="relu")],
                             name="inner")
    x = inner(keras.layers.Concatenate()([a, b]))
    return keras.Model([a, b], keras.layers.Dense(2)(x), name="two")


def _data():
    rng = np.random.default_rng(0)
    return (torch.tensor(rng.normal(size=(3, 4)).astype("float32")),
            torch.tensor(rng.normal(size=(3, 3)).astype("float32")))


def test_to_torch_runs_the_same_graph_and_shares_parameters():
    model = _two_inputs()
    a, b = _data()
    want = keras.ops.convert_to_numpy(model([a, b]))
    module = export.to_torch(model)
    assert isinstance(module, torch.nn.Module) and not isinstance(module, keras.Model)
    np.testing.assert_allclose(module(a, b).detach().numpy(), want, atol=1e-6)
    np.testing.assert_allclose(module([a, b]).detach().numpy(), want, atol=1e-6)
    np.testing.assert_allclose(module({"a": a, "b": b}).detach().numpy(), want, atol=1e-6)
    assert [type(c).__name__ for c in module.children()].count("TorchModel") == 1  # nested
    ours = dict(module.state_dict())
    for key, value in model.state_dict().items():
        assert ours[key].data_ptr() == value.data_ptr(), key
    # shared, not copied: a change to the model's weights shows in the module
    model.layers[-1].set_weights([np.zeros((5, 2), "float32"), np.ones(2, "float32")])
    np.testing.assert_allclose(module(a, b).detach().numpy(), np.ones((3, 2)), atol=1e-6)
    assert "two" in repr(module)


def test_example_inputs():
    i = keras.Input((None, 3), dtype="int32")
    model = keras.Model(i, keras.layers.Lambda(lambda t: t * 2)(i))
    (x,) = export.example_inputs(model, batch_size=5)
    assert tuple(x.shape) == (5, 8, 3) and x.dtype == torch.int32 and not x.any()


def test_torch_export_file_reloads_and_runs_the_same(tmp_path):
    model = _two_inputs()
    a, b = _data()
    path = export.export_model(model, tmp_path / "m.pt2", input_signature=(a, b))
    program = torch.export.load(path)
    np.testing.assert_allclose(program.module()(a, b).detach().numpy(),
                               keras.ops.convert_to_numpy(model([a, b])), atol=1e-6)


def test_errors():
    class Sub(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match="to_torch"):
        export.to_torch(Sub())
    with pytest.raises(ValueError, match="tf_saved_model"):
        export.export_model(_two_inputs(), "model.savedmodel", format="tf_saved_model")
    with pytest.raises(ValueError, match="format=None"):
        export.export_model(_two_inputs(), "model.bin")


def test_onnx_needs_its_packages(tmp_path):
    missing = [m for m in ("onnx", "onnxscript") if importlib.util.find_spec(m) is None]
    if missing:
        with pytest.raises(ImportError, match="onnx"):
            export.export_onnx(_two_inputs(), tmp_path / "m.onnx")
    else:
        path = export.export_onnx(_two_inputs(), tmp_path / "m.onnx")
        assert (tmp_path / "m.onnx").stat().st_size > 0 and path.endswith("m.onnx")
