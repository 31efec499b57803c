"""tf.nest on Python structures: lists, tuples, namedtuples and dicts (flattened in sorted key
order, as TensorFlow flattens them); None and everything else is a leaf."""

from kerastorch.porting.tf._common import namespace_getattr

__getattr__ = namespace_getattr("nest")


def is_nested(seq):
    return isinstance(seq, (list, tuple, dict))


def _children(structure):
    if isinstance(structure, dict):
        return [structure[k] for k in sorted(structure)]
    return list(structure)


def flatten(structure, expand_composites=False):
    """The leaves of `structure`, depth first (dict values by sorted key)."""
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def _rebuild(structure, children):
    if isinstance(structure, dict):
        values = dict(zip(sorted(structure), children, strict=True))
        return type(structure)((k, values[k]) for k in structure)
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):  # a namedtuple
        return type(structure)(*children)
    return type(structure)(children)


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """`structure` with its leaves replaced by `flat_sequence`, in flatten's order."""
    flat = list(flat_sequence)
    if len(flat) != len(flatten(structure)):
        raise ValueError(f"Could not pack sequence. Structure had {len(flatten(structure))} "
                         f"atoms, but flat_sequence had {len(flat)} items.")
    it = iter(flat)

    def pack(s):
        if not is_nested(s):
            return next(it)
        return _rebuild(s, [pack(c) for c in _children(s)])
    return pack(structure)


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """ValueError when the nestings differ, TypeError when check_types and the types differ."""
    if is_nested(nest1) != is_nested(nest2):
        raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                         f"First structure: {nest1!r}\n\nSecond structure: {nest2!r}")
    if not is_nested(nest1):
        return
    if check_types and type(nest1) is not type(nest2):
        raise TypeError(f"The two structures don't have the same sequence type. First "
                        f"structure has type {type(nest1)}, while second structure has type "
                        f"{type(nest2)}.")
    if isinstance(nest1, dict) and sorted(nest1) != sorted(nest2):
        raise ValueError(f"The two dictionaries don't have the same set of keys: "
                         f"{sorted(nest1)} and {sorted(nest2)}")
    a, b = _children(nest1), _children(nest2)
    if len(a) != len(b):
        raise ValueError(f"The two structures don't have the same number of elements: "
                         f"{nest1!r} and {nest2!r}")
    for x, y in zip(a, b, strict=True):
        assert_same_structure(x, y, check_types)


def map_structure(func, *structure, **kwargs):
    """func applied to the leaves of the structures (which must match), in their shape."""
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"Only valid keyword arguments are `check_types` and "
                         f"`expand_composites`, not: {sorted(kwargs)}")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types)
    leaves = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*xs) for xs in zip(*leaves, strict=True)])
