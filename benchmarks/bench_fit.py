"""One epoch of `fit` vs a hand-written torch training loop (and Keras 3 where installed).

    python benchmarks/bench_fit.py [--quick] [--threads N] [--repeats R]

Models: an MLP 784-512-512-10 on 30,000 random samples and a small CNN on 32x32x3 images,
batch 128, Adam, sparse categorical cross-entropy on logits, accuracy. The hand-written loop
is what one writes in plain torch: shuffle indices, slice batches, forward, `F.cross_entropy`,
`zero_grad`, `backward`, `torch.optim.Adam(eps=1e-7).step()`, loss and accuracy summed on the
device and read back once per epoch; it is timed with torch's default Adam (a per-parameter
loop on CPU) and with `foreach=True` (multi-tensor, as kerastorch's optimizers are). Each
epoch is timed `repeats` times, interleaved, and the best (and median) is reported, with the
ratio to the hand-written loop (target: kerastorch <= 1.05x).

Also times `model.predict(one_sample, verbose=0)` against a bare `torch.no_grad()` call of
the same model on a tensor (target: <= 2x).
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import kerastorch as keras  # noqa: E402
from kerastorch import losses as kt_losses  # noqa: E402


# ---------------------------------------------------------------- models
def mlp(lib):
    return lib.Sequential([lib.Input(shape=(784,)), lib.layers.Dense(512, activation="relu"),
                           lib.layers.Dense(512, activation="relu"), lib.layers.Dense(10)])


def torch_mlp():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 10))


def cnn(lib):
    return lib.Sequential([
        lib.Input(shape=(32, 32, 3)),
        lib.layers.Conv2D(32, 3, activation="relu"),
        lib.layers.MaxPooling2D(2),
        lib.layers.Conv2D(64, 3, activation="relu"),
        lib.layers.MaxPooling2D(2),
        lib.layers.GlobalMaxPooling2D(),
        lib.layers.Dense(10),
    ])


class TorchCNN(nn.Module):
    """The same CNN, hand-written in NCHW."""

    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(3, 32, 3), nn.Conv2d(32, 64, 3)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(torch.relu(self.c1(x)), 2)
        x = F.max_pool2d(torch.relu(self.c2(x)), 2)
        return self.fc(torch.amax(x, dim=(2, 3)))


def copy_to_torch(src, dst):
    """Copies kerastorch weights (torch layout underneath) into the hand-written module."""
    params = [p for p in src.parameters()]
    with torch.no_grad():
        for p, q in zip(params, dst.parameters()):
            q.copy_(p)


# ---------------------------------------------------------------- loops
def torch_epoch(model, opt, x, y, batch_size):
    model.train()
    n = x.shape[0]
    order = torch.randperm(n)
    loss_sum = torch.zeros(())
    correct = torch.zeros((), dtype=torch.long)
    for i in range(0, n, batch_size):
        idx = order[i:i + batch_size]
        xb, yb = x[idx], y[idx]
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            loss_sum += loss.detach() * xb.shape[0]
            correct += (out.argmax(-1) == yb).sum()
    return loss_sum.item() / n, correct.item() / n


def kt_compile(model):
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=kt_losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def time_epochs(runners, repeats):
    """Runs each runner `repeats` times, interleaved; returns the best and the median seconds.

    The best (minimum) is the figure least disturbed by other processes on a shared machine;
    the ratios are computed from it.
    """
    for run in runners.values():  # warm-up epoch (first-call costs, allocator)
        run()
    samples = {k: [] for k in runners}
    for _ in range(repeats):
        for k, run in runners.items():
            start = time.perf_counter()
            run()
            samples[k].append(time.perf_counter() - start)
    return ({k: min(v) for k, v in samples.items()},
            {k: statistics.median(v) for k, v in samples.items()})


def bench(name, make_kt, make_torch, make_keras3, x_nhwc, y, batch_size, repeats, keras3):
    x_np, y_np = x_nhwc, y
    model = kt_compile(make_kt())
    ref = make_torch()
    copy_to_torch(model, ref)
    opt = torch.optim.Adam(ref.parameters(), lr=1e-3, eps=1e-7)
    ref_fe = make_torch()
    copy_to_torch(model, ref_fe)
    opt_fe = torch.optim.Adam(ref_fe.parameters(), lr=1e-3, eps=1e-7, foreach=True)
    x_t, y_t = torch.from_numpy(x_np), torch.from_numpy(y_np)
    x_torch = x_t.permute(0, 3, 1, 2).contiguous() if x_t.ndim == 4 else x_t
    runners = {
        "hand-written torch": lambda: torch_epoch(ref, opt, x_torch, y_t, batch_size),
        "  same, foreach Adam": lambda: torch_epoch(ref_fe, opt_fe, x_torch, y_t, batch_size),
        "kerastorch fit": lambda: model.fit(x_np, y_np, batch_size=batch_size, epochs=1,
                                            verbose=0),
    }
    if keras3 is not None:
        k3 = make_keras3(keras3)
        k3.compile(optimizer=keras3.optimizers.Adam(1e-3),
                   loss=keras3.losses.SparseCategoricalCrossentropy(from_logits=True),
                   metrics=["accuracy"])
        runners["keras 3 fit"] = lambda: k3.fit(x_np, y_np, batch_size=batch_size, epochs=1,
                                                verbose=0)
    times, medians = time_epochs(runners, repeats)
    base, base_med = times["hand-written torch"], medians["hand-written torch"]
    print(f"\n{name}: {x_np.shape[0]} samples, batch {batch_size}, one epoch "
          f"(best and median of {repeats})")
    print(f"  {'':22s} {'best s':>8s} {'ratio':>7s} {'median s':>9s} {'ratio':>7s}")
    for k, t in times.items():
        print(f"  {k:22s} {t:8.3f} {t / base:6.2f}x {medians[k]:9.3f} "
              f"{medians[k] / base_med:6.2f}x")
    return model, ref, times


def bench_predict(model, sample, repeats, keras3_model=None, number=200):
    """Per-call time of `predict(sample)` vs a bare no_grad call; the best of `repeats` rounds
    (each `number` calls, interleaved), the figure least disturbed by other processes."""
    t = torch.from_numpy(sample)

    def bare():
        with torch.no_grad():
            return model(t)

    fns = {"bare torch.no_grad call": bare,
           "kerastorch predict": lambda: model.predict(sample, verbose=0)}
    if keras3_model is not None:
        fns["keras 3 predict"] = lambda: keras3_model.predict(sample, verbose=0)
    for fn in fns.values():
        for _ in range(5):
            fn()
    best = {k: float("inf") for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            n = number if k != "keras 3 predict" else max(number // 20, 5)
            start = time.perf_counter()
            for _ in range(n):
                fn()
            best[k] = min(best[k], (time.perf_counter() - start) / n)
    base = best["bare torch.no_grad call"]
    print(f"\npredict on one sample {sample.shape} (best of {repeats} rounds, per call)")
    for k, tm in best.items():
        print(f"  {k:24s} {tm * 1e6:9.1f} us {tm / base:6.2f}x")
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer samples and repeats")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch intra-op threads (default: torch's)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--no-keras3", action="store_true")
    parser.add_argument("--models", default="mlp,cnn", help="which of mlp,cnn to run")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    repeats = args.repeats or (2 if args.quick else 3)
    keras3 = None
    if not args.no_keras3:
        try:
            os.environ.setdefault("KERAS_BACKEND", "torch")
            import keras as keras3
            if keras3.backend.backend() != "torch":
                keras3 = None
        except ImportError:
            keras3 = None
    keras.utils.set_random_seed(0)
    if torch.cuda.is_available():
        print("note: CUDA is available; this benchmark times the CPU (`set_device('cpu')`).")
        keras.backend.set_device("cpu")
    print(f"torch {torch.__version__}, threads={torch.get_num_threads()}, cpu; keras 3: "
          f"{keras3.__version__ if keras3 else 'not installed'}")
    n_mlp = 6000 if args.quick else 30000
    n_cnn = 2000 if args.quick else 10000
    rng = np.random.default_rng(0)
    which = args.models.split(",")
    if "mlp" in which:
        x = rng.random((n_mlp, 784), dtype=np.float32)
        y = rng.integers(0, 10, n_mlp)
        model, _, _ = bench("MLP 784-512-512-10", lambda: mlp(keras), torch_mlp, mlp, x, y, 128,
                            repeats, keras3)
        bench_predict(model, x[:1], repeats=10,
                      keras3_model=mlp(keras3) if keras3 is not None else None)
    if "cnn" in which:
        xi = rng.random((n_cnn, 32, 32, 3), dtype=np.float32)
        yi = rng.integers(0, 10, n_cnn)
        bench("CNN 32x32x3 (conv32-pool-conv64-pool-gmp-dense10)", lambda: cnn(keras), TorchCNN,
              cnn, xi, yi, 128, repeats, keras3)


if __name__ == "__main__":
    main()
