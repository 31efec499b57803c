"""Forward cost of functional models with residual connections vs their hand-written torch twins.

    python benchmarks/bench_residual.py [--quick] [--threads N]

A residual MLP (3 blocks of Dense-Dense-Add) and a residual CNN (2 blocks of Conv-Conv-Add on
channels-last images), built with `keras.Model(inputs, outputs)`, against the same networks
written as plain `nn.Module`s (NCHW for the CNN). Prints the median time per forward under
`torch.no_grad()` at batch 1 and 128 and the ratio kerastorch / torch (target: <= 1.15 at
batch 1). For the CNN a second ratio compares with the twin fed the same NHWC memory (a
channels_last NCHW view, which is what kerastorch's convolutions run on), separating the cost
of the graph from that of the memory layout.
"""

import argparse
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kerastorch as keras  # noqa: E402
from kerastorch import layers  # noqa: E402
from _timing import header, median_time  # noqa: E402

WIDTH, BLOCKS = 64, 3
CHANNELS, SIZE, CNN_BLOCKS = 16, 32, 2


def residual_mlp():
    inputs = keras.Input(shape=(WIDTH,))
    x = layers.Dense(WIDTH, activation="relu")(inputs)
    for _ in range(BLOCKS):
        h = layers.Dense(WIDTH, activation="relu")(x)
        h = layers.Dense(WIDTH)(h)
        x = layers.Add()([x, h])
    outputs = layers.Dense(10)(x)
    return keras.Model(inputs, outputs)


class TorchResidualMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(WIDTH, WIDTH)
        self.a = nn.ModuleList([nn.Linear(WIDTH, WIDTH) for _ in range(BLOCKS)])
        self.b = nn.ModuleList([nn.Linear(WIDTH, WIDTH) for _ in range(BLOCKS)])
        self.head = nn.Linear(WIDTH, 10)

    def forward(self, x):
        x = torch.relu(self.stem(x))
        for a, b in zip(self.a, self.b):
            x = x + b(torch.relu(a(x)))
        return self.head(x)


def copy_mlp(src, dst):
    dense = [layer for layer in src.layers if isinstance(layer, layers.Dense)]
    targets = [dst.stem] + [m for pair in zip(dst.a, dst.b) for m in pair] + [dst.head]
    with torch.no_grad():
        for k, t in zip(dense, targets):
            t.weight.copy_(k.weight)
            t.bias.copy_(k.bias)


def residual_cnn():
    inputs = keras.Input(shape=(SIZE, SIZE, 3))
    x = layers.Conv2D(CHANNELS, 3, padding="same", activation="relu")(inputs)
    for _ in range(CNN_BLOCKS):
        h = layers.Conv2D(CHANNELS, 3, padding="same", activation="relu")(x)
        h = layers.Conv2D(CHANNELS, 3, padding="same")(h)
        x = layers.Add()([x, h])
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10)(x)
    return keras.Model(inputs, outputs)


class TorchResidualCNN(nn.Module):
    """The same network in NCHW."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, CHANNELS, 3, padding=1)
        self.a = nn.ModuleList([nn.Conv2d(CHANNELS, CHANNELS, 3, padding=1)
                                for _ in range(CNN_BLOCKS)])
        self.b = nn.ModuleList([nn.Conv2d(CHANNELS, CHANNELS, 3, padding=1)
                                for _ in range(CNN_BLOCKS)])
        self.head = nn.Linear(CHANNELS, 10)

    def forward(self, x):
        x = F.relu(self.stem(x))
        for a, b in zip(self.a, self.b):
            x = x + b(F.relu(a(x)))
        return self.head(x.mean(dim=(2, 3)))


def copy_cnn(src, dst):
    convs = [layer for layer in src.layers if isinstance(layer, layers.Conv2D)]
    targets = [dst.stem] + [m for pair in zip(dst.a, dst.b) for m in pair]
    dense = src.layers[-1]
    with torch.no_grad():
        for k, t in zip(convs, targets):
            t.weight.copy_(k.weight)
            t.bias.copy_(k.bias)
        dst.head.weight.copy_(dense.weight)
        dst.head.bias.copy_(dense.bias)


def cases():
    yield f"residual MLP {BLOCKS}x{WIDTH}", residual_mlp, TorchResidualMLP, copy_mlp, (WIDTH,), \
        False
    yield f"residual CNN {SIZE}x{SIZE}x3", residual_cnn, TorchResidualCNN, copy_cnn, \
        (SIZE, SIZE, 3), True


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(header())
    print(f"{'model':<26}{'batch':>6}{'kerastorch':>14}{'torch':>14}{'ratio':>8}"
          f"{'ratio (NHWC in)':>16}")
    rows = []
    for name, make_kt, make_torch, copy, sample_shape, nchw in cases():
        ours, twin = make_kt(), make_torch()
        copy(ours, twin)
        ours.eval(), twin.eval()
        for batch in (1, 128):
            x = torch.randn((batch,) + sample_shape)
            xt = x.permute(0, 3, 1, 2).contiguous() if nchw else x
            with torch.no_grad():
                torch.testing.assert_close(ours(x), twin(xt), atol=1e-4, rtol=1e-4)
                big = batch > 1 and nchw
                number = 5 if big else (50 if nchw else 1000)
                repeats = 3 if args.quick else (7 if big else 15)
                fns = [lambda: ours(x), lambda: twin(xt)]
                if nchw:  # the twin on the same NHWC memory (a channels_last NCHW view)
                    fns.append(lambda: twin(x.permute(0, 3, 1, 2)))
                times = median_time(fns, number, repeats)
            t_ours, t_torch = times[:2]
            ratio = t_ours / t_torch
            rows.append((name, batch, ratio))
            same_memory = f"{t_ours / times[2]:>16.3f}" if nchw else ""
            print(f"{name:<26}{batch:>6}{t_ours * 1e6:>12.1f}us{t_torch * 1e6:>12.1f}us"
                  f"{ratio:>8.3f}{same_memory}")
    return rows


if __name__ == "__main__":
    main()
