"""Pooling layers against Keras 3 and against TensorFlow's definition of "same" averaging."""

import itertools

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch import layers
from kerastorch.layers.convolutional import conv_utils
from tests.keras3 import import_keras3

ATOL = 1e-5


def _rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _tf_pool(x, pool, strides, padding, reduce):
    """TensorFlow's pooling on channels-last numpy input: windows over real positions only."""
    spatial = x.shape[1:-1]
    starts, outs = [], []
    for n, k, s in zip(spatial, pool, strides, strict=True):
        if padding == "same":
            out = -(-n // s)
            before = conv_utils.same_padding(n, k, s)[0]
        else:
            out = (n - k) // s + 1
            before = 0
        outs.append(out)
        starts.append([i * s - before for i in range(out)])
    y = np.zeros((x.shape[0], *outs, x.shape[-1]), "float32")
    for idx in itertools.product(*[range(o) for o in outs]):
        window = tuple(slice(max(st[i], 0), min(st[i] + k, n))
                       for st, i, k, n in zip(starts, idx, pool, spatial, strict=True))
        block = x[(slice(None),) + window + (slice(None),)]
        axes = tuple(range(1, 1 + len(spatial)))
        y[(slice(None),) + idx + (slice(None),)] = reduce(block, axis=axes)
    return y


def _symmetric(shape, pool, strides):
    pads = [conv_utils.same_padding(n, k, s) for n, k, s in zip(shape, pool, strides, strict=True)]
    return all(a == b for a, b in pads)


CASES = [(p, s, pad) for p, s, pad in itertools.product([1, 2, 3, 4], [1, 2, 3], ["same", "valid"])]
IDS = [f"p{p}-s{s}-{pad}" for p, s, pad in CASES]


@pytest.mark.parametrize("pool,stride,padding", CASES, ids=IDS)
def test_average_pooling2d_follows_tensorflow(pool, stride, padding):
    x = _rand((2, 7, 8, 3))
    pool2, strides2 = (pool, pool % 3 + 1), (stride, stride)
    layer = layers.AveragePooling2D(pool2, strides=strides2, padding=padding)
    y = layer(torch.tensor(x)).numpy()
    np.testing.assert_allclose(y, _tf_pool(x, pool2, strides2, padding, np.mean), atol=ATOL)


# Keras 3 on torch agrees with TensorFlow wherever "same" padding is symmetric (or "valid").
KERAS_AGREES = [(p, s, pad) for p, s, pad in CASES
                if pad == "valid" or _symmetric((7, 8), (p, p), (s, s))]


@pytest.mark.parametrize("pool,stride,padding", KERAS_AGREES,
                         ids=[f"p{p}-s{s}-{pad}" for p, s, pad in KERAS_AGREES])
def test_average_pooling_matches_keras_where_keras_excludes_padding(pool, stride, padding):
    """Keras 3 on torch agrees with TensorFlow when the "same" padding is symmetric. Where
    TensorFlow pads one more at the end, Keras-on-torch averages replicated edge values in
    (keras/src/backend/torch/nn.py: `_apply_same_padding(mode="replicate")`); kerastorch keeps
    TensorFlow's numbers (checked in test_average_pooling2d_follows_tensorflow)."""
    keras3 = import_keras3()
    x = _rand((2, 7, 8, 3))
    k = keras3.layers.AveragePooling2D(pool, strides=stride, padding=padding)
    t = layers.AveragePooling2D(pool, strides=stride, padding=padding)
    np.testing.assert_allclose(t(torch.tensor(x)).numpy(), np.asarray(k(x).cpu()), atol=ATOL)


@pytest.mark.parametrize("pool,stride,padding", CASES, ids=IDS)
def test_average_pooling1d_and_3d_follow_tensorflow(pool, stride, padding):
    x1 = _rand((2, 9, 3))
    y1 = layers.AveragePooling1D(pool, strides=stride, padding=padding)(torch.tensor(x1))
    np.testing.assert_allclose(y1.numpy(), _tf_pool(x1, (pool,), (stride,), padding, np.mean),
                               atol=ATOL)
    x3 = _rand((1, 5, 4, 6, 2))
    y3 = layers.AveragePooling3D(pool, strides=stride, padding=padding)(torch.tensor(x3))
    np.testing.assert_allclose(y3.numpy(), _tf_pool(x3, (pool,) * 3, (stride,) * 3, padding,
                                                    np.mean), atol=ATOL)


@pytest.mark.parametrize("pool,stride,padding", CASES, ids=IDS)
def test_max_pooling_matches_keras_and_tensorflow(pool, stride, padding):
    keras3 = import_keras3()
    x = _rand((2, 7, 8, 3))
    k = keras3.layers.MaxPooling2D(pool, strides=stride, padding=padding)
    t = layers.MaxPooling2D(pool, strides=stride, padding=padding)
    y = t(torch.tensor(x)).numpy()
    np.testing.assert_allclose(y, np.asarray(k(x).cpu()), atol=ATOL)
    np.testing.assert_allclose(y, _tf_pool(x, (pool, pool), (stride, stride), padding, np.max))
    x1 = _rand((2, 9, 3))
    k1 = keras3.layers.MaxPooling1D(pool, strides=stride, padding=padding)
    t1 = layers.MaxPooling1D(pool, strides=stride, padding=padding)
    np.testing.assert_allclose(t1(torch.tensor(x1)).numpy(), np.asarray(k1(x1).cpu()), atol=ATOL)


def test_average_pooling_channels_first_matches_keras():
    keras3 = import_keras3()
    x = _rand((2, 3, 9, 9))
    args = dict(pool_size=3, strides=2, padding="same", data_format="channels_first")
    np.testing.assert_allclose(layers.AveragePooling2D(**args)(torch.tensor(x)).numpy(),
                               np.asarray(keras3.layers.AveragePooling2D(**args)(x).cpu()),
                               atol=ATOL)


def test_average_pooling_same_excludes_padding_at_the_border():
    y = layers.AveragePooling1D(2, strides=2, padding="same")(torch.ones(1, 3, 1))
    torch.testing.assert_close(y, torch.ones(1, 2, 1))  # zero padding would give 0.5 at the end


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("kind", ["Max", "Average"])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_pooling_matches_keras(rank, kind, keepdims, data_format):
    keras3 = import_keras3()
    name = f"Global{kind}Pooling{rank}D"
    x = _rand((2,) + (4, 5, 3)[:rank] + (6,))
    k = getattr(keras3.layers, name)(keepdims=keepdims, data_format=data_format)
    t = getattr(layers, name)(keepdims=keepdims, data_format=data_format)
    np.testing.assert_allclose(t(torch.tensor(x)).numpy(), np.asarray(k(x).cpu()), atol=ATOL)
    shape = (None,) + x.shape[1:]
    assert t.compute_output_shape(shape) == tuple(k.compute_output_shape(shape))


SYMBOLIC = [("AveragePooling1D", dict(pool_size=3, strides=2, padding="same"), (None, 10, 3)),
            ("AveragePooling2D", dict(pool_size=2), (None, 9, 7, 3)),
            ("AveragePooling3D", dict(pool_size=2, padding="same"), (None, 5, 4, 3, 2)),
            ("MaxPooling2D", dict(pool_size=3, strides=2), (None, 9, None, 3)),
            ("MaxPooling3D", dict(pool_size=(1, 2, 3)), (None, 5, 4, 6, 2))]


@pytest.mark.parametrize("name,kwargs,shape", SYMBOLIC, ids=[c[0] for c in SYMBOLIC])
def test_symbolic_shapes_match_keras(name, kwargs, shape):
    keras3 = import_keras3()
    k_out = getattr(keras3.layers, name)(**kwargs)(keras3.Input(batch_shape=shape))
    t_layer = getattr(layers, name)(**kwargs)
    t_out = t_layer(kerastorch.Input(batch_shape=shape))
    assert t_out.shape == tuple(k_out.shape)
    assert t_layer.count_params() == 0


def test_aliases_are_keras_aliases():
    keras3 = import_keras3()
    for alias in ["AvgPool1D", "AvgPool2D", "AvgPool3D", "MaxPool1D", "MaxPool2D", "MaxPool3D",
                  "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D",
                  "GlobalMaxPool2D", "GlobalMaxPool3D"]:
        assert getattr(keras3.layers, alias).__name__ == getattr(layers, alias).__name__


def test_pooling_rejects_wrong_rank_and_arguments():
    with pytest.raises(ValueError, match="expected ndim=4"):
        layers.AveragePooling2D()(torch.zeros(2, 4, 3))
    with pytest.raises(ValueError, match="padding"):
        layers.AveragePooling1D(padding="causal")
    with pytest.raises(ValueError, match="pool_size"):
        layers.AveragePooling2D(pool_size=(2, 2, 2))
    with pytest.raises(ValueError, match="negative"):
        layers.AveragePooling2D(4)(kerastorch.Input((3, 3, 1)))


def test_average_pooling_config_round_trip():
    layer = layers.AveragePooling2D(3, strides=2, padding="same")
    clone = layers.AveragePooling2D.from_config(layer.get_config())
    x = torch.tensor(_rand((1, 7, 7, 2)))
    torch.testing.assert_close(clone(x), layer(x))


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("kind", ["Max", "Average"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_adaptive_pooling_matches_keras(rank, kind, data_format):
    keras3 = import_keras3()
    name = f"Adaptive{kind}Pooling{rank}D"
    x = _rand((2,) + (9, 7, 5)[:rank] + (3,)) if data_format == "channels_last" else \
        _rand((2, 3) + (9, 7, 5)[:rank])
    size = (4, 3, 2)[:rank]
    k = getattr(keras3.layers, name)(size, data_format=data_format)
    t = getattr(layers, name)(size, data_format=data_format)
    np.testing.assert_allclose(t(torch.tensor(x)).numpy(), np.asarray(k(x).cpu()), atol=ATOL)
    shape = (None,) + x.shape[1:]
    assert t.compute_output_shape(shape) == tuple(k.compute_output_shape(shape))
    assert t(kerastorch.Input(batch_shape=shape)).shape == tuple(k.compute_output_shape(shape))


def test_adaptive_pooling_rejects_bad_output_size():
    with pytest.raises(TypeError, match=r"\(height, width\) tuple"):
        layers.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(ValueError, match="expected ndim=4"):
        layers.AdaptiveMaxPooling2D(2)(torch.zeros(2, 5, 3))
