"""tensor/keras_tensor.py: KerasTensor's operators are its own (defined in the class, not patched
on by ops or layers), each records a TFOpLambda node named as Keras 2 names it, and the graph
packages import in one direction (tensor <- ops <- layers)."""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch.layers.core.tf_op_lambda import TFOpLambda
from kerastorch.ops import symbolic
from kerastorch.tensor import KerasTensor
from kerastorch.tensor import keras_tensor as keras_tensor_module

ATOL = 1e-6  # float32 elementwise ops compared with the same torch op

# (operator, torch reference, Keras 2 name of the node's layer)
BINARY = [
    ("__add__", lambda a, b: a + b, "tf.__operators__.add"),
    ("__sub__", lambda a, b: a - b, "tf.math.subtract"),
    ("__mul__", lambda a, b: a * b, "tf.math.multiply"),
    ("__truediv__", lambda a, b: a / b, "tf.math.truediv"),
    ("__floordiv__", lambda a, b: torch.floor_divide(a, b), "tf.math.floordiv"),
    ("__mod__", lambda a, b: torch.remainder(a, b), "tf.math.floormod"),
    ("__pow__", lambda a, b: torch.pow(a, b), "tf.math.pow"),
    ("__lt__", lambda a, b: a < b, "tf.math.less"),
    ("__le__", lambda a, b: a <= b, "tf.math.less_equal"),
    ("__gt__", lambda a, b: a > b, "tf.math.greater"),
    ("__ge__", lambda a, b: a >= b, "tf.math.greater_equal"),
]
REFLECTED = [
    ("__radd__", lambda a, b: b + a, "tf.__operators__.add"),
    ("__rsub__", lambda a, b: b - a, "tf.math.subtract"),
    ("__rmul__", lambda a, b: b * a, "tf.math.multiply"),
    ("__rtruediv__", lambda a, b: b / a, "tf.math.truediv"),
    ("__rpow__", lambda a, b: torch.pow(b, a), "tf.math.pow"),
]
LOGICAL = [
    ("__and__", torch.logical_and, "tf.math.logical_and"),
    ("__or__", torch.logical_or, "tf.math.logical_or"),
    ("__xor__", torch.logical_xor, "tf.math.logical_xor"),
]
OPERATORS = [name for name, _, _ in BINARY + REFLECTED + LOGICAL] + [
    "__rfloordiv__", "__rmod__", "__matmul__", "__rmatmul__", "__rand__", "__ror__", "__rxor__",
    "__neg__", "__abs__", "__invert__", "__getitem__", "__torch_function__"]


def _op_layer(tensor):
    layer = tensor._keras_history[0]
    assert isinstance(layer, TFOpLambda)
    return layer


def _positive(seed, shape=(3, 4)):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(shape, generator=g) + 0.5


def test_operators_are_defined_in_the_class_by_its_own_module():
    for name in OPERATORS:
        fn = KerasTensor.__dict__[name]
        fn = getattr(fn, "__func__", fn)  # __torch_function__ is a classmethod
        assert fn.__module__ == "kerastorch.tensor.keras_tensor", name
    assert KerasTensor.__hash__ is object.__hash__
    assert not hasattr(symbolic, "register_keras_tensor")


@pytest.mark.parametrize("name, reference, layer_name", BINARY, ids=[b[0] for b in BINARY])
def test_binary_operator_records_a_node_and_computes_the_torch_result(name, reference,
                                                                      layer_name):
    a, b = keras.Input((4,)), keras.Input((4,))
    y = getattr(a, name)(b)
    assert isinstance(y, KerasTensor) and y.shape == (None, 4)
    assert _op_layer(y).name.startswith(layer_name)
    xa, xb = _positive(0), _positive(1)
    got = keras.Model([a, b], y)([xa, xb])
    want = reference(xa, xb)
    assert got.dtype == want.dtype
    torch.testing.assert_close(got, want, atol=ATOL, rtol=ATOL)


@pytest.mark.parametrize("name, reference, layer_name", REFLECTED, ids=[r[0] for r in REFLECTED])
def test_reflected_operator_puts_the_constant_first(name, reference, layer_name):
    a = keras.Input((4,))
    y = getattr(a, name)(2.0)
    assert _op_layer(y).name.startswith(layer_name)
    xa = _positive(2)
    torch.testing.assert_close(keras.Model(a, y)(xa), reference(xa, torch.tensor(2.0)),
                               atol=ATOL, rtol=ATOL)


@pytest.mark.parametrize("name, reference, layer_name", LOGICAL, ids=[r[0] for r in LOGICAL])
def test_logical_operator_on_bool_inputs(name, reference, layer_name):
    a, b = keras.Input((4,), dtype="bool"), keras.Input((4,), dtype="bool")
    y = getattr(a, name)(b)
    assert y.dtype == "bool" and _op_layer(y).name.startswith(layer_name)
    xa = torch.tensor([[True, True, False, False]])
    xb = torch.tensor([[True, False, True, False]])
    assert torch.equal(keras.Model([a, b], y)([xa, xb]), reference(xa, xb))


def test_unary_operators_matmul_getitem_and_torch_functions():
    a = keras.Input((4,))
    w = np.arange(8, dtype="float32").reshape(4, 2)
    outputs = {"neg": -a, "abs": abs(a - 1.0), "matmul": a @ w, "getitem": a[:, 1:3],
               "relu": torch.relu(a - 1.0), "array_first": w.T[0] + a}
    assert _op_layer(outputs["neg"]).name.startswith("tf.math.negative")
    assert _op_layer(outputs["matmul"]).name.startswith("tf.linalg.matmul")
    assert _op_layer(outputs["getitem"]).name.startswith("tf.__operators__.getitem")
    assert _op_layer(outputs["relu"]).name.startswith("tf.relu")
    assert outputs["matmul"].shape == (None, 2) and outputs["getitem"].shape == (None, 2)
    x = _positive(3)
    got = keras.Model(a, outputs)(x)
    want = {"neg": -x, "abs": (x - 1.0).abs(), "matmul": x @ torch.from_numpy(w),
            "getitem": x[:, 1:3], "relu": torch.relu(x - 1.0),
            "array_first": torch.from_numpy(w.T[0].copy()) + x}
    for key, value in want.items():
        torch.testing.assert_close(got[key], value, atol=ATOL, rtol=ATOL)


def test_invert_is_logical_not_on_bool():
    a = keras.Input((3,), dtype="bool")
    y = ~a
    assert _op_layer(y).name.startswith("tf.math.logical_not")
    x = torch.tensor([[True, False, True]])
    assert torch.equal(keras.Model(a, y)(x), ~x)


def test_an_unsupported_operand_is_a_type_error_not_a_node():
    a = keras.Input((4,))
    with pytest.raises(TypeError):
        a + "text"
    with pytest.raises(TypeError):
        a * object()


@pytest.mark.parametrize("use", [len, bool, np.asarray], ids=["len", "bool", "array"])
def test_a_symbolic_tensor_has_no_value(use):
    with pytest.raises(TypeError, match="KerasTensor|symbolic"):
        use(keras.Input((4,)))


def test_tensors_hash_by_identity():
    a, b = keras.Input((4,)), keras.Input((4,))
    assert len({a, b, a}) == 2
    assert hash(a) == object.__hash__(a)


def test_importing_the_graph_packages_goes_one_way_and_patches_nothing(tmp_path):
    """In a fresh interpreter, with `kerastorch/__init__` (which imports everything) bypassed:
    `kerastorch.tensor` imports neither ops nor layers, `kerastorch.ops` imports no layer, and
    importing ops and layers afterwards leaves KerasTensor's class dict as it was."""
    script = tmp_path / "imports.py"
    script.write_text(f"""
import importlib.util, json, sys, types
spec = importlib.util.find_spec("kerastorch")
package = types.ModuleType("kerastorch")
package.__path__ = list(spec.submodule_search_locations)
sys.modules["kerastorch"] = package

def loaded(prefix):
    return sorted(m for m in sys.modules if m == prefix or m.startswith(prefix + "."))

from kerastorch.tensor.keras_tensor import KerasTensor
import kerastorch.tensor
before = dict(KerasTensor.__dict__)
after_tensor = {{"ops": loaded("kerastorch.ops"), "layers": loaded("kerastorch.layers")}}
import kerastorch.ops
after_ops = {{"layers": loaded("kerastorch.layers"), "ops": len(loaded("kerastorch.ops"))}}
import kerastorch.layers
from kerastorch.layers.core.tf_op_lambda import TFOpLambda
changed = sorted(k for k in set(before) | set(KerasTensor.__dict__)
                 if before.get(k) is not KerasTensor.__dict__.get(k))
x = KerasTensor((None, 3))
y = x * 2.0
print(json.dumps({{"after_tensor": after_tensor, "after_ops": after_ops, "changed": changed,
                  "node": type(y._keras_history[0]).__name__,
                  "layers_loaded": len(loaded("kerastorch.layers"))}}))
""")
    repo_root = pathlib.Path(keras_tensor_module.__file__).parents[2]  # holds kerastorch/
    env = dict(os.environ, PYTHONPATH=str(repo_root))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                         timeout=120, cwd=str(tmp_path))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["after_tensor"] == {"ops": [], "layers": []}
    assert report["after_ops"]["layers"] == [] and report["after_ops"]["ops"] > 1
    assert report["changed"] == []
    assert report["node"] == "TFOpLambda" and report["layers_loaded"] > 1
