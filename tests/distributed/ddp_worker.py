"""A Keras-style training script, unchanged whether run alone or under torchrun.

    python ddp_worker.py OUT_DIR [--samples N] [--shuffle]
    torchrun --nproc_per_node=2 ddp_worker.py OUT_DIR ...

Each process works in OUT_DIR/rank<r>/ (so the test can see which ranks wrote files) and saves
what it ended with to result.pt there.
"""

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import kerastorch as keras  # noqa: E402
from kerastorch import layers  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--shuffle", action="store_true")
    parser.add_argument("--fail-rank", type=int, default=-1)
    parser.add_argument("--sync-bn", action="store_true",
                        help="BatchNormalization with statistics over all processes")
    args = parser.parse_args()
    rank = int(os.environ.get("RANK", "0"))
    work = os.path.join(args.out, f"rank{rank}")
    os.makedirs(work, exist_ok=True)
    os.chdir(work)
    if rank == args.fail_rank:
        raise RuntimeError(f"rank {rank} fails on purpose")

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.samples, 8)).astype("float32")
    y = rng.integers(0, 3, size=(args.samples,))
    middle = [layers.BatchNormalization()] if args.sync_bn else []
    model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu")]
                             + middle + [layers.Dense(3)])
    if args.sync_bn:
        keras.distribution.set_distribution(keras.distribution.DataParallel(
            devices=[f"cpu:{i}" for i in range(int(os.environ.get("WORLD_SIZE", "1")))],
            sync_batchnorm=True))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=args.shuffle, verbose=2,
                        validation_data=(x[:20], y[:20]),
                        callbacks=[keras.callbacks.CSVLogger("log.csv")])
    evaluation = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    predictions = model.predict(x, batch_size=16, verbose=0)
    model.save_weights("final.weights.h5")
    torch.save({"weights": model.get_weights(), "history": history.history,
                "evaluation": evaluation, "predictions": predictions}, "result.pt")


if __name__ == "__main__":
    main()
