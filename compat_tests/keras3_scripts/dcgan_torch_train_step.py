"""A DCGAN on MNIST-shaped images with a torch `train_step` (the Keras 3 torch guide's GAN
pattern): a Conv2DTranspose generator, a conv discriminator, two Adam optimizers, batch 64."""
import numpy as np
import torch

import keras
from keras import layers

keras.utils.set_random_seed(5)
latent_dim = 32

discriminator = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(16, 3, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(32, 3, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(1),
    ],
    name="discriminator",
)
generator = keras.Sequential(
    [
        keras.Input(shape=(latent_dim,)),
        layers.Dense(7 * 7 * 32),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((7, 7, 32)),
        layers.Conv2DTranspose(32, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(16, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, 7, padding="same", activation="sigmoid"),
    ],
    name="generator",
)


class DCGAN(keras.Model):
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

    def train_step(self, real_images):
        if isinstance(real_images, tuple):
            real_images = real_images[0]
        batch_size = real_images.shape[0]
        device = real_images.device
        noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        generated = self.generator(noise)
        combined = torch.concat([generated, real_images], axis=0)
        labels = torch.concat([torch.ones((batch_size, 1), device=device),
                               torch.zeros((batch_size, 1), device=device)], axis=0)
        labels += 0.05 * keras.random.uniform(labels.shape, seed=self.seed_generator)

        self.zero_grad()
        d_loss = self.loss_fn(labels, self.discriminator(combined))
        d_loss.backward()
        d_weights = self.discriminator.trainable_weights
        with torch.no_grad():
            self.d_optimizer.apply([v.value.grad for v in d_weights], d_weights)

        noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        misleading = torch.zeros((batch_size, 1), device=device)
        self.zero_grad()
        g_loss = self.loss_fn(misleading, self.discriminator(self.generator(noise)))
        g_loss.backward()
        g_weights = self.generator.trainable_weights
        with torch.no_grad():
            self.g_optimizer.apply([v.value.grad for v in g_weights], g_weights)

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


print("discriminator params", discriminator.count_params())
print("generator params", generator.count_params())
print("generator shapes", [tuple(layer.output.shape) for layer in generator.layers])
print("discriminator shapes", [tuple(layer.output.shape) for layer in discriminator.layers])

images = np.random.default_rng(0).uniform(size=(128, 28, 28, 1)).astype("float32")
gan = DCGAN(discriminator, generator, latent_dim)
gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=3e-4),
    g_optimizer=keras.optimizers.Adam(learning_rate=3e-4),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
d_before = [w.copy() for w in discriminator.get_weights()]
g_before = [w.copy() for w in generator.get_weights()]
history = gan.fit(images, epochs=2, batch_size=64, verbose=0)
print("history keys", sorted(history.history), "epochs", len(history.history["d_loss"]))
print("losses finite", all(np.isfinite(v) for k in history.history for v in history.history[k]))
print("discriminator changed", all(not np.allclose(a, b) for a, b in
                                   zip(d_before, discriminator.get_weights())))
print("generator changed", all(not np.allclose(a, b) for a, b in
                               zip(g_before, generator.get_weights())))
print("iterations", int(gan.d_optimizer.iterations), int(gan.g_optimizer.iterations))
samples = generator.predict(np.zeros((3, latent_dim), "float32"), verbose=0)
print("samples", samples.shape, bool((samples >= 0).all() and (samples <= 1).all()))
