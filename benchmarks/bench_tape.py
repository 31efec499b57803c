"""The tf.keras custom training loop (GradientTape, tf.function, tf.data, Adam, a metric) under
`kerastorch run` vs the same loop written in torch, and vs the script on real TensorFlow.

Two models, as in TensorFlow's "training loop from scratch" guide:
- `mlp`: 784 -> 64 -> 64 -> 10 on 30,000 x 784 samples, batch 64;
- `cnn`: Conv2D(32) / MaxPool / Conv2D(64) / MaxPool / Dense(10) on 28x28x1 images, batch 64.

The TF-style loop (`loop_tf` below) runs with `tensorflow` imported through `kerastorch run`'s
import hook, and its torch twin (`loop_torch`: zero_grad, forward, loss, backward, step, the
accuracy count on the device) in the same process, their epochs interleaved; the TF-style loop
also runs under the TensorFlow venv when one is found (KERASTORCH_TF_PYTHON or
~/.cache/kerastorch/tf-2.21), in its own process. The figure is the best epoch time after a
warm-up epoch (median too) and the ratios.
Run: `python benchmarks/bench_tape.py [--model mlp|cnn|all] [--epochs 3] [--samples N]
[--threads 1]` (on a shared machine `--threads 1`: torch's spinning OpenMP threads lose far more
to other jobs than TensorFlow's pool does).
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve()
ROOT = HERE.parents[1]


def data(model, samples):
    rng = np.random.default_rng(0)
    shape = (samples, 784) if model == "mlp" else (samples, 28, 28, 1)
    x = rng.normal(size=shape).astype("float32")
    y = rng.integers(0, 10, size=(samples,)).astype("int64")
    return x, y


def loop_tf(model_kind, samples, threads=None):
    """The loop as a tf.keras user writes it (`tensorflow` is real TF or kerastorch's): a
    generator of epoch times."""
    import tensorflow as tf
    from tensorflow import keras
    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    x, y = data(model_kind, samples)
    if model_kind == "mlp":
        model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(64, activation="relu"),
                                  keras.layers.Dense(64, activation="relu"),
                                  keras.layers.Dense(10)])
    else:
        model = keras.Sequential([keras.Input((28, 28, 1)),
                                  keras.layers.Conv2D(32, 3, activation="relu"),
                                  keras.layers.MaxPooling2D(),
                                  keras.layers.Conv2D(64, 3, activation="relu"),
                                  keras.layers.MaxPooling2D(), keras.layers.Flatten(),
                                  keras.layers.Dense(10)])
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    acc = keras.metrics.SparseCategoricalAccuracy()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(64)

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        acc.update_state(yb, logits)
        return loss

    while True:
        start = time.perf_counter()
        for xb, yb in dataset:
            loss = train_step(xb, yb)
        float(loss), float(acc.result())
        acc.reset_state()
        yield time.perf_counter() - start


def loop_torch(model_kind, samples, threads=None):
    """The same training written in torch (NCHW convolutions, as a torch user writes them): a
    generator of epoch times."""
    import torch
    from torch import nn
    if threads:
        torch.set_num_threads(threads)
    x, y = data(model_kind, samples)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    if model_kind == "mlp":
        model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                              nn.Linear(64, 10))
    else:
        x = x.permute(0, 3, 1, 2).contiguous()
        model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(64 * 5 * 5, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    while True:
        start = time.perf_counter()
        correct = torch.zeros((), dtype=torch.int64)
        for i in range(0, len(x), 64):
            xb, yb = x[i:i + 64], y[i:i + 64]
            optimizer.zero_grad()
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimizer.step()
            correct += (logits.detach().argmax(1) == yb).sum()
        float(loss), int(correct)
        yield time.perf_counter() - start


def _tf_python():
    path = os.environ.get("KERASTORCH_TF_PYTHON") or str(
        pathlib.Path.home() / ".cache" / "kerastorch" / "tf-2.21" / "bin" / "python")
    return path if os.path.exists(path) else None


def _side(cmd, env):
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=str(ROOT))
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="all", choices=["mlp", "cnn", "all"])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=None,
                        help="default: 30000 (mlp), 6000 (cnn)")
    parser.add_argument("--threads", type=int, default=0,
                        help="intra-op threads of every side (0: each library's default)")
    parser.add_argument("--side", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--no-tf", action="store_true", help="skip real TensorFlow")
    args = parser.parse_args()
    if args.side == "tf":  # real TensorFlow, in its own process
        epochs = loop_tf(args.model, args.samples, args.threads)
        next(epochs)  # warm-up
        print(json.dumps([next(epochs) for _ in range(args.epochs)]))
        return
    if args.side == "pair":  # kerastorch run's tensorflow and the torch twin, interleaved
        from kerastorch.porting.hook import keras_import_hook
        with keras_import_hook():
            ours = loop_tf(args.model, args.samples, args.threads)
            next(ours)
        twin = loop_torch(args.model, args.samples, args.threads)
        next(twin)
        times = [[], []]
        for _ in range(args.epochs):
            times[0].append(next(ours))
            times[1].append(next(twin))
        print(json.dumps(times))
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    tf_python = None if args.no_tf else _tf_python()
    tf_env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1",
                  CUDA_VISIBLE_DEVICES=os.environ.get("CUDA_VISIBLE_DEVICES", ""))
    tf_env.pop("PYTHONPATH", None)
    import torch
    print(f"torch {torch.__version__}, threads={args.threads or torch.get_num_threads()}, "
          f"device={'cuda' if torch.cuda.is_available() else 'cpu'}")
    models = ["mlp", "cnn"] if args.model == "all" else [args.model]
    for model in models:
        samples = args.samples or (30000 if model == "mlp" else 6000)
        common = ["--model", model, "--samples", str(samples), "--epochs", str(args.epochs),
                  "--threads", str(args.threads)]
        ours, twin = _side([sys.executable, str(HERE), "--side", "pair"] + common, env)
        line = (f"{model} ({samples} samples, batch 64): kerastorch run {min(ours):.3f}s "
                f"(median {statistics.median(ours):.3f}), torch {min(twin):.3f}s "
                f"(median {statistics.median(twin):.3f}), ratio {min(ours) / min(twin):.3f}")
        if tf_python is not None:
            theirs = _side([tf_python, str(HERE), "--side", "tf"] + common, tf_env)
            line += (f"; TensorFlow {min(theirs):.3f}s (median "
                     f"{statistics.median(theirs):.3f}), kerastorch/TensorFlow "
                     f"{min(ours) / min(theirs):.3f}")
        print(line, flush=True)


if __name__ == "__main__":
    main()
