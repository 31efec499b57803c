"""tensor/slot.py: recorded call arguments with a Slot where each symbolic tensor was."""

import pytest

import kerastorch as keras
from kerastorch import tree
from kerastorch.tensor.slot import Slot
from kerastorch.tensor.slot import fill
from kerastorch.tensor.slot import make_template
from kerastorch.tensor.slot import slot_indices


def test_make_template_numbers_tensors_in_order_and_keeps_constants():
    a, b = keras.Input((2,)), keras.Input((3,))
    template, inputs = make_template((a, [b, 0.5]), {"offset": a, "axis": -1})
    (args, kwargs) = template
    assert inputs == [a, b, a]
    assert [type(v) for v in (args[0], args[1][0], kwargs["offset"])] == [Slot, Slot, Slot]
    assert (args[0].index, args[1][0].index, kwargs["offset"].index) == (0, 1, 2)
    assert args[1][1] == 0.5 and kwargs["axis"] == -1


def test_make_template_gives_the_one_tensor_unwrapped():
    a = keras.Input((2,))
    template, inputs = make_template((a, 3), {})
    assert inputs is a and template == ([template[0][0], 3], {})


@pytest.mark.parametrize("spec", [
    Slot(1),
    [Slot(0), 2.0, (Slot(1), "k")],
    {"b": Slot(1), "a": [Slot(0), None]},
    ([Slot(2), Slot(0)], {"mask": Slot(1), "training": True}),
])
def test_fill_replaces_slots_and_matches_map_structure(spec):
    values = ["v0", "v1", "v2"]
    want = tree.map_structure(lambda v: values[v.index] if type(v) is Slot else v, spec)
    assert fill(spec, values) == want
    assert type(fill(spec, values)) is type(want)


def test_slot_indices_follow_tree_flatten_order():
    spec = {"b": Slot(2), "a": [Slot(0), 1.0, (Slot(1),)]}
    flat = [v.index for v in tree.flatten(spec) if type(v) is Slot]
    assert slot_indices(spec) == flat == [0, 1, 2]
    assert slot_indices(7) == [] and repr(Slot(3)) == "Slot(3)"
