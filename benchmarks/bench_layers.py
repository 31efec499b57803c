"""Recurrent and BatchNormalization models: kerastorch vs the same networks hand-written in torch.

    python benchmarks/bench_layers.py [--quick] [--threads N] [--cpu-time]

Cases (fastest of interleaved repeats, time per call; ratio = kerastorch / torch, target <= 1.05
at batch 128):
- LSTM(128) over 100 steps of 64 features, batch 64 and 128: inference (`no_grad`) and a
  training step (forward + backward), against `nn.LSTM` with the same weights.
- GRU(128), same shapes, inference, against `nn.GRU`.
- The cost of Keras's step loop: LSTM(128, recurrent_activation="hard_sigmoid"), which torch's
  fused kernel cannot compute, against the fused LSTM, inference and training at batch 64.
- A BatchNormalization CNN (3 x Conv2D-BatchNormalization-ReLU on 32x32x3, then global average
  pooling and Dense) against its torch twin fed NCHW-contiguous input, and ("vs NHWC twin") the
  same twin fed the channels-last view kerastorch computes on: inference and a training step.

`--cpu-time` runs one thread and times it by its CPU time: on a shared machine wall-clock
timings mostly measure the other processes.
"""

import argparse
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kerastorch as keras  # noqa: E402
from kerastorch import layers  # noqa: E402
from _timing import header  # noqa: E402

STEPS, FEATURES, UNITS = 100, 64, 128
CLOCK = [time.perf_counter]


def median_time(fns, number, repeats):
    """Interleaved repeats of each callable; the *fastest* repeat's seconds per call.

    The minimum, not the median: on a shared machine the other processes only ever add time,
    so the fastest repeat is the best estimate of each side's own cost.
    """
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = CLOCK[0]()
            for _ in range(number):
                fn()
            best[i] = min(best[i], (CLOCK[0]() - start) / number)
    return best


# ------------------------------------------------------------------------------- recurrent
class TorchRNN(nn.Module):
    """`nn.LSTM` / `nn.GRU` returning the last output, as Keras's default layer does."""

    def __init__(self, cls):
        super().__init__()
        self.rnn = cls(FEATURES, UNITS, batch_first=True)

    def forward(self, x):
        return self.rnn(x)[0][:, -1]


def copy_rnn(src, dst):
    """Copies a kerastorch LSTM/GRU into nn.LSTM/nn.GRU (Keras's single bias -> bias_ih)."""
    with torch.no_grad():
        dst.rnn.weight_ih_l0.copy_(src.weight_ih)
        dst.rnn.weight_hh_l0.copy_(src.weight_hh)
        if src.bias.dim() == 2:  # GRU: input and recurrent biases
            dst.rnn.bias_ih_l0.copy_(src.bias[0])
            dst.rnn.bias_hh_l0.copy_(src.bias[1])
        else:
            dst.rnn.bias_ih_l0.copy_(src.bias)
            dst.rnn.bias_hh_l0.zero_()


def rnn_cases(quick):
    batches = (64,) if quick else (64, 128)
    for batch in batches:
        yield f"LSTM({UNITS}) infer", layers.LSTM, nn.LSTM, batch, False
    for batch in batches:
        yield f"LSTM({UNITS}) train", layers.LSTM, nn.LSTM, batch, True
    for batch in batches:
        yield f"GRU({UNITS}) infer", layers.GRU, nn.GRU, batch, False


def bench_rnn(quick, rows):
    number, repeats = (2, 3) if quick else (5, 7)
    for name, kt_cls, torch_cls, batch, train in rnn_cases(quick):
        ours, twin = kt_cls(UNITS), TorchRNN(torch_cls)
        x = torch.randn(batch, STEPS, FEATURES)
        ours(x)
        copy_rnn(ours, twin)
        with torch.no_grad():
            torch.testing.assert_close(ours(x), twin(x), atol=1e-5, rtol=1e-5)
        if train:
            def step(model):
                model.zero_grad(set_to_none=True)
                model(x).sum().backward()
            fns = [lambda: step(ours), lambda: step(twin)]
            t_ours, t_torch = median_time(fns, number, repeats)
        else:
            with torch.no_grad():
                t_ours, t_torch = median_time([lambda: ours(x), lambda: twin(x)], number, repeats)
        report(rows, name, batch, t_ours, t_torch)


def bench_step_loop(quick, rows):
    """Keras's step loop (a recurrent activation torch's kernel lacks) vs the fused kernel."""
    batch = 64
    loop = layers.LSTM(UNITS, recurrent_activation="hard_sigmoid")
    fused = layers.LSTM(UNITS)
    x = torch.randn(batch, STEPS, FEATURES)
    loop(x)
    fused(x)
    fused.set_weights(loop.get_weights())
    number, repeats = (2, 3) if quick else (3, 5)
    with torch.no_grad():
        t_loop, t_fused = median_time([lambda: loop(x), lambda: fused(x)], number, repeats)
    report(rows, "LSTM loop/fused infer", batch, t_loop, t_fused)

    def step(model):
        model.zero_grad(set_to_none=True)
        model(x).sum().backward()
    t_loop, t_fused = median_time([lambda: step(loop), lambda: step(fused)], number, repeats)
    report(rows, "LSTM loop/fused train", batch, t_loop, t_fused)


# ------------------------------------------------------------------------------- BN CNN
CHANNELS, SIZE, BLOCKS = 32, 32, 3


def bn_cnn():
    model = keras.Sequential([keras.Input(shape=(SIZE, SIZE, 3))])
    for _ in range(BLOCKS):
        model.add(layers.Conv2D(CHANNELS, 3, padding="same", use_bias=False))
        model.add(layers.BatchNormalization())
        model.add(layers.Activation("relu"))
    model.add(layers.GlobalAveragePooling2D())
    model.add(layers.Dense(10))
    return model


class TorchBNCNN(nn.Module):
    """The same network in NCHW: Keras's BatchNormalization is momentum 0.01, eps 1e-3 here."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(3 if i == 0 else CHANNELS, CHANNELS, 3, padding=1,
                                             bias=False) for i in range(BLOCKS))
        self.norms = nn.ModuleList(nn.BatchNorm2d(CHANNELS, eps=1e-3, momentum=0.01)
                                   for _ in range(BLOCKS))
        self.fc = nn.Linear(CHANNELS, 10)

    def forward(self, x):
        for conv, norm in zip(self.convs, self.norms):
            x = torch.relu(norm(conv(x)))
        return self.fc(x.mean(dim=(2, 3)))


def copy_bn_cnn(src, dst):
    convs = [layer for layer in src.layers if isinstance(layer, layers.Conv2D)]
    norms = [layer for layer in src.layers if isinstance(layer, layers.BatchNormalization)]
    with torch.no_grad():
        for k, t in zip(convs, dst.convs):
            t.weight.copy_(k.weight)
        for k, t in zip(norms, dst.norms):
            t.weight.copy_(k.weight)
            t.bias.copy_(k.bias)
            t.running_mean.copy_(k.running_mean)
            t.running_var.copy_(k.running_var)
        dst.fc.weight.copy_(src.layers[-1].weight)
        dst.fc.bias.copy_(src.layers[-1].bias)


def bench_bn_cnn(quick, rows):
    ours, twin = bn_cnn(), TorchBNCNN()
    number, repeats = (2, 3) if quick else (5, 7)
    for batch in ((128,) if quick else (32, 128)):
        x = torch.randn(batch, SIZE, SIZE, 3)
        xt = x.permute(0, 3, 1, 2).contiguous()
        # Training steps move the statistics apart (torch's moving variance is unbiased,
        # Keras's biased): start each batch size from the same weights.
        copy_bn_cnn(ours, twin)
        ours.eval(), twin.eval()
        x_cl = x.permute(0, 3, 1, 2)  # the same data as a channels_last NCHW view
        with torch.no_grad():
            torch.testing.assert_close(ours(x), twin(xt), atol=1e-4, rtol=1e-4)
            t_ours, t_torch, t_cl = median_time(
                [lambda: ours(x), lambda: twin(xt), lambda: twin(x_cl)], number, repeats)
        report(rows, "BN CNN infer", batch, t_ours, t_torch)
        report(rows, "BN CNN infer vs NHWC twin", batch, t_ours, t_cl)
        ours.train(), twin.train()

        def step(model, inp):
            model.zero_grad(set_to_none=True)
            model(inp).sum().backward()
        t_ours, t_torch, t_cl = median_time(
            [lambda: step(ours, x), lambda: step(twin, xt), lambda: step(twin, x_cl)], number,
            repeats)
        report(rows, "BN CNN train", batch, t_ours, t_torch)
        report(rows, "BN CNN train vs NHWC twin", batch, t_ours, t_cl)
        ours.eval(), twin.eval()


def report(rows, name, batch, t_ours, t_torch):
    ratio = t_ours / t_torch
    rows.append((name, batch, ratio))
    print(f"{name:<26}{batch:>6}{t_ours * 1e3:>12.2f}ms{t_torch * 1e3:>12.2f}ms{ratio:>8.3f}",
          flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer cases and repeats")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    parser.add_argument("--cpu-time", action="store_true",
                        help="one thread, timed by its CPU time (robust on a busy machine)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.cpu_time:
        torch.set_num_threads(1)
        CLOCK[0] = time.thread_time
    torch.manual_seed(0)
    print(header())
    print(f"{'case':<26}{'batch':>6}{'kerastorch':>14}{'torch':>14}{'ratio':>8}")
    rows = []
    bench_rnn(args.quick, rows)
    bench_step_loop(args.quick, rows)
    bench_bn_cnn(args.quick, rows)
    return rows


if __name__ == "__main__":
    main()
