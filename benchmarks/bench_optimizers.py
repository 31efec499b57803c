"""One optimizer step, one loss call and one metric update: kerastorch vs plain torch.

    python benchmarks/bench_optimizers.py [--threads N] [--repeats R]

Parameters of an MLP 784-512-512-10 (669,706 weights) with random gradients. Each optimizer
uses Keras's formulas (Adam's epsilon outside the bias correction, RMSprop's inside the square
root), torch's counterpart its own: the numbers compare cost, not results. The loss and metric
rows time a batch of 128 logits over 10 classes against the bare torch expression.
"""

import argparse
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _timing import header, median_time  # noqa: E402
from kerastorch import losses, metrics, optimizers  # noqa: E402

SHAPES = [(512, 784), (512,), (512, 512), (512,), (10, 512), (10,)]


def params_with_grads():
    params = [torch.nn.Parameter(torch.randn(s) * 0.05) for s in SHAPES]
    for p in params:
        p.grad = torch.randn_like(p)
    return params


def ours(cls, **kwargs):
    opt = getattr(optimizers, cls)(**kwargs)
    opt.build(params_with_grads())
    return opt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(header())
    pairs = [
        ("Adam", ours("Adam"), torch.optim.Adam(params_with_grads(), eps=1e-7)),
        ("SGD momentum=0.9", ours("SGD", momentum=0.9),
         torch.optim.SGD(params_with_grads(), lr=0.01, momentum=0.9)),
        ("RMSprop", ours("RMSprop"), torch.optim.RMSprop(params_with_grads(), eps=1e-7)),
    ]
    print(f"\n{'optimizer step':<34}{'kerastorch':>12}{'torch.optim':>13}{'ratio':>8}")
    for name, a, b in pairs:
        ta, tb = median_time([a.step, b.step], number=20, repeats=args.repeats)
        print(f"  {name:<32}{ta * 1e6:>9.0f} us{tb * 1e6:>10.0f} us{ta / tb:>7.2f}x")

    logits, labels = torch.randn(128, 10), torch.randint(0, 10, (128,))
    loss = losses.SparseCategoricalCrossentropy(from_logits=True)
    acc = metrics.SparseCategoricalAccuracy()
    total, count = torch.zeros(()), torch.zeros(())

    def hand_acc():
        total.add_((logits.argmax(-1) == labels).sum())
        count.add_(labels.shape[0])

    rows = [("sparse CE loss (from logits)", lambda: loss(labels, logits),
             lambda: F.cross_entropy(logits, labels)),
            ("accuracy update", lambda: acc.update_state(labels, logits), hand_acc)]
    print(f"\n{'per batch of 128':<34}{'kerastorch':>12}{'bare torch':>13}{'ratio':>8}")
    for name, a, b in rows:
        ta, tb = median_time([a, b], number=500, repeats=args.repeats)
        print(f"  {name:<32}{ta * 1e6:>9.1f} us{tb * 1e6:>10.1f} us{ta / tb:>7.2f}x")


if __name__ == "__main__":
    main()
