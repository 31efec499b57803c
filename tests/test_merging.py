"""Merge layers: values, shapes, shape errors, functional forms, and parity with Keras 3."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from tests.keras3 import import_keras3

ATOL = 1e-5
RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.standard_normal(shape).astype("float32")


ELEMENTWISE = [
    (layers.Add, lambda xs: xs[0] + xs[1] + xs[2]),
    (layers.Multiply, lambda xs: xs[0] * xs[1] * xs[2]),
    (layers.Average, lambda xs: (xs[0] + xs[1] + xs[2]) / 3),
    (layers.Maximum, lambda xs: np.maximum(np.maximum(xs[0], xs[1]), xs[2])),
    (layers.Minimum, lambda xs: np.minimum(np.minimum(xs[0], xs[1]), xs[2])),
]


@pytest.mark.parametrize("cls,expected", ELEMENTWISE, ids=lambda v: getattr(v, "__name__", ""))
def test_elementwise_values_and_symbolic_shape(cls, expected):
    xs = [rand(2, 3, 4) for _ in range(3)]
    out = cls()([torch.from_numpy(x) for x in xs])
    np.testing.assert_allclose(out.numpy(), expected(xs), atol=ATOL)
    inputs = [keras.Input((3, 4)) for _ in range(3)]
    assert cls()(inputs).shape == (None, 3, 4)


def test_subtract_two_inputs_only():
    a, b = rand(2, 5), rand(2, 5)
    out = layers.Subtract()([torch.from_numpy(a), torch.from_numpy(b)])
    np.testing.assert_allclose(out.numpy(), a - b, atol=ATOL)
    inputs = [keras.Input((5,)) for _ in range(3)]
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Subtract()(inputs)


def test_incompatible_shapes_error_names_shapes_and_layer():
    a, b = keras.Input((4,)), keras.Input((3,))
    with pytest.raises(ValueError, match=r'incompatible shapes\. Received shapes \(4,\) and '
                                         r'\(3,\) \(layer "add"\)'):
        layers.Add()([a, b])


def test_merge_layer_needs_a_list():
    with pytest.raises(ValueError, match="should be called on a list of inputs"):
        layers.Add()(keras.Input((4,)))


def test_different_batch_sizes_rejected():
    a = keras.Input(batch_shape=(2, 4))
    b = keras.Input(batch_shape=(3, 4))
    with pytest.raises(ValueError, match="different batch sizes"):
        layers.Multiply()([a, b])


def test_broadcast_size_one_axis_and_lower_rank():
    a, b = keras.Input((3, 1)), keras.Input((3, 4))
    assert layers.Add()([a, b]).shape == (None, 3, 4)
    x, y = rand(2, 3, 1), rand(2, 3, 4)
    out = layers.Add()([torch.from_numpy(x), torch.from_numpy(y)])
    np.testing.assert_allclose(out.numpy(), x + y, atol=ATOL)


def test_concatenate_shapes_values_and_errors():
    a, b = keras.Input((4, 8)), keras.Input((4, 3))
    assert layers.Concatenate()([a, b]).shape == (None, 4, 11)
    assert layers.Concatenate(axis=1)([keras.Input((2, 5)), keras.Input((3, 5))]).shape == \
        (None, 5, 5)
    assert layers.Concatenate(axis=1)([keras.Input((None, 5)), keras.Input((3, 5))]).shape == \
        (None, None, 5)
    x, y = rand(2, 4, 8), rand(2, 4, 3)
    out = layers.concatenate([torch.from_numpy(x), torch.from_numpy(y)])
    np.testing.assert_allclose(out.numpy(), np.concatenate([x, y], -1), atol=ATOL)
    with pytest.raises(ValueError, match=r"matching shapes except for the concatenation axis\. "
                                         r"Received: input_shape=\[\(None, 4, 5\), "
                                         r"\(None, 3, 4\)\]"):
        layers.Concatenate()([keras.Input((4, 5)), keras.Input((3, 4))])
    with pytest.raises(ValueError, match="concatenation axis"):
        layers.Concatenate()([keras.Input((4, 5)), keras.Input((4, 5, 1))])


@pytest.mark.parametrize("shapes,axes,out_shape", [
    (((8,), (8,)), 1, (None, 1)),
    (((8,), (8,)), -1, (None, 1)),
    (((3, 5), (10, 3)), (1, 2), (None, 5, 10)),
    (((4, 6), (6,)), (2, 1), (None, 4)),
    (((6,), (6, 7)), (1, 1), (None, 7)),
    (((2, 3, 4), (4, 5)), (3, 1), (None, 2, 3, 5)),
])
def test_dot_shapes_and_values(shapes, axes, out_shape):
    x = layers.Dot(axes=axes)([keras.Input(s) for s in shapes])
    assert x.shape == out_shape
    a, b = rand(2, *shapes[0]), rand(2, *shapes[1])
    out = layers.dot([torch.from_numpy(a), torch.from_numpy(b)], axes=axes)
    ax = (axes, axes) if isinstance(axes, int) else axes
    ax = [d % (len(s) + 1) for d, s in zip(ax, shapes, strict=True)]
    expected = np.stack([np.tensordot(a[i], b[i], axes=(ax[0] - 1, ax[1] - 1))
                         for i in range(2)])
    expected = expected.reshape((2,) + tuple(d for d in out_shape[1:]))
    assert tuple(out.shape) == (2,) + out_shape[1:]
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-4)


def test_dot_normalize_is_cosine_similarity():
    a, b = rand(3, 6), rand(3, 6)
    out = layers.Dot(axes=1, normalize=True)([torch.from_numpy(a), torch.from_numpy(b)])
    cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    np.testing.assert_allclose(out.numpy()[:, 0], cos, atol=ATOL)


def test_dot_errors():
    with pytest.raises(ValueError, match=r"Incompatible input shapes: axis values 8 \(at axis "
                                         r"1\) != 7 \(at axis 1\)"):
        layers.Dot(axes=1)([keras.Input((8,)), keras.Input((7,))])
    with pytest.raises(TypeError, match="Invalid type for argument `axes`"):
        layers.Dot(axes="1")
    with pytest.raises(ValueError, match="should contain two elements"):
        layers.Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match="list of 2 inputs"):
        layers.Dot(axes=1)([keras.Input((8,))] * 3)


def test_functional_forms_build_named_layers():
    a, b = keras.Input((4,)), keras.Input((4,))
    for fn, cls in [(layers.add, layers.Add), (layers.subtract, layers.Subtract),
                    (layers.multiply, layers.Multiply), (layers.average, layers.Average),
                    (layers.maximum, layers.Maximum), (layers.minimum, layers.Minimum),
                    (layers.concatenate, layers.Concatenate)]:
        out = fn([a, b], name=f"my_{cls.__name__.lower()}")
        layer = out._keras_history[0]
        assert isinstance(layer, cls) and layer.name == f"my_{cls.__name__.lower()}"
    assert layers.concatenate([a, b], axis=1).shape == (None, 8)
    assert layers.dot([a, b], axes=1, normalize=True)._keras_history[0].normalize is True


def test_config_round_trip():
    layer = layers.Concatenate(axis=1, name="cat")
    assert layer.get_config()["axis"] == 1
    clone = layers.Concatenate.from_config(layer.get_config())
    assert clone.axis == 1 and clone.name == "cat"
    dot = layers.Dot(axes=(1, 2), normalize=True)
    config = dot.get_config()
    assert config["axes"] == (1, 2) and config["normalize"] is True
    with pytest.raises(TypeError, match="Keyword argument not understood"):
        layers.Add(foo=1)


def test_merge_masks_are_or_ed():
    m1 = torch.tensor([[True, False, False]])
    m2 = torch.tensor([[False, False, True]])
    x = torch.zeros(1, 3, 2)
    assert layers.Add().compute_mask([x, x], [m1, m2]).tolist() == [[True, False, True]]
    assert layers.Add().compute_mask([x, x], [m1, None]) is None
    cat = layers.Concatenate(axis=1).compute_mask([x, x], [m1, None])
    assert cat.tolist() == [[True, False, False, True, True, True]]


def test_merge_layer_in_a_model_has_no_weights():
    a, b = keras.Input((4,)), keras.Input((4,))
    model = keras.Model([a, b], layers.Add()([a, b]))
    assert model.count_params() == 0
    x = torch.ones(2, 4)
    torch.testing.assert_close(model([x, 2 * x]), 3 * x)


# ------------------------------------------------------------------ Keras 3 parity
PARITY = [
    ("Add", {}, [(3, 4), (3, 4)]),
    ("Add", {}, [(3, 1), (3, 4)]),
    ("Subtract", {}, [(5,), (5,)]),
    ("Multiply", {}, [(2, 3, 4)] * 3),
    ("Average", {}, [(6,)] * 2),
    ("Maximum", {}, [(6,)] * 3),
    ("Minimum", {}, [(2, 6)] * 2),
    ("Concatenate", {}, [(4, 5), (4, 2)]),
    ("Concatenate", {"axis": 1}, [(4, 5), (2, 5), (1, 5)]),
    ("Dot", {"axes": 1}, [(6,), (6,)]),
    ("Dot", {"axes": (1, 2)}, [(3, 5), (10, 3)]),
    ("Dot", {"axes": -1, "normalize": True}, [(4, 6), (5, 6)]),
    ("Dot", {"axes": (3, 1)}, [(2, 3, 4), (4, 5)]),
]


@pytest.mark.parametrize("name,kwargs,shapes", PARITY)
def test_keras3_parity(name, kwargs, shapes):
    keras3 = import_keras3()
    arrays = [rand(2, *s) for s in shapes]
    ours = getattr(layers, name)(**kwargs)
    theirs = getattr(keras3.layers, name)(**kwargs)
    out = ours([torch.from_numpy(a) for a in arrays])
    ref = keras3.ops.convert_to_numpy(theirs([keras3.ops.convert_to_tensor(a) for a in arrays]))
    np.testing.assert_allclose(out.detach().numpy(), ref, atol=ATOL)
    sym = ours.compute_output_shape([(None,) + s for s in shapes])
    sym3 = theirs.compute_output_shape([(None,) + s for s in shapes])
    assert tuple(sym) == tuple(sym3)
