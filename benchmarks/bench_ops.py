"""keras.ops vs the torch call it wraps: time ratio on large tensors, overhead on small ones.

    python benchmarks/bench_ops.py [--repeat 7]

For each op: the best-of-`repeat` mean time per call (op and torch timed alternately) of `kerastorch.ops.<op>` and of the
direct torch expression, on small tensors (overhead in microseconds) and on large tensors
(ratio; target <= 1.1).
"""

import argparse
import timeit

import torch
import torch.nn.functional as F

from kerastorch import ops


def cases(size):
    small = size == "small"
    n = 8 if small else 1024
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    img = torch.randn(2, 8, 8, 4) if small else torch.randn(16, 64, 64, 32)
    ker = torch.randn(3, 3, img.shape[-1], 16 if small else 64)
    ker_t = ker.permute(3, 2, 0, 1)
    idx = torch.randint(0, n, (n,))
    labels = torch.randint(0, 10, (n if small else 65536,))
    return [
        ("matmul", lambda: ops.matmul(a, b), lambda: torch.matmul(a, b)),
        ("add", lambda: ops.add(a, b), lambda: torch.add(a, b)),
        ("multiply", lambda: ops.multiply(a, 2.0), lambda: torch.multiply(a, 2.0)),
        ("relu", lambda: ops.relu(a), lambda: torch.relu(a)),
        ("softmax", lambda: ops.softmax(a, axis=-1), lambda: torch.softmax(a, -1)),
        ("sum", lambda: ops.sum(a, axis=1), lambda: torch.sum(a, 1)),
        ("mean", lambda: ops.mean(a, axis=0), lambda: torch.mean(a, 0)),
        ("max", lambda: ops.max(a, axis=-1), lambda: torch.amax(a, -1)),
        ("argmax", lambda: ops.argmax(a, axis=-1), lambda: torch.argmax(a, -1).int()),
        ("concatenate", lambda: ops.concatenate([a, b], axis=1), lambda: torch.cat([a, b], 1)),
        ("reshape+transpose", lambda: ops.transpose(ops.reshape(a, (-1, 4)), (1, 0)),
         lambda: a.reshape(-1, 4).permute(1, 0)),
        ("take (index)", lambda: ops.take(a, idx, axis=0), lambda: F.embedding(idx, a)),
        ("getitem", lambda: ops.get_item(a, (slice(None), 0)), lambda: a[:, 0]),
        ("conv2d (NHWC)", lambda: ops.conv(img, ker, padding="same"),
         lambda: F.conv2d(img.permute(0, 3, 1, 2), ker_t, padding=1).permute(0, 2, 3, 1)),
        ("one_hot", lambda: ops.one_hot(labels, 10),
         lambda: F.one_hot(labels, 10).float()),
    ]


def paired(op_fn, ref_fn, repeat, number):
    """Best time per call of each, measured alternately so machine load hits both alike."""
    op_t, ref_t = float("inf"), float("inf")
    for _ in range(repeat):
        op_t = min(op_t, timeit.timeit(op_fn, number=number) / number)
        ref_t = min(ref_t, timeit.timeit(ref_fn, number=number) / number)
    return op_t, ref_t


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU")
    print(f"{'op':20s} {'small ops us':>12s} {'small torch us':>14s} {'overhead us':>11s} "
          f"{'large ops ms':>12s} {'large torch ms':>14s} {'ratio':>6s}")
    small, large = cases("small"), cases("large")
    ratios, overheads = [], []
    for (name, op_s, ref_s), (_, op_l, ref_l) in zip(small, large):
        for fn in (op_s, ref_s, op_l, ref_l):
            fn()
        ts_op, ts_ref = paired(op_s, ref_s, args.repeat, 2000)
        tl_op, tl_ref = paired(op_l, ref_l, args.repeat, 5)
        ratio = tl_op / tl_ref
        ratios.append(ratio)
        overheads.append((ts_op - ts_ref) * 1e6)
        print(f"{name:20s} {ts_op * 1e6:12.2f} {ts_ref * 1e6:14.2f} {overheads[-1]:11.2f} "
              f"{tl_op * 1e3:12.3f} {tl_ref * 1e3:14.3f} {ratio:6.3f}")
    ratios.sort()
    print(f"large-tensor ratio: median {ratios[len(ratios) // 2]:.3f}, max {max(ratios):.3f}; "
          f"small-tensor overhead: median {sorted(overheads)[len(overheads) // 2]:.2f} us")


if __name__ == "__main__":
    main()
