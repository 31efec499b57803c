"""A WGAN-GP step in the style of Keras's WGAN-GP example: the critic's gradient penalty is the
gradient of the critic at interpolated samples (a tape inside the critic's tape: second order),
two optimizers, the generator updated through the critic. Small dense nets on 2-D points;
deterministic weights, interpolation weights and noise from numpy."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.RandomState(3)


def dense_net(sizes, name):
    model = keras.Sequential([keras.layers.Dense(n, activation="relu") for n in sizes[1:-1]]
                             + [keras.layers.Dense(sizes[-1])], name=name)
    model.build((None, sizes[0]))
    model.set_weights([rng.normal(scale=0.4, size=w.shape).astype("float32")
                       for w in model.get_weights()])
    return model


generator = dense_net([4, 16, 2], "generator")
critic = dense_net([2, 16, 16, 1], "critic")
g_opt = keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.5, beta_2=0.9)
d_opt = keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.5, beta_2=0.9)
print("generator params:", generator.count_params(), "critic params:", critic.count_params())


def gradient_penalty(real, fake, alpha):
    interpolated = real + alpha * (fake - real)
    with tf.GradientTape() as gp_tape:
        gp_tape.watch(interpolated)
        pred = critic(interpolated, training=True)
    grads = gp_tape.gradient(pred, [interpolated])[0]
    norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1]))
    return tf.reduce_mean((norm - 1.0) ** 2)


@tf.function
def train_step(real, noise, alpha):
    for _ in range(2):  # critic steps per generator step
        with tf.GradientTape() as tape:
            fake = generator(noise, training=True)
            d_loss = (tf.reduce_mean(critic(fake, training=True))
                      - tf.reduce_mean(critic(real, training=True))
                      + 10.0 * gradient_penalty(real, fake, alpha))
        d_grads = tape.gradient(d_loss, critic.trainable_variables)
        d_opt.apply_gradients(zip(d_grads, critic.trainable_variables))
    with tf.GradientTape() as tape:
        g_loss = -tf.reduce_mean(critic(generator(noise, training=True), training=True))
    g_grads = tape.gradient(g_loss, generator.trainable_variables)
    g_opt.apply_gradients(zip(g_grads, generator.trainable_variables))
    return d_loss, g_loss


for step in range(5):
    real = (rng.normal(size=(32, 2)) * 0.5 + [2.0, -1.0]).astype("float32")
    noise = rng.normal(size=(32, 4)).astype("float32")
    alpha = rng.uniform(size=(32, 1)).astype("float32")
    d_loss, g_loss = train_step(tf.constant(real), tf.constant(noise), tf.constant(alpha))
    print(f"step {step}: d_loss {float(d_loss):.4f} g_loss {float(g_loss):.4f}")
print("critic iterations:", int(d_opt.iterations.numpy()), "generator iterations:",
      int(g_opt.iterations.numpy()))
print("sample:", np.round(generator(np.ones((1, 4), "float32")).numpy(), 3).tolist())
