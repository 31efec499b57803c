"""A small VAE: a Sampling layer adds the KL term with add_loss; train_step reads model.losses."""
import numpy as np
import torch

import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(4)
latent_dim = 2


class Sampling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(7)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl = -0.5 * ops.mean(ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var),
                                     axis=1))
        self.add_loss(kl)
        eps = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * eps


enc_in = keras.Input(shape=(20,))
h = layers.Dense(16, activation="relu")(enc_in)
z_mean = layers.Dense(latent_dim, name="z_mean")(h)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(enc_in, [z_mean, z_log_var, z], name="encoder")
print("encoder outputs", [tuple(t.shape) for t in encoder.outputs])

dec_in = keras.Input(shape=(latent_dim,))
dec_out = layers.Dense(20, activation="sigmoid")(layers.Dense(16, activation="relu")(dec_in))
decoder = keras.Model(dec_in, dec_out, name="decoder")
print("decoder output", tuple(decoder.output.shape))


class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.kl_loss_tracker]

    def call(self, x):
        return self.decoder(self.encoder(x)[2])

    def train_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        self.zero_grad()
        _, _, z = self.encoder(x, training=True)
        recon = self.decoder(z, training=True)
        recon_loss = ops.mean(ops.sum(keras.losses.binary_crossentropy(
            ops.expand_dims(x, -1), ops.expand_dims(recon, -1)), axis=1))
        kl_loss = ops.sum(self.losses)
        total = recon_loss + kl_loss
        total.backward()
        weights = self.trainable_weights
        with torch.no_grad():
            self.optimizer.apply([v.value.grad for v in weights], weights)
        self.total_loss_tracker.update_state(total)
        self.kl_loss_tracker.update_state(kl_loss)
        return {m.name: m.result() for m in self.metrics}


data = (np.random.random((64, 20)) > 0.5).astype("float32")
vae = VAE(encoder, decoder)
vae.compile(optimizer=keras.optimizers.Adam(1e-2))
history = vae.fit(data, epochs=3, batch_size=16, verbose=0)
print("history keys", sorted(history.history))
print("epochs", len(history.history["total_loss"]))
print("total loss decreased", history.history["total_loss"][-1] < history.history["total_loss"][0])
print("encoder params", encoder.count_params(), "decoder params", decoder.count_params())
print("reconstruction", tuple(vae.predict(data[:4], verbose=0).shape))
