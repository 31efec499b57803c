"""`Slot`: where a tensor's value goes in recorded call arguments.

A recorded call (a graph step's arguments, an op node's `(args, kwargs)`) keeps its constants and
puts a `Slot(index)` where a tensor was; running it fills each slot from a list of values.
"""


class Slot:
    """Placeholder for the value `values[index]` in a recorded structure of call arguments."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def __repr__(self):
        return f"Slot({self.index})"


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
