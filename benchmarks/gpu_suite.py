"""The GPU suite: kerastorch `fit` steps against the same network and optimizer hand-written in
torch, in one process, interleaved.

    python benchmarks/gpu_suite.py [--small] [--out suite.json] [--models mlp,cnn,...]
                                   [--modes fp32,fp16,bf16,jit] [--no-keras3]

For each model and mode it reports the median step time (per-step times between consecutive
batch ends, after warm-up, with `torch.cuda.synchronize`), samples per second and peak GPU memory
(`torch.cuda.max_memory_allocated`, CUDA only), for kerastorch, for the hand-written twin and (fp32
eager, where installed) for Keras 3 on torch; then the ratio kerastorch / twin. It writes the
figures to a JSON file and prints a table.

Models (full size, for one GPU; the whole suite takes a few minutes):
  mlp          784-2048-2048-10, batch 256
  cnn          ResNet-18 (torchvision's layout) at 64x64, batch 128
  transformer  6 encoder layers, d=512, 8 heads, sequence 256, batch 32
  lstm         LSTM(512) over 100 steps of 64 features, batch 64
  xception     Xception forward (predict_on_batch) at 299x299, batch 32, against timm's model
Modes: fp32 (eager), fp16 (`mixed_float16` policy vs `torch.autocast` + `GradScaler`), bf16
(`mixed_bfloat16` vs autocast), jit (`compile(jit_compile=True)` vs `torch.compile` of the twin's
forward and loss). Every model trains with Adam(1e-3) on sparse categorical cross-entropy from
logits; the twin is given kerastorch's initial weights where the layouts match.

`--small` runs the same code on tiny versions of the models on CPU, one thread (the test suite runs
it so the suite cannot rot; it asserts nothing about time).
"""

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import kerastorch  # noqa: E402

MODES = ("fp32", "fp16", "bf16", "jit")
POLICIES = {"fp32": "float32", "jit": "float32", "fp16": "mixed_float16", "bf16": "mixed_bfloat16"}
AMP_DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16}


# ---------------------------------------------------------------- sizes
def sizes(small):
    """Per-model sizes: (full) for one GPU, (small) for the CPU check."""
    if small:
        return {"mlp": dict(width=64, batch=32), "cnn": dict(res=32, batch=8, blocks=(1, 1, 1, 1)),
                "transformer": dict(layers=1, d=32, heads=2, seq=16, batch=8),
                "lstm": dict(units=16, steps=10, features=8, batch=8),
                "xception": dict(res=71, batch=2), "steps": 4, "warmup": 2, "rounds": 2}
    return {"mlp": dict(width=2048, batch=256), "cnn": dict(res=64, batch=128, blocks=(2, 2, 2, 2)),
            "transformer": dict(layers=6, d=512, heads=8, seq=256, batch=32),
            "lstm": dict(units=512, steps=100, features=64, batch=64),
            "xception": dict(res=299, batch=32), "steps": 20, "warmup": 5, "rounds": 3}


# ---------------------------------------------------------------- models (Keras side)
def keras_mlp(lib, width, **_):
    return lib.Sequential([lib.Input((784,)), lib.layers.Dense(width, activation="relu"),
                           lib.layers.Dense(width, activation="relu"), lib.layers.Dense(10)])


def keras_resnet(lib, res, blocks, **_):
    """ResNet-18's layout (torchvision's): 7x7/2 stem, 3x3/2 max pool, basic blocks."""
    L = lib.layers

    def conv_bn(x, filters, kernel, stride, relu=True):
        if kernel > 1:
            x = L.ZeroPadding2D(kernel // 2)(x)
        x = L.Conv2D(filters, kernel, strides=stride, use_bias=False)(x)
        x = L.BatchNormalization(epsilon=1e-5, momentum=0.9)(x)
        return L.ReLU()(x) if relu else x

    inputs = lib.Input((res, res, 3))
    x = conv_bn(inputs, 64, 7, 2)
    x = L.MaxPooling2D(3, strides=2, padding="same")(x)
    for stage, (filters, count) in enumerate(zip((64, 128, 256, 512), blocks)):
        for i in range(count):
            stride = 2 if stage > 0 and i == 0 else 1
            shortcut = x
            y = conv_bn(x, filters, 3, stride)
            y = conv_bn(y, filters, 3, 1, relu=False)
            if stride != 1 or shortcut.shape[-1] != filters:
                shortcut = conv_bn(shortcut, filters, 1, stride, relu=False)
            x = L.ReLU()(L.Add()([y, shortcut]))
    outputs = L.Dense(10)(L.GlobalAveragePooling2D()(x))
    return lib.Model(inputs, outputs)


def keras_transformer(lib, layers, d, heads, seq, **_):
    L = lib.layers
    inputs = lib.Input((seq, d))
    x = inputs
    for _ in range(layers):
        attended = L.MultiHeadAttention(heads, d // heads)(x, x)
        x = L.LayerNormalization(epsilon=1e-5)(L.Add()([x, attended]))
        h = L.Dense(d, activation="relu")(L.Dense(4 * d, activation="relu")(x))
        x = L.LayerNormalization(epsilon=1e-5)(L.Add()([x, h]))
    outputs = L.Dense(10)(L.GlobalAveragePooling1D()(x))
    return lib.Model(inputs, outputs)


def keras_lstm(lib, units, steps, features, **_):
    return lib.Sequential([lib.Input((steps, features)), lib.layers.LSTM(units),
                           lib.layers.Dense(10)])


# ---------------------------------------------------------------- the hand-written twins
class TorchMLP(nn.Sequential):
    def __init__(self, width, **_):
        super().__init__(nn.Linear(784, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                         nn.Linear(width, 10))


def torch_resnet(blocks, **_):
    import torchvision
    if tuple(blocks) == (2, 2, 2, 2):
        return torchvision.models.resnet18(num_classes=10)
    from torchvision.models.resnet import BasicBlock, ResNet
    return ResNet(BasicBlock, list(blocks), num_classes=10)


class TorchEncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff1, self.ff2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, x):
        b, s, d = x.shape
        split = lambda t: t.view(b, s, self.heads, d // self.heads).transpose(1, 2)  # noqa: E731
        a = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)))
        x = self.ln1(x + self.o(a.transpose(1, 2).reshape(b, s, d)))
        return self.ln2(x + torch.relu(self.ff2(torch.relu(self.ff1(x)))))


class TorchTransformer(nn.Module):
    def __init__(self, layers, d, heads, **_):
        super().__init__()
        self.blocks = nn.Sequential(*(TorchEncoderLayer(d, heads) for _ in range(layers)))
        self.head = nn.Linear(d, 10)

    def forward(self, x):
        return self.head(self.blocks(x).mean(1))


class TorchLSTM(nn.Module):
    def __init__(self, units, features, **_):
        super().__init__()
        self.lstm = nn.LSTM(features, units, batch_first=True)
        self.head = nn.Linear(units, 10)

    def forward(self, x):
        return self.head(self.lstm(x)[0][:, -1])


MODELS = {
    "mlp": (keras_mlp, TorchMLP, lambda s: (784,)),
    "cnn": (keras_resnet, torch_resnet, lambda s: (s["res"], s["res"], 3)),
    "transformer": (keras_transformer, TorchTransformer, lambda s: (s["seq"], s["d"])),
    "lstm": (keras_lstm, TorchLSTM, lambda s: (s["steps"], s["features"])),
}


# ---------------------------------------------------------------- timing
def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def reset_memory(device):
    if device.type == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()


def peak_memory(device):
    return torch.cuda.max_memory_allocated() if device.type == "cuda" else None


class StepTimer(kerastorch.callbacks.Callback):
    """Per-step seconds between consecutive batch ends (the first step of a call is dropped)."""

    def __init__(self, device):
        super().__init__()
        self.device, self.times, self._last = device, [], None

    def on_train_begin(self, logs=None):
        self._last = None

    def on_train_batch_end(self, batch, logs=None):
        sync(self.device)
        now = time.perf_counter()
        if self._last is not None:
            self.times.append(now - self._last)
        self._last = now


def keras3_timer(keras3, device):
    class Timer(keras3.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times, self._last = [], None

        def on_train_begin(self, logs=None):
            self._last = None

        def on_train_batch_end(self, batch, logs=None):
            sync(device)
            now = time.perf_counter()
            if self._last is not None:
                self.times.append(now - self._last)
            self._last = now
    return Timer()


def twin_runner(model, device, mode, x, y, batch):
    """The hand-written loop: slice, move, forward, loss, backward, Adam; per-step times."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7,
                           fused=device.type == "cuda")
    amp = AMP_DTYPES.get(mode)
    scaler = torch.amp.GradScaler(device.type) if mode == "fp16" else None

    def forward_loss(xb, yb):
        return F.cross_entropy(model(xb), yb)

    step_fn = torch.compile(forward_loss) if mode == "jit" else forward_loss
    times = []

    def run(steps):
        model.train()
        last = None
        for i in range(steps):
            lo = (i * batch) % (x.shape[0] - batch + 1)
            xb = x[lo:lo + batch].to(device, non_blocking=True)
            yb = y[lo:lo + batch].to(device, non_blocking=True)
            opt.zero_grad(set_to_none=True)
            if amp is None:
                loss = step_fn(xb, yb)
            else:
                with torch.autocast(device.type, dtype=amp):
                    loss = step_fn(xb, yb)
            if scaler is None:
                loss.backward()
                opt.step()
            else:
                scaler.scale(loss).backward()
                scaler.step(opt)
                scaler.update()
            sync(device)
            now = time.perf_counter()
            if last is not None:
                times.append(now - last)
            last = now
    return run, times


def kerastorch_runner(build, size, device, mode, x, y, batch):
    kerastorch.mixed_precision.set_global_policy(POLICIES[mode])
    try:
        model = build(kerastorch, **size)
        model.compile(optimizer=kerastorch.optimizers.Adam(1e-3),
                      loss=kerastorch.losses.SparseCategoricalCrossentropy(from_logits=True),
                      jit_compile=mode == "jit")
    finally:
        kerastorch.mixed_precision.set_global_policy("float32")
    model.to(device)
    timer = StepTimer(device)

    def run(steps):
        # The policy is read when the model is compiled; fit follows the compiled model.
        model.fit(x[:steps * batch], y[:steps * batch], batch_size=batch, epochs=1,
                  shuffle=False, verbose=0, callbacks=[timer])
    return model, run, timer.times


def keras3_runner(keras3, build, size, device, x, y, batch):
    model = build(keras3, **size)
    model.compile(optimizer=keras3.optimizers.Adam(1e-3),
                  loss=keras3.losses.SparseCategoricalCrossentropy(from_logits=True))
    timer = keras3_timer(keras3, device)
    xn, yn = x.numpy(), y.numpy()

    def run(steps):
        model.fit(xn[:steps * batch], yn[:steps * batch], batch_size=batch, epochs=1,
                  shuffle=False, verbose=0, callbacks=[timer])
    return run, timer.times


def copy_weights(src, dst):
    """kerastorch's initial weights into the twin where parameter shapes line up one to one."""
    a, b = list(src.parameters()), list(dst.parameters())
    if len(a) != len(b) or any(p.shape != q.shape for p, q in zip(a, b)):
        return False
    with torch.no_grad():
        for p, q in zip(a, b):
            q.copy_(p)
    return True


def interleaved(runners, steps, warmup, rounds, device):
    """Runs each runner `warmup` steps, then `rounds` times `steps` steps, interleaved, with the
    peak memory of each runner's rounds."""
    memory = {}
    for run, _ in runners.values():
        run(warmup + 1)
    for name, (_, times) in runners.items():
        times.clear()
    for _ in range(rounds):
        for name, (run, _) in runners.items():
            reset_memory(device)
            run(steps + 1)
            mem = peak_memory(device)
            memory[name] = mem if memory.get(name) is None else max(memory[name], mem)
    return {name: (statistics.median(times), memory.get(name))
            for name, (_, times) in runners.items()}


def bench_train(name, mode, s, device, keras3):
    build, twin_cls, input_shape = MODELS[name]
    size, batch = s[name], s[name]["batch"]
    n = (s["steps"] + 1) * batch
    generator = torch.Generator().manual_seed(0)
    x = torch.rand((n,) + input_shape(size), generator=generator)
    y = torch.randint(0, 10, (n,), generator=generator)
    model, kt_run, kt_times = kerastorch_runner(build, size, device, mode, x, y, batch)
    twin = twin_cls(**size).to(device)
    same_init = copy_weights(model, twin)
    x_twin = x.permute(0, 3, 1, 2).contiguous() if x.ndim == 4 else x
    tw_run, tw_times = twin_runner(twin, device, mode, x_twin, y, batch)
    runners = {"kerastorch": (kt_run, kt_times), "torch": (tw_run, tw_times)}
    if keras3 is not None and mode == "fp32":
        runners["keras3"] = keras3_runner(keras3, build, size, device, x, y, batch)
    results = interleaved(runners, s["steps"], s["warmup"], s["rounds"], device)
    return batch, same_init, results


def bench_xception(s, device):
    import timm
    size = s["xception"]
    batch, res = size["batch"], size["res"]
    model = kerastorch.applications.Xception(weights=None, input_shape=(res, res, 3),
                                             include_top=True)
    model.to(device).eval()
    ref = timm.create_model("legacy_xception", pretrained=False).to(device).eval()
    x = torch.rand((batch, res, res, 3), generator=torch.Generator().manual_seed(0)).to(device)
    x_nchw = x.permute(0, 3, 1, 2).contiguous()
    kt_times, tw_times = [], []

    def timed(fn, times):
        def run(steps):
            with torch.no_grad():
                for _ in range(steps):
                    sync(device)
                    start = time.perf_counter()
                    fn()
                    sync(device)
                    times.append(time.perf_counter() - start)
        return run

    runners = {"kerastorch": (timed(lambda: model(x), kt_times), kt_times),
               "torch": (timed(lambda: ref(x_nchw), tw_times), tw_times)}
    return batch, interleaved(runners, s["steps"], s["warmup"], s["rounds"], device)


# ---------------------------------------------------------------- main
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="tiny models on CPU")
    parser.add_argument("--out", default="gpu_suite.json")
    parser.add_argument("--models", default="mlp,cnn,transformer,lstm,xception")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--no-keras3", action="store_true")
    args = parser.parse_args(argv)
    device = torch.device("cpu" if args.small or not torch.cuda.is_available() else "cuda")
    if args.small:
        torch.set_num_threads(1)  # a shared CPU: several threads spinning per process stall
    s = sizes(args.small)
    keras3 = None
    if not args.no_keras3:
        os.environ.setdefault("KERAS_BACKEND", "torch")
        try:
            import keras as keras3
            if keras3.backend.backend() != "torch":
                keras3 = None
        except ImportError:
            keras3 = None
    models = [m for m in args.models.split(",") if m]
    modes = [m for m in args.modes.split(",") if m]
    for m in models:
        if m not in MODELS and m != "xception":
            parser.error(f"unknown model {m!r}; choose from {sorted(MODELS) + ['xception']}")
    for m in modes:
        if m not in MODES:
            parser.error(f"unknown mode {m!r}; choose from {list(MODES)}")
    name = torch.cuda.get_device_name() if device.type == "cuda" else "cpu"
    print(f"gpu_suite on {name}, torch {torch.__version__}, kerastorch "
          f"{kerastorch.__version__}{', small' if args.small else ''}")
    rows = []
    header = (f"{'model':<12}{'mode':<6}{'ms kt':>9}{'ms torch':>10}{'ratio':>7}"
              f"{'ms keras3':>11}{'samples/s kt':>14}{'mem ratio':>10}")
    print(header)
    for model_name in models:
        for mode in (["fp32"] if model_name == "xception" else modes):
            if model_name == "xception":
                batch, results = bench_xception(s, device)
                same_init = None
            else:
                batch, same_init, results = bench_train(model_name, mode, s, device, keras3)
            kt, tw = results["kerastorch"], results["torch"]
            k3 = results.get("keras3")
            row = {"model": model_name, "mode": mode, "batch": batch, "device": name,
                   "kerastorch_s": kt[0], "torch_s": tw[0], "ratio": kt[0] / tw[0],
                   "kerastorch_samples_per_s": batch / kt[0], "torch_samples_per_s": batch / tw[0],
                   "kerastorch_peak_bytes": kt[1], "torch_peak_bytes": tw[1],
                   "memory_ratio": kt[1] / tw[1] if kt[1] and tw[1] else None,
                   "keras3_s": k3[0] if k3 else None,
                   "keras3_ratio": k3[0] / tw[0] if k3 else None, "same_init": same_init}
            rows.append(row)
            mem = f"{row['memory_ratio']:.2f}" if row["memory_ratio"] else "-"
            k3s = f"{k3[0] * 1e3:.2f}" if k3 else "-"
            print(f"{model_name:<12}{mode:<6}{kt[0] * 1e3:>9.2f}{tw[0] * 1e3:>10.2f}"
                  f"{row['ratio']:>7.2f}{k3s:>11}{row['kerastorch_samples_per_s']:>14.1f}"
                  f"{mem:>10}", flush=True)
    with open(args.out, "w") as f:
        json.dump({"device": name, "torch": torch.__version__, "small": args.small,
                   "rows": rows}, f, indent=1)
    print(f"wrote {args.out}")
    return rows


if __name__ == "__main__":
    main()
