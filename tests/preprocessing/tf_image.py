"""Oracle side of tests/preprocessing/test_image.py: runs the cases of `cases.json` (argv[1])
through real tf.keras 2.21's `preprocessing.image` and writes `tf_out.json` and `tf_out.npz`
beside it (arrays by name). Needs Pillow and scipy in the TensorFlow venv (tf.keras's own
requirements for image preprocessing).

Imports only tf_keras / numpy / json (no torch, no kerastorch).
"""

import json
import sys
from pathlib import Path

import numpy as np
from tf_keras.preprocessing import image as tf_image


def batches(iterator, count=None):
    """Every batch of a Sequence-style iterator (or the first `count`), as lists of arrays."""
    out = []
    for i in range(len(iterator) if count is None else count):
        batch = iterator[i]
        out.append(list(batch) if isinstance(batch, tuple) else [batch])
    return out


def main():
    try:
        import PIL  # noqa: F401
        import scipy  # noqa: F401
    except ImportError as err:
        sys.exit(f"tf.keras's image preprocessing needs Pillow and scipy in the TensorFlow venv "
                 f"({err}): `pip install pillow scipy` there (the Makefile's TF_PINS list them)")
    path = Path(sys.argv[1])
    cases = json.loads(path.read_text())
    inputs = dict(np.load(cases["inputs"]))
    arrays, meta = {}, {}

    def put(prefix, batch_list):
        for i, batch in enumerate(batch_list):
            for j, part in enumerate(batch):
                if isinstance(part, list):
                    for k, p in enumerate(part):
                        arrays[f"{prefix}/{i}/{j}/{k}"] = np.asarray(p)
                else:
                    arrays[f"{prefix}/{i}/{j}"] = np.asarray(part)
        meta[prefix] = len(batch_list)

    for name, case in cases["generators"].items():
        gen = tf_image.ImageDataGenerator(**case["kwargs"])
        x = inputs[case["x"]]
        if "fit" in case:
            gen.fit(x, **case["fit"])
        for attr in ("mean", "std", "zca_whitening_matrix"):
            if getattr(gen, attr) is not None:
                arrays[f"{name}/{attr}"] = getattr(gen, attr)
        flow = dict(case.get("flow", {}))
        y = inputs[flow.pop("y")] if "y" in flow else None
        if "sample_weight" in flow:
            flow["sample_weight"] = inputs[flow["sample_weight"]]
        if "misc" in flow:
            x = (x, inputs[flow.pop("misc")])
        put(name, batches(gen.flow(x, y, **flow)))

    for name, case in cases["transforms"].items():
        gen = tf_image.ImageDataGenerator(**case["kwargs"])
        arrays[f"transform/{name}"] = gen.apply_transform(inputs[case["x"]].copy(),
                                                          case["params"])
    for name, case in cases["random_transforms"].items():
        gen = tf_image.ImageDataGenerator(**case["kwargs"])
        arrays[f"random/{name}"] = gen.random_transform(inputs[case["x"]].copy(),
                                                        seed=case["seed"])
        arrays[f"random_params/{name}"] = np.array(
            [float(v) for v in gen.get_random_transform(inputs[case["x"]].shape,
                                                        seed=case["seed"]).values()
             if v is not None])

    for name, case in cases["directories"].items():
        gen = tf_image.ImageDataGenerator(**case.get("kwargs", {}))
        it = gen.flow_from_directory(cases["dir"], **case["flow"])
        meta[f"dirinfo/{name}"] = {"class_indices": it.class_indices, "filenames": it.filenames,
                               "classes": it.classes.tolist(), "len": len(it),
                               "samples": it.samples, "image_shape": list(it.image_shape)}
        put(f"dir/{name}", batches(it))

    for name, case in cases["load_img"].items():
        img = tf_image.load_img(case["path"], **case["kwargs"])
        arrays[f"load_img/{name}"] = tf_image.img_to_array(img, **case.get("to_array", {}))
        meta[f"load_img/{name}"] = [img.mode, list(img.size)]
    for name, case in cases["save_img"].items():
        tf_image.save_img(case["path"], inputs[case["x"]], **case["kwargs"])
        img = tf_image.array_to_img(inputs[case["x"]], **case["kwargs"])
        meta[f"array_to_img/{name}"] = [img.mode, list(img.size)]
        arrays[f"array_to_img/{name}"] = np.asarray(img)

    for name, case in cases.get("next", {}).items():
        gen = tf_image.ImageDataGenerator(**case["kwargs"])
        it = gen.flow(inputs[case["x"]], inputs["y"], **case["flow"])
        put(f"next/{name}", [list(next(it)) for _ in range(case["steps"])])
    for name, case in cases.get("functions", {}).items():
        np.random.seed(case["seed"])
        fn = getattr(tf_image, case["function"])
        arrays[f"function/{name}"] = fn(inputs[case["x"]].copy(), *case["args"],
                                        **case.get("kwargs", {}))
    for name, case in cases.get("smart_resize", {}).items():
        out = tf_image.smart_resize(inputs[case["x"]], case["size"],
                                    interpolation=case["interpolation"])
        arrays[f"smart_resize/{name}"] = out

    errors = {}
    for name, call in (
            ("zoom", lambda: tf_image.ImageDataGenerator(zoom_range=[1, 2, 3])),
            ("split", lambda: tf_image.ImageDataGenerator(validation_split=1.5)),
            ("brightness", lambda: tf_image.ImageDataGenerator(brightness_range=0.5)),
            ("data_format", lambda: tf_image.ImageDataGenerator(data_format="nhwc")),
            ("fit_rank", lambda: tf_image.ImageDataGenerator().fit(np.zeros((4, 4, 3)))),
            ("flow_rank", lambda: tf_image.ImageDataGenerator().flow(np.zeros((4, 4, 3)))),
            ("flow_lengths", lambda: tf_image.ImageDataGenerator().flow(
                np.zeros((4, 2, 2, 3)), np.zeros(3))),
            ("class_mode", lambda: tf_image.ImageDataGenerator().flow_from_directory(
                cases["dir"], class_mode="onehot")),
            ("color_mode", lambda: tf_image.ImageDataGenerator().flow_from_directory(
                cases["dir"], color_mode="cmyk"))):
        try:
            call()
            errors[name] = None
        except Exception as err:  # noqa: BLE001 - the oracle reports every error kind
            errors[name] = [type(err).__name__, str(err)]
    meta["errors"] = errors
    (path.parent / "tf_out.json").write_text(json.dumps(meta))
    np.savez(path.parent / "tf_out.npz", **arrays)


if __name__ == "__main__":
    main()
