"""TFRecord files: TensorFlow's record framing, read and written without TensorFlow.

A TFRecord file is a sequence of records, each stored as

    uint64 length (little-endian) | uint32 masked crc32c of those 8 bytes | data | uint32 masked
    crc32c of data

and the whole file may be GZIP- or ZLIB-compressed. `TFRecordDataset` yields each record's bytes;
`TFRecordWriter` writes them (the records are usually serialized `tf.train.Example`s, see
`kerastorch.porting.tf.io.parse_example`).
"""

import gzip
import os
import struct
import zlib

from kerastorch.data.dataset import UNKNOWN_CARDINALITY
from kerastorch.data.dataset import Dataset
from kerastorch.saving.tf_format.sstable import masked_crc32c

_COMPRESSIONS = ("", "GZIP", "ZLIB")


def _compression(compression_type, where):
    value = (compression_type or "").upper() if isinstance(compression_type, str) else \
        compression_type
    if value is None:
        value = ""
    if value not in _COMPRESSIONS:
        raise ValueError(f"{where}: unsupported compression_type {compression_type!r}; "
                         f"expected one of None, '', 'GZIP', 'ZLIB'.")
    return value


class TFRecordOptions:
    """tf.io.TFRecordOptions: the compression of a TFRecord file (`""`, `"GZIP"` or `"ZLIB"`).

    Example:
        >>> tf.io.TFRecordWriter("data.tfrecord.gz", tf.io.TFRecordOptions("GZIP"))
    """

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None,
                 output_buffer_size=None, window_bits=None, compression_level=None,
                 compression_method=None, mem_level=None, compression_strategy=None):
        self.compression_type = _compression(compression_type, "TFRecordOptions")
        self.compression_level = compression_level


def _open_read(path, compression):
    if compression == "GZIP":
        return gzip.open(path, "rb")
    if compression == "ZLIB":
        with open(path, "rb") as f:
            return _BytesReader(zlib.decompress(f.read()))
    return open(path, "rb")


class _BytesReader:
    def __init__(self, data):
        self._data, self._pos = data, 0

    def read(self, n):
        out = self._data[self._pos:self._pos + n]
        self._pos += len(out)
        return out

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _data_loss(message):
    # tf.errors.DataLossError (a ValueError); imported here, when raised: the tf package imports
    # kerastorch.data.
    from kerastorch.porting.tf.errors import DataLossError
    return DataLossError(None, None, message)


def read_records(path, compression_type=None):
    """The records of the TFRecord file `path`, as bytes, their CRCs checked.

    A truncated record or a CRC that does not match raises `tf.errors.DataLossError` (a
    ValueError) naming the file and the record, as TensorFlow does."""
    compression = _compression(compression_type, "TFRecordDataset")
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"TFRecordDataset: no such file: {path}")
    with _open_read(path, compression) as f:
        index = 0
        while True:
            header = f.read(12)
            if not header:
                return
            if len(header) < 12:
                raise _data_loss(f"{path}: truncated record {index} (corrupted or not a "
                                 f"TFRecord file{'; is it compressed?' if not compression else ''})")
            length_bytes, length_crc = header[:8], struct.unpack("<I", header[8:])[0]
            if masked_crc32c(length_bytes) != length_crc:
                raise _data_loss(f"{path}: corrupted record {index}: the length's CRC does not "
                                 f"match (not a TFRecord file, or compressed with another "
                                 f"compression_type than {compression_type!r}?)")
            (length,) = struct.unpack("<Q", length_bytes)
            data = f.read(length)
            footer = f.read(4)
            if len(data) < length or len(footer) < 4:
                raise _data_loss(f"{path}: truncated record {index}: {len(data)} of {length} "
                                 f"bytes")
            if masked_crc32c(data) != struct.unpack("<I", footer)[0]:
                raise _data_loss(f"{path}: corrupted record {index}: the data's CRC does not "
                                 f"match")
            yield ByteString(data)
            index += 1


class ByteString(bytes):
    """Bytes with `.numpy()` (the bytes), as TensorFlow's scalar string tensors have it: a record
    (`tf.train.Example.FromString(record.numpy())`), a file read, an encoded image."""

    __slots__ = ()

    def numpy(self):
        return bytes(self)


def encode_record(data):
    """One record's bytes in TFRecord framing."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data +
            struct.pack("<I", masked_crc32c(data)))


class TFRecordWriter:
    """tf.io.TFRecordWriter: writes records (bytes, e.g. `example.SerializeToString()`).

    Args:
        path: the file to write.
        options: a `TFRecordOptions` or a compression type string (`"GZIP"`, `"ZLIB"`).

    Example:
        >>> with tf.io.TFRecordWriter("train.tfrecord") as writer:
        ...     writer.write(example.SerializeToString())
    """

    def __init__(self, path, options=None):
        self._path = os.fspath(path)
        if isinstance(options, TFRecordOptions):
            self._compression, level = options.compression_type, options.compression_level
        else:
            self._compression, level = _compression(options, "TFRecordWriter"), None
        self._level = 9 if level is None or level < 0 else int(level)
        self._chunks = [] if self._compression == "ZLIB" else None
        self._file = (gzip.open(self._path, "wb", compresslevel=self._level)
                      if self._compression == "GZIP" else
                      None if self._compression == "ZLIB" else open(self._path, "wb"))

    def write(self, record):
        """Appends one record (`bytes`, a `str` is UTF-8 encoded)."""
        if isinstance(record, str):
            record = record.encode("utf-8")
        record = bytes(record.item() if hasattr(record, "item") else record)
        if self._chunks is not None:
            self._chunks.append(encode_record(record))
        elif self._file is None:
            raise ValueError(f"TFRecordWriter({self._path!r}) is closed")
        else:
            self._file.write(encode_record(record))

    def flush(self):
        if self._file is not None:
            self._file.flush()

    def close(self):
        if self._chunks is not None:
            with open(self._path, "wb") as f:
                f.write(zlib.compress(b"".join(self._chunks), self._level))
            self._chunks = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _filenames(filenames):
    if isinstance(filenames, Dataset):
        return [_as_path(f) for f in filenames]
    if isinstance(filenames, (str, bytes, os.PathLike)):
        return [_as_path(filenames)]
    if hasattr(filenames, "tolist"):
        filenames = filenames.tolist()
    if isinstance(filenames, str):
        return [filenames]
    return [_as_path(f) for f in filenames]


def _as_path(name):
    if hasattr(name, "item"):
        name = name.item()
    if isinstance(name, bytes):
        name = name.decode("utf-8")
    if not isinstance(name, (str, os.PathLike)):
        raise TypeError(f"TFRecordDataset: `filenames` must be paths (str), received "
                        f"{type(name).__name__}")
    return os.fspath(name)


def TFRecordDataset(filenames, compression_type=None, buffer_size=None, num_parallel_reads=None,
                    name=None):
    """tf.data.TFRecordDataset: the records of one or more TFRecord files, as bytes.

    Args:
        filenames: a path, a list of paths, or a dataset of paths.
        compression_type: `None`/`""`, `"GZIP"` or `"ZLIB"`.
        buffer_size, num_parallel_reads: accepted; the files are read one after another in
            order (TensorFlow's order with `num_parallel_reads=None`).

    Example:
        >>> ds = tf.data.TFRecordDataset(["a.tfrecord"]).map(parse_fn).batch(32)
    """
    paths = _filenames(filenames)
    compression = _compression(compression_type, "TFRecordDataset")

    def make():
        for path in paths:
            yield from read_records(path, compression)
    return Dataset(make, UNKNOWN_CARDINALITY)


__all__ = ["ByteString", "TFRecordDataset", "TFRecordOptions", "TFRecordWriter", "encode_record",
           "read_records"]
