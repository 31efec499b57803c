"""tf.io on torch: TFRecord files, `tf.train.Example` parsing, files and image codecs.

- Records: `TFRecordWriter`, `TFRecordOptions` (and `tf.data.TFRecordDataset`), from
  `kerastorch.data.tfrecord`.
- Examples: `parse_single_example` / `parse_example` with `FixedLenFeature`, `VarLenFeature`
  (a `tf.sparse.SparseTensor`) and `FixedLenSequenceFeature`. Numbers come back as torch tensors
  (float32, int64); strings as Python `bytes` (a scalar) or numpy object arrays of bytes.
- Files: `read_file`, `write_file`, `gfile`. Bytes results (`read_file`, `encode_png`, records)
  are `bytes` with `.numpy()`, as scripts call it on TensorFlow's string tensors.
- Images (torchvision.io): `decode_png`, `decode_jpeg`, `decode_image`, `encode_png`,
  `encode_jpeg`, `decode_raw`: HWC uint8 tensors as TensorFlow gives them.
"""

import math
import os

import numpy as np
import torch

from kerastorch.data.tfrecord import ByteString
from kerastorch.data.tfrecord import TFRecordOptions
from kerastorch.data.tfrecord import TFRecordWriter
from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.tf import sparse
from kerastorch.porting.tf.errors import InvalidArgumentError
from kerastorch.porting.tf.errors import NotFoundError
from kerastorch.porting.tf.io import gfile
from kerastorch.saving.tf_format import protos


# ---------------------------------------------------------------- feature specs
def _kind(dtype, where):
    """'float', 'int64' or 'string' for a feature dtype (TF allows only these three)."""
    name = getattr(dtype, "name", None) if not isinstance(dtype, (str, torch.dtype)) else None
    if dtype is None or dtype is str or dtype is bytes or name == "string" or dtype == "string":
        return "string"  # tf.string
    if isinstance(dtype, torch.dtype):
        name = str(dtype).replace("torch.", "")
    elif isinstance(dtype, str):
        name = dtype
    elif name is None:
        name = np.dtype(dtype).name
    if name == "float32":
        return "float"
    if name == "int64":
        return "int64"
    raise ValueError(f"{where}: the dtype of a feature must be tf.float32, tf.int64 or "
                     f"tf.string, received {dtype!r}")


class FixedLenFeature:
    """tf.io.FixedLenFeature(shape, dtype, default_value=None): a feature of a fixed shape."""

    def __init__(self, shape, dtype, default_value=None):
        self.shape = tuple(int(d) for d in (shape if isinstance(shape, (list, tuple)) else
                                            [shape] if shape is not None else []))
        self.dtype, self.default_value = dtype, default_value
        self._kind = _kind(dtype, "FixedLenFeature")

    def __repr__(self):
        return (f"FixedLenFeature(shape={list(self.shape)}, dtype={self.dtype!r}, "
                f"default_value={self.default_value!r})")


class VarLenFeature:
    """tf.io.VarLenFeature(dtype): a feature of any length, parsed into a SparseTensor."""

    def __init__(self, dtype):
        self.dtype = dtype
        self._kind = _kind(dtype, "VarLenFeature")

    def __repr__(self):
        return f"VarLenFeature(dtype={self.dtype!r})"


class FixedLenSequenceFeature:
    """tf.io.FixedLenSequenceFeature(shape, dtype, allow_missing=False, default_value=None): a
    feature holding a sequence of items of `shape` (stacked along a new first axis)."""

    def __init__(self, shape, dtype, allow_missing=False, default_value=None):
        self.shape = tuple(int(d) for d in shape)
        self.dtype, self.allow_missing, self.default_value = dtype, allow_missing, default_value
        self._kind = _kind(dtype, "FixedLenSequenceFeature")


_LIST_FIELD = {"float": "float_list", "int64": "int64_list", "string": "bytes_list"}
_TF_TYPE_NAME = {"float": "float", "int64": "int64", "string": "string"}


def _bytes_of(value, where):
    if hasattr(value, "numpy") and isinstance(value, torch.Tensor):
        raise TypeError(f"{where}: expected serialized bytes, received a tensor of dtype "
                        f"{value.dtype}")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.bytes_):
        value = bytes(value)
    if isinstance(value, str):
        value = value.encode("utf-8")
    if not isinstance(value, (bytes, bytearray)):
        raise TypeError(f"{where}: expected a serialized tf.train.Example (bytes), received "
                        f"{type(value).__name__}")
    return bytes(value)


def _parse_example_proto(data, where):
    return protos.parse("Example", data, where)


def _values(example, key, kind):
    """The values of feature `key` as a Python list, or None when the example lacks it."""
    feature = example.features.feature.get(key)
    if feature is None:
        return None
    which = feature.WhichOneof("kind")
    if which is None:
        return []
    if which != _LIST_FIELD[kind]:
        actual = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}[which]
        raise InvalidArgumentError(
            None, None, f"Key: {key}.  Data types don't match. Data type: {actual} but "
                        f"expected type: {_TF_TYPE_NAME[kind]}")
    return list(getattr(feature, which).value)


def _dense(values, kind, shape):
    if kind == "string":
        if shape == ():
            return values[0]
        return np.array(values, dtype=object).reshape(shape)
    dtype = torch.float32 if kind == "float" else torch.int64
    return torch.tensor(values, dtype=dtype).reshape(shape)


def _default_values(spec, key):
    default = spec.default_value
    count = math.prod(spec.shape)
    if isinstance(default, (bytes, str)) or np.ndim(default) == 0:
        value = default.encode() if isinstance(default, str) else default
        return [value] * count
    flat = np.asarray(default, dtype=object if spec._kind == "string" else None).reshape(-1)
    if flat.size == 1:
        return [flat[0]] * count
    if flat.size != count:
        raise ValueError(f"Feature {key}: the default_value has {flat.size} values, the shape "
                         f"{list(spec.shape)} needs {count}")
    return list(flat)


def _fixed(example, key, spec):
    values = _values(example, key, spec._kind)
    if values is None:
        if spec.default_value is None:
            raise InvalidArgumentError(
                None, None, f"Feature: {key} (data type: {_TF_TYPE_NAME[spec._kind]}) is "
                            "required but could not be found.")
        values = _default_values(spec, key)
    count = math.prod(spec.shape)
    if len(values) != count:
        raise InvalidArgumentError(
            None, None, f"Key: {key}.  Can't parse serialized Example: {len(values)} values "
                        f"where the shape {list(spec.shape)} needs {count}.")
    return _dense(values, spec._kind, spec.shape)


def _sequence(example, key, spec):
    values = _values(example, key, spec._kind)
    if values is None:
        if not spec.allow_missing:
            raise InvalidArgumentError(
                None, None, f"Feature: {key} (data type: {_TF_TYPE_NAME[spec._kind]}) is "
                            "required but could not be found.")
        values = []
    item = math.prod(spec.shape)
    if item and len(values) % item:
        raise InvalidArgumentError(
            None, None, f"Key: {key}.  Number of values {len(values)} is not a multiple of "
                        f"the item size {item} of shape {list(spec.shape)}.")
    n = len(values) // item if item else 0
    if spec._kind == "string":
        return np.array(values, dtype=object).reshape((n,) + spec.shape)
    return _dense(values, spec._kind, (n,) + spec.shape)


def _empty(kind):
    return np.array([], dtype=object) if kind == "string" else torch.zeros(
        0, dtype=torch.float32 if kind == "float" else torch.int64)


def _sparse(rows, kind, batched):
    """A SparseTensor from the value lists of each example (`rows`)."""
    if kind == "string":
        values = np.array([v for row in rows for v in row], dtype=object)
    else:
        values = torch.tensor([v for row in rows for v in row],
                              dtype=torch.float32 if kind == "float" else torch.int64)
    if batched:
        indices = [[b, i] for b, row in enumerate(rows) for i in range(len(row))]
        shape = [len(rows), max((len(r) for r in rows), default=0)]
    else:
        indices = [[i] for i in range(len(rows[0]))]
        shape = [len(rows[0])]
    return sparse.SparseTensor(torch.tensor(indices, dtype=torch.int64).reshape(-1, len(shape)),
                               values, shape)


def _check_features(features, where):
    if not isinstance(features, dict) or not features:
        raise ValueError(f"{where}: `features` must be a non-empty dict of feature specs "
                         f"(tf.io.FixedLenFeature, VarLenFeature, ...), received {features!r}")
    for key, spec in features.items():
        if not isinstance(spec, (FixedLenFeature, VarLenFeature, FixedLenSequenceFeature)):
            raise ValueError(f"{where}: unsupported feature spec for {key!r}: "
                             f"{type(spec).__name__}")


def parse_single_example(serialized, features, example_names=None, name=None):
    """tf.io.parse_single_example: one serialized `tf.train.Example` -> a dict of features.

    Example:
        >>> spec = {"image": tf.io.FixedLenFeature([], tf.string),
        ...         "label": tf.io.FixedLenFeature([], tf.int64)}
        >>> parsed = tf.io.parse_single_example(record, spec)
    """
    _check_features(features, "parse_single_example")
    example = _parse_example_proto(_bytes_of(serialized, "parse_single_example"),
                                   "the serialized Example")
    out = {}
    for key, spec in features.items():
        if isinstance(spec, FixedLenFeature):
            out[key] = _fixed(example, key, spec)
        elif isinstance(spec, FixedLenSequenceFeature):
            out[key] = _sequence(example, key, spec)
        else:
            values = _values(example, key, spec._kind)
            out[key] = _sparse([values or []], spec._kind, batched=False)
    return out


def parse_example(serialized, features, example_names=None, name=None):
    """tf.io.parse_example: a batch of serialized Examples -> a dict of batched features
    (FixedLen stacked, VarLen as a [batch, max_length] SparseTensor, FixedLenSequence padded
    with its default value)."""
    _check_features(features, "parse_example")
    if isinstance(serialized, (bytes, str)) or (isinstance(serialized, np.ndarray) and
                                                serialized.ndim == 0):
        return parse_single_example(serialized, features)
    records = [_parse_example_proto(_bytes_of(s, "parse_example"), f"serialized Example {i}")
               for i, s in enumerate(list(serialized))]
    out = {}
    for key, spec in features.items():
        if isinstance(spec, FixedLenFeature):
            items = [_fixed(e, key, spec) for e in records]
            if spec._kind == "string":
                out[key] = np.array(items, dtype=object).reshape((len(items),) + spec.shape)
            else:
                out[key] = torch.stack(items) if items else _empty(spec._kind).reshape(
                    (0,) + spec.shape)
        elif isinstance(spec, FixedLenSequenceFeature):
            items = [_sequence(e, key, spec) for e in records]
            longest = max((len(i) for i in items), default=0)
            default = spec.default_value if spec.default_value is not None else (
                b"" if spec._kind == "string" else 0)
            if spec._kind == "string":
                batch = np.full((len(items), longest) + spec.shape, default, dtype=object)
                for b, item in enumerate(items):
                    batch[b, :len(item)] = item
            else:
                batch = torch.full((len(items), longest) + spec.shape, default,
                                   dtype=torch.float32 if spec._kind == "float" else torch.int64)
                for b, item in enumerate(items):
                    batch[b, :len(item)] = item
            out[key] = batch
        else:
            out[key] = _sparse([_values(e, key, spec._kind) or [] for e in records], spec._kind,
                               batched=True)
    return out


# ---------------------------------------------------------------- files
def read_file(filename, name=None):
    """tf.io.read_file: the file's whole contents, as bytes."""
    path = _path(filename)
    if not os.path.isfile(path):
        raise NotFoundError(None, None, f"{path}; No such file or directory")
    with open(path, "rb") as f:
        return ByteString(f.read())


def write_file(filename, contents, name=None):
    """tf.io.write_file: writes `contents` (bytes or str) to `filename`."""
    data = contents.encode("utf-8") if isinstance(contents, str) else _bytes_like(contents)
    with open(_path(filename), "wb") as f:
        f.write(data)


def _path(filename):
    if isinstance(filename, np.ndarray) and filename.ndim == 0:
        filename = filename.item()
    if isinstance(filename, bytes):
        filename = filename.decode("utf-8")
    return os.fspath(filename)


def _bytes_like(contents):
    if isinstance(contents, np.ndarray) and contents.ndim == 0:
        contents = contents.item()
    if isinstance(contents, torch.Tensor):
        return contents.detach().cpu().to(torch.uint8).numpy().tobytes()
    return bytes(contents)


# ---------------------------------------------------------------- images (torchvision.io)
def _encoded(contents, where):
    if isinstance(contents, torch.Tensor) and contents.dtype == torch.uint8 and contents.ndim == 1:
        return contents.cpu()
    data = _bytes_of(contents, where)
    if not data:
        raise InvalidArgumentError(None, None, f"{where}: the image data is empty")
    return torch.frombuffer(bytearray(data), dtype=torch.uint8)


def _mode(channels, where):
    from torchvision.io import ImageReadMode
    modes = {None: ImageReadMode.UNCHANGED, 0: ImageReadMode.UNCHANGED,
             1: ImageReadMode.GRAY, 3: ImageReadMode.RGB, 4: ImageReadMode.RGB_ALPHA}
    if channels not in modes:
        raise ValueError(f"{where}: `channels` must be 0, 1, 3 or 4, received {channels!r}")
    return modes[channels]


def _to_dtype(image, dtype, where, png=False):
    """uint8 as decoded; uint16 and float dtypes as TensorFlow converts them: a PNG through
    uint16 (x * 257, then times 1 / 65535 for floats), other formats times 1 / 255."""
    from kerastorch import backend
    dtype = backend.to_torch_dtype(dtype) if dtype is not None else torch.uint8
    if dtype == torch.uint8:
        return image
    if dtype == torch.uint16:
        return (image.to(torch.int32) * 257).to(torch.uint16)
    if dtype.is_floating_point:
        if png:
            return (image.to(torch.float32) * 257.0 * (1.0 / 65535.0)).to(dtype)
        return (image.to(torch.float32) * (1.0 / 255.0)).to(dtype)
    raise ValueError(f"{where}: `dtype` must be uint8, uint16 or a float type, received {dtype}")


def decode_png(contents, channels=0, dtype=torch.uint8, name=None):
    """tf.io.decode_png: PNG bytes -> an HWC uint8 tensor (`channels` 0 keeps the file's)."""
    from torchvision.io import decode_png as _decode
    try:
        image = _decode(_encoded(contents, "decode_png"), mode=_mode(channels, "decode_png"))
    except RuntimeError as err:
        raise InvalidArgumentError(None, None, f"decode_png: not a valid PNG image ({err})") \
            from None
    return _to_dtype(image.permute(1, 2, 0).contiguous(), dtype, "decode_png", png=True)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True, try_recover_truncated=False,
                acceptable_fraction=1, dct_method="", name=None):
    """tf.io.decode_jpeg: JPEG bytes -> an HWC uint8 tensor."""
    from torchvision.io import decode_jpeg as _decode
    if ratio != 1:
        raise ValueError("decode_jpeg: only ratio=1 is supported by kerastorch")
    try:
        image = _decode(_encoded(contents, "decode_jpeg"), mode=_mode(channels, "decode_jpeg"))
    except RuntimeError as err:
        raise InvalidArgumentError(None, None, f"decode_jpeg: not a valid JPEG image ({err})") \
            from None
    return image.permute(1, 2, 0).contiguous()


def decode_image(contents, channels=None, dtype=torch.uint8, name=None, expand_animations=True):
    """tf.io.decode_image: PNG, JPEG, GIF or BMP bytes -> an HWC tensor (`dtype` uint8, or a
    float type scaled to [0, 1])."""
    from torchvision.io import decode_image as _decode
    data = _encoded(contents, "decode_image")
    png = bytes(data[:8].tolist()) == b"\x89PNG\r\n\x1a\n"
    try:
        image = _decode(data, mode=_mode(channels, "decode_image"))
    except RuntimeError as err:
        raise InvalidArgumentError(None, None, f"decode_image: unknown image format ({err})") \
            from None
    if image.ndim == 4:  # an animated GIF: frames, HWC each
        image = image.permute(0, 2, 3, 1).contiguous()
        if not expand_animations:
            image = image[0]
    else:
        image = image.permute(1, 2, 0).contiguous()
    return _to_dtype(image, dtype, "decode_image", png=png)


def _chw_uint8(image, where):
    image = torch.as_tensor(image)
    if image.ndim != 3:
        raise ValueError(f"{where}: `image` must be 3-D [height, width, channels], received "
                         f"shape {tuple(image.shape)}")
    if image.dtype != torch.uint8:
        raise TypeError(f"{where}: `image` must be uint8, received {image.dtype}")
    return image.permute(2, 0, 1).contiguous().cpu()


def encode_png(image, compression=-1, name=None):
    """tf.io.encode_png: an HWC uint8 tensor -> PNG bytes."""
    from torchvision.io import encode_png as _encode
    level = 6 if compression is None or compression < 0 else int(compression)
    return ByteString(_encode(_chw_uint8(image, "encode_png"), compression_level=level).numpy())


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
                xmp_metadata="", name=None):
    """tf.io.encode_jpeg: an HWC uint8 tensor -> JPEG bytes."""
    from torchvision.io import encode_jpeg as _encode
    return ByteString(_encode(_chw_uint8(image, "encode_jpeg"), quality=int(quality)).numpy())


def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    """tf.io.decode_raw: the bytes reinterpreted as a 1-D tensor of `out_type`."""
    from kerastorch import backend
    dtype = backend.to_torch_dtype(out_type)
    np_dtype = np.dtype(str(dtype).replace("torch.", "")).newbyteorder(
        "<" if little_endian else ">")
    data = _bytes_of(input_bytes, "decode_raw")
    if len(data) % np_dtype.itemsize:
        raise InvalidArgumentError(None, None, f"decode_raw: input size {len(data)} is not a "
                                               f"multiple of {np_dtype.itemsize}")
    return torch.from_numpy(np.frombuffer(data, dtype=np_dtype).astype(np_dtype.newbyteorder(
        "="))).clone()


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.io.{name}")
