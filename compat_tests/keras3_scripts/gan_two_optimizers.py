"""A GAN whose compile() takes two optimizers and a loss; the train_step trains both halves."""
import numpy as np
import torch

import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(2)
latent_dim = 8

discriminator = keras.Sequential(
    [keras.Input(shape=(16,)), layers.Dense(32), layers.LeakyReLU(negative_slope=0.2),
     layers.Dense(1)],
    name="discriminator",
)
generator = keras.Sequential(
    [keras.Input(shape=(latent_dim,)), layers.Dense(32), layers.LeakyReLU(negative_slope=0.2),
     layers.Dense(16, activation="tanh")],
    name="generator",
)


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)
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

    def call(self, images):
        return self.discriminator(images)

    def train_step(self, real):
        if isinstance(real, tuple):
            real = real[0]
        batch = ops.shape(real)[0]
        noise = keras.random.normal((batch, self.latent_dim), seed=self.seed_generator)
        fake = self.generator(noise)
        both = ops.concatenate([fake, real], axis=0)
        labels = ops.concatenate([ops.ones((batch, 1)), ops.zeros((batch, 1))], axis=0)

        self.zero_grad()
        d_loss = self.loss_fn(labels, self.discriminator(both))
        d_loss.backward()
        d_weights = self.discriminator.trainable_weights
        with torch.no_grad():
            self.d_optimizer.apply([v.value.grad for v in d_weights], d_weights)

        noise = keras.random.normal((batch, self.latent_dim), seed=self.seed_generator)
        misleading = ops.zeros((batch, 1))
        self.zero_grad()
        g_loss = self.loss_fn(misleading, self.discriminator(self.generator(noise)))
        g_loss.backward()
        g_weights = self.generator.trainable_weights
        with torch.no_grad():
            self.g_optimizer.apply([v.value.grad for v in g_weights], g_weights)

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


gan = GAN(discriminator, generator, latent_dim)
gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=3e-4),
    g_optimizer=keras.optimizers.Adam(learning_rate=3e-4),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
data = np.tanh(np.random.normal(size=(64, 16))).astype("float32")
g_before = [w.copy() for w in generator.get_weights()]
history = gan.fit(data, epochs=2, batch_size=16, verbose=0)
print("history keys", sorted(history.history))
print("epochs", len(history.history["d_loss"]))
print("discriminator params", discriminator.count_params())
print("generator params", generator.count_params())
print("generator changed", any(not np.allclose(a, b) for a, b in
                               zip(g_before, generator.get_weights(), strict=True)))
print("d_optimizer iterations", int(gan.d_optimizer.iterations))
print("g_optimizer iterations", int(gan.g_optimizer.iterations))
sample = generator.predict(np.zeros((3, latent_dim), "float32"), verbose=0)
print("sample", sample.shape)
