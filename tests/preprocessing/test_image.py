"""`keras.preprocessing.image` against real tf.keras 2.21 (one TensorFlow subprocess for the
module, `tf_image.py`): ImageDataGenerator's statistics (`fit`: mean, std, ZCA), every batch of
`flow` and `flow_from_directory` (PNGs written under tmp_path), `apply_transform` with explicit
parameters in every fill mode, order and data format, seeded random transforms, load_img /
img_to_array / array_to_img / save_img, and the argument errors.

Tolerances: float32 images, `atol=1e-5` on values up to 255 (the two libraries run the same
float64 warp arithmetic and the same numpy draws, so most cases agree exactly); ZCA whitening
`atol=1e-4` (an SVD of a 126 x 10 matrix, whitened values up to ~30).
"""

import os

import numpy as np
import pytest

import kerastorch as keras
from kerastorch.preprocessing import image
from tests.preprocessing.oracle_cases import run_cases

PIL = pytest.importorskip("PIL.Image")  # torchvision's dependency: present wherever torch is

ATOL = 1e-5
RNG = np.random.RandomState(0)
X = (RNG.rand(10, 6, 7, 3) * 255).astype("float32")
INPUTS = {
    "x": X, "x_cf": np.ascontiguousarray(X.transpose(0, 3, 1, 2)),
    "x_gray": X[..., :1].copy(), "y": np.arange(10) % 3, "sw": np.linspace(0.1, 1, 10),
    "misc": RNG.rand(10, 2).astype("float32"), "img": X[0], "img_cf": X[0].transpose(2, 0, 1),
    "img_gray": X[1, :, :, :1], "img_rgba": (RNG.rand(5, 4, 4) * 255).astype("float32"),
}
AUGMENT_ALL = {"rotation_range": 40, "width_shift_range": 0.2, "height_shift_range": [1, 2],
               "shear_range": 15, "zoom_range": [0.8, 1.2], "channel_shift_range": 20.0,
               "horizontal_flip": True, "vertical_flip": True, "brightness_range": [0.6, 1.4],
               "fill_mode": "reflect", "rescale": 1 / 255}
GENERATORS = {
    "rescale": {"kwargs": {"rescale": 1 / 255}, "x": "x", "flow": {"shuffle": False,
                                                                   "batch_size": 4}},
    "samplewise": {"kwargs": {"samplewise_center": True, "samplewise_std_normalization": True},
                   "x": "x", "flow": {"shuffle": False}},
    "featurewise": {"kwargs": {"featurewise_center": True,
                               "featurewise_std_normalization": True},
                    "x": "x", "fit": {}, "flow": {"shuffle": False, "batch_size": 4}},
    "featurewise_cf": {"kwargs": {"featurewise_center": True,
                                  "featurewise_std_normalization": True,
                                  "data_format": "channels_first"},
                       "x": "x_cf", "fit": {}, "flow": {"shuffle": False, "batch_size": 4}},
    "featurewise_gray": {"kwargs": {"featurewise_center": True, "rescale": 0.5},
                         "x": "x_gray", "fit": {}, "flow": {"shuffle": False}},
    "zca": {"kwargs": {"zca_whitening": True}, "x": "x", "fit": {},
            "flow": {"shuffle": False, "batch_size": 5}},
    "fit_augment": {"kwargs": {"featurewise_center": True, "rotation_range": 30,
                               "zoom_range": 0.2, "horizontal_flip": True},
                    "x": "x", "fit": {"augment": True, "rounds": 2, "seed": 3},
                    "flow": {"shuffle": True, "seed": 1, "batch_size": 4}},
    "flow_shuffle": {"kwargs": {}, "x": "x",
                     "flow": {"shuffle": True, "seed": 5, "y": "y", "sample_weight": "sw",
                              "batch_size": 3}},
    "flow_misc": {"kwargs": {}, "x": "x", "flow": {"misc": "misc", "y": "y", "shuffle": False,
                                                   "batch_size": 4}},
    "flow_validation": {"kwargs": {"validation_split": 0.3}, "x": "x",
                        "flow": {"subset": "validation", "y": "y", "shuffle": False}},
    "flow_training": {"kwargs": {"validation_split": 0.3}, "x": "x",
                      "flow": {"subset": "training", "y": "y", "shuffle": False,
                               "batch_size": 3}},
    "augment_all": {"kwargs": AUGMENT_ALL, "x": "x",
                    "flow": {"seed": 7, "shuffle": True, "batch_size": 4, "y": "y"}},
    "augment_cf": {"kwargs": dict(AUGMENT_ALL, brightness_range=None, fill_mode="constant",
                                  cval=0.5, data_format="channels_first",
                                  width_shift_range=3, height_shift_range=0.1),
                   "x": "x_cf", "flow": {"seed": 8, "shuffle": True, "batch_size": 4}},
    "augment_wrap_nearest_order": {"kwargs": {"rotation_range": 90, "fill_mode": "wrap",
                                              "interpolation_order": 0, "zoom_range": 0.3},
                                   "x": "x", "flow": {"seed": 9, "shuffle": False}},
}
PARAMS = {"theta": 33.0, "tx": 1.5, "ty": -2.0, "shear": 12.0, "zx": 0.85, "zy": 1.1,
          "flip_horizontal": True, "flip_vertical": False, "channel_shift_intensity": 15.0,
          "brightness": None}
TRANSFORMS = {}
for _mode in ("constant", "nearest", "reflect", "wrap"):
    for _order in (0, 1):
        for _fmt, _x in (("channels_last", "img"), ("channels_first", "img_cf")):
            TRANSFORMS[f"{_mode}_{_order}_{_fmt}"] = {
                "kwargs": {"fill_mode": _mode, "cval": 3.0, "interpolation_order": _order,
                           "data_format": _fmt}, "params": PARAMS, "x": _x}
TRANSFORMS.update({
    "brightness": {"kwargs": {}, "params": {"brightness": 1.3, "theta": 90}, "x": "img"},
    "brightness_outside_0_255": {"kwargs": {}, "params": {"brightness": 0.7}, "x": "img_rgba"},
    "flips": {"kwargs": {}, "params": {"flip_horizontal": True, "flip_vertical": True},
              "x": "img"},
    "rotate_180_gray": {"kwargs": {"fill_mode": "constant"}, "params": {"theta": 180},
                        "x": "img_gray"},
    "shift_pixels": {"kwargs": {"fill_mode": "constant", "cval": -1.0},
                     "params": {"tx": 2, "ty": -3}, "x": "img"},
    "identity": {"kwargs": {}, "params": {}, "x": "img"},
})
RANDOM = {
    "all": {"kwargs": AUGMENT_ALL, "x": "img", "seed": 123},
    "shift_choices": {"kwargs": {"width_shift_range": [1, 2, 3], "height_shift_range": 2,
                                 "channel_shift_range": 5.0}, "x": "img", "seed": 5},
    "channels_first": {"kwargs": {"rotation_range": 10, "zoom_range": 0.5, "vertical_flip": True,
                                  "data_format": "channels_first"}, "x": "img_cf", "seed": 6},
}
DIRECTORIES = {
    "categorical": {"kwargs": {"rescale": 1 / 255},
                    "flow": {"target_size": [8, 8], "batch_size": 4, "shuffle": False}},
    "bilinear_gray_sparse": {"flow": {"target_size": [5, 6], "color_mode": "grayscale",
                                      "interpolation": "bilinear", "class_mode": "sparse",
                                      "shuffle": False, "batch_size": 3}},
    "rgba_binary_classes": {"flow": {"target_size": [6, 6], "color_mode": "rgba",
                                     "classes": ["dog", "cat"], "class_mode": "binary",
                                     "shuffle": False}},
    "input_mode": {"flow": {"class_mode": "input", "target_size": [4, 4], "shuffle": False}},
    "none_shuffled": {"flow": {"class_mode": None, "target_size": [4, 4], "shuffle": True,
                               "seed": 3, "batch_size": 2}},
    "validation": {"kwargs": {"validation_split": 0.34},
                   "flow": {"subset": "validation", "target_size": [4, 4], "shuffle": False}},
    "training": {"kwargs": {"validation_split": 0.34},
                 "flow": {"subset": "training", "target_size": [4, 4], "shuffle": False}},
    "aspect_bicubic": {"flow": {"target_size": [4, 8], "keep_aspect_ratio": True,
                                "shuffle": False, "interpolation": "bicubic"}},
    "augmented": {"kwargs": {"rotation_range": 20, "zoom_range": 0.1, "horizontal_flip": True,
                             "rescale": 1 / 255},
                  "flow": {"target_size": [8, 8], "seed": 11, "shuffle": True}},
    "channels_first": {"kwargs": {"data_format": "channels_first"},
                       "flow": {"target_size": [5, 5], "shuffle": False, "batch_size": 16}},
}
SMART_RESIZE = {
    "wide_bilinear": {"x": "img", "size": [4, 9], "interpolation": "bilinear"},
    "tall_nearest": {"x": "img", "size": [9, 3], "interpolation": "nearest"},
    "batch_up": {"x": "x", "size": [11, 13], "interpolation": "bilinear"},
    "uint8_nearest": {"x": "batch_uint8", "size": [5, 5], "interpolation": "nearest"},
    "uint8_bilinear": {"x": "batch_uint8", "size": [3, 8], "interpolation": "bilinear"},
}
NEXT = {
    "shuffled_wrapping": {"kwargs": {"rotation_range": 10}, "x": "x", "steps": 5,
                          "flow": {"batch_size": 4, "shuffle": True, "seed": 2}},
    "in_order": {"kwargs": {"rescale": 0.5}, "x": "x", "steps": 6,
                 "flow": {"batch_size": 3, "shuffle": False}},
}
FUNCTIONS = {  # Keras 2's random_* helpers take channels-first images by default
    "rotation": {"function": "random_rotation", "x": "img_cf", "args": [40], "seed": 1},
    "shift": {"function": "random_shift", "x": "img_cf", "args": [0.2, 0.3], "seed": 2,
              "kwargs": {"fill_mode": "wrap"}},
    "shear": {"function": "random_shear", "x": "img", "args": [25], "seed": 3,
              "kwargs": {"row_axis": 0, "col_axis": 1, "channel_axis": 2,
                         "fill_mode": "constant", "cval": 9.0}},
    "zoom": {"function": "random_zoom", "x": "img_cf", "args": [[0.7, 1.3]], "seed": 4,
             "kwargs": {"interpolation_order": 0, "fill_mode": "reflect"}},
    "channel_shift": {"function": "random_channel_shift", "x": "img_cf", "args": [30.0],
                      "seed": 5},
    "brightness": {"function": "random_brightness", "x": "img", "args": [[0.5, 1.5]],
                   "seed": 6},
}
INPUTS["batch_uint8"] = (RNG.rand(2, 7, 10, 3) * 255).astype("uint8")
IMAGES = {  # class/file: (height, width, PIL mode)
    "cat/a.png": (10, 12, "RGB"), "cat/b.png": (9, 9, "RGBA"), "cat/sub/c.png": (12, 8, "RGB"),
    "cat/d.jpg_not_really.png": (7, 11, "L"), "dog/x.png": (8, 8, "RGB"),
    "dog/y.png": (11, 6, "RGB"), "dog/z.bmp": (6, 6, "RGB"), "bird/1.png": (5, 9, "RGB"),
    "bird/2.PNG": (10, 10, "RGB"),
}


def _write_images(root):
    rng = np.random.RandomState(1)
    for name, (h, w, mode) in IMAGES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
        pixels = (rng.rand(h, w, channels) * 255).astype("uint8")
        PIL.fromarray(pixels[..., 0] if channels == 1 else pixels, mode).save(path)
    (root / "cat" / "notes.txt").write_text("not an image")
    (root / "zebra").mkdir()  # a class without images


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tf_image")
    np.savez(folder / "inputs.npz", **INPUTS)
    _write_images(folder / "images")
    load_cases = {
        "rgb": {"path": str(folder / "images/cat/b.png"), "kwargs": {}},
        "gray_resized": {"path": str(folder / "images/cat/a.png"),
                         "kwargs": {"color_mode": "grayscale", "target_size": [5, 7]}},
        "rgba_bilinear_cf": {"path": str(folder / "images/dog/y.png"),
                             "kwargs": {"color_mode": "rgba", "target_size": [4, 4],
                                        "interpolation": "bilinear"},
                             "to_array": {"data_format": "channels_first"}},
        "aspect": {"path": str(folder / "images/bird/1.png"),
                   "kwargs": {"target_size": [4, 4], "keep_aspect_ratio": True}},
    }
    save_cases = {name: {"path": str(folder / f"tf_{name}.png"), "x": x, "kwargs": kw}
                  for name, x, kw in (("rgb", "img", {}), ("gray", "img_gray", {}),
                                      ("rgb_unscaled", "img", {"scale": False}),
                                      ("cf", "img_cf", {"data_format": "channels_first"}))}
    cases = {"inputs": str(folder / "inputs.npz"), "dir": str(folder / "images"),
             "generators": GENERATORS, "transforms": TRANSFORMS, "random_transforms": RANDOM,
             "directories": DIRECTORIES, "load_img": load_cases, "save_img": save_cases,
             "smart_resize": SMART_RESIZE, "next": NEXT, "functions": FUNCTIONS}
    meta = run_cases("tf_image.py", cases, folder)
    arrays = dict(np.load(folder / "tf_out.npz"))
    return {"meta": meta, "arrays": arrays, "folder": folder, "load": load_cases,
            "save": save_cases}


def _flat(batch):
    parts = []
    for j, part in enumerate(batch if isinstance(batch, tuple) else (batch,)):
        if isinstance(part, list):
            parts += [(f"{j}/{k}", p) for k, p in enumerate(part)]
        else:
            parts.append((f"{j}", part))
    return parts


def _compare_batches(oracle, prefix, iterator, atol=ATOL):
    arrays = oracle["arrays"]
    assert len(iterator) == oracle["meta"][prefix]
    for i in range(len(iterator)):
        for key, ours in _flat(iterator[i]):
            theirs = arrays[f"{prefix}/{i}/{key}"]
            assert np.shape(ours) == theirs.shape, (prefix, i, key)
            assert np.asarray(ours).dtype == theirs.dtype, (prefix, i, key)
            np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol,
                                       err_msg=f"{prefix} batch {i} part {key}")


def _flow(gen, case):
    flow = dict(case.get("flow", {}))
    x = INPUTS[case["x"]]
    y = INPUTS[flow.pop("y")] if "y" in flow else None
    if "sample_weight" in flow:
        flow["sample_weight"] = INPUTS[flow["sample_weight"]]
    if "misc" in flow:
        x = (x, INPUTS[flow.pop("misc")])
    return gen.flow(x, y, **flow)


@pytest.mark.parametrize("name", list(GENERATORS))
def test_fit_statistics_and_flow_batches_match_tf_keras(oracle, name):
    case = GENERATORS[name]
    gen = image.ImageDataGenerator(**case["kwargs"])
    if "fit" in case:
        gen.fit(INPUTS[case["x"]], **case["fit"])
    atol = 1e-4 if name == "zca" else ATOL
    for attr in ("mean", "std", "zca_whitening_matrix"):
        key = f"{name}/{attr}"
        assert (getattr(gen, attr) is not None) == (key in oracle["arrays"]), attr
        if key in oracle["arrays"]:
            np.testing.assert_allclose(getattr(gen, attr), oracle["arrays"][key], rtol=0,
                                       atol=1e-6 if attr == "zca_whitening_matrix" else ATOL)
    it = _flow(gen, case)
    assert isinstance(it, keras.utils.PyDataset)
    _compare_batches(oracle, name, it, atol=atol)


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_apply_transform_with_explicit_parameters_matches_tf_keras(oracle, name):
    case = TRANSFORMS[name]
    gen = image.ImageDataGenerator(**case["kwargs"])
    x = INPUTS[case["x"]].copy()
    ours = gen.apply_transform(x, case["params"])
    theirs = oracle["arrays"][f"transform/{name}"]
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=ATOL)
    np.testing.assert_array_equal(x, INPUTS[case["x"]])  # the input is not changed


@pytest.mark.parametrize("name", list(RANDOM))
def test_seeded_random_transforms_match_tf_keras(oracle, name):
    case = RANDOM[name]
    gen = image.ImageDataGenerator(**case["kwargs"])
    x = INPUTS[case["x"]]
    ours = gen.random_transform(x.copy(), seed=case["seed"])
    theirs = oracle["arrays"][f"random/{name}"]
    assert ours.shape == theirs.shape == x.shape
    params = gen.get_random_transform(x.shape, seed=case["seed"])
    np.testing.assert_allclose([float(v) for v in params.values() if v is not None],
                               oracle["arrays"][f"random_params/{name}"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=ATOL)
    assert not np.allclose(ours, x)  # the draw changed the image


def test_random_augmentation_keeps_values_in_range():
    gen = image.ImageDataGenerator(rotation_range=45, width_shift_range=0.3, shear_range=20,
                                   zoom_range=0.4, horizontal_flip=True, fill_mode="nearest")
    for seed in range(5):
        out = gen.random_transform(X[seed], seed=seed)
        assert out.shape == X[seed].shape and out.dtype == np.float32
        assert X[seed].min() - 1e-3 <= out.min() and out.max() <= X[seed].max() + 1e-3


@pytest.mark.parametrize("name", list(DIRECTORIES))
def test_flow_from_directory_matches_tf_keras(oracle, name, capsys):
    case = DIRECTORIES[name]
    gen = image.ImageDataGenerator(**case.get("kwargs", {}))
    it = gen.flow_from_directory(str(oracle["folder"] / "images"), **case["flow"])
    meta = oracle["meta"][f"dirinfo/{name}"]
    assert it.class_indices == meta["class_indices"]
    assert it.filenames == meta["filenames"]
    assert it.classes.tolist() == meta["classes"] and it.classes.dtype == np.int32
    assert (len(it), it.samples, list(it.image_shape)) == (meta["len"], meta["samples"],
                                                           meta["image_shape"])
    assert f"Found {meta['samples']} images belonging to {len(meta['class_indices'])} classes." \
        in capsys.readouterr().out
    _compare_batches(oracle, f"dir/{name}", it)


def test_flow_from_directory_lists_nested_files_and_skips_other_files(oracle):
    it = image.ImageDataGenerator().flow_from_directory(str(oracle["folder"] / "images"),
                                                        shuffle=False)
    assert os.path.join("cat", "sub", "c.png") in it.filenames
    assert not any(f.endswith(".txt") for f in it.filenames)
    assert it.filepaths[0] == os.path.join(str(oracle["folder"] / "images"), it.filenames[0])


def test_flow_from_dataframe_gives_flow_from_directory_batches(oracle):
    root = str(oracle["folder"] / "images")
    by_dir = image.ImageDataGenerator(rescale=1 / 255).flow_from_directory(
        root, classes=["bird", "cat", "dog"], target_size=(6, 6), shuffle=False, batch_size=4)
    frame = {"filename": by_dir.filenames + ["missing.png"],
             "class": [f.split(os.sep)[0] for f in by_dir.filenames] + ["cat"],
             "w": list(np.arange(len(by_dir.filenames) + 1, dtype="float64"))}
    with pytest.warns(UserWarning, match="1 invalid image filename"):
        by_frame = image.ImageDataGenerator(rescale=1 / 255).flow_from_dataframe(
            frame, root, weight_col="w", target_size=(6, 6), shuffle=False, batch_size=4)
    assert by_frame.class_indices == by_dir.class_indices
    assert by_frame.filenames == by_dir.filenames
    assert len(by_frame) == len(by_dir)
    for i in range(len(by_dir)):
        (xd, yd), (xf, yf, wf) = by_dir[i], by_frame[i]
        np.testing.assert_array_equal(xd, xf)
        np.testing.assert_array_equal(yd, yf)
        np.testing.assert_array_equal(wf, np.arange(4 * i, 4 * i + len(xf)))
    raw = image.ImageDataGenerator().flow_from_dataframe(
        {"filename": by_dir.filenames[:3], "v": [0.5, 1.5, 2.5]}, root, y_col="v",
        class_mode="raw", target_size=(4, 4), shuffle=False)
    np.testing.assert_array_equal(raw[0][1], [0.5, 1.5, 2.5])


@pytest.mark.parametrize("name", ["rgb", "gray_resized", "rgba_bilinear_cf", "aspect"])
def test_load_img_and_img_to_array_match_tf_keras(oracle, name):
    case = oracle["load"][name]
    img = image.load_img(case["path"], **case["kwargs"])
    assert [img.mode, list(img.size)] == oracle["meta"][f"load_img/{name}"]
    ours = image.img_to_array(img, **case.get("to_array", {}))
    theirs = oracle["arrays"][f"load_img/{name}"]
    assert ours.dtype == theirs.dtype == np.float32
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("name", ["rgb", "gray", "rgb_unscaled", "cf"])
def test_array_to_img_and_save_img_match_tf_keras(oracle, name, tmp_path):
    case = oracle["save"][name]
    img = image.array_to_img(INPUTS[case["x"]], **case["kwargs"])
    assert [img.mode, list(img.size)] == oracle["meta"][f"array_to_img/{name}"]
    np.testing.assert_array_equal(np.asarray(img), oracle["arrays"][f"array_to_img/{name}"])
    image.save_img(tmp_path / "ours.png", INPUTS[case["x"]], **case["kwargs"])
    np.testing.assert_array_equal(np.asarray(PIL.open(tmp_path / "ours.png")),
                                  np.asarray(PIL.open(case["path"])))


@pytest.mark.parametrize("name", list(NEXT))
def test_next_runs_through_batches_endlessly_as_tf_keras(oracle, name):
    case = NEXT[name]
    gen = image.ImageDataGenerator(**case["kwargs"])
    it = gen.flow(INPUTS[case["x"]], INPUTS["y"], **case["flow"])
    batches = [next(it) for _ in range(case["steps"])]
    assert case["steps"] > len(it)  # past the end: the next epoch starts, as in Keras 2
    arrays = oracle["arrays"]
    for i, batch in enumerate(batches):
        for j, part in enumerate(batch):
            np.testing.assert_allclose(part, arrays[f"next/{name}/{i}/{j}"], rtol=0, atol=ATOL)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_random_helpers_match_tf_keras_from_the_same_seed(oracle, name):
    case = FUNCTIONS[name]
    np.random.seed(case["seed"])
    x = INPUTS[case["x"]].copy()
    ours = getattr(image, case["function"])(x, *case["args"], **case.get("kwargs", {}))
    theirs = oracle["arrays"][f"function/{name}"]
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=ATOL)


def test_save_to_dir_writes_the_augmented_images(tmp_path):
    gen = image.ImageDataGenerator(rotation_range=30)
    it = gen.flow(X[:5], INPUTS["y"][:5], batch_size=5, shuffle=False, save_to_dir=tmp_path,
                  save_prefix="aug", save_format="png", seed=0)
    x, _ = it[0]
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 5 and all(f.startswith("aug_") and f.endswith(".png") for f in files)
    assert sorted(int(f.split("_")[1]) for f in files) == [0, 1, 2, 3, 4]
    saved = np.asarray(PIL.open(tmp_path / files[0]))
    assert saved.shape == (6, 7, 3) and saved.dtype == np.uint8


@pytest.mark.parametrize("name", list(SMART_RESIZE))
def test_smart_resize_matches_tf_keras(oracle, name):
    case = SMART_RESIZE[name]
    ours = image.smart_resize(INPUTS[case["x"]], case["size"],
                              interpolation=case["interpolation"])
    theirs = oracle["arrays"][f"smart_resize/{name}"]
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    # Bilinear: float32 arithmetic in a different order (torch vs TF kernels), values to 255.
    atol = 0 if case["interpolation"] == "nearest" else 1e-4
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol)


ERRORS = {
    "zoom": lambda d: image.ImageDataGenerator(zoom_range=[1, 2, 3]),
    "split": lambda d: image.ImageDataGenerator(validation_split=1.5),
    "brightness": lambda d: image.ImageDataGenerator(brightness_range=0.5),
    "data_format": lambda d: image.ImageDataGenerator(data_format="nhwc"),
    "fit_rank": lambda d: image.ImageDataGenerator().fit(np.zeros((4, 4, 3))),
    "flow_rank": lambda d: image.ImageDataGenerator().flow(np.zeros((4, 4, 3))),
    "flow_lengths": lambda d: image.ImageDataGenerator().flow(np.zeros((4, 2, 2, 3)),
                                                              np.zeros(3)),
    "class_mode": lambda d: image.ImageDataGenerator().flow_from_directory(
        d, class_mode="onehot"),
    "color_mode": lambda d: image.ImageDataGenerator().flow_from_directory(
        d, color_mode="cmyk"),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_bad_arguments_raise_as_tf_keras(oracle, name):
    kind, message = oracle["meta"]["errors"][name]
    with pytest.raises(ValueError) as err:
        ERRORS[name](str(oracle["folder"] / "images"))
    assert kind == "ValueError"
    # tf.keras passes some messages as tuples of parts; the same words, in one string here.
    # Sets print in hash order, which differs between the processes: the words, sorted.
    def words(text):
        return sorted(w for w in (w.strip("(),'\"{}; ") for w in text.split()) if w)

    assert words(message) == words(str(err.value))


def test_preprocessing_function_runs_first_and_missing_fit_warns():
    seen = []

    def pre(x):
        seen.append(float(x.max()))
        return x + 1

    gen = image.ImageDataGenerator(preprocessing_function=pre, rescale=2.0,
                                   featurewise_center=True)
    with pytest.warns(UserWarning, match="hasn't been fit on any training data"):
        out = gen.standardize(X[0].copy())
    assert seen == [float(X[0].max())]
    np.testing.assert_allclose(out, (X[0] + 1) * 2, atol=ATOL)


def test_apply_affine_transform_checks_its_arguments():
    with pytest.raises(ValueError, match="must be distinct"):
        image.apply_affine_transform(X[0], theta=10, row_axis=0, col_axis=0, channel_axis=2)
    with pytest.raises(ValueError, match="multi-channel 2D images"):
        image.apply_affine_transform(X[0, :, :, 0], theta=10)
    with pytest.raises(ValueError, match="invalid fill_mode 'mirror'"):
        image.ImageDataGenerator(fill_mode="mirror")


def test_iterators_train_a_model_with_fit(oracle):
    gen = image.ImageDataGenerator(rescale=1 / 255, rotation_range=10, horizontal_flip=True)
    it = gen.flow_from_directory(str(oracle["folder"] / "images"), target_size=(8, 8),
                                 batch_size=4, seed=0)
    model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(2, 3),
                              keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(4, activation="softmax")])
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(it, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    flow = gen.flow(X, keras.utils.to_categorical(INPUTS["y"], 4), batch_size=5)
    assert len(model.fit(flow, epochs=1, verbose=0).history["accuracy"]) == 1


@pytest.mark.parametrize("multiprocessing", [False, True])
def test_workers_give_the_single_process_batches(oracle, multiprocessing):
    def make():
        gen = image.ImageDataGenerator(rotation_range=20, zoom_range=0.2, rescale=1 / 255)
        return gen.flow_from_directory(str(oracle["folder"] / "images"), target_size=(6, 6),
                                       batch_size=2, seed=4)

    serial, parallel = make(), make()
    parallel.workers, parallel.use_multiprocessing = 2, multiprocessing
    for epoch in range(2):
        labels = []
        for i in range(len(serial)):
            a, b = serial[i], parallel[i]
            assert a[0].shape == b[0].shape
            labels.append(b[1])
            if multiprocessing and epoch == 0:  # batches seeded by number: the same batches
                np.testing.assert_array_equal(a[0], b[0])
                np.testing.assert_array_equal(a[1], b[1])
        # Every image once per epoch, in whichever order.
        np.testing.assert_array_equal(np.concatenate(labels).sum(0),
                                      np.bincount(serial.classes, minlength=4))
        serial.on_epoch_end()
        parallel.on_epoch_end()


def test_numpy_warp_is_scipy_affine_transform_exactly():
    ndimage = pytest.importorskip("scipy.ndimage")  # a dev dependency (scikit-learn's)
    from kerastorch.legacy.preprocessing.image import _warp
    rng = np.random.default_rng(1)
    for _ in range(150):
        c, h, w = rng.integers(1, 4), *rng.integers(1, 10, 2)
        img = (rng.random((c, h, w)) * 255).astype("float32")
        theta = np.deg2rad(rng.choice([0, 90, 180, rng.uniform(-180, 180)]))
        matrix = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
        matrix = matrix * rng.uniform(0.5, 1.5)
        offset = rng.uniform(-6, 6, 2) * rng.choice([0, 1])
        for mode in ("constant", "nearest", "reflect", "wrap"):
            for order in (0, 1):
                ref = np.stack([ndimage.affine_transform(ch, matrix, offset, order=order,
                                                         mode=mode, cval=7.0) for ch in img])
                np.testing.assert_array_equal(_warp(img, matrix, offset, order, mode, 7.0), ref,
                                              err_msg=f"{mode} order {order}")


def test_flow_from_directory_on_a_missing_or_file_path_raises_naming_it(tmp_path):
    gen = image.ImageDataGenerator()
    with pytest.raises(FileNotFoundError, match="no such directory: .*nowhere"):
        gen.flow_from_directory(str(tmp_path / "nowhere"))
    (tmp_path / "file.png").write_bytes(b"")
    with pytest.raises(NotADirectoryError, match="file.png' is not a directory"):
        gen.flow_from_directory(str(tmp_path / "file.png"))
