"""ImageDataGenerator.flow_from_directory feeding `fit`: images per second, kerastorch vs
tf.keras 2.21, on the same PNG files.

    python benchmarks/bench_image_pipeline.py [--images 384] [--size 64] [--epochs 2]
                                              [--workers 2] [--repeats 2] [--tf-python PATH]

Writes `--images` random RGB PNGs (`--size` square, 4 classes) to a temporary directory, then
for each library and each loading mode (one process; `--workers` threads or processes, which
is `fit(workers=n, use_multiprocessing=...)` in both (kerastorch gives them to the iterator:
threads, or DataLoader processes); tf.keras's one-process `fit` also prepares
batches in one background thread) trains the same small CNN for one warm-up
epoch and `--epochs` timed epochs, with augmentation (rescale, rotation, shifts, zoom,
horizontal flips). Also timed: the epoch's batches alone (the pipeline, no model) and the same
model fit on in-memory arrays (the training step alone), which together say which part
limits `fit`. The two libraries take turns `--repeats` times (the machine is shared: the
best run of each counts). Reported: images/s over the timed epochs, and the ratio kerastorch /
tf.keras (target >= 1). tf.keras runs in a subprocess (the venv of `make install-tf`, or
`--tf-python` / KERASTORCH_TF_PYTHON); both run on the CPU.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

# The same script for both libraries: `keras` is tf_keras or kerastorch.
_PIPELINE = r"""
import json, sys, time
import numpy as np

def run(keras, root, size, epochs, workers, tf_side):
    gen = keras.preprocessing.image.ImageDataGenerator(
        rescale=1 / 255, rotation_range=15, width_shift_range=0.1, height_shift_range=0.1,
        zoom_range=0.1, horizontal_flip=True)

    def flow():
        return gen.flow_from_directory(root, target_size=(size, size), batch_size=32, seed=0)

    def model():
        keras.utils.set_random_seed(0)
        m = keras.Sequential([
            keras.Input((size, size, 3)),
            keras.layers.Conv2D(8, 3, activation="relu"), keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(16, 3, activation="relu"), keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(4, activation="softmax")])
        m.compile("adam", "categorical_crossentropy")
        return m

    results = {}
    it = flow()
    [it[i] for i in range(len(it))]  # warm-up (file cache)
    start = time.perf_counter()
    for _ in range(epochs):
        it.on_epoch_end()
        [it[i] for i in range(len(it))]
    results["batches only"] = it.samples * epochs / (time.perf_counter() - start)
    m = model()
    x = np.random.default_rng(0).random((it.samples, size, size, 3), dtype=np.float32)
    y = np.eye(4, dtype="float32")[np.arange(it.samples) % 4]
    m.fit(x, y, batch_size=32, epochs=1, verbose=0)
    start = time.perf_counter()
    m.fit(x, y, batch_size=32, epochs=epochs, verbose=0)
    results["arrays fit"] = it.samples * epochs / (time.perf_counter() - start)
    for mode, n, processes in (("fit, 1 process", 1, False),
                               (f"fit, {workers} threads", workers, False),
                               (f"fit, {workers} processes", workers, True)):
        it, m = flow(), model()
        kwargs = {"workers": n, "use_multiprocessing": processes}
        m.fit(it, epochs=1, verbose=0, **kwargs)  # warm-up
        start = time.perf_counter()
        m.fit(it, epochs=epochs, verbose=0, **kwargs)
        results[mode] = it.samples * epochs / (time.perf_counter() - start)
    return results
"""

_TF_MAIN = _PIPELINE + r"""
import tf_keras
root, size, epochs, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(json.dumps(run(tf_keras, root, size, epochs, workers, True)))
"""


def _tf_python(arg):
    path = arg or os.environ.get("KERASTORCH_TF_PYTHON") or str(
        Path.home() / ".cache" / "kerastorch" / "tf-2.21" / "bin" / "python")
    if not Path(path).exists():
        raise SystemExit(f"no TensorFlow interpreter at {path}: run `make install-tf`")
    return path


def _write_images(root, count, size):
    from PIL import Image
    rng = np.random.default_rng(0)
    for i in range(count):
        folder = os.path.join(root, f"class_{i % 4}")
        os.makedirs(folder, exist_ok=True)
        pixels = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(os.path.join(folder, f"{i:05d}.png"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=384)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--tf-python", default=None)
    args = parser.parse_args()
    import kerastorch
    from _timing import header
    scope = {}
    exec(_PIPELINE, scope)  # noqa: S102 - the same pipeline code as the TF side
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="",
               TF_USE_LEGACY_KERAS="1")
    env.pop("PYTHONPATH", None)
    ours, theirs = {}, {}
    with tempfile.TemporaryDirectory() as root:
        _write_images(root, args.images, args.size)
        for _ in range(args.repeats):  # alternating, the best of each: the machine is shared
            proc = subprocess.run([_tf_python(args.tf_python), "-c", _TF_MAIN, root,
                                   str(args.size), str(args.epochs), str(args.workers)],
                                  capture_output=True, text=True, env=env)
            if proc.returncode:
                raise SystemExit(f"tf.keras side failed:\n{proc.stderr[-4000:]}")
            for mode, rate in json.loads(proc.stdout.strip().splitlines()[-1]).items():
                theirs[mode] = max(rate, theirs.get(mode, 0))
            for mode, rate in scope["run"](kerastorch, root, args.size, args.epochs,
                                           args.workers, False).items():
                ours[mode] = max(rate, ours.get(mode, 0))
    print(f"flow_from_directory -> fit, {args.images} PNGs {args.size}x{args.size}, batch 32, "
          f"{args.epochs} timed epochs, best of {args.repeats}; {header()}, "
          f"cpu cores={os.cpu_count()}")
    print(f"{'mode':<17} {'kerastorch img/s':>17} {'tf.keras img/s':>15} {'ratio':>7}")
    for mode in ours:
        print(f"{mode:<17} {ours[mode]:>17.1f} {theirs[mode]:>15.1f} "
              f"{ours[mode] / theirs[mode]:>7.2f}")


if __name__ == "__main__":
    main()
