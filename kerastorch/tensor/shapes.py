"""Shapes and nested structures of shapes (`(None, 4)`, `[(None, 4), (None, 3)]`, dicts of
them): the one set of helpers layers, ops and models use."""


def is_shape(value):
    """Whether `value` is one shape: a tuple of ints and `None`s."""
    return isinstance(value, tuple) and all(d is None or isinstance(d, int) for d in value)


def flatten_shapes(structure):
    """The shapes in `structure`, in `tree.flatten`'s order (dicts by sorted key)."""
    if is_shape(structure):
        return [structure]
    if isinstance(structure, (list, tuple)):
        return [s for item in structure for s in flatten_shapes(item)]
    if isinstance(structure, dict):
        return [s for key in sorted(structure) for s in flatten_shapes(structure[key])]
    return []


def map_shapes(structure, fn):
    """`structure` with `fn(shape)` in place of each shape; other leaves are kept."""
    if is_shape(structure):
        return fn(structure)
    if isinstance(structure, list):
        return [map_shapes(s, fn) for s in structure]
    if isinstance(structure, tuple):
        return tuple(map_shapes(s, fn) for s in structure)
    if isinstance(structure, dict):
        return {k: map_shapes(v, fn) for k, v in structure.items()}
    return structure


def merge_shapes(a, b):
    """Two structures of the same shapes, dimensions that differ between them set to `None`:
    how a shape inferred from two runs with different sizes marks the unknown dimensions."""
    if is_shape(a):
        return tuple(x if x == y else None for x, y in zip(a, b))
    if isinstance(a, list):
        return [merge_shapes(x, y) for x, y in zip(a, b)]
    if isinstance(a, dict):
        return {k: merge_shapes(a[k], b[k]) for k in a}
    return tuple(merge_shapes(x, y) for x, y in zip(a, b))
