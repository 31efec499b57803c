"""Symbolic output shapes (with unknown dimensions) and parameter counts equal Keras 3's for
every layer of this package, on `Input`s as a Keras user builds them."""

import pytest

from kerastorch import Input
from kerastorch import layers
from tests.keras3 import import_keras3

CASES = [
    ("Activation", ("relu",), {}, (None, 5)),
    ("ActivityRegularization", (), {"l2": 0.1}, (4,)),
    ("AlphaDropout", (0.1,), {}, (4,)),
    ("BatchNormalization", (), {}, (None, None, 3)),
    ("BatchNormalization", (), {"axis": 1}, (3, None, None)),
    ("CenterCrop", (3, 4), {}, (8, 9, 3)),
    ("Cropping1D", ((1, 2),), {}, (None, 3)),
    ("Cropping1D", ((1, 2),), {}, (10, 3)),
    ("Cropping2D", (((1, 1), (2, 0)),), {}, (8, None, 3)),
    ("Cropping3D", (1,), {}, (4, 5, 6, 2)),
    ("Dropout", (0.5,), {}, (None, 7)),
    ("ELU", (), {}, (3,)),
    ("EinsumDense", ("abc,cd->abd",), {"output_shape": (None, 6), "bias_axes": "d"}, (None, 4)),
    ("Embedding", (10, 4), {}, (None,)),
    ("Embedding", (10, 4), {}, (7,)),
    ("Flatten", (), {}, (3, 4, 5)),
    ("Flatten", (), {}, (None, 4)),
    ("GaussianDropout", (0.1,), {}, (4,)),
    ("GaussianNoise", (0.1,), {}, (4,)),
    ("GroupNormalization", (), {"groups": 2}, (None, None, 4)),
    ("Identity", (), {}, (None, 3)),
    ("LayerNormalization", (), {}, (None, 8)),
    ("LayerNormalization", (), {"axis": [1, 2]}, (3, 8)),
    ("LeakyReLU", (), {}, (3,)),
    ("Masking", (), {}, (None, 3)),
    ("Normalization", (), {}, (None, 3)),
    ("Normalization", (), {"axis": None}, (4, 3)),
    ("PReLU", (), {"shared_axes": [1]}, (None, 3)),
    ("Permute", ((2, 1),), {}, (None, 3)),
    ("ReLU", (), {"max_value": 6.0}, (3,)),
    ("RMSNormalization", (), {}, (None, 8)),
    ("RepeatVector", (3,), {}, (5,)),
    ("Rescaling", (0.5,), {}, (None, None, 3)),
    ("Reshape", ((-1, 2),), {}, (6,)),
    ("Reshape", ((2, 3),), {}, (3, 2)),
    ("Resizing", (5, 6), {}, (None, None, 3)),
    ("Softmax", (), {}, (None, 4)),
    ("SpatialDropout1D", (0.1,), {}, (None, 3)),
    ("SpatialDropout2D", (0.1,), {}, (None, None, 3)),
    ("SpatialDropout3D", (0.1,), {}, (2, 3, 4, 3)),
    ("UnitNormalization", (), {}, (None, 3)),
    ("UpSampling1D", (3,), {}, (None, 3)),
    ("UpSampling1D", (3,), {}, (4, 3)),
    ("UpSampling2D", ((2, 3),), {}, (4, None, 3)),
    ("UpSampling2D", (2,), {"interpolation": "bilinear"}, (4, 5, 3)),
    ("UpSampling3D", (2,), {}, (2, 3, 4, 1)),
    ("ZeroPadding1D", ((1, 2),), {}, (None, 3)),
    ("ZeroPadding2D", (((1, 0), (2, 3)),), {}, (4, None, 3)),
    ("ZeroPadding3D", (1,), {}, (2, 3, 4, 1)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_symbolic_shape_and_params_match_keras(name, args, kwargs, shape):
    keras3 = import_keras3()
    dtype = "int32" if name == "Embedding" else "float32"
    k3 = getattr(keras3.layers, name)(*args, **kwargs)
    kt = getattr(layers, name)(*args, **kwargs)
    y3 = k3(keras3.Input(shape, dtype=dtype))
    yt = kt(Input(shape, dtype=dtype))
    assert tuple(yt.shape) == tuple(y3.shape)
    assert kt.count_params() == k3.count_params()
    assert [w.name for w in kt.weights] == [w.name for w in k3.weights]
    assert [w.trainable for w in kt.weights] == [w.trainable for w in k3.weights]


@pytest.mark.parametrize("cls", ["Attention", "AdditiveAttention"])
def test_attention_symbolic_shapes(cls):
    keras3 = import_keras3()
    y3 = getattr(keras3.layers, cls)()([keras3.Input((None, 4)), keras3.Input((6, 4))])
    yt = getattr(layers, cls)()([Input((None, 4)), Input((6, 4))])
    assert tuple(yt.shape) == tuple(y3.shape)


def test_multi_head_attention_symbolic_shapes():
    keras3 = import_keras3()
    k3 = keras3.layers.MultiHeadAttention(2, 3, output_shape=5)
    kt = layers.MultiHeadAttention(2, 3, output_shape=5)
    y3, s3 = k3(keras3.Input((None, 8)), keras3.Input((6, 4)), return_attention_scores=True)
    yt, st = kt(Input((None, 8)), Input((6, 4)), return_attention_scores=True)
    assert tuple(yt.shape) == tuple(y3.shape)
    # Keras 3.15 reports (batch, heads, Tq, Tq) for the scores, its query length twice; the
    # scores really are (batch, heads, Tq, Tk), which kerastorch reports.
    assert tuple(s3.shape) == (None, 2, None, None)
    assert tuple(st.shape) == (None, 2, None, 6)
    assert kt.count_params() == k3.count_params()
