"""The op namespaces of kerastorch's `tensorflow` (tf.math, tf.nn, tf.image, tf.linalg,
tf.signal, tf.strings, tf.random and the array ops) against real TensorFlow 2.21 (issue #17).

op_cases.py is a table of (op, arguments) cases; tf_op_cases.py runs it in TensorFlow in one
subprocess and pickles each result. Here each case runs in the shim and must give TensorFlow's
shapes, dtypes and values (atol 1e-5 and rtol 1e-5 for float32: TF's and torch's kernels
round differently near 1 ulp of large results; a looser atol is written beside the cases that
need it: stft/FFTs, area and antialiased resizing, SSIM, expm, lstsq), or raise the error
TensorFlow raised (same class name: ValueError, TypeError, InvalidArgumentError). Random ops
are compared by shape and dtype here; their distributions and seeding are tested below.
"""

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

import kerastorch as keras
import kerastorch.porting.tf as tf
from kerastorch import backend
from kerastorch.porting.errors import NotSupportedAttributeError
from tests.keras2.oracle import run_tf
from tests.porting.tf import op_cases

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module", autouse=True)
def _on_the_cpu():
    """The oracle runs TensorFlow's CPU kernels (whose index checks the GPU ones skip): the
    shim's tensors go to the CPU for this module, also where CUDA is present."""
    saved = backend._DEVICE
    backend.set_device("cpu")
    yield
    backend.set_device(saved)


@pytest.fixture(scope="module")
def tf_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("tf_ops") / "ops.pkl"
    run_tf(HERE / "tf_op_cases.py", out)
    with open(out, "rb") as f:
        return pickle.load(f)


def pack(value):
    if isinstance(value, torch.Tensor):
        return ("T", value.detach().cpu().numpy(), str(value.dtype).replace("torch.", ""))
    if isinstance(value, np.ndarray) and value.dtype == object:
        return ("S", value)
    if isinstance(value, (list, tuple)):
        return ("L", [pack(v) for v in value])
    if isinstance(value, bytes):
        return ("S", value)
    return ("P", value)


def resolve(path):
    if callable(path):
        return lambda *args, **kwargs: path(tf, *args, **kwargs)
    obj = tf
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def gradient(fn, args, kwargs):
    """The gradient of sum(output * weights) with respect to the first argument (None when it
    does not reach the output, as GradientTape returns)."""
    x = torch.tensor(args[0], requires_grad=True)
    out = fn(x, *args[1:], **kwargs)
    out = out[0] if isinstance(out, (list, tuple)) else out
    w = torch.as_tensor(op_cases.weights(tuple(out.shape)), dtype=out.dtype)
    (g,) = torch.autograd.grad((out * w).sum(), x, allow_unused=True)
    return g


def _sign_columns(m):
    """Eigen/singular vectors are defined up to sign: make each column's largest entry > 0."""
    idx = np.argmax(np.abs(m), axis=-2)
    signs = np.sign(np.take_along_axis(m, idx[..., None, :], axis=-2))
    return m * np.where(signs == 0, 1, signs)


def _canonical(packed, mode):
    if mode in ("eigh", "svd"):
        parts = [p[1] for p in packed[1]]
        vectors = [1, 2] if mode == "svd" else [1]
        return ("L", [("T", _sign_columns(a) if i in vectors else a, p[2])
                      for i, (a, p) in enumerate(zip(parts, packed[1], strict=True))])
    if mode == "qr":
        q, r = packed[1][0][1], packed[1][1][1]
        s = np.sign(np.diagonal(r, axis1=-2, axis2=-1))
        return ("L", [("T", q * s[..., None, :], packed[1][0][2]),
                      ("T", r * s[..., :, None], packed[1][1][2])])
    return packed


def assert_same(ours, theirs, spec, where="output"):
    kind = theirs[0]
    assert ours[0] == kind, f"{where}: {ours[0]} vs TensorFlow's {kind}"
    if kind == "L":
        assert len(ours[1]) == len(theirs[1]), f"{where}: {len(ours[1])} vs {len(theirs[1])}"
        for i, (a, b) in enumerate(zip(ours[1], theirs[1], strict=True)):
            assert_same(a, b, spec, f"{where}[{i}]")
        return
    if kind in ("S", "P"):
        a, b = ours[1], theirs[1]
        if isinstance(b, np.ndarray):
            assert isinstance(a, np.ndarray) and a.shape == b.shape, f"{where}: {a!r} vs {b!r}"
            assert a.tolist() == b.tolist(), f"{where}: {a!r} vs {b!r}"
        else:
            assert a == b, f"{where}: {a!r} vs {b!r}"
        return
    a, dtype = ours[1], ours[2]
    b, tf_dtype = theirs[1], theirs[2]
    assert dtype == tf_dtype, f"{where}: dtype {dtype} vs TensorFlow's {tf_dtype}"
    assert a.shape == b.shape, f"{where}: shape {a.shape} vs TensorFlow's {b.shape}"
    if spec["compare"] == "meta":
        return
    if spec["compare"] == "sorted":
        a, b = np.sort(a.reshape(-1)), np.sort(b.reshape(-1))
    if a.dtype.kind in "fc":
        tol = spec["atol"] if a.dtype != np.float16 else 1e-2
        np.testing.assert_allclose(a, b, atol=tol, rtol=1e-5, equal_nan=True, err_msg=where)
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


@pytest.mark.parametrize("spec", op_cases.CASES, ids=[c["id"] for c in op_cases.CASES])
def test_op_matches_tensorflow(tf_results, spec):
    expected = tf_results[spec["id"]]
    fn = resolve(spec["fn"])
    args = op_cases.materialize(spec["args"], torch.as_tensor)
    kwargs = op_cases.materialize(spec["kwargs"], torch.as_tensor)
    if expected[0] == "E":
        with pytest.raises(Exception) as info:
            fn(*args, **kwargs)
        names = [k.__name__ for k in type(info.value).__mro__]
        assert expected[1] in names, (f"raised {type(info.value).__name__}: {info.value}; "
                                      f"TensorFlow raised {expected[1]}: {expected[2]}")
        return
    got = pack(gradient(fn, args, kwargs) if spec["compare"] == "grad" else fn(*args, **kwargs))
    mode = spec["compare"]
    assert_same(_canonical(got, mode), _canonical(expected, mode), spec)


# ---------------------------------------------------------------------------- random ops
# Their streams are torch's, not TensorFlow's: the table above checks shapes and dtypes, these
# check the distributions (20,000 draws: a mean within 0.05 standard deviations is ~7 standard
# errors) and TensorFlow's seeding contract.
N = 20_000


def test_normal_uniform_truncated_moments_and_ranges():
    x = tf.random.normal([N], mean=2.0, stddev=3.0, seed=1)
    assert x.dtype == torch.float32 and abs(float(x.mean()) - 2.0) < 0.15
    assert abs(float(x.std()) - 3.0) < 0.1
    u = tf.random.uniform([N], minval=-1.0, maxval=4.0, seed=2)
    assert float(u.min()) >= -1.0 and float(u.max()) < 4.0 and abs(float(u.mean()) - 1.5) < 0.05
    k = tf.random.uniform([N], minval=3, maxval=7, dtype="int32", seed=3)
    assert k.dtype == torch.int32 and sorted(torch.unique(k).tolist()) == [3, 4, 5, 6]
    t = tf.random.truncated_normal([N], mean=1.0, stddev=0.5, seed=4)
    assert float(t.min()) >= 0.0 and float(t.max()) <= 2.0 and abs(float(t.mean()) - 1.0) < 0.02
    assert abs(float(t.std()) - 0.5 * 0.8796) < 0.02  # the std of N(0, 1) cut at +-2


def test_gamma_categorical_shuffle_distributions():
    g = tf.random.gamma([N], alpha=np.float32([0.5, 3.0]), beta=2.0, seed=5)
    assert g.shape == (N, 2) and float(g.min()) > 0
    np.testing.assert_allclose(g.mean(0).cpu().numpy(), [0.25, 1.5], rtol=0.05)
    logits = np.log(np.float32([[0.1, 0.2, 0.7]]))
    draws = tf.random.categorical(logits, N, seed=6)
    assert draws.dtype == torch.int64 and draws.shape == (1, N)
    freq = torch.bincount(draws[0], minlength=3).double() / N
    np.testing.assert_allclose(freq.cpu().numpy(), [0.1, 0.2, 0.7], atol=0.015)
    x = torch.arange(100)
    s = tf.random.shuffle(x, seed=7)
    assert not torch.equal(s, x) and torch.equal(torch.sort(s).values, x)


def test_set_seed_repeats_programs_and_op_seeds_advance():
    def program():
        return (tf.random.normal([4]), tf.random.normal([4], seed=1), tf.random.normal([4], seed=1),
                tf.random.uniform([3], seed=2), tf.image.random_flip_left_right(
                    np.arange(24, dtype=np.float32).reshape(4, 2, 3, 1), seed=3))
    tf.random.set_seed(11)
    first = program()
    tf.random.set_seed(11)
    again = program()
    for a, b in zip(first, again, strict=True):
        assert torch.equal(a, b)
    assert not torch.equal(first[1], first[2])  # an op seed gives a sequence, as in TF
    tf.random.set_seed(12)
    assert not torch.equal(program()[1], first[1])


def test_stateless_and_generator_determinism():
    a = tf.random.stateless_normal([5], seed=[1, 2])
    assert torch.equal(a, tf.random.stateless_normal([5], seed=[1, 2]))
    assert not torch.equal(a, tf.random.stateless_normal([5], seed=[1, 3]))
    u = tf.random.stateless_uniform([N], seed=[4, 5], minval=0, maxval=10, dtype="int64")
    assert u.dtype == torch.int64 and int(u.min()) == 0 and int(u.max()) == 9
    with pytest.raises(tf.errors.InvalidArgumentError, match="shape"):
        tf.random.stateless_normal([2], seed=[1, 2, 3])
    g1, g2 = tf.random.Generator.from_seed(9), tf.random.Generator.from_seed(9)
    assert torch.equal(g1.normal([3]), g2.normal([3]))
    assert not torch.equal(g1.normal([3]), g1.uniform([3]))
    seeds = g1.make_seeds(4)
    assert seeds.shape == (2, 4) and seeds.dtype == torch.int64
    split = tf.random.experimental.stateless_split([1, 2], num=3)
    assert split.shape == (3, 2) and split.dtype == torch.int64
    assert torch.equal(split, tf.random.experimental.stateless_split([1, 2], num=3))
    folded = tf.random.experimental.stateless_fold_in([1, 2], 7)
    assert folded.shape == (2,) and not torch.equal(folded,
                                                    tf.random.experimental.stateless_fold_in(
                                                        [1, 2], 8))
    assert isinstance(tf.random.experimental.Generator.from_seed(1), tf.random.Generator)
    parts = g1.split(2)
    assert len(parts) == 2 and not torch.equal(parts[0].normal([3]), parts[1].normal([3]))


def test_dropout_keeps_the_right_fraction_scaled_and_is_seeded():
    x = torch.ones(N)
    y = tf.nn.dropout(x, 0.25, seed=3)
    kept = y != 0
    assert abs(float(kept.double().mean()) - 0.75) < 0.015
    np.testing.assert_allclose(y[kept].cpu().numpy(), 1 / 0.75, rtol=1e-6)
    y2 = tf.nn.dropout(torch.ones(4, 6), 0.5, noise_shape=[4, 1], seed=4)
    assert all(len(set(row.tolist())) == 1 for row in y2)  # one draw per row


def test_random_image_augmentations_stay_in_range():
    img = np.random.RandomState(0).uniform(0, 1, (2, 8, 8, 3)).astype(np.float32)
    crop = tf.image.random_crop(img, [1, 4, 5, 3], seed=1)
    found = any(np.array_equal(crop.cpu().numpy()[0], img[b, i:i + 4, j:j + 5])
                for b in range(2) for i in range(5) for j in range(4))
    assert crop.shape == (1, 4, 5, 3) and found
    delta = tf.image.random_brightness(img, 0.2, seed=2).cpu().numpy() - img
    assert np.ptp(delta) < 1e-6 and abs(delta.flat[0]) <= 0.2
    flipped = tf.image.random_flip_up_down(img, seed=3)
    for b in range(2):
        assert np.array_equal(flipped[b].cpu().numpy(), img[b]) or \
            np.array_equal(flipped[b].cpu().numpy(), img[b, ::-1])
    for fn, extra in [("flip_left_right", ()), ("brightness", (0.3,)), ("contrast", (0.5, 1.5)),
                      ("saturation", (0.5, 1.5)), ("hue", (0.2,))]:
        op = getattr(tf.image, f"stateless_random_{fn}")
        assert torch.equal(op(img, *extra, seed=[5, 6]), op(img, *extra, seed=[5, 6]))
    crops = {tuple(tf.image.stateless_random_crop(img, [1, 3, 3, 3], seed=[s, 0]).reshape(-1)[:3]
                   .tolist()) for s in range(20)}
    assert len(crops) > 1  # the seed picks the window
    hue = tf.image.random_hue(img, 0.1, seed=4)
    assert hue.shape == img.shape and float(hue.min()) >= -1e-6 and float(hue.max()) <= 1 + 1e-6


# ------------------------------------------------------------------------- what is not built
NOT_BUILT = ["math.no_such_op", "nn.nce_loss", "image.draw_bounding_boxes", "random.poisson",
             "random.experimental.no_such", "linalg.lu_solve", "signal.inverse_mdct",
             "strings.to_hash_bucket_fast", "nest.flatten_with_joined_string_paths", "no_such_op"]


@pytest.mark.parametrize("path", NOT_BUILT)
def test_ops_not_built_name_themselves(path):
    with pytest.raises(NotSupportedAttributeError, match=f"tensorflow.{path} is not supported"):
        resolve(path)


def test_resize_methods_not_built_say_so():
    with pytest.raises(NotImplementedError, match="method='gaussian'"):
        tf.image.resize(np.zeros((4, 4, 1), np.float32), [2, 2], method="gaussian")


def test_namespaces_import_under_the_hook():
    from kerastorch.porting.hook import keras_import_hook
    with keras_import_hook():
        import tensorflow
        from tensorflow import nn
        from tensorflow.math import reduce_sum
        assert nn.conv2d is tf.nn.conv2d and reduce_sum is tf.math.reduce_sum
        assert tensorflow.reduce_sum is tf.math.reduce_sum and tensorflow.concat is tf.concat


SCRIPT = '''
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(0)
images = np.random.RandomState(0).uniform(0, 1, (64, 12, 12, 3)).astype("float32")
labels = (images.mean(axis=(1, 2, 3)) > 0.5).astype("float32")[:, None]

def augment(image, label):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.resize(image, [8, 8])
    image = tf.clip_by_value(tf.image.adjust_brightness(image, 0.05), 0.0, 1.0)
    return image, label

def loss_fn(y_true, logits):
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits))

ds = tf.data.Dataset.from_tensor_slices((images, labels)).map(augment).batch(16)
model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, activation="relu"),
                          keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.05), loss=loss_fn)
HISTORY = model.fit(ds, epochs=4, verbose=0).history["loss"]
FIRST = next(iter(ds))[0]
'''


def test_ops_in_a_keras_script_under_kerastorch_run(tmp_path):
    from kerastorch.porting import run_script
    path = tmp_path / "script.py"
    path.write_text(SCRIPT)
    g = run_script(path)
    assert tuple(g["FIRST"].shape) == (16, 8, 8, 3) and g["FIRST"].dtype == torch.float32
    assert len(g["HISTORY"]) == 4 and g["HISTORY"][-1] < g["HISTORY"][0]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_tensors_go_to_the_default_device_and_ops_stay_there():
    backend.set_device("cuda")
    try:
        x = tf.random.normal([2, 5, 5, 3])
        assert x.device.type == "cuda" and tf.zeros([2]).device.type == "cuda"
        assert tf.range(3).device.type == "cuda" and tf.add(np.ones(2, np.float32), 1.0).is_cuda
        y = tf.nn.conv2d(x, np.ones((3, 3, 3, 2), np.float32), 2, "SAME")
        y = tf.nn.max_pool2d(tf.nn.relu(y), 2, 2, "SAME") + tf.random.uniform([2, 2, 2, 2])
        assert y.is_cuda and tuple(y.shape) == (2, 2, 2, 2)
        z = tf.image.resize(x, [7, 7], method="bicubic")
        assert z.is_cuda and tf.image.random_flip_left_right(z, seed=1).is_cuda
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=x[:, 0, 0])
        assert loss.is_cuda and tf.gather(x, [1, 0]).is_cuda and tf.reduce_mean(loss).is_cuda
    finally:
        backend.set_device("cpu")


def test_ops_on_keras_tensors_build_tfoplambda_nodes_that_save_and_load(tmp_path):
    inputs = keras.Input((4,))
    h = tf.concat([tf.nn.relu(inputs), tf.add(inputs, 1.0)], axis=-1)
    h = keras.layers.Dense(3)(h)
    outputs = tf.reduce_sum(tf.nn.softmax(h), axis=1, keepdims=True)
    model = keras.Model(inputs, outputs)
    names = [layer.name for layer in model.layers]
    images = keras.Input((6, 8, 3))
    shapes = [tuple(t.shape) for t in (
        tf.pad(images, [[0, 0], [1, 1], [2, 2], [0, 0]], mode="REFLECT"),
        tf.image.resize(images, [3, 4], method="bicubic"),
        tf.nn.conv2d(images, np.ones((3, 3, 3, 4), np.float32), 2, "SAME"),
        tf.strided_slice(images, [0, 5], [0, 0], [1, -2], begin_mask=1, end_mask=1),
        tf.gather(images, [2, 0], axis=3), tf.repeat(images, [1, 2, 0], axis=3))]
    assert shapes == [(None, 8, 12, 3), (None, 3, 4, 3), (None, 3, 4, 4), (None, 3, 8, 3),
                      (None, 6, 8, 2), (None, 6, 8, 3)], shapes
    assert names[1:4] == ["tf.nn.relu", "tf.math.add", "tf.concat"], names
    assert names[-2:] == ["tf.nn.softmax", "tf.math.reduce_sum"], names
    x = np.random.RandomState(0).standard_normal((5, 4)).astype("float32")
    expected = model.predict(x, verbose=0)
    np.testing.assert_allclose(expected, np.ones((5, 1)), rtol=1e-6)
    model.save(tmp_path / "m.keras")
    again = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), expected, rtol=1e-6)
