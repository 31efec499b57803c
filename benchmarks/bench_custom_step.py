"""A Keras 3 torch-guide custom `train_step` under `fit` vs the same loop written in torch.

Both train the same MLP with Adam on the same data; the figure is the best epoch time of each
(median too) and their ratio. Run: `python benchmarks/bench_custom_step.py [--cpu-time]`.
"""

import argparse
import statistics
import time

import numpy as np
import torch

import kerastorch as keras
from kerastorch import layers


class GuideModel(keras.Model):
    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        weights = self.trainable_weights
        grads = [v.value.grad for v in weights]
        with torch.no_grad():
            self.optimizer.apply(grads, weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def build(width, depth):
    inputs = keras.Input((width,))
    x = inputs
    for _ in range(depth):
        x = layers.Dense(width, activation="relu")(x)
    return GuideModel(inputs, layers.Dense(10)(x))


def torch_twin(width, depth):
    mods = []
    for _ in range(depth):
        mods += [torch.nn.Linear(width, width), torch.nn.ReLU()]
    return torch.nn.Sequential(*mods, torch.nn.Linear(width, 10))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=4096)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--cpu-time", action="store_true", help="time with process CPU time")
    args = parser.parse_args()
    clock = time.process_time if args.cpu_time else time.perf_counter
    torch.manual_seed(0)
    x = np.random.default_rng(0).normal(size=(args.samples, args.width)).astype("float32")
    y = np.random.default_rng(1).integers(0, 10, size=(args.samples,))

    model = build(args.width, args.depth)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])

    class Timer(keras.callbacks.Callback):
        times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = clock()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(clock() - self.start)

    timer = Timer()
    model.fit(x, y, batch_size=args.batch, epochs=args.epochs + 1, verbose=0, shuffle=False,
              callbacks=[timer])
    ours = timer.times[1:]

    net = torch_twin(args.width, args.depth)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    theirs = []
    for epoch in range(args.epochs + 1):
        start = clock()
        total, correct, seen = torch.zeros(()), torch.zeros(()), 0
        for i in range(0, args.samples, args.batch):
            xb, yb = tx[i:i + args.batch], ty[i:i + args.batch]
            net.zero_grad()
            logits = net(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            opt.step()
            with torch.no_grad():
                total += loss.detach() * len(xb)
                correct += (logits.argmax(-1) == yb).sum()
                seen += len(xb)
        float(total / seen), float(correct / seen)
        if epoch:
            theirs.append(clock() - start)
    print(f"custom train_step under fit: best {min(ours) * 1e3:.1f} ms/epoch, "
          f"median {statistics.median(ours) * 1e3:.1f}")
    print(f"torch loop:                  best {min(theirs) * 1e3:.1f} ms/epoch, "
          f"median {statistics.median(theirs) * 1e3:.1f}")
    print(f"ratio (best): {min(ours) / min(theirs):.3f}")


if __name__ == "__main__":
    main()
