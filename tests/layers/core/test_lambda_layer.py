import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import Input
from kerastorch import Model
from kerastorch import layers
from tests.layers.parity import check_parity


def test_matches_keras():
    x = np.random.RandomState(0).randn(2, 5).astype("float32")
    check_parity(lambda: layers.Lambda(lambda t: t * 2 + 1),
                 lambda k: k.layers.Lambda(lambda t: t * 2 + 1), x)


def test_inferred_and_declared_output_shapes():
    out = layers.Lambda(lambda t: t[:, :2])(Input((5,)))
    assert out.shape == (None, 2)
    assert layers.Lambda(lambda t: t, output_shape=(7,)).compute_output_shape((None, 3)) == (None, 7)
    fn = layers.Lambda(lambda t: t, output_shape=lambda s: s[:1] + (9,))
    assert fn.compute_output_shape((None, 3)) == (None, 9)


def test_arguments_and_model():
    inp = Input((3,))
    out = layers.Lambda(lambda t, scale: t * scale, arguments={"scale": 3.0})(inp)
    model = Model(inp, out)
    np.testing.assert_allclose(model(torch.ones(2, 3)).numpy(), 3.0)


def test_mask_argument_and_non_callable():
    layer = layers.Lambda(lambda t: t, mask=lambda x, m: x > 0)
    assert layer.compute_mask(torch.tensor([1.0, -1.0])).tolist() == [True, False]
    with pytest.raises(TypeError):
        layers.Lambda(3)


def _siamese(K):
    """Two towers sharing one embedding model, a Euclidean-distance Lambda, then Dense."""
    def distance(pair):
        a, b = pair
        total = K.ops.sum(K.ops.square(a - b), axis=1, keepdims=True)
        return K.ops.sqrt(K.ops.maximum(total, K.backend.epsilon()))

    image = K.Input((6, 6, 1))
    x = K.layers.Conv2D(2, 3, activation="tanh")(image)
    embedding = K.Model(image, K.layers.Dense(4)(K.layers.Flatten()(x)))
    left, right = K.Input((6, 6, 1)), K.Input((6, 6, 1))
    towers = [embedding(left), embedding(right)]
    inferred = K.layers.Lambda(distance)(towers)
    declared = K.layers.Lambda(distance, output_shape=(1,))(towers)
    out = K.layers.Dense(1, activation="sigmoid")(K.layers.BatchNormalization()(declared))
    return K.Model([left, right], [out, inferred])


def test_declared_output_shape_of_a_list_input_takes_the_first_input_batch_like_keras3():
    from tests.keras3 import import_keras3
    keras3 = import_keras3()
    ours, theirs = _siamese(kerastorch), _siamese(keras3)
    assert [t.shape for t in ours.outputs] == [tuple(t.shape) for t in theirs.outputs] \
        == [(None, 1), (None, 1)]
    assert ours.count_params() == theirs.count_params()
    ours.set_weights(theirs.get_weights())
    rng = np.random.default_rng(0)
    pair = [rng.normal(size=(3, 6, 6, 1)).astype("float32") for _ in range(2)]
    for a, b in zip(ours.predict(pair, verbose=0), theirs.predict(pair, verbose=0), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


@pytest.mark.parametrize("declared, expected", [
    ((1,), (None, 1)),
    ([1], (None, 1)),  # as a saved config gives it
    ([(2,), (3,)], [(None, 2), (None, 3)]),
])
def test_declared_output_shapes_of_list_inputs(declared, expected):
    layer = layers.Lambda(lambda t: t, output_shape=declared)
    assert layer.compute_output_shape([(None, 5), (None, 7)]) == expected
