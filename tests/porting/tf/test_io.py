"""tf.io and tf.data.TFRecordDataset against real TensorFlow 2.21: TFRecord files TensorFlow
wrote (uncompressed, GZIP, ZLIB) read back record for record; `parse_single_example` /
`parse_example` give TensorFlow's values, dtypes and shapes; files kerastorch writes parse the
same in TensorFlow; PNG/JPEG codecs; corrupt files and bad features raise TensorFlow's errors."""

import os
import pickle

import numpy as np
import pytest
import torch

from kerastorch.porting import tf
from tests.keras2.oracle import run_tf

HERE = os.path.dirname(os.path.abspath(__file__))
COMPRESSIONS = ("", "GZIP", "ZLIB")


def _spec():
    return {"x": tf.io.FixedLenFeature([3], tf.float32),
            "label": tf.io.FixedLenFeature([], tf.int64),
            "name": tf.io.FixedLenFeature([], tf.string),
            "tokens": tf.io.VarLenFeature(tf.int64),
            "grid": tf.io.FixedLenFeature([2, 2], tf.float32),
            "optional": tf.io.FixedLenFeature([], tf.float32, default_value=-1.0)}


def _example(i, x):
    """The Example tf_io_cases.py writes for `i`, built with kerastorch's tf.train classes."""
    train = tf.train
    feature = {
        "x": train.Feature(float_list=train.FloatList(value=x)),
        "label": train.Feature(int64_list=train.Int64List(value=[i % 4])),
        "name": train.Feature(bytes_list=train.BytesList(value=[f"item-{i}".encode()])),
        "tokens": train.Feature(int64_list=train.Int64List(value=list(range(i % 3 + 1)))),
        "grid": train.Feature(float_list=train.FloatList(value=[float(i)] * 4)),
    }
    if i % 2:
        feature["optional"] = train.Feature(float_list=train.FloatList(value=[7.5]))
    return train.Example(features=train.Features(feature=feature)).SerializeToString()


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    ours = tmp_path_factory.mktemp("kerastorch_io")
    rng = np.random.default_rng(0)  # the same draws as tf_io_cases.py
    records = [_example(i, rng.random(3).tolist()) for i in range(6)]
    image = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
    for compression in COMPRESSIONS:
        with tf.io.TFRecordWriter(str(ours / f"kt{compression}.tfrecord"),
                                  tf.io.TFRecordOptions(compression_type=compression)) as w:
            for r in records:
                w.write(r)
    tf.io.write_file(str(ours / "kt.png"), tf.io.encode_png(torch.from_numpy(image)))
    theirs = tmp_path_factory.mktemp("tf_io")
    run_tf(os.path.join(HERE, "tf_io_cases.py"), theirs, ours)
    with open(theirs / "cases.pkl", "rb") as f:
        result = pickle.load(f)
    result["dir"] = theirs
    result["our_records"] = records
    return result


def _assert_parsed(ours, theirs):
    assert set(ours) == set(theirs)
    for key, (kind, *values) in theirs.items():
        got = ours[key]
        if kind == "sparse":
            assert isinstance(got, tf.sparse.SparseTensor), key
            np.testing.assert_array_equal(got.indices.numpy(), values[0])
            assert got.indices.dtype == torch.int64
            np.testing.assert_array_equal(np.asarray(got.values), values[1])
            np.testing.assert_array_equal(got.dense_shape.numpy(), values[2])
            continue
        expected = values[0]
        if isinstance(expected, bytes):  # a scalar string
            assert got == expected, key
            continue
        if expected.dtype == object:  # strings
            got = np.asarray(got, dtype=object)
            assert got.shape == expected.shape, key
            assert got.tolist() == expected.tolist(), key
            continue
        assert isinstance(got, torch.Tensor), key
        assert str(got.dtype).replace("torch.", "") == expected.dtype.name, key
        assert tuple(got.shape) == expected.shape, key
        np.testing.assert_array_equal(got.numpy(), expected, err_msg=key)


@pytest.mark.parametrize("compression", COMPRESSIONS)
def test_tfrecords_tensorflow_wrote_read_back_byte_for_byte(cases, compression):
    path = cases["dir"] / f"data{compression}.tfrecord"
    ds = tf.data.TFRecordDataset([str(path)], compression_type=compression or None)
    assert list(ds) == cases["records"]
    assert list(ds) == cases["records"]  # a dataset is re-iterable
    first = next(iter(ds))
    assert first.numpy() == cases["records"][0]  # `.numpy()`, as scripts call on a record


def test_our_examples_serialize_to_tensorflows_bytes(cases):
    parsed = [tf.train.Example.FromString(r) for r in cases["records"]]
    assert [p.features.feature["label"].int64_list.value[0] for p in parsed] == [
        i % 4 for i in range(6)]
    for ours, theirs in zip(cases["our_records"], cases["records"], strict=True):
        assert tf.train.Example.FromString(ours) == tf.train.Example.FromString(theirs)


def test_parse_single_example_matches_tensorflow(cases):
    for record, expected in zip(cases["records"], cases["single"], strict=True):
        _assert_parsed(tf.io.parse_single_example(record, _spec()), expected)


def test_parse_example_batch_matches_tensorflow(cases):
    batch = np.array(cases["records"][:4], dtype=object)
    _assert_parsed(tf.io.parse_example(batch, _spec()), cases["batch"])
    seq = {"tokens": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True)}
    _assert_parsed(tf.io.parse_example(batch, seq), cases["sequence"])


def test_parse_inside_a_dataset_map_and_batch(cases):
    ds = tf.data.TFRecordDataset(str(cases["dir"] / "data.tfrecord"))
    ds = ds.map(lambda r: tf.io.parse_single_example(r, _spec())).map(
        lambda f: (f["x"], f["label"]))
    batches = list(ds.batch(4))
    assert [tuple(b[0].shape) for b in batches] == [(4, 3), (2, 3)]
    assert torch.cat([b[1] for b in batches]).tolist() == [i % 4 for i in range(6)]


@pytest.mark.parametrize("compression", COMPRESSIONS)
def test_files_kerastorch_writes_parse_the_same_in_tensorflow(cases, compression):
    back = cases["kerastorch_files"][compression]
    assert len(back) == 6
    for ours, theirs in zip(back, cases["single"], strict=True):
        assert ours.keys() == theirs.keys()
        for key in theirs:
            for a, b in zip(ours[key][1:], theirs[key][1:], strict=True):
                np.testing.assert_array_equal(a, b, err_msg=key)


def test_image_codecs_match_tensorflow(cases):
    d = cases["dir"]
    png, jpg = tf.io.read_file(str(d / "image.png")), tf.io.read_file(str(d / "image.jpg"))
    assert isinstance(png, bytes)
    decoded = tf.io.decode_png(png)
    assert decoded.dtype == torch.uint8 and tuple(decoded.shape) == (5, 7, 3)
    np.testing.assert_array_equal(decoded.numpy(), cases["png"])
    np.testing.assert_array_equal(decoded.numpy(), cases["image"])
    np.testing.assert_array_equal(tf.io.decode_png(png, channels=1).numpy(), cases["png_gray"])
    # torchvision's libjpeg decodes with the accurate integer DCT, TensorFlow's dct_method
    # "INTEGER_ACCURATE": equal to that; TensorFlow's default ("" = INTEGER_FAST) differs by a
    # few levels per pixel on this image (docs/LAYERS.md).
    ours = tf.io.decode_jpeg(jpg).numpy()
    np.testing.assert_array_equal(ours, cases["jpg_accurate"])
    assert np.abs(ours.astype(int) - cases["jpg"].astype(int)).max() <= 8
    as_float = tf.io.decode_image(png, dtype=tf.float32)
    assert as_float.dtype == torch.float32
    np.testing.assert_array_equal(as_float.numpy(), cases["image_float"])
    np.testing.assert_array_equal(cases["kerastorch_files"]["png"], cases["image"])
    raw = tf.io.decode_raw(np.arange(6, dtype=np.int16).tobytes(), tf.int16)
    assert raw.dtype == torch.int16
    np.testing.assert_array_equal(raw.numpy(), cases["raw"])


def test_bad_features_raise_tensorflows_errors(cases):
    record = cases["records"][0]
    assert set(cases["errors"].values()) == {"InvalidArgumentError"}
    with pytest.raises(tf.errors.InvalidArgumentError, match="missing .* is required"):
        tf.io.parse_single_example(record, {"missing": tf.io.FixedLenFeature([], tf.int64)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Data types don't match"):
        tf.io.parse_single_example(record, {"label": tf.io.FixedLenFeature([], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="needs 2"):
        tf.io.parse_single_example(record, {"x": tf.io.FixedLenFeature([2], tf.float32)})
    with pytest.raises(ValueError, match="tf.float32, tf.int64 or tf.string"):
        tf.io.FixedLenFeature([], tf.int32)
    with pytest.raises(TypeError, match="serialized tf.train.Example"):
        tf.io.parse_single_example(3, _spec())
    with pytest.raises(tf.errors.InvalidArgumentError, match="decode_png"):
        tf.io.decode_png(b"not a png")


def test_corrupt_and_truncated_tfrecords_raise_data_loss(cases, tmp_path):
    data = (cases["dir"] / "data.tfrecord").read_bytes()
    corrupt = bytearray(data)
    corrupt[20] ^= 0xFF  # inside the first record's data
    (tmp_path / "corrupt.tfrecord").write_bytes(bytes(corrupt))
    (tmp_path / "short.tfrecord").write_bytes(data[:-3])
    with pytest.raises(tf.errors.DataLossError, match="corrupt.tfrecord: corrupted record 0"):
        list(tf.data.TFRecordDataset(str(tmp_path / "corrupt.tfrecord")))
    with pytest.raises(tf.errors.DataLossError, match="short.tfrecord: truncated record 5"):
        list(tf.data.TFRecordDataset(str(tmp_path / "short.tfrecord")))
    with pytest.raises(tf.errors.DataLossError, match="compressed"):
        list(tf.data.TFRecordDataset(str(cases["dir"] / "dataGZIP.tfrecord")))
    with pytest.raises(ValueError, match="unsupported compression_type 'LZ4'"):
        tf.data.TFRecordDataset("x.tfrecord", compression_type="LZ4")


def test_sparse_to_dense_and_gfile(tmp_path):
    st = tf.sparse.SparseTensor(indices=[[0, 1], [1, 0]], values=torch.tensor([3, 4]),
                                dense_shape=[2, 2])
    assert tf.sparse.to_dense(st).tolist() == [[0, 3], [4, 0]]
    gfile = tf.io.gfile
    gfile.makedirs(str(tmp_path / "a" / "b"))
    with gfile.GFile(str(tmp_path / "a" / "b" / "f.txt"), "w") as f:
        f.write("hello")
    assert gfile.exists(str(tmp_path / "a" / "b" / "f.txt")) and gfile.isdir(str(tmp_path / "a"))
    assert gfile.listdir(str(tmp_path / "a" / "b")) == ["f.txt"]
    assert gfile.glob(str(tmp_path / "a" / "*" / "*.txt")) == [str(tmp_path / "a/b/f.txt")]
    with gfile.GFile(str(tmp_path / "a" / "b" / "f.txt")) as f:
        assert f.read() == "hello"
    with pytest.raises(tf.errors.NotFoundError):
        gfile.GFile(str(tmp_path / "missing.txt"))
    with pytest.raises(tf.errors.NotFoundError):
        tf.io.read_file(str(tmp_path / "missing.txt"))
    gfile.rmtree(str(tmp_path / "a"))
    assert not gfile.exists(str(tmp_path / "a"))


def test_batched_records_parse_like_tensorflow_and_keep_trailing_nul_bytes(cases, tmp_path):
    ds = tf.data.TFRecordDataset(str(cases["dir"] / "data.tfrecord")).batch(4)
    first = next(iter(ds))
    assert first.dtype == object and first.shape == (4,)
    _assert_parsed(tf.io.parse_example(first, _spec()), cases["batch"])
    train = tf.train
    record = train.Example(features=train.Features(feature={
        "z": train.Feature(int64_list=train.Int64List(value=[0]))})).SerializeToString()
    assert record.endswith(b"\x00")  # what numpy's fixed-width bytes would cut off
    path = str(tmp_path / "nul.tfrecord")
    with tf.io.TFRecordWriter(path) as writer:
        writer.write(record)
        writer.write(record)
    batch = next(iter(tf.data.TFRecordDataset(path).batch(2)))
    assert [bytes(r) for r in batch] == [record, record]
    parsed = tf.io.parse_example(batch, {"z": tf.io.FixedLenFeature([], tf.int64)})
    assert parsed["z"].tolist() == [0, 0]
