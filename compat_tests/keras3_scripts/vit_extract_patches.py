"""A small Vision Transformer in the style of the keras.io ViT example: patches taken with
`ops.image.extract_patches`, a patch encoder (a projection plus a position embedding of
`ops.arange` indices), transformer blocks of MultiHeadAttention and an MLP, then a classifier."""
import numpy as np

import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(9)
IMAGE, PATCH, DIM, HEADS = 12, 4, 8, 2
NUM_PATCHES = (IMAGE // PATCH) ** 2


class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, images):
        patches = ops.image.extract_patches(images, size=self.patch_size)
        batch = ops.shape(patches)[0]
        count = ops.shape(patches)[1] * ops.shape(patches)[2]
        return ops.reshape(patches, (batch, count, ops.shape(patches)[-1]))

    def get_config(self):
        return {**super().get_config(), "patch_size": self.patch_size}


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_patches = num_patches
        self.projection = layers.Dense(projection_dim)
        self.position_embedding = layers.Embedding(num_patches, projection_dim)

    def call(self, patch):
        positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)
        return self.projection(patch) + self.position_embedding(positions)


def mlp(x, units):
    for width in units:
        x = layers.Dense(width, activation="gelu")(x)
    return x


images = keras.Input((IMAGE, IMAGE, 3))
patches = Patches(PATCH)(images)
print("patches", tuple(patches.shape))
tokens = PatchEncoder(NUM_PATCHES, DIM)(patches)
print("encoded", tuple(tokens.shape))
for _ in range(2):
    x1 = layers.LayerNormalization(epsilon=1e-6)(tokens)
    attended = layers.MultiHeadAttention(num_heads=HEADS, key_dim=DIM)(x1, x1)
    x2 = layers.Add()([attended, tokens])
    x3 = mlp(layers.LayerNormalization(epsilon=1e-6)(x2), [DIM * 2, DIM])
    tokens = layers.Add()([x3, x2])
features = layers.Flatten()(layers.LayerNormalization(epsilon=1e-6)(tokens))
logits = layers.Dense(4)(mlp(features, [16]))
model = keras.Model(images, logits)
print("logits", tuple(logits.shape))
print("params", model.count_params())

# extract_patches against numpy: the patch at row 2, column 1 of the second image.
rng = np.random.default_rng(4)
data = rng.uniform(0, 1, (16, IMAGE, IMAGE, 3)).astype("float32")
grid = ops.convert_to_numpy(ops.image.extract_patches(data, size=PATCH))
print("grid", grid.shape)
print("patch values", np.allclose(grid[1, 2, 1], data[1, 8:12, 4:8].reshape(-1)))

model.set_weights([rng.uniform(-0.3, 0.3, w.shape).astype("float32") for w in model.weights])
out = model.predict(data, verbose=0)
print("logits values", out.shape, [f"{v:.3f}" for v in out[0]])
labels = np.argmax(data.reshape(16, 4, -1).mean(-1), axis=-1)
model.compile(optimizer=keras.optimizers.SGD(0.05),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
history = model.fit(data, labels, batch_size=4, epochs=2, shuffle=False, verbose=0)
print("history keys", sorted(history.history))
print("loss", [f"{v:.3f}" for v in history.history["loss"]])
