"""TF-format checkpoints (`save_weights("ckpt")`) read without TensorFlow: the SSTable index, the
tensor bundle, and `model.load_weights("ckpt")` against what tf.keras 2.21 wrote.

The SSTable tests build tables with a small writer of the LevelDB layout below, so the reader is
checked against the format (several blocks, restart points, prefix-compressed keys), not only
against the files TensorFlow happened to write. The checkpoints are the shared fixtures
(tests/keras2/fixtures, `make keras2-fixtures`).
"""

import shutil
import struct

import h5py
import numpy as np
import pytest

import kerastorch as keras
from kerastorch.saving.tf_format import protos
from kerastorch.saving.tf_format import sstable
from kerastorch.saving.tf_format.tensor_bundle import TensorBundle
from tests.keras2.oracle import fixture_dir

MODELS = ["cnn_bn_dropout", "text_two_input", "resnet_block", "unet_small", "timeseries",
          "transformer_block", "normalization_l2_auc", "frozen_nested", "functional_shared",
          "multi_output_loss_weights", "tfoplambda", "lambda_layer", "custom_layer",
          "optimizers_adam", "optimizers_legacy_adam_decay", "optimizers_sgd_nesterov",
          "optimizers_rmsprop", "optimizers_adagrad", "optimizers_legacy_sgd_momentum",
          "legacy_tf1"]


def load_kwargs(root):
    """`custom_objects` and `safe_mode` as the fixture's meta.json says the model needs them."""
    import json

    from tests.keras2.custom_layers import CUSTOM_OBJECTS
    meta = json.loads((root / "meta.json").read_text())
    kwargs = {"safe_mode": meta.get("safe_mode", True)}
    if meta["custom_objects"]:
        kwargs["custom_objects"] = CUSTOM_OBJECTS
    return kwargs


# ------------------------------------------------------------------ a LevelDB table writer
def _varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7f
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _block(entries, restart_interval=2):
    out, restarts, last = bytearray(), [], b""
    for i, (key, value) in enumerate(entries):
        shared = 0
        if i % restart_interval == 0:
            restarts.append(len(out))
        else:
            while shared < min(len(key), len(last)) and key[shared] == last[shared]:
                shared += 1
        out += _varint(shared) + _varint(len(key) - shared) + _varint(len(value))
        out += key[shared:] + value
        last = key
    for r in restarts:
        out += struct.pack("<I", r)
    out += struct.pack("<I", len(restarts))
    return bytes(out)


def _write_table(entries, per_block=3):
    data, index = bytearray(), []

    def add(block):
        offset = len(data)
        data.extend(block + b"\0" + struct.pack("<I", sstable.masked_crc32c(block + b"\0")))
        return _varint(offset) + _varint(len(block))

    for start in range(0, len(entries), per_block):
        chunk = entries[start:start + per_block]
        index.append((chunk[-1][0], add(_block(chunk))))
    metaindex = add(_block([]))
    index_handle = add(_block(index, restart_interval=1))
    footer = (metaindex + index_handle).ljust(40, b"\0") + struct.pack("<Q", 0xdb4775248b80fb57)
    return bytes(data + footer)


def test_crc32c_matches_the_castagnoli_check_value():
    assert sstable.crc32c(b"123456789") == 0xe3069283
    assert sstable.crc32c(b"") == 0


def test_sstable_reads_several_blocks_with_shared_key_prefixes(tmp_path):
    entries = [(f"layer_with_weights-{i}/kernel".encode(), bytes([i]) * (i + 1))
               for i in range(10)]
    entries.sort()
    path = tmp_path / "t.index"
    path.write_bytes(_write_table(entries))
    assert sstable.SSTable.open(str(path)).items() == entries


@pytest.mark.parametrize("damage, message", [
    (lambda b: b[:-3], "bad magic"),
    (lambda b: b[:30], "fewer than a table footer|bad magic|past the end"),
    (lambda b: b[:5] + bytes([b[5] ^ 0xff]) + b[6:], "checksum mismatch"),
    (lambda b: b"\0" * len(b), "bad magic"),
])
def test_sstable_damaged_file_raises_value_error_naming_it(tmp_path, damage, message):
    good = _write_table([(b"a", b"1"), (b"b", b"22"), (b"c", b"333"), (b"d", b"4")])
    path = tmp_path / "broken.index"
    path.write_bytes(damage(good))
    with pytest.raises(ValueError, match=message) as info:
        sstable.SSTable.open(str(path))
    assert "broken.index" in str(info.value)


def test_sstable_rejects_keys_out_of_order(tmp_path):
    path = tmp_path / "unsorted.index"
    path.write_bytes(_write_table([(b"b", b"1"), (b"a", b"2")], per_block=1))
    with pytest.raises(ValueError, match="out of order"):
        sstable.SSTable.open(str(path))


def _bundle(tmp_path, tensors, shards=1):
    """A tensor bundle written with the test writer: `{key: float32 array}`, the i-th key in
    shard i % shards."""
    entry_cls = protos.message_class("BundleEntryProto")
    header = protos.message_class("BundleHeaderProto")(num_shards=shards)
    data, entries = [bytearray() for _ in range(shards)], [(b"", header.SerializeToString())]
    for i, key in enumerate(sorted(tensors)):
        raw = np.ascontiguousarray(tensors[key], dtype="<f4").tobytes()
        shard = i % shards
        entry = entry_cls(dtype=1, shard_id=shard, offset=len(data[shard]), size=len(raw),
                          crc32c=sstable.masked_crc32c(raw))
        for d in tensors[key].shape:
            entry.shape.dim.add(size=d)
        entries.append((key.encode(), entry.SerializeToString()))
        data[shard] += raw
    prefix = tmp_path / "own"
    (tmp_path / "own.index").write_bytes(_write_table(entries))
    for shard in range(shards):
        (tmp_path / f"own.data-{shard:05d}-of-{shards:05d}").write_bytes(bytes(data[shard]))
    return str(prefix)


def test_bundle_reads_tensors_from_several_shards(tmp_path):
    rng = np.random.default_rng(1)
    tensors = {f"v{i}": rng.normal(size=(i + 1, 3)).astype("float32") for i in range(5)}
    with TensorBundle(_bundle(tmp_path, tensors, shards=3)) as bundle:
        assert bundle.num_shards == 3
        for key, value in tensors.items():
            np.testing.assert_array_equal(bundle.read(key), value)


def test_bundle_reads_tensors_and_checks_their_checksums(tmp_path):
    rng = np.random.default_rng(0)
    tensors = {"a/kernel": rng.normal(size=(3, 4)).astype("float32"),
               "b/bias": rng.normal(size=(5,)).astype("float32"),
               "c/scalar": np.array(2.5, "float32")}
    prefix = _bundle(tmp_path, tensors)
    with TensorBundle(prefix) as bundle:
        assert sorted(bundle.keys()) == sorted(tensors)
        for key, value in tensors.items():
            np.testing.assert_array_equal(bundle.read(key), value)
            assert bundle.shape(key) == value.shape
        assert bundle.object_graph() is None
    data = tmp_path / "own.data-00000-of-00001"
    raw = bytearray(data.read_bytes())
    raw[2] ^= 0x40
    data.write_bytes(bytes(raw))
    with TensorBundle(prefix) as bundle:
        with pytest.raises(ValueError, match="Checksum mismatch for 'a/kernel'"):
            bundle.read("a/kernel")
    data.write_bytes(bytes(raw[:20]))
    with TensorBundle(prefix) as bundle:
        with pytest.raises(ValueError, match="truncated or corrupt.*'b/bias'"):
            bundle.read("b/bias")


def test_bundle_without_object_graph_cannot_be_mapped_onto_a_model(tmp_path):
    prefix = _bundle(tmp_path, {"dense/kernel": np.ones((2, 3), "float32")})
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match="no object graph.*TensorFlow 1"):
        model.load_weights(prefix)
    _assert_same(model.get_weights(), before)


# ------------------------------------------------------------------ tf.keras's checkpoints
def _assert_same(got, expected, atol=0.0):
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=atol)


def _h5_layer_weights(path):
    """`{layer name: [arrays in the file's order]}` of a Keras 2 weights file, read with h5py."""
    out = {}
    with h5py.File(path, "r") as f:
        for name in f.attrs["layer_names"]:
            name = name.decode() if isinstance(name, bytes) else name
            names = [n.decode() if isinstance(n, bytes) else n
                     for n in f[name].attrs["weight_names"]]
            if names:
                out[name] = [np.asarray(f[name][n]) for n in names]
    return out


def _legacy(layer):
    return [w for w in layer.weights if w.trainable] + [w for w in layer.weights
                                                        if not w.trainable]


def _assert_weights_equal_h5(model, path):
    saved = _h5_layer_weights(path)
    with_weights = [layer for layer in model.layers if layer.weights]
    assert [layer.name for layer in with_weights] == list(saved)
    for layer in with_weights:
        _assert_same([w.numpy() for w in _legacy(layer)], saved[layer.name])


@pytest.mark.parametrize("name", MODELS)
def test_load_weights_from_tf_checkpoint_equals_the_h5_weights(name):
    root = fixture_dir(name)
    model = keras.models.load_model(root / "savedmodel", compile=False, **load_kwargs(root))
    model.set_weights([np.full_like(w, 0.5) for w in model.get_weights()])
    model.load_weights(str(root / "ckpt"))
    _assert_weights_equal_h5(model, root / "weights.h5")


def test_load_weights_accepts_prefix_index_file_and_checkpoint_directory(tmp_path):
    root = fixture_dir("cnn_bn_dropout")
    model = keras.models.load_model(root / "savedmodel", compile=False)
    expected = model.get_weights()
    folder = tmp_path / "run"
    folder.mkdir()
    for f in ("ckpt.index", "ckpt.data-00000-of-00001", "checkpoint"):
        shutil.copy(root / f, folder / f)
    for path in (folder / "ckpt", str(folder / "ckpt.index"), folder, root / "savedmodel"):
        target = keras.models.clone_model(model)
        target.load_weights(path)
        _assert_same(target.get_weights(), expected)


def test_load_weights_of_missing_checkpoint_raises_file_not_found(tmp_path):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    with pytest.raises(FileNotFoundError, match="ckpt"):
        model.load_weights(str(tmp_path / "ckpt"))


def test_checkpoint_of_another_architecture_raises_and_leaves_the_model_as_it_was():
    root = fixture_dir("cnn_bn_dropout")
    model = keras.models.load_model(root / "savedmodel", compile=False)
    other = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    before = [w.copy() for w in other.get_weights()]
    with pytest.raises(ValueError, match="Layer count mismatch.*ckpt"):
        other.load_weights(str(root / "ckpt"))
    _assert_same(other.get_weights(), before)
    # Same layer count, one wrong shape in the last layer: nothing is assigned.
    config = model.get_config()
    config["layers"][-1]["config"]["units"] += 1
    wrong = keras.Sequential.from_config(config)
    before = [w.copy() for w in wrong.get_weights()]
    with pytest.raises(ValueError, match=r"Shape mismatch in layer 'dense'.*\(16, 4\).*\(16, 5\)|"
                       r"Shape mismatch in layer 'dense'.*\(16, 5\).*\(16, 4\)"):
        wrong.load_weights(str(root / "ckpt"))
    _assert_same(wrong.get_weights(), before)
    with pytest.warns(UserWarning, match="Skipping"):
        wrong.load_weights(str(root / "ckpt"), skip_mismatch=True)
    _assert_same(wrong.get_weights()[:-2], model.get_weights()[:-2])


@pytest.mark.parametrize("damage", ["truncate_index", "flip_index_byte", "truncate_data"])
def test_corrupt_checkpoint_raises_value_error_naming_the_file(tmp_path, damage):
    root = fixture_dir("cnn_bn_dropout")
    model = keras.models.load_model(root / "savedmodel", compile=False)
    target = keras.models.clone_model(model)
    before = [w.copy() for w in target.get_weights()]
    for f in ("ckpt.index", "ckpt.data-00000-of-00001"):
        shutil.copy(root / f, tmp_path / f)
    index, data = tmp_path / "ckpt.index", tmp_path / "ckpt.data-00000-of-00001"
    if damage == "truncate_index":
        index.write_bytes(index.read_bytes()[:-20])
    elif damage == "flip_index_byte":
        raw = bytearray(index.read_bytes())
        raw[len(raw) // 3] ^= 0x5a
        index.write_bytes(bytes(raw))
    else:
        data.write_bytes(data.read_bytes()[:-200])
    with pytest.raises(ValueError, match="ckpt") as info:
        target.load_weights(str(tmp_path / "ckpt"))
    assert "truncated" in str(info.value) or "corrupt" in str(info.value)
    _assert_same(target.get_weights(), before)


@pytest.mark.parametrize("n", [0, 5, 1023, 1024, 4099, 70001])
def test_vectorized_crc32c_equals_the_byte_loop(n):
    data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
    assert sstable.crc32c_fast(data) == sstable.crc32c(data)
