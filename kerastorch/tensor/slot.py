"""`Slot`: where a tensor's value goes in recorded call arguments.

A recorded call (a graph step's arguments, an op node's `(args, kwargs)`) keeps its constants and
puts a `Slot(index)` where a tensor was; running it fills each slot from a list of values.
"""

from kerastorch import tree
from kerastorch.tensor.keras_tensor import KerasTensor


class Slot:
    """Placeholder for the value `values[index]` in a recorded structure of call arguments."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def __repr__(self):
        return f"Slot({self.index})"


def make_template(args, kwargs):
    """`(template, inputs)`: `(list(args), dict(kwargs))` with a `Slot(i)` for the i-th
    KerasTensor among them, and those KerasTensors (one, or a list in slot order)."""
    symbolic = []

    def to_slot(v):
        if type(v) is KerasTensor:
            symbolic.append(v)
            return Slot(len(symbolic) - 1)
        return v

    template = tree.map_structure(to_slot, (list(args), dict(kwargs)))
    return template, (symbolic[0] if len(symbolic) == 1 else list(symbolic))


def fill(spec, values):
    """`spec` with each `Slot(i)` replaced by `values[i]`: lists, tuples and dicts rebuilt,
    other leaves kept (as `tree.map_structure` rebuilds them)."""
    if type(spec) is Slot:
        return values[spec.index]
    if isinstance(spec, list):
        return [fill(v, values) for v in spec]
    if isinstance(spec, tuple):
        return tuple([fill(v, values) for v in spec])
    if isinstance(spec, dict):
        return {k: fill(v, values) for k, v in spec.items()}
    return spec


def slot_indices(spec):
    """The indices of the slots in `spec`, in `tree.flatten`'s order."""
    if type(spec) is Slot:
        return [spec.index]
    if isinstance(spec, (list, tuple)):
        return [i for v in spec for i in slot_indices(v)]
    if isinstance(spec, dict):
        return [i for k in sorted(spec) for i in slot_indices(spec[k])]
    return []
