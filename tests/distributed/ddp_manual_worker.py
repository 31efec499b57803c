"""A plain torch loop over a kerastorch model, wrapped in DistributedDataParallel by hand, with
Keras loss, metric and optimizer objects (as Keras 3's torch guides write it).

    python ddp_manual_worker.py OUT            # one process, the whole batch
    torchrun --nproc_per_node=2 ddp_manual_worker.py OUT
"""

import os
import sys

import numpy as np
import torch
import torch.distributed as dist

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import kerastorch as keras  # noqa: E402
from kerastorch import layers  # noqa: E402


def main():
    out = sys.argv[1]
    distributed = "RANK" in os.environ
    if distributed:
        dist.init_process_group("gloo")
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = torch.tensor(rng.normal(size=(64, 8)).astype("float32"))
    y = torch.tensor(rng.integers(0, 3, size=(64,)))
    model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu"),
                              layers.Dense(3)])
    net = torch.nn.parallel.DistributedDataParallel(model) if distributed else model
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    optimizer.build(list(model.parameters()))
    model.train()
    for epoch in range(2):
        for start in range(0, 64, 16):
            xb, yb = x[start:start + 16], y[start:start + 16]
            xb, yb = xb.chunk(world)[rank], yb.chunk(world)[rank]  # this rank's half
            optimizer.zero_grad()
            logits = net(xb)
            loss = loss_fn(yb, logits)
            loss.backward()  # DDP averages the gradients across processes here
            optimizer.step()
            accuracy.update_state(yb, logits.detach())
    if rank == 0:
        os.makedirs(out, exist_ok=True)
        torch.save({"weights": model.get_weights(), "iterations": int(optimizer.iterations)},
                   os.path.join(out, "result.pt"))
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
