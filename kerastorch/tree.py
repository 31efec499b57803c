"""Small helpers for nested structures of tensors (lists, tuples, dicts), as Keras's `tree`."""


def flatten(structure):
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    return [structure]


def map_structure(fn, structure):
    if isinstance(structure, list):
        return [map_structure(fn, item) for item in structure]
    if isinstance(structure, tuple):
        return tuple(map_structure(fn, item) for item in structure)
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    return fn(structure)


def pack_sequence_as(structure, flat):
    """Rebuilds `structure` with the leaves of `flat`, in `flatten`'s order."""
    it = iter(flat)

    def pack(s):
        if isinstance(s, list):
            return [pack(item) for item in s]
        if isinstance(s, tuple):
            return tuple(pack(item) for item in s)
        if isinstance(s, dict):
            values = {key: pack(s[key]) for key in sorted(s)}
            return {key: values[key] for key in s}
        return next(it)

    return pack(structure)
