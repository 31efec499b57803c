"""Two CPU processes (torchrun, gloo) vs one, training the same MLP on the same global batch.

    python benchmarks/bench_ddp.py [--samples 8192] [--epochs 2]

Prints the wall time of each and the scaling ratio (one process's time / two processes').
On a 2-core machine the processes share the cores that one process's intra-op threads used,
so expect little or no speed-up there: this measures the cost of the data-parallel machinery.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

SCRIPT = r'''
import os, sys, time
import numpy as np
sys.path.insert(0, {root!r})
import kerastorch as keras
from kerastorch import layers
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=({samples}, 256)).astype("float32")
y = np.random.default_rng(1).integers(0, 10, size=({samples},))
model = keras.Sequential([keras.Input(shape=(256,)), layers.Dense(512, activation="relu"),
                          layers.Dense(512, activation="relu"), layers.Dense(10)])
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x[:256], y[:256], batch_size=128, epochs=1, verbose=0)  # warm-up
start = time.perf_counter()
model.fit(x, y, batch_size=128, epochs={epochs}, verbose=0)
if int(os.environ.get("RANK", "0")) == 0:
    print("FIT_SECONDS", time.perf_counter() - start)
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env):
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"{cmd} failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    out = proc.stdout
    return float(next(line.split()[1] for line in out.splitlines()
                      if line.startswith("FIT_SECONDS")))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=8192)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "train.py")
        with open(script, "w") as f:
            f.write(SCRIPT.format(root=root, samples=args.samples, epochs=args.epochs))
        env = dict(os.environ)
        one = run([sys.executable, script], env)
        one_thread = run([sys.executable, script], dict(env, OMP_NUM_THREADS="1"))
        two = run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2",
                   "--master_addr=127.0.0.1", f"--master_port={free_port()}", script],
                  dict(env, OMP_NUM_THREADS="1"))
    print(f"MLP 256-512-512-10, {args.samples} samples x {args.epochs} epochs, global batch 128")
    print(f"1 process, torch's default threads: {one:.2f} s")
    print(f"1 process, 1 thread:                {one_thread:.2f} s")
    print(f"2 processes (gloo), 1 thread each:  {two:.2f} s")
    print(f"scaling vs 1 process: {one / two:.2f}x (default threads), "
          f"{one_thread / two:.2f}x (1 thread)")


if __name__ == "__main__":
    main()
