"""TensorFlow's tensor-bundle checkpoint format (`prefix.index` + `prefix.data-0000K-of-0000N`).

`prefix.index` is an SSTable: the entry with the empty key is a `BundleHeaderProto` (number of
shards, endianness), every other key is a checkpoint key mapping to a `BundleEntryProto` (dtype,
shape, shard, offset, size, crc32c). The data shards hold the raw tensor bytes in little-endian
order. A `DT_STRING` tensor is stored as the varint64 length of each element, a 4-byte checksum
of those lengths, then the bytes of each element.

The masked crc32c of each tensor up to `CRC_CHECK_MAX_BYTES` (1 MiB) is checked, with the
numpy-vectorized CRC of sstable.py (about 60 MB/s: checking all of Xception's 92 MB would add
~0.5 s to a 1.3 s load, checking up to 1 MiB adds ~0.2 s); larger tensors are checked for offset
and size against their shard's length only.
"""

import os

import numpy as np

from kerastorch.saving.tf_format import protos
from kerastorch.saving.tf_format import sstable

OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
CRC_CHECK_MAX_BYTES = 1 << 20

# types.proto's DataType numbers -> numpy dtypes (bfloat16 is widened to float32).
_DTYPES = {1: np.float32, 2: np.float64, 3: np.int32, 4: np.uint8, 5: np.int16, 6: np.int8,
           8: np.complex64, 9: np.int64, 10: np.bool_, 14: "bfloat16", 17: np.uint16,
           18: np.complex128, 19: np.float16, 22: np.uint32, 23: np.uint64}
_DT_STRING = 7


def _entry_shape(entry):
    return tuple(int(d.size) for d in entry.shape.dim)


class TensorBundle:
    """Random access to the tensors of one checkpoint, by checkpoint key.

    Args:
        prefix: the path without `.index` (`"ckpt"` for `ckpt.index`,
            `".../variables/variables"` in a SavedModel).
    """

    def __init__(self, prefix):
        self.prefix = os.fspath(prefix)
        self.index_path = self.prefix + ".index"
        if not os.path.exists(self.index_path):
            raise FileNotFoundError(f"No TensorFlow checkpoint at '{self.prefix}': "
                                    f"'{self.index_path}' does not exist.")
        table = sstable.SSTable.open(self.index_path)
        entries = table.items()
        if not entries or entries[0][0] != b"":
            raise ValueError(f"'{self.index_path}' is a table but not a TensorFlow checkpoint "
                             "index: it has no bundle header entry.")
        header = protos.parse("BundleHeaderProto", entries[0][1],
                              f"the header of '{self.index_path}'")
        if header.endianness != 0:
            raise ValueError(f"'{self.index_path}' was written big-endian; kerastorch reads "
                             "little-endian checkpoints only.")
        self.num_shards = max(int(header.num_shards), 1)
        self._entries = {}
        for key, value in entries[1:]:
            name = key.decode("utf8", "replace")
            self._entries[name] = protos.parse("BundleEntryProto", value,
                                               f"the entry '{name}' of '{self.index_path}'")
        self._shards = {}

    def keys(self):
        return list(self._entries)

    def __contains__(self, key):
        return key in self._entries

    def entry(self, key):
        return self._entries[key]

    def shape(self, key):
        return _entry_shape(self._entries[key])

    def _shard_path(self, shard_id):
        return f"{self.prefix}.data-{shard_id:05d}-of-{self.num_shards:05d}"

    def _read_bytes(self, key, entry):
        if entry.slices:
            raise ValueError(f"The checkpoint '{self.prefix}' stores '{key}' as a partitioned "
                             "variable (slices); kerastorch reads whole tensors only.")
        path = self._shard_path(entry.shard_id)
        if entry.shard_id not in self._shards:
            try:
                self._shards[entry.shard_id] = (open(path, "rb"), os.path.getsize(path))
            except OSError as err:
                raise ValueError(f"Could not open the checkpoint data file '{path}' (for "
                                 f"'{key}'): {err}") from None
        handle, length = self._shards[entry.shard_id]
        if entry.offset < 0 or entry.offset + entry.size > length:
            raise ValueError(f"The checkpoint data file '{path}' is truncated or corrupt: "
                             f"'{key}' needs bytes {entry.offset}..{entry.offset + entry.size} "
                             f"but the file has {length} bytes.")
        handle.seek(entry.offset)
        raw = bytearray(entry.size)  # writable, so torch can take the array without a copy
        if handle.readinto(raw) != entry.size:
            raise ValueError(f"Could not read '{key}' from '{path}' (truncated file?).")
        return raw

    def read(self, key):
        """The tensor stored under `key` as a numpy array (a `DT_STRING` tensor as bytes)."""
        if key not in self._entries:
            raise KeyError(f"'{key}' is not in the checkpoint '{self.prefix}'.")
        entry = self._entries[key]
        raw = self._read_bytes(key, entry)
        shape = _entry_shape(entry)
        if entry.dtype == _DT_STRING:
            return self._strings(key, raw, shape)
        dtype = _DTYPES.get(entry.dtype)
        if dtype is None:
            raise ValueError(f"'{key}' in the checkpoint '{self.prefix}' has TensorFlow dtype "
                             f"enum {entry.dtype}, which kerastorch cannot read.")
        if len(raw) <= CRC_CHECK_MAX_BYTES and sstable.masked_crc32c(raw) != entry.crc32c:
            raise ValueError(f"Checksum mismatch for '{key}' in the checkpoint data file "
                             f"'{self._shard_path(entry.shard_id)}' (corrupt file?).")
        if dtype == "bfloat16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<"))
        count = int(np.prod(shape, dtype=np.int64))
        if array.size != count:
            raise ValueError(f"'{key}' in the checkpoint '{self.prefix}' has {array.size} "
                             f"elements for shape {shape} (corrupt file?).")
        return array.astype(array.dtype.newbyteorder("="), copy=False).reshape(shape)

    def _strings(self, key, raw, shape):
        count = int(np.prod(shape, dtype=np.int64))
        where = f"the string tensor '{key}' of '{self.prefix}'"
        pos, lengths = 0, []
        for _ in range(count):
            length, pos = sstable.read_varint(raw, pos, where)
            lengths.append(length)
        pos += 4  # checksum of the lengths
        out = []
        for length in lengths:
            if pos + length > len(raw):
                raise ValueError(f"{where} is truncated (corrupt file?).")
            out.append(bytes(raw[pos:pos + length]))
            pos += length
        return out[0] if shape == () else np.array(out, dtype=object).reshape(shape)

    def object_graph(self):
        """The checkpoint's `TrackableObjectGraph`, or None if it has none (a TF 1 checkpoint)."""
        if OBJECT_GRAPH_KEY not in self._entries:
            return None
        return protos.parse("TrackableObjectGraph", self.read(OBJECT_GRAPH_KEY),
                            f"the object graph of '{self.prefix}'")

    def close(self):
        for handle, _ in self._shards.values():
            handle.close()
        self._shards = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
