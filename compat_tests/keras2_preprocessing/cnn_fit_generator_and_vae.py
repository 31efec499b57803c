"""A Keras 2-style script: a small CNN trained with `fit_generator` from
`ImageDataGenerator.flow_from_directory` on PNGs it writes to a temporary directory (with
`workers`), then a VAE whose encoder samples through a `Lambda` of `K.*` functions and adds
its KL term with `add_loss`, trained by a `keras.Model` subclass that overrides `train_step`
and has no `call`. It prints shapes, keys and counts only."""

import os
import shutil
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras import layers
from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras.preprocessing.image import save_img

rng = np.random.RandomState(0)
tf.random.set_seed(0)

# ------------------------------------------------------------------ CNN with fit_generator
root = tempfile.mkdtemp()
try:
    for c, name in enumerate(["cats", "dogs"]):
        os.makedirs(os.path.join(root, name))
        for i in range(10):
            save_img(os.path.join(root, name, f"{name}_{i}.png"),
                     rng.rand(18, 18, 3) * 90 + c * 120, scale=False)
    gen = ImageDataGenerator(rescale=1.0 / 255, shear_range=0.1, horizontal_flip=True,
                             validation_split=0.2)
    train = gen.flow_from_directory(root, target_size=(16, 16), batch_size=4,
                                    class_mode="binary", subset="training", seed=3)
    val = gen.flow_from_directory(root, target_size=(16, 16), batch_size=4,
                                  class_mode="binary", subset="validation", shuffle=False)
    print("classes:", train.class_indices, "samples:", train.samples, val.samples,
          "batches:", len(train), len(val))
    cnn = keras.Sequential([
        layers.Conv2D(4, 3, activation="relu", input_shape=(16, 16, 3)),
        layers.MaxPooling2D(), layers.Conv2D(8, 3, activation="relu"),
        layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
    cnn.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                loss="binary_crossentropy", metrics=["acc"])
    history = cnn.fit_generator(train, steps_per_epoch=len(train), epochs=2,
                                validation_data=val, validation_steps=len(val), workers=2,
                                verbose=0)
    print("cnn history:", sorted(history.history), len(history.history["loss"]))
    print("cnn parameters:", cnn.count_params(), "output:", cnn.output_shape)
    print("evaluate_generator:", len(cnn.evaluate_generator(val, steps=len(val))))
    predictions = cnn.predict_generator(val, steps=len(val))
    print("predict_generator:", predictions.shape, predictions.dtype,
          bool(((predictions >= 0) & (predictions <= 1)).all()))
finally:
    shutil.rmtree(root)

# ------------------------------------------------------------------ VAE, train_step, no call
latent_dim = 2


def sampling(args):
    z_mean, z_log_var = args
    epsilon = K.random_normal(shape=(K.shape(z_mean)[0], K.int_shape(z_mean)[1]))
    return z_mean + K.exp(0.5 * z_log_var) * epsilon


class KLDivergence(layers.Layer):
    """Adds the KL term of the VAE to the losses; passes `z_mean` on."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        self.add_loss(K.mean(kl))
        return z_mean

    def compute_output_shape(self, input_shape):
        return input_shape[0]


encoder_inputs = keras.Input((12,))
hidden = layers.Dense(16, activation="relu")(encoder_inputs)
z_mean = layers.Dense(latent_dim, name="z_mean")(hidden)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(hidden)
z_mean = KLDivergence()([z_mean, z_log_var])
z = layers.Lambda(sampling, output_shape=(latent_dim,), name="z")([z_mean, z_log_var])
encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")
decoder_inputs = keras.Input((latent_dim,))
decoded = layers.Dense(12, activation="sigmoid")(
    layers.Dense(16, activation="relu")(decoder_inputs))
decoder = keras.Model(decoder_inputs, decoded, name="decoder")


class VAE(keras.Model):
    """Trains the encoder and decoder through `train_step` (the optimizer's `minimize` on a
    loss function); it has no `call`."""

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder = encoder, decoder

    def train_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        values = []

        def loss():
            z_mean, z_log_var, z = self.encoder(x)
            reconstruction = self.decoder(z)
            total = K.mean(K.sum(keras.losses.binary_crossentropy(x[:, :, None],
                                                                  reconstruction[:, :, None]),
                                 axis=-1)) + sum(self.encoder.losses)
            values.append(total)
            return total

        self.optimizer.minimize(loss, self.trainable_weights)
        return {"loss": values[-1]}


data = rng.rand(40, 12).astype("float32")
vae = VAE(encoder, decoder)
vae.compile(optimizer="adam")
history = vae.fit(data, epochs=2, batch_size=10, verbose=0)
print("vae history:", sorted(history.history), len(history.history["loss"]),
      bool(np.isfinite(history.history["loss"]).all()))
print("vae weights:", len(vae.trainable_weights), "encoder losses:", len(encoder.losses),
      "encoder layers:",
      [type(layer).__name__ for layer in encoder.layers])
print("encoder outputs:", [o.shape for o in encoder.predict(data[:5], verbose=0)])
print("decoder output:", decoder.predict(rng.rand(3, latent_dim), verbose=0).shape)
print("parameters:", encoder.count_params(), decoder.count_params())
