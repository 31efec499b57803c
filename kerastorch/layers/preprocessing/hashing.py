"""Hashing: maps values to `num_bins` buckets with FarmHash64 (or keyed SipHash64 with `salt`),
the hash functions Keras uses, so the buckets equal Keras's."""

import struct

import numpy as np
import torch

from kerastorch import backend
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.category_encoding import encode_categorical

_MASK64 = (1 << 64) - 1


def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & _MASK64


def siphash24(key0, key1, data):
    """SipHash-2-4 of `data` (bytes) with the 128-bit key `(key0, key1)` (unsigned 64-bit)."""
    v0 = key0 ^ 0x736F6D6570736575
    v1 = key1 ^ 0x646F72616E646F6D
    v2 = key0 ^ 0x6C7967656E657261
    v3 = key1 ^ 0x7465646279746573

    def rounds(v0, v1, v2, v3, n):
        for _ in range(n):
            v0 = (v0 + v1) & _MASK64
            v1 = _rotl(v1, 13) ^ v0
            v0 = _rotl(v0, 32)
            v2 = (v2 + v3) & _MASK64
            v3 = _rotl(v3, 16) ^ v2
            v0 = (v0 + v3) & _MASK64
            v3 = _rotl(v3, 21) ^ v0
            v2 = (v2 + v1) & _MASK64
            v1 = _rotl(v1, 17) ^ v2
            v2 = _rotl(v2, 32)
        return v0, v1, v2, v3

    size = len(data)
    whole = size - size % 8
    for i in range(0, whole, 8):
        m = struct.unpack_from("<Q", data, i)[0]
        v3 ^= m
        v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 2)
        v0 ^= m
    tail = data[whole:] + bytes(8 - (size - whole))
    m = struct.unpack("<Q", tail)[0] | ((size & 0xFF) << 56)
    v3 ^= m
    v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 2)
    v0 ^= m
    v2 ^= 0xFF
    v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 4)
    return v0 ^ v1 ^ v2 ^ v3


def fingerprint64(data):
    try:
        import farmhash
    except ImportError as err:
        raise ImportError("keras.layers.Hashing without `salt` uses FarmHash64, which needs the "
                          "`pyfarmhash` package: pip install pyfarmhash (or kerastorch[text])."
                          ) from err
    return farmhash.fingerprint64(data)


def _as_string(value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bool, np.bool_)):
        value = int(value)
    if isinstance(value, (float, np.floating)):
        value = f"{float(value):g}"  # tf.as_string's shortest form
    return str(value).encode("utf-8")


class Hashing(Layer):
    """Hashes strings or integers into `num_bins` buckets (index 0 is kept for `mask_value`).

    Args:
        num_bins: the number of buckets, including the mask bucket when `mask_value` is set.
        mask_value: a value mapped to 0, or None.
        salt: None (FarmHash64), an integer or a pair of integers (keyed SipHash64).
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: not supported on torch.

    Example:
        >>> layers.Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]])
        tensor([[1], [0], [1], [1], [2]])
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        if "dtype" not in kwargs or kwargs["dtype"] is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError("The `num_bins` for `Hashing` cannot be `None` or non-positive "
                             f"values. Received: num_bins={num_bins}.")
        if output_mode not in ("int", "one_hot", "multi_hot", "count"):
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"('int', 'one_hot', 'multi_hot', 'count'). Received: "
                             f"output_mode={output_mode}")
        if sparse:
            raise ValueError("`sparse=True` is not supported with the torch backend")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError("The `salt` argument for `Hashing` can only be a tuple of size "
                                 f"2 integers, or a single integer. Received: salt={salt}.")
        self.built = True

    def _hash(self, value, bins):
        data = _as_string(value)
        if self.strong_hash:
            h = siphash24(self.salt[0] & _MASK64, self.salt[1] & _MASK64, data)
        else:
            h = fingerprint64(data)
        return h % bins

    def _convert_input(self, x):
        return x

    def __call__(self, inputs, *args, **kwargs):
        from kerastorch.layers.core.input_layer import KerasTensor
        if isinstance(inputs, KerasTensor):
            return super().__call__(inputs, *args, **kwargs)
        return self.call(inputs)

    def call(self, inputs):
        values = inputs.detach().cpu().numpy() if isinstance(inputs, torch.Tensor) else \
            np.asarray(inputs, dtype=object)
        mask = self.mask_value
        bins = self.num_bins - 1 if mask is not None else self.num_bins
        if isinstance(mask, str):
            mask = mask.encode("utf-8")
        out = []
        for v in values.reshape(-1).tolist():
            key = v.encode("utf-8") if isinstance(v, str) else v
            if mask is not None and key == mask:
                out.append(0)
            else:
                out.append(self._hash(key, bins) + (1 if mask is not None else 0))
        ids = torch.tensor(out, dtype=torch.int64).reshape(values.shape)
        if self.output_mode == "int":
            return ids
        return encode_categorical(ids, self.output_mode, self.num_bins,
                                  backend.to_torch_dtype(self.compute_dtype))

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) > 1 and self.output_mode != "one_hot" or \
                (self.output_mode == "one_hot" and len(input_shape) > 1 and input_shape[-1] == 1):
            return tuple(input_shape[:-1]) + (self.num_bins,)
        return tuple(input_shape) + (self.num_bins,)

    def get_config(self):
        config = super().get_config()
        config.update(num_bins=self.num_bins, salt=self.salt, mask_value=self.mask_value,
                      output_mode=self.output_mode, sparse=self.sparse)
        return config
