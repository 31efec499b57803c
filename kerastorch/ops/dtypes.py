"""Keras's dtype names and type promotion (`keras.backend.result_type`), for torch tensors.

Keras promotes like JAX: a lattice of dtypes where Python `int`/`float` are "weak" and take the
other operand's kind and width, and 64-bit results narrow to 32 bits on torch (`int64` ->
`int32`, `float64` -> `float32`) unless an operand asked for 64 bits explicitly.
"""

import functools

import numpy as np
import torch

from kerastorch import backend

_FROM_TORCH = {
    torch.float16: "float16", torch.bfloat16: "bfloat16", torch.float32: "float32",
    torch.float64: "float64", torch.uint8: "uint8", torch.uint16: "uint16",
    torch.uint32: "uint32", torch.uint64: "uint64", torch.int8: "int8", torch.int16: "int16",
    torch.int32: "int32", torch.int64: "int64", torch.bool: "bool",
    torch.complex64: "complex64", torch.complex128: "complex128",
}
_ALIASES = {"float": "float32", "double": "float64", "half": "float16", "int": "int32",
            "uint": "uint32", "complex": "complex64"}

# Each dtype with the dtypes directly above it ("i" and "f" are the weak Python int and float).
_LATTICE = {
    "bool": ["i"], "i": ["uint8", "int8", "complex64"],
    "uint8": ["int16", "uint16"], "uint16": ["int32", "uint32"],
    "uint32": ["int64", "uint64"], "uint64": ["f"],
    "int8": ["int16"], "int16": ["int32"], "int32": ["int64"], "int64": ["f"],
    "f": ["bfloat16", "float16"], "bfloat16": ["float32"], "float16": ["float32"],
    "float32": ["float64", "complex64"], "float64": ["complex128"],
    "complex64": ["complex128"], "complex128": [],
}


def _upper_bounds():
    bounds = {}
    for node in _LATTICE:
        seen, todo = {node}, [node]
        while todo:
            for up in _LATTICE[todo.pop()]:
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        bounds[node] = seen
    return bounds


_BOUNDS = _upper_bounds()
_NARROW = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


def standardize_dtype(dtype):
    """Keras's name for a dtype given as a name, torch/numpy dtype or Python type."""
    if dtype is None:
        return backend.floatx()
    if isinstance(dtype, torch.dtype):
        return _FROM_TORCH[dtype]
    if dtype is int:
        return "int32"
    if dtype is float:
        return "float32"
    if dtype is bool:
        return "bool"
    if isinstance(dtype, str):
        name = _ALIASES.get(dtype, dtype)
        if name in _LATTICE:
            return name
    name = getattr(dtype, "name", None)
    if name in _LATTICE:
        return name
    try:
        return np.dtype(dtype).name
    except TypeError:
        raise ValueError(f"Invalid dtype: {dtype}") from None


@functools.lru_cache(maxsize=512)
def _least_upper_bound(nodes):
    common = set.intersection(*(_BOUNDS[n] for n in nodes))
    lub = (common & set(nodes)) or {c for c in common if common <= _BOUNDS[c]}
    if len(lub) != 1:
        raise ValueError(f"Input dtypes {tuple(nodes)} have no available implicit dtype "
                         "promotion path. Try explicitly casting inputs to the desired output type.")
    return lub.pop()


def _resolve_weak(kind, precision):
    if kind == "bool":
        return "bool"
    if kind == "i":
        return f"int{precision}"
    return f"float{precision}"


@functools.lru_cache(maxsize=1024)
def _result_type(keys, floatx):
    names = [standardize_dtype(k) for k in keys]
    weak = [k is int or k is float for k in keys]
    if len(names) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _least_upper_bound(frozenset(names)), True
    else:
        nodes = []
        for n, w in zip(names, weak):
            if w and n != "bool":
                n = "f" if ("float" in n or n == "bfloat16") else "i"
            nodes.append(n)
        out = _least_upper_bound(frozenset(nodes))
        out_weak = out in ("i", "f")
    if out_weak and out != "bool":
        kind = "i" if out in ("i",) or "int" in out else "f"
        out = _resolve_weak(kind, floatx[-2:])
    return _NARROW.get(out, out)


def result_type(*dtypes):
    """The dtype Keras gives an op on operands of `dtypes` (Python `int`/`float` are weak).

    Example:
        >>> result_type("int32", "float32")
        'float32'
        >>> result_type("bfloat16", int)
        'bfloat16'
    """
    if not dtypes:
        return backend.floatx()
    keys = tuple(backend.floatx() if d is None else
                 (d if d in (int, float, bool) else standardize_dtype(d)) for d in dtypes)
    return _result_type(keys, backend.floatx())
