"""A reader for the SSTable (LevelDB table) files TensorFlow writes as checkpoint indexes.

Layout, as in LevelDB's table format (TensorFlow's `tensorflow/core/lib/io/table`):

    data block 0 .. data block n, [meta blocks], metaindex block, index block, footer (48 bytes)

Each block is followed by a 5-byte trailer: a compression byte (TensorFlow's tensor bundles are
never compressed: 0) and the masked crc32c of the block and that byte. A block holds entries
`varint32 shared, varint32 non_shared, varint32 value_length, key[shared:], value`, the key
prefix-compressed against the previous key, then the restart offsets (uint32 each) and their
count (uint32). The footer holds the metaindex and index block handles (varint64 offset and size
each), padding to 40 bytes and the magic number 0xdb4775248b80fb57 (little-endian). The index
block maps a key >= the last key of each data block to that block's handle.

Every block checksum is checked (an index is small); any inconsistency is a ValueError that names
the file.
"""

import struct

_MAGIC = 0xdb4775248b80fb57
_FOOTER_SIZE = 48
_TRAILER_SIZE = 5
_MASK_DELTA = 0xa282ead8


def _crc32c_table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82f63b78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def crc32c(data, crc=0):
    """CRC-32C (Castagnoli) of `data`, table-driven pure Python (about 2 MB/s): small data."""
    crc ^= 0xffffffff
    table = _TABLE
    for byte in bytes(data):
        crc = table[(crc ^ byte) & 0xff] ^ (crc >> 8)
    return crc ^ 0xffffffff


_SHIFTS = {}  # lane length -> tables


def _shift_tables(lane):
    """Four 256-entry tables giving the raw CRC register after `lane` zero bytes, by byte."""

    def advance(reg):
        for _ in range(lane):
            reg = _TABLE[reg & 0xff] ^ (reg >> 8)
        return reg

    basis = [advance(1 << i) for i in range(32)]
    tables = []
    for k in range(4):
        table = []
        for b in range(256):
            value = 0
            for i in range(8):
                if b >> i & 1:
                    value ^= basis[8 * k + i]
            table.append(value)
        tables.append(table)
    return tables


def crc32c_fast(data):
    """CRC-32C of `data`, the same as `crc32c`: the data is cut into lanes whose raw CRC
    registers numpy computes side by side, then combined by the CRC's linearity (a lane's
    contribution moves through the zero bytes after it by table). About 60 MB/s against the
    byte loop's 2 MB/s."""
    import numpy as np
    data = memoryview(data).cast("B")
    n = len(data)
    if n < 1024:
        return crc32c(data)
    lane = 16  # a power of two near 0.3 * sqrt(n): numpy steps vs Python combining steps
    while lane < 1024 and lane * lane < n // 11:
        lane *= 2
    if lane not in _SHIFTS:
        _SHIFTS[lane] = _shift_tables(lane)
    lanes = n // lane
    table = np.asarray(_TABLE, dtype=np.uint32)
    block = np.frombuffer(data, dtype=np.uint8, count=lanes * lane).reshape(lanes, lane)
    regs = np.zeros(lanes, dtype=np.uint32)
    for j in range(lane):  # raw CRC register of each lane, from zero
        regs = table[(regs ^ block[:, j]) & 0xff] ^ (regs >> 8)
    s0, s1, s2, s3 = _SHIFTS[lane]
    reg = 0xffffffff
    for r in regs.tolist():
        reg = s0[reg & 0xff] ^ s1[(reg >> 8) & 0xff] ^ s2[(reg >> 16) & 0xff] ^ \
            s3[reg >> 24] ^ r
    for byte in bytes(data[lanes * lane:]):
        reg = _TABLE[(reg ^ byte) & 0xff] ^ (reg >> 8)
    return reg ^ 0xffffffff


def masked_crc32c(data):
    """The masked form that LevelDB and TensorFlow store."""
    crc = crc32c_fast(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xffffffff


def read_varint(data, pos, where):
    """`(value, next_pos)` of the varint at `data[pos]`."""
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError(f"{where}: truncated or corrupt varint.")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7f) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


class SSTable:
    """The sorted `(key, value)` entries of one table file, read eagerly (indexes are small)."""

    def __init__(self, data, filename, verify=True):
        self.filename = filename
        self.verify = verify
        self.data = data
        self.entries = self._read()

    @classmethod
    def open(cls, path, verify=True):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as err:
            raise ValueError(f"Could not read the checkpoint index '{path}': {err}") from None
        return cls(data, path, verify)

    def _error(self, what):
        return ValueError(f"'{self.filename}' is not a valid TensorFlow checkpoint index "
                          f"(SSTable): {what} (truncated or corrupt file?).")

    def _handle(self, data, pos):
        offset, pos = read_varint(data, pos, f"'{self.filename}'")
        size, pos = read_varint(data, pos, f"'{self.filename}'")
        return offset, size, pos

    def _block(self, offset, size):
        end = offset + size
        if offset < 0 or end + _TRAILER_SIZE > len(self.data):
            raise self._error(f"a block at offset {offset} of size {size} runs past the end of "
                              f"the file ({len(self.data)} bytes)")
        block = self.data[offset:end]
        kind = self.data[end]
        if kind != 0:
            raise self._error(f"block at offset {offset} has compression type {kind}; "
                              "TensorFlow writes uncompressed (0) tables")
        if self.verify:
            stored = struct.unpack_from("<I", self.data, end + 1)[0]
            if masked_crc32c(self.data[offset:end + 1]) != stored:
                raise self._error(f"checksum mismatch in the block at offset {offset}")
        return block

    def _block_entries(self, block):
        if len(block) < 4:
            raise self._error("a block is shorter than its restart count")
        num_restarts = struct.unpack_from("<I", block, len(block) - 4)[0]
        limit = len(block) - 4 - 4 * num_restarts
        if limit < 0:
            raise self._error(f"a block claims {num_restarts} restart points")
        where = f"'{self.filename}'"
        pos, key, out = 0, b"", []
        while pos < limit:
            shared, pos = read_varint(block, pos, where)
            non_shared, pos = read_varint(block, pos, where)
            value_length, pos = read_varint(block, pos, where)
            if shared > len(key) or pos + non_shared + value_length > limit:
                raise self._error("an entry runs past its block")
            key = key[:shared] + block[pos:pos + non_shared]
            pos += non_shared
            out.append((key, block[pos:pos + value_length]))
            pos += value_length
        return out

    def _read(self):
        data = self.data
        if len(data) < _FOOTER_SIZE:
            raise self._error(f"the file has {len(data)} bytes, fewer than a table footer")
        footer = data[-_FOOTER_SIZE:]
        if struct.unpack_from("<Q", footer, 40)[0] != _MAGIC:
            raise self._error("bad magic number at the end of the file")
        _, _, pos = self._handle(footer, 0)  # metaindex: unused
        index_offset, index_size, _ = self._handle(footer, pos)
        entries = []
        for _, handle in self._block_entries(self._block(index_offset, index_size)):
            offset, size, _ = self._handle(handle, 0)
            entries.extend(self._block_entries(self._block(offset, size)))
        for (a, _), (b, _) in zip(entries, entries[1:]):
            if not a < b:
                raise self._error(f"keys out of order ({a!r} before {b!r})")
        return entries

    def items(self):
        return list(self.entries)
