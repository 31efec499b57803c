"""A Keras 3 torch-guide custom `train_step` under `fit` vs the same loop written in torch.

Two shapes, each against its torch twin in the same run:
- `mlp`: the guide's MLP with Adam and a compiled loss and metric;
- `gan`: the DCGAN shape (a torch `train_step` with two Adam optimizers, a conv generator with
  Conv2DTranspose, a conv discriminator, 28x28x1 images, batch 64), epochs of the two
  interleaved; the twin is the same loop on torch modules fed NCHW (what a torch user writes),
  and again fed channels_last memory (the layout kerastorch's NHWC convolutions run in).
The figure is the best epoch time of each (median too) and their ratio.
Run: `python benchmarks/bench_custom_step.py [--shape mlp|gan|all] [--cpu-time]`.
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


def bench_mlp(args, clock):
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


# ---------------------------------------------------------------------------------------- GAN
LATENT = 64


class GAN(keras.Model):
    """The keras.io DCGAN's Keras 3 torch `train_step`: two optimizers, two backward passes."""

    def __init__(self, discriminator, generator):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, real):
        batch = real.shape[0]
        device = real.device
        fake = self.generator(torch.randn(batch, LATENT, device=device))
        both = torch.cat([fake, real], dim=0)
        labels = torch.cat([torch.ones(batch, 1, device=device),
                            torch.zeros(batch, 1, device=device)], dim=0)
        self.zero_grad()
        d_loss = self.loss_fn(labels, self.discriminator(both))
        d_loss.backward()
        d_weights = self.discriminator.trainable_weights
        with torch.no_grad():
            self.d_optimizer.apply([v.value.grad for v in d_weights], d_weights)

        misleading = torch.zeros(batch, 1, device=device)
        self.zero_grad()
        g_loss = self.loss_fn(misleading,
                              self.discriminator(self.generator(torch.randn(batch, LATENT,
                                                                            device=device))))
        g_loss.backward()
        g_weights = self.generator.trainable_weights
        with torch.no_grad():
            self.g_optimizer.apply([v.value.grad for v in g_weights], g_weights)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def build_gan():
    discriminator = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(64, 3, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(128, 3, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(), layers.Dense(1)], name="discriminator")
    generator = keras.Sequential([
        keras.Input((LATENT,)), layers.Dense(7 * 7 * 128), layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((7, 7, 128)),
        layers.Conv2DTranspose(128, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(64, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, 7, padding="same", activation="sigmoid")], name="generator")
    gan = GAN(discriminator, generator)
    gan.compile(d_optimizer=keras.optimizers.Adam(3e-4), g_optimizer=keras.optimizers.Adam(3e-4),
                loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
    return gan


class _Reshape(torch.nn.Module):
    def forward(self, x):
        return x.view(-1, 128, 7, 7)


def torch_gan():
    """The same two networks as torch modules (NCHW, torch's layout)."""
    leaky = lambda: torch.nn.LeakyReLU(0.2)  # noqa: E731
    discriminator = torch.nn.Sequential(
        torch.nn.Conv2d(1, 64, 3, stride=2, padding=1), leaky(),
        torch.nn.Conv2d(64, 128, 3, stride=2, padding=1), leaky(),
        torch.nn.AdaptiveMaxPool2d(1), torch.nn.Flatten(), torch.nn.Linear(128, 1))
    generator = torch.nn.Sequential(
        torch.nn.Linear(LATENT, 7 * 7 * 128), leaky(), _Reshape(),
        torch.nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1), leaky(),
        torch.nn.ConvTranspose2d(128, 64, 4, stride=2, padding=1), leaky(),
        torch.nn.Conv2d(64, 1, 7, padding=3), torch.nn.Sigmoid())
    return discriminator, generator


def torch_gan_epoch(nets, opts, images, batch, channels_last):
    discriminator, generator = nets
    d_opt, g_opt = opts
    loss_fn = torch.nn.BCEWithLogitsLoss()
    device = images.device
    d_total, g_total, steps = torch.zeros((), device=device), torch.zeros((), device=device), 0
    for i in range(0, len(images), batch):
        real = images[i:i + batch]
        n = real.shape[0]
        fake = generator(torch.randn(n, LATENT, device=device))
        both = torch.cat([fake, real], dim=0)
        if channels_last:
            both = both.contiguous(memory_format=torch.channels_last)
        labels = torch.cat([torch.ones(n, 1, device=device), torch.zeros(n, 1, device=device)])
        discriminator.zero_grad()
        generator.zero_grad()
        d_loss = loss_fn(discriminator(both), labels)
        d_loss.backward()
        d_opt.step()
        discriminator.zero_grad()
        generator.zero_grad()
        g_loss = loss_fn(discriminator(generator(torch.randn(n, LATENT, device=device))),
                         torch.zeros(n, 1, device=device))
        g_loss.backward()
        g_opt.step()
        with torch.no_grad():
            d_total += d_loss.detach()
            g_total += g_loss.detach()
            steps += 1
    return float(d_total / steps), float(g_total / steps)


def bench_gan(args, clock):
    torch.manual_seed(0)
    device = keras.backend.device()
    images = np.random.default_rng(0).uniform(size=(args.gan_samples, 28, 28, 1)).astype("float32")
    gan = build_gan()
    print(f"GAN: discriminator {gan.discriminator.count_params()} params, generator "
          f"{gan.generator.count_params()} params, {args.gan_samples} images of 28x28x1, "
          f"batch {args.batch}, device {device}")

    class Timer(keras.callbacks.Callback):
        times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = clock()

        def on_epoch_end(self, epoch, logs=None):
            if device.type == "cuda":
                torch.cuda.synchronize()
            self.times.append(clock() - self.start)

    twins = {}
    for layout in ("nchw", "channels_last"):
        torch.manual_seed(0)
        nets = [net.to(device) for net in torch_gan()]
        if layout == "channels_last":
            nets = [net.to(memory_format=torch.channels_last) for net in nets]
        opts = [torch.optim.Adam(net.parameters(), lr=3e-4, eps=1e-7) for net in nets]
        twins[layout] = (nets, opts)
    nchw = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous().to(device)
    timer = Timer()
    theirs = {layout: [] for layout in twins}
    for epoch in range(args.epochs + 1):  # interleaved: one epoch of each, the first a warm-up
        gan.fit(images, epochs=1, batch_size=args.batch, verbose=0, shuffle=False,
                callbacks=[timer])
        for layout, (nets, opts) in twins.items():
            start = clock()
            torch_gan_epoch(nets, opts, nchw, args.batch, layout == "channels_last")
            if device.type == "cuda":
                torch.cuda.synchronize()
            if epoch:
                theirs[layout].append(clock() - start)
    ours = timer.times[1:]
    print(f"GAN train_step under fit:      best {min(ours) * 1e3:.1f} ms/epoch, "
          f"median {statistics.median(ours) * 1e3:.1f}")
    for layout, times in theirs.items():
        print(f"torch loop ({layout + '):':15s} best {min(times) * 1e3:.1f} ms/epoch, "
              f"median {statistics.median(times) * 1e3:.1f}")
    for layout, times in theirs.items():
        print(f"GAN ratio vs {layout} twin (best / median): {min(ours) / min(times):.3f} / "
              f"{statistics.median(ours) / statistics.median(times):.3f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", choices=("mlp", "gan", "all"), default="all")
    parser.add_argument("--samples", type=int, default=4096)
    parser.add_argument("--gan-samples", type=int, default=1024)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--cpu-time", action="store_true", help="time with process CPU time")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    clock = time.process_time if args.cpu_time else time.perf_counter
    if args.shape in ("mlp", "all"):
        bench_mlp(args, clock)
    if args.shape in ("gan", "all"):
        bench_gan(args, clock)


if __name__ == "__main__":
    main()
