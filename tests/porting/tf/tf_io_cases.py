"""Run under real TensorFlow 2.21: writes TFRecord files of tf.train.Examples (none, GZIP and
ZLIB compression), a PNG and a JPEG, and what TensorFlow parses and decodes from them; then reads
the files kerastorch wrote (argv[2]) and reports what TensorFlow parses from those.

    python tf_io_cases.py OUT_DIR [KERASTORCH_DIR]
"""

import os
import pickle
import sys

import numpy as np
import tensorflow as tf

out = sys.argv[1]
theirs = sys.argv[2] if len(sys.argv) > 2 else None
rng = np.random.default_rng(0)


def example(i):
    feature = {
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=rng.random(3).tolist())),
        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 4])),
        "name": tf.train.Feature(bytes_list=tf.train.BytesList(value=[f"item-{i}".encode()])),
        "tokens": tf.train.Feature(int64_list=tf.train.Int64List(value=list(range(i % 3 + 1)))),
        "grid": tf.train.Feature(float_list=tf.train.FloatList(value=[float(i)] * 4)),
    }
    if i % 2:
        feature["optional"] = tf.train.Feature(float_list=tf.train.FloatList(value=[7.5]))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


SPEC = {"x": tf.io.FixedLenFeature([3], tf.float32),
        "label": tf.io.FixedLenFeature([], tf.int64),
        "name": tf.io.FixedLenFeature([], tf.string),
        "tokens": tf.io.VarLenFeature(tf.int64),
        "grid": tf.io.FixedLenFeature([2, 2], tf.float32),
        "optional": tf.io.FixedLenFeature([], tf.float32, default_value=-1.0)}


def plain(parsed):
    out = {}
    for k, v in parsed.items():
        if isinstance(v, tf.sparse.SparseTensor):
            out[k] = ("sparse", v.indices.numpy(), v.values.numpy(), v.dense_shape.numpy())
        else:
            out[k] = ("dense", v.numpy())
    return out


records = [example(i) for i in range(6)]
result = {"records": records}
for compression in ("", "GZIP", "ZLIB"):
    path = os.path.join(out, f"data{compression}.tfrecord")
    with tf.io.TFRecordWriter(path, tf.io.TFRecordOptions(compression_type=compression)) as w:
        for r in records:
            w.write(r)
result["single"] = [plain(tf.io.parse_single_example(r, SPEC)) for r in records]
result["batch"] = plain(tf.io.parse_example(tf.constant(records[:4]), SPEC))
seq = {"tokens": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True)}
result["sequence"] = plain(tf.io.parse_example(tf.constant(records[:4]), seq))
image = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
result["image"] = image
with open(os.path.join(out, "image.png"), "wb") as f:
    f.write(tf.io.encode_png(image).numpy())
with open(os.path.join(out, "image.jpg"), "wb") as f:
    f.write(tf.io.encode_jpeg(image, quality=90).numpy())
png = tf.io.read_file(os.path.join(out, "image.png"))
jpg = tf.io.read_file(os.path.join(out, "image.jpg"))
result["png"] = tf.io.decode_png(png).numpy()
result["png_gray"] = tf.io.decode_png(png, channels=1).numpy()
result["jpg"] = tf.io.decode_jpeg(jpg).numpy()
result["jpg_accurate"] = tf.io.decode_jpeg(jpg, dct_method="INTEGER_ACCURATE").numpy()
result["image_float"] = tf.io.decode_image(png, dtype=tf.float32).numpy()
result["raw"] = tf.io.decode_raw(tf.constant(np.arange(6, dtype=np.int16).tobytes()),
                                 tf.int16).numpy()
errors = {}
try:
    tf.io.parse_single_example(records[0], {"missing": tf.io.FixedLenFeature([], tf.int64)})
except tf.errors.InvalidArgumentError as err:
    errors["missing"] = type(err).__name__
try:
    tf.io.parse_single_example(records[0], {"label": tf.io.FixedLenFeature([], tf.float32)})
except tf.errors.InvalidArgumentError as err:
    errors["wrong_type"] = type(err).__name__
result["errors"] = errors

if theirs:  # the files kerastorch wrote, read back by TensorFlow
    back = {}
    for compression in ("", "GZIP", "ZLIB"):
        ds = tf.data.TFRecordDataset(os.path.join(theirs, f"kt{compression}.tfrecord"),
                                     compression_type=compression)
        back[compression] = [plain(tf.io.parse_single_example(r, SPEC)) for r in ds]
    back["png"] = tf.io.decode_png(tf.io.read_file(os.path.join(theirs, "kt.png"))).numpy()
    result["kerastorch_files"] = back

with open(os.path.join(out, "cases.pkl"), "wb") as f:
    pickle.dump(result, f)
