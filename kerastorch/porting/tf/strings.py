"""tf.strings on Python strings: the text preprocessing ops (`split`, `join`, `lower`,
`regex_replace`, `to_number`, `unicode_split`, `length`, ...) on a str/bytes, a (nested) list of
them or a numpy string array. Results are what TensorFlow's `.numpy()` gives: numpy object
arrays of UTF-8 `bytes` (a bare `bytes` for a scalar); ragged results (`split`,
`unicode_split`) are nested lists, as `RaggedTensor.to_list()` gives. Numbers come back as
torch tensors. Regular expressions are Python's `re`, which agrees with RE2 on the common
syntax (classes, groups, \\1 in the rewrite)."""

import builtins
import re

import numpy as np
import torch

from kerastorch.porting.tf._common import dtype_of
from kerastorch.porting.tf._common import namespace_getattr
from kerastorch.porting.tf._common import place
from kerastorch.porting.tf.errors import InvalidArgumentError

__getattr__ = namespace_getattr("strings")


def _text(value):
    """A numpy object array of str from a str/bytes, nested lists or a numpy array."""
    if isinstance(value, torch.Tensor):
        raise TypeError(f"tf.strings expects string input, got a {value.dtype} tensor")
    arr = np.asarray(value, dtype=object)
    if arr.size and not all(isinstance(v, (str, bytes, np.str_, np.bytes_))
                            for v in arr.reshape(-1)):
        raise TypeError(f"tf.strings expects string input, got {value!r}")
    return np.vectorize(lambda v: v.decode("utf-8") if isinstance(v, bytes) else str(v),
                        otypes=[object])(arr) if arr.size else arr


def _bytes(arr):
    out = np.vectorize(lambda v: v.encode("utf-8"), otypes=[object])(arr) if arr.size else arr
    return out.item() if isinstance(out, np.ndarray) and out.ndim == 0 else out


def _map(fn, value):
    return _bytes(np.vectorize(fn, otypes=[object])(_text(value)) if np.size(value) else
                  _text(value))


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def lower(input, encoding="", name=None):  # noqa: A002
    """ASCII letters only, unless encoding='utf-8' (as TensorFlow)."""
    if encoding.lower().replace("-", "") == "utf8":
        return _map(str.lower, input)
    return _map(lambda s: s.translate(_ASCII_LOWER), input)


def upper(input, encoding="", name=None):  # noqa: A002
    """ASCII letters only, unless encoding='utf-8' (as TensorFlow)."""
    if encoding.lower().replace("-", "") == "utf8":
        return _map(str.upper, input)
    return _map(lambda s: s.translate(_ASCII_UPPER), input)


def strip(input, name=None):  # noqa: A002
    return _map(str.strip, input)


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    try:
        compiled = re.compile(pattern, re.ASCII)
    except re.error as e:
        raise InvalidArgumentError(f"Invalid pattern: {pattern}, error: {e}") from None
    rewrite = re.sub(r"\\(\d)", r"\\g<\1>", rewrite)
    return _map(lambda s: compiled.sub(rewrite, s, count=0 if replace_global else 1), input)


def regex_full_match(input, pattern, name=None):  # noqa: A002
    compiled = re.compile(pattern, re.ASCII)
    arr = _text(input)
    return place(torch.as_tensor(np.vectorize(lambda s: compiled.fullmatch(s) is not None,
                                              otypes=[bool])(arr)))


def length(input, name=None, unit="BYTE"):  # noqa: A002
    """int32 lengths, in bytes (unit='BYTE') or code points (unit='UTF8_CHAR')."""
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"unit must be BYTE or UTF8_CHAR, got {unit!r}")
    arr = _text(input)
    count = (lambda s: len(s.encode("utf-8"))) if unit == "BYTE" else len
    return place(torch.as_tensor(np.vectorize(count, otypes=[np.int32])(arr) if arr.size else
                                 np.zeros(arr.shape, np.int32), dtype=torch.int32))


def to_number(string_tensor, out_type="float32", name=None):
    dtype = dtype_of(out_type)
    arr = _text(string_tensor)
    parse = float if dtype.is_floating_point else int

    def one(s):
        try:
            return parse(s.strip())
        except ValueError:
            raise InvalidArgumentError(f"StringToNumberOp could not correctly convert string: "
                                       f"{s}") from None
    values = np.vectorize(one, otypes=[np.float64 if dtype.is_floating_point else np.int64])(
        arr) if arr.size else np.zeros(arr.shape)
    return place(torch.as_tensor(values).to(dtype))


def as_string(input, precision=-1, name=None, **kwargs):  # noqa: A002
    x = input.cpu().numpy() if isinstance(input, torch.Tensor) else np.asarray(input)
    fmt = (lambda v: f"{v:.{precision}f}") if precision >= 0 else (
        (lambda v: f"{v:f}") if x.dtype.kind == "f" else str)
    return _bytes(np.vectorize(lambda v: fmt(v), otypes=[object])(x))


def join(inputs, separator="", name=None):
    """tf.strings.join: element-wise concatenation of the inputs (broadcast), with separator."""
    parts = np.broadcast_arrays(*[_text(v) for v in inputs])
    out = np.empty(parts[0].shape, dtype=object)
    for index in np.ndindex(out.shape):
        out[index] = separator.join(p[index] for p in parts)
    return _bytes(out)


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    arr = _text(inputs)
    if axis is None:
        return _bytes(np.asarray(separator.join(arr.reshape(-1)), dtype=object))
    out = np.apply_along_axis(lambda row: separator.join(row), int(axis), arr).astype(object)
    if keepdims:
        out = np.expand_dims(out, int(axis))
    return _bytes(out)


def _nested(fn, arr):
    """fn on each string of arr, as nested lists; a scalar string gives a 1-D array."""
    if isinstance(arr, np.ndarray) and arr.ndim == 0:
        out = fn(arr.item())
        values = np.empty(len(out), dtype=object if out and isinstance(out[0], bytes) else
                          np.int32)
        values[:] = out
        return values if values.dtype == object else place(torch.as_tensor(values))
    if not isinstance(arr, np.ndarray):
        return fn(arr)
    if arr.ndim == 0:
        return fn(arr.item())
    return [_nested(fn, a) for a in arr]


def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    """A ragged result: each string split at `sep` (whitespace runs when None), as bytes."""
    arr = _text(input)
    if sep == "":
        raise ValueError("sep must not be the empty string")

    def one(s):
        parts = s.split(sep, maxsplit) if maxsplit >= 0 else s.split(sep)
        return [p.encode("utf-8") for p in parts]
    return _nested(one, arr)


def unicode_split(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                  name=None):
    arr = _text(input)
    return _nested(lambda s: [c.encode("utf-8") for c in s], arr)


def unicode_decode(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                   replace_control_characters=False, name=None):
    arr = _text(input)
    return _nested(lambda s: [ord(c) for c in s], arr)


def substr(input, pos, len, name=None, unit="BYTE"):  # noqa: A002
    def one(s):
        data = s.encode("utf-8") if unit == "BYTE" else s
        start = pos if pos >= 0 else builtins.len(data) + pos
        piece = data[start:start + len]
        return piece.decode("utf-8", "replace") if unit == "BYTE" else piece
    return _map(one, input)



def bytes_split(input, name=None):  # noqa: A002
    """Each string as its list of single bytes (ragged: nested lists of bytes)."""
    arr = _text(input)
    return _nested(lambda s: [bytes([b]) for b in s.encode("utf-8")], arr)
