"""TFRecord files without TensorFlow: framing (length, masked CRC32C), writer/reader round trips
in every compression, several files in order, paths from a dataset, corrupt files, bad options.
(The byte-for-byte checks against TensorFlow's own files are in tests/porting/tf/test_io.py.)"""

import struct

import numpy as np
import pytest

from kerastorch import data
from kerastorch.data import tfrecord
from kerastorch.saving.tf_format.sstable import masked_crc32c

RECORDS = [b"", b"a", b"hello tfrecord", bytes(range(256)) * 40]


def test_encode_record_framing():
    framed = tfrecord.encode_record(b"abc")
    assert len(framed) == 8 + 4 + 3 + 4
    (length,) = struct.unpack("<Q", framed[:8])
    assert length == 3
    assert struct.unpack("<I", framed[8:12])[0] == masked_crc32c(framed[:8])
    assert framed[12:15] == b"abc"
    assert struct.unpack("<I", framed[15:])[0] == masked_crc32c(b"abc")
    # the known CRC32C check value (RFC 3720) of b"123456789" is 0xE3069283, masked as TF does
    crc = 0xE3069283
    want = ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF
    assert masked_crc32c(b"123456789") == want


@pytest.mark.parametrize("compression", [None, "", "GZIP", "ZLIB", "gzip"])
def test_round_trip_every_compression(tmp_path, compression):
    path = tmp_path / "r.tfrecord"
    with tfrecord.TFRecordWriter(str(path), compression) as writer:
        for r in RECORDS:
            writer.write(r)
        writer.write("text é")  # str is written as UTF-8
    got = [bytes(r) for r in data.TFRecordDataset(str(path), compression_type=compression)]
    assert got == RECORDS + ["text é".encode()]
    raw = path.read_bytes()
    if not compression:
        assert raw == b"".join(tfrecord.encode_record(r) for r in got)
    else:
        assert raw != b"".join(tfrecord.encode_record(r) for r in got)


def test_options_object_and_several_files_in_order(tmp_path):
    paths = []
    for i in range(3):
        p = tmp_path / f"part{i}.tfrecord"
        with tfrecord.TFRecordWriter(p, tfrecord.TFRecordOptions(compression_type="ZLIB")) as w:
            w.write(f"file{i}-a".encode())
            w.write(f"file{i}-b".encode())
        paths.append(str(p))
    want = [f"file{i}-{s}".encode() for i in range(3) for s in "ab"]
    assert [bytes(r) for r in data.TFRecordDataset(paths, "ZLIB")] == want
    assert [bytes(r) for r in data.TFRecordDataset(np.array(paths), "ZLIB")] == want
    from_ds = data.TFRecordDataset(data.Dataset.from_tensor_slices(paths), "ZLIB")
    assert [bytes(r) for r in from_ds] == want
    ds = data.TFRecordDataset(paths, "ZLIB")
    assert int(ds.cardinality()) == data.UNKNOWN_CARDINALITY
    assert [bytes(r) for r in ds.skip(1).take(2)] == want[1:3]  # a dataset like any other
    assert [r.numpy() for r in data.TFRecordDataset(paths[:1], "ZLIB")] == want[:2]


def test_corrupt_and_truncated_files_raise_data_loss(tmp_path):
    good = tfrecord.encode_record(b"payload")
    corrupt = bytearray(good)
    corrupt[13] ^= 0xFF
    (tmp_path / "corrupt.tfrecord").write_bytes(bytes(corrupt))
    (tmp_path / "short.tfrecord").write_bytes(good[:-2])
    for name in ("corrupt", "short"):
        with pytest.raises(Exception) as info:
            list(data.TFRecordDataset(str(tmp_path / f"{name}.tfrecord")))
        assert type(info.value).__name__ == "DataLossError"  # tf.errors.DataLossError
        assert f"{name}.tfrecord" in str(info.value)


def test_bad_compression_names_itself():
    with pytest.raises(ValueError, match="TFRecordDataset.*LZ4"):
        data.TFRecordDataset("x.tfrecord", compression_type="LZ4")
    with pytest.raises(ValueError, match="TFRecordWriter.*BZ2"):
        tfrecord.TFRecordWriter("never-written.tfrecord", "BZ2")


def test_batch_of_raw_records_is_a_vector_of_byte_strings(tmp_path):
    path = tmp_path / "b.tfrecord"
    with tfrecord.TFRecordWriter(str(path)) as w:
        for i in range(5):
            w.write(f"r{i}".encode())
    batches = list(data.TFRecordDataset(str(path)).batch(2).as_numpy_iterator())
    assert [b.tolist() for b in batches] == [[b"r0", b"r1"], [b"r2", b"r3"], [b"r4"]]
