"""ops/symbolic.py: ops on KerasTensors build TFOpLambda graph nodes: functional models with
`x + y`, `ops.concatenate`, indexing and reductions run, list the nodes in summary(), and
compute what Keras 3 computes."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from kerastorch import ops
from tests.keras3 import import_keras3


def _build(K):
    a = K.Input((6,), name="a")
    b = K.Input((6,), name="b")
    x = K.layers.Dense(6, name="d1")(a)
    x += b                      # in-place add on a KerasTensor
    x = x * 2 - 1
    x = K.ops.concatenate([x, a], axis=-1)
    x = K.ops.relu(x) / 3.0
    y = K.ops.mean(x[:, :4], axis=1, keepdims=True)
    z = K.layers.Dense(2, name="d2")(x) ** 2
    z = -z + K.ops.expand_dims(K.ops.sum(x, axis=-1), -1)
    out = K.ops.concatenate([y, z, K.ops.cast(x[:, 0:1] > 0, "float32")], axis=1)
    return K.Model([a, b], out)


def test_functional_model_with_ops_matches_keras3():
    keras3 = import_keras3()
    ours, theirs = _build(keras), _build(keras3)
    ours.set_weights(theirs.get_weights())
    rng = np.random.default_rng(0)
    xa, xb = rng.standard_normal((5, 6)).astype("float32"), rng.standard_normal((5, 6)).astype("float32")
    expected = theirs.predict([xa, xb], verbose=0)
    got = ours([torch.as_tensor(xa), torch.as_tensor(xb)]).detach().numpy()
    assert got.shape == expected.shape == (5, 4)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert ours.count_params() == theirs.count_params()


def test_summary_lists_op_layers_with_keras2_names():
    keras.backend.clear_session()
    model = _build(keras)
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    for name in ("tf.__operators__.add", "tf.math.multiply", "tf.math.subtract", "tf.concat",
                 "tf.nn.relu", "tf.math.truediv", "tf.__operators__.getitem",
                 "tf.math.reduce_mean", "tf.math.pow", "tf.math.negative", "tf.concat_1"):
        assert f" {name} (TFOp" in text, name
    assert "Total params: 68" in text
    names = [layer.name for layer in model.layers]
    assert len(names) == len(set(names))


def test_symbolic_shapes_and_dtypes_follow_the_ops():
    x = keras.Input((3, 4))
    i = keras.Input((3,), dtype="int32")
    assert ops.mean(x, axis=1).shape == (None, 4)
    assert ops.reshape(x, (-1, 12)).shape == (None, 12)
    assert ops.transpose(x, (0, 2, 1)).shape == (None, 4, 3)
    assert (x @ ops.ones((4, 2))).shape == (None, 3, 2)
    assert ops.mean(i, axis=1).dtype == "float32"
    assert ops.argmax(x, axis=-1).dtype == "int32"
    assert (i + 1).dtype == "int32" and (i + 1.5).dtype == "float32"
    assert ops.one_hot(i, 5).shape == (None, 3, 5)
    values, indices = ops.top_k(x, 2)
    assert values.shape == indices.shape == (None, 3, 2)
    parts = ops.split(x, 2, axis=-1)
    assert [p.shape for p in parts] == [(None, 3, 2), (None, 3, 2)]
    assert ops.shape(x) == (None, 3, 4)
    assert (x > 0).dtype == "bool"
    assert (2 * x).shape == (None, 3, 4) and (1 - x).shape == (None, 3, 4)


def test_op_nodes_run_with_multiple_outputs_and_constants():
    inputs = keras.Input((4,))
    parts = ops.split(inputs, 2, axis=-1)
    scaled = ops.multiply(parts[0], np.array([2.0, 3.0], "float32"))
    out = ops.stack([scaled, parts[1]], axis=1)
    model = keras.Model(inputs, out)
    x = torch.arange(8, dtype=torch.float32).reshape(2, 4)
    y = model(x)
    torch.testing.assert_close(y[:, 0], x[:, :2] * torch.tensor([2.0, 3.0]))
    torch.testing.assert_close(y[:, 1], x[:, 2:])


def test_gradients_flow_through_op_nodes():
    inputs = keras.Input((3,))
    dense = layers.Dense(3)
    h = dense(inputs)
    model = keras.Model(inputs, ops.sum(ops.square(h + inputs), axis=-1))
    loss = model(torch.ones(2, 3)).sum()
    loss.backward()
    grads = [p.grad for p in dense.parameters()]
    assert all(g is not None and g.abs().sum() > 0 for g in grads)


def test_bad_symbolic_op_raises_value_error():
    x = keras.Input((3,))
    with pytest.raises(ValueError):
        ops.reshape(x, (-1, 5, 7))
    with pytest.raises(TypeError):
        len(x)


def _token_and_position_model(K):
    class TokenAndPositionEmbedding(K.layers.Layer):
        def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
            super().__init__(**kwargs)
            self.token_emb = K.layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
            self.pos_emb = K.layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

        def call(self, x):
            positions = K.ops.arange(start=0, stop=K.ops.shape(x)[-1], step=1)
            return self.token_emb(x) + self.pos_emb(positions)

    inputs = K.Input((10,), dtype="int32")
    x = TokenAndPositionEmbedding(10, 50, 8)(inputs)
    x = x * K.ops.sqrt(K.ops.cast(8, "float32"))
    return K.Model(inputs, K.layers.GlobalAveragePooling1D()(x))


def test_custom_layer_with_sublayers_and_ops_in_call_matches_keras3():
    keras3 = import_keras3()
    ours, theirs = _token_and_position_model(keras), _token_and_position_model(keras3)
    assert ours.count_params() == theirs.count_params() == 480
    assert all(p.device.type == "cpu" for p in ours.parameters())  # built real, not on meta
    ours.set_weights(theirs.get_weights())
    ids = np.random.default_rng(1).integers(0, 50, (3, 10)).astype("int32")
    np.testing.assert_allclose(ours(torch.as_tensor(ids)).detach().numpy(),
                               theirs.predict(ids, verbose=0), atol=1e-5)
