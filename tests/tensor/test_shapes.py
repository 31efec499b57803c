"""tensor/shapes.py: one shape vs a structure of shapes, flattened and mapped as tree does."""

import pytest

from kerastorch import tree
from kerastorch.tensor.shapes import flatten_shapes
from kerastorch.tensor.shapes import is_shape
from kerastorch.tensor.shapes import map_shapes
from kerastorch.tensor.shapes import merge_shapes


@pytest.mark.parametrize("value, expected", [
    ((None, 4), True), ((), True), ((2, 3), True), ([None, 4], False),
    (((None, 4), (None, 3)), False), ((None, 4.0), False)])
def test_is_shape(value, expected):
    assert is_shape(value) is expected


def test_flatten_shapes_orders_dicts_by_key_like_tree_flatten():
    structure = {"b": (None, 2), "a": [(None, 1), ((None, 3), (None, 4))]}
    assert flatten_shapes(structure) == [(None, 1), (None, 3), (None, 4), (None, 2)]
    assert tree.flatten({"b": 2, "a": 1}) == [1, 2]  # the order flatten_shapes follows
    assert flatten_shapes((None, 5)) == [(None, 5)] and flatten_shapes("x") == []


def test_map_shapes_keeps_containers_and_other_leaves():
    structure = {"x": [(None, 2), ((1, 3),)], "n": "name"}
    out = map_shapes(structure, lambda s: (7,) + s[1:])
    assert out == {"x": [(7, 2), ((7, 3),)], "n": "name"}
    assert type(out["x"]) is list and type(out["x"][1]) is tuple


def test_merge_shapes_marks_dimensions_that_differ_unknown():
    first = [(2, 5, 3), {"k": (2, 4)}]
    second = [(3, 5, 7), {"k": (3, 4)}]
    assert merge_shapes(first, second) == [(None, 5, None), {"k": (None, 4)}]
    assert merge_shapes(((2, 1), (2, 8)), ((3, 1), (3, 9))) == ((None, 1), (None, None))
