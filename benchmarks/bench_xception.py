"""Forward of kerastorch's Xception (NHWC) vs timm's own legacy_xception (NCHW), same weights.

    python benchmarks/bench_xception.py [--batch 8] [--size 299] [--repeats 5]

Prints the median time per forward of each and the ratio kerastorch / timm (target <= 1.05).
kerastorch pads max pooling as TensorFlow does and timm symmetrically, which differs where a
pooled size is even; the printed difference is a sanity check, not a parity test (that one is
against Keras 3, in tests/test_applications.py).
"""

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kerastorch as keras  # noqa: E402
from _timing import header, median_time  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--size", type=int, default=299)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    import timm
    torch.manual_seed(0)
    ours = keras.applications.Xception(weights=None, include_top=False, pooling="avg")
    twin = timm.create_model("legacy_xception", pretrained=False, num_classes=0).eval()
    twin.load_state_dict(ours.timm_model.state_dict())
    for module in twin.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.eps = 1e-3
    x = torch.rand(args.batch, args.size, args.size, 3) * 2 - 1
    xt = x.permute(0, 3, 1, 2).contiguous()
    with torch.no_grad():
        a, b = ours(x), twin(xt)
        print(header())
        print(f"max |kerastorch - timm| = {float((a - b).abs().max()):.3g}, "
              f"max |output| = {float(a.abs().max()):.3g}")
        t_ours, t_timm = median_time([lambda: ours(x), lambda: twin(xt)], 1, args.repeats)
    print(f"batch {args.batch} at {args.size}x{args.size}: kerastorch {t_ours * 1e3:.1f} ms, "
          f"timm {t_timm * 1e3:.1f} ms, ratio {t_ours / t_timm:.3f}")
    return t_ours / t_timm


if __name__ == "__main__":
    main()
