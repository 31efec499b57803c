"""tree.py: flatten / map_structure / pack_sequence_as over lists, tuples and dicts. The leaf
order is TensorFlow's `tf.nest` (dict leaves by sorted key at every level; a rebuilt dict keeps
its own key order), checked live against TensorFlow 2.21; Keras 3's `keras.tree` agrees except
for a dict directly inside a dict, whose keys it leaves in insertion order (where the two
disagree, TensorFlow is the specification)."""

import json

import pytest

from kerastorch import tree
from tests.keras2.oracle import run_tf
from tests.keras3 import import_keras3

STRUCTURES = [
    1,
    [1, 2, 3],
    (1, [2, (3, 4)]),
    {"b": 1, "a": [2, 3]},
    [{"k": 1}, ({"j": 2, "i": 3},)],
    [],
    {},
]
DICT_IN_DICT = [{"z": {"y": 1, "x": 2}, "a": (3,)}, {"b": {"d": {"f": 1, "e": 2}, "c": 3}}]

_TF_SCRIPT = """
import json, sys
import tensorflow as tf

def decode(v):
    if isinstance(v, dict) and "__tuple__" in v:
        return tuple(decode(x) for x in v["__tuple__"])
    if isinstance(v, dict):
        return {k: decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v

structures = [decode(s) for s in json.loads(sys.argv[1])]
flat = [tf.nest.flatten(s) for s in structures]
print(json.dumps({"flat": flat}))
"""


def _encode(value):
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def test_flatten_orders_leaves_as_tf_nest(tmp_path):
    script = tmp_path / "tf_nest.py"
    script.write_text(_TF_SCRIPT)
    structures = STRUCTURES + DICT_IN_DICT
    out = json.loads(run_tf(script, json.dumps([_encode(s) for s in structures])))
    assert [tree.flatten(s) for s in structures] == out["flat"]


@pytest.mark.parametrize("structure", STRUCTURES)
def test_flatten_orders_leaves_as_keras3(structure):
    keras3 = import_keras3()
    assert tree.flatten(structure) == list(keras3.tree.flatten(structure))


def test_a_dict_inside_a_dict_is_sorted_too():
    assert tree.flatten(DICT_IN_DICT[0]) == [3, 2, 1]
    assert tree.flatten(DICT_IN_DICT[1]) == [3, 2, 1]


@pytest.mark.parametrize("structure", STRUCTURES + DICT_IN_DICT)
def test_pack_sequence_as_rebuilds_what_flatten_took_apart(structure):
    flat = [f"leaf{i}" for i in range(len(tree.flatten(structure)))]
    packed = tree.pack_sequence_as(structure, flat)
    assert tree.flatten(packed) == flat
    assert tree.map_structure(lambda _: 0, packed) == tree.map_structure(lambda _: 0, structure)
    if isinstance(structure, dict):
        assert list(packed) == list(structure)  # the dict's own key order is kept


def test_pack_sequence_as_matches_keras3_without_nested_dicts():
    keras3 = import_keras3()
    structure = {"z": [1, 2], "a": (3, [4, {"q": 5}])}
    flat = ["A", "B", "C", "D", "E"]
    assert tree.pack_sequence_as(structure, flat) == keras3.tree.pack_sequence_as(structure, flat)


def test_map_structure_keeps_container_types():
    out = tree.map_structure(lambda v: v * 10, {"a": [1, (2, 3)], "b": 4})
    assert out == {"a": [10, (20, 30)], "b": 40}
    assert isinstance(out["a"], list) and isinstance(out["a"][1], tuple)
    assert tree.map_structure(str, None) == "None"  # a leaf is any non-container
