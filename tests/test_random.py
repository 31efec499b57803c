"""keras.random: the same numbers as Keras 3 on torch for the same seeds; SeedGenerator state."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from tests.keras3 import import_keras3

CALLS = [
    ("normal", ((3, 4),), {"mean": 1.0, "stddev": 2.0}),
    ("normal", ((2,),), {"dtype": "float64"}),
    ("uniform", ((3, 4),), {"minval": -1.0, "maxval": 3.0}),
    ("uniform", ((),), {}),
    ("randint", ((5,), 0, 10), {}),
    ("randint", ((2, 3), -5, 5), {"dtype": "int64"}),
    ("truncated_normal", ((4, 3),), {"stddev": 0.5}),
    ("categorical", (np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], "float32")), 6), {}),
    ("shuffle", (np.arange(12).reshape(4, 3),), {}),
    ("shuffle", (np.arange(12).reshape(4, 3),), {"axis": 1}),
    ("dropout", (np.ones((4, 5), "float32"), 0.4), {}),
    ("dropout", (np.ones((4, 5), "float32"), 0.5), {"noise_shape": (1, 5)}),
    ("gamma", ((3,), 2.0), {}),
    ("beta", ((3,), 1.0, 2.0), {}),
    ("binomial", ((3,), 5, 0.3), {}),
]


@pytest.mark.parametrize("name,args,kwargs", CALLS, ids=[c[0] + str(i) for i, c in enumerate(CALLS)])
@pytest.mark.parametrize("seed", [3, 2 ** 31 + 5, "generator"])
def test_random_matches_keras3_for_the_same_seed(name, args, kwargs, seed):
    keras3 = import_keras3()
    if name == "dropout" and isinstance(args[0], np.ndarray):
        args = (torch.as_tensor(args[0]),) + args[1:]  # Keras's dropout takes tensors only
    if seed == "generator":
        ours_seed, theirs_seed = keras.random.SeedGenerator(11), keras3.random.SeedGenerator(11)
    else:
        ours_seed = theirs_seed = seed
    for _ in range(2):  # a generator advances: the second draw differs and still matches
        expected = getattr(keras3.random, name)(*args, seed=theirs_seed, **kwargs)
        got = getattr(keras.random, name)(*args, seed=ours_seed, **kwargs)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6, atol=1e-6)


def test_int_seed_repeats_and_generator_advances():
    a = keras.random.normal((3,), seed=5)
    np.testing.assert_array_equal(a.numpy(), keras.random.normal((3,), seed=5).numpy())
    gen = keras.random.SeedGenerator(5)
    first, second = keras.random.normal((3,), seed=gen), keras.random.normal((3,), seed=gen)
    assert not torch.equal(first, second)
    assert gen.state.tolist() == [5, 2]


def test_set_random_seed_makes_unseeded_calls_repeat_like_keras3():
    keras3 = import_keras3()
    keras.utils.set_random_seed(7)
    ours = [keras.random.normal((3,)), keras.random.uniform((2,))]
    keras3.utils.set_random_seed(7)
    theirs = [keras3.random.normal((3,)), keras3.random.uniform((2,))]
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-6)
    keras.utils.set_random_seed(7)
    np.testing.assert_array_equal(keras.random.normal((3,)).numpy(), ours[0].numpy())


def test_seed_generator_is_layer_state_not_a_weight():
    class Noise(layers.Layer):
        def __init__(self):
            super().__init__()
            self.seed_generator = keras.random.SeedGenerator(1337)

        def call(self, x):
            return x + keras.random.normal(x.shape, seed=self.seed_generator)

    layer = Noise()
    out = layer(torch.zeros(2, 3))
    assert layer.weights == [] and "seed_generator.state" in layer.state_dict()
    state = {k: v.clone() for k, v in layer.state_dict().items()}
    again = Noise()
    again.load_state_dict(state)
    np.testing.assert_array_equal(layer(torch.zeros(2, 3)).numpy(), again(torch.zeros(2, 3)).numpy())
    assert not torch.equal(out, layer(torch.zeros(2, 3)))


def test_bad_seed_and_dtypes_raise_value_error():
    with pytest.raises(ValueError, match="seed"):
        keras.random.normal((2,), seed="x")
    with pytest.raises(ValueError):
        keras.random.SeedGenerator(seed=1.5)
    with pytest.raises(ValueError):
        keras.random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError):
        keras.random.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError):
        keras.random.categorical(np.zeros(3), 2)
