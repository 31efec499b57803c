"""Forward cost of kerastorch models vs the same networks hand-written in torch (NCHW).

    python benchmarks/bench_forward.py [--quick]

Prints, for the guide's CNN and a 3-layer MLP at batch 1 and 128, the median time per forward
of each and the ratio kerastorch / torch (targets: <= 1.15 at batch 1, <= 1.05 at batch 128).
"""

import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kerastorch as keras  # noqa: E402
from kerastorch import layers  # noqa: E402
from _timing import header, median_time  # noqa: E402


def guide_cnn():
    return keras.Sequential([
        keras.Input(shape=(250, 250, 3)),
        layers.Conv2D(32, 5, strides=2, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(3),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(3),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(10),
    ])


class TorchCNN(nn.Module):
    """The guide's CNN written by hand in NCHW."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(3, 32, 5, stride=2)] +
                                   [nn.Conv2d(32, 32, 3) for _ in range(5)])
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        c = self.convs
        x = torch.relu(c[1](torch.relu(c[0](x))))
        x = nn.functional.max_pool2d(x, 3)
        x = torch.relu(c[3](torch.relu(c[2](x))))
        x = nn.functional.max_pool2d(x, 3)
        x = torch.relu(c[5](torch.relu(c[4](x))))
        x = nn.functional.max_pool2d(x, 2)
        return self.fc(torch.amax(x, dim=(2, 3)))


def copy_cnn(src, dst):
    convs = [layer for layer in src.layers if isinstance(layer, layers.Conv2D)]
    with torch.no_grad():
        for k, t in zip(convs, dst.convs):
            t.weight.copy_(k.weight)
            t.bias.copy_(k.bias)
        dst.fc.weight.copy_(src.layers[-1].weight)
        dst.fc.bias.copy_(src.layers[-1].bias)


def mlp():
    return keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dense(256, activation="relu"),
        layers.Dense(10),
    ])


def torch_mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 10))


def copy_mlp(src, dst):
    dst.load_state_dict({f"{2 * int(k[0])}{k[1:]}": v for k, v in src.state_dict().items()})


def cases(quick):
    yield "guide CNN 250x250x3", guide_cnn, TorchCNN, copy_cnn, (250, 250, 3), True
    yield "MLP 784-256-256-10", mlp, torch_mlp, copy_mlp, (784,), False
    if not quick:
        pass


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    print(header())
    print(f"{'model':<24}{'batch':>6}{'kerastorch':>14}{'torch':>14}{'ratio':>8}")
    rows = []
    for name, make_kt, make_torch, copy, sample_shape, nchw in cases(args.quick):
        ours, twin = make_kt(), make_torch()
        copy(ours, twin)
        ours.eval(), twin.eval()
        for batch in (1, 128):
            x = torch.randn((batch,) + sample_shape)
            xt = x.permute(0, 3, 1, 2).contiguous() if nchw else x
            with torch.no_grad():
                torch.testing.assert_close(ours(x), twin(xt), atol=1e-4, rtol=1e-4)
                big = batch > 1 and nchw
                number = 2 if big else (20 if nchw else 2000)
                repeats = 3 if args.quick else (5 if big else 15)
                t_ours, t_torch = median_time([lambda: ours(x), lambda: twin(xt)], number, repeats)
            ratio = t_ours / t_torch
            rows.append((name, batch, ratio))
            print(f"{name:<24}{batch:>6}{t_ours * 1e6:>12.1f}us{t_torch * 1e6:>12.1f}us{ratio:>8.3f}")
    return rows


if __name__ == "__main__":
    main()
