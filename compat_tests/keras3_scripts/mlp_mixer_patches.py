"""A patch model in the style of the keras.io MLP-Mixer example: images cut into patches by a
custom layer, a learned position embedding whose positions come from `ops.arange` inside
`call`, then Mixer blocks (token mixing across patches, channel mixing within each)."""
import numpy as np

import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(5)
IMAGE, PATCH, DIM = 16, 4, 8
NUM_PATCHES = (IMAGE // PATCH) ** 2


class Patches(layers.Layer):
    """Non-overlapping `size` x `size` patches, each flattened: (batch, patches, values)."""

    def __init__(self, size, **kwargs):
        super().__init__(**kwargs)
        self.size = size

    def call(self, images):
        batch = ops.shape(images)[0]
        rows = ops.shape(images)[1] // self.size
        cols = ops.shape(images)[2] // self.size
        channels = ops.shape(images)[3]
        x = ops.reshape(images, (batch, rows, self.size, cols, self.size, channels))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))
        return ops.reshape(x, (batch, rows * cols, self.size * self.size * channels))


class AddPositions(layers.Layer):
    """Adds a learned embedding of each patch's index (the indices made in `call`)."""

    def __init__(self, num_patches, **kwargs):
        super().__init__(**kwargs)
        self.num_patches = num_patches

    def build(self, input_shape):
        self.table = layers.Embedding(self.num_patches, input_shape[-1])

    def call(self, tokens):
        positions = ops.arange(start=0, stop=self.num_patches, step=1)
        return tokens + ops.expand_dims(self.table(positions), 0)


class MixerBlock(layers.Layer):
    def __init__(self, num_patches, dim, **kwargs):
        super().__init__(**kwargs)
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)
        self.token_mlp = keras.Sequential([layers.Dense(num_patches, activation="gelu"),
                                           layers.Dense(num_patches)])
        self.channel_mlp = keras.Sequential([layers.Dense(dim, activation="gelu"),
                                             layers.Dense(dim)])

    def call(self, x):
        mixed = ops.transpose(self.token_mlp(ops.transpose(self.norm1(x), (0, 2, 1))),
                              (0, 2, 1))
        x = x + mixed
        return x + self.channel_mlp(self.norm2(x))


images = keras.Input((IMAGE, IMAGE, 3))
patches = Patches(PATCH)(images)
print("patches", tuple(patches.shape))
tokens = AddPositions(NUM_PATCHES)(layers.Dense(DIM)(patches))
print("tokens", tuple(tokens.shape))
x = MixerBlock(NUM_PATCHES, DIM)(tokens)
x = MixerBlock(NUM_PATCHES, DIM)(x)
outputs = layers.Dense(3, activation="softmax")(layers.GlobalAveragePooling1D()(x))
model = keras.Model(images, outputs)
print("output", tuple(outputs.shape))
print("params", model.count_params())

# The patch layer against numpy: patch (row 1, col 2) of image 0.
rng = np.random.default_rng(2)
data = rng.normal(size=(12, IMAGE, IMAGE, 3)).astype("float32")
cut = ops.convert_to_numpy(Patches(PATCH)(data))
print("patch values", np.allclose(cut[0, 1 * 4 + 2], data[0, 4:8, 8:12].reshape(-1)))

model.set_weights([rng.uniform(-0.3, 0.3, w.shape).astype("float32") for w in model.weights])
probabilities = model.predict(data, verbose=0)
print("probabilities", probabilities.shape, [f"{v:.3f}" for v in probabilities[0]])
labels = (data[:, :8].mean(axis=(1, 2, 3)) > 0).astype("int32") + \
    (data[:, :, :8].mean(axis=(1, 2, 3)) > 0).astype("int32")
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
history = model.fit(data, labels, batch_size=4, epochs=2, shuffle=False, verbose=0)
print("history keys", sorted(history.history))
print("loss", [f"{v:.3f}" for v in history.history["loss"]])
