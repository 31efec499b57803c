"""keras.Variable and layer weights as Keras 3 exposes them on torch."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from tests.keras3 import import_keras3


@pytest.mark.parametrize("make", [
    lambda K: K.Variable(np.array([1.0, 2.0])),
    lambda K: K.Variable(np.array([1.0, 2.0], "float32"), name="w"),
    lambda K: K.Variable(3.0, trainable=False),
    lambda K: K.Variable("zeros", shape=(2, 3), name="z"),
    lambda K: K.Variable("ones", shape=(2,), dtype="float64"),
    lambda K: K.Variable(torch.ones(2, dtype=torch.int64), trainable=False),
    lambda K: K.Variable(np.ones((2, 2), "float32"), dtype="float16"),
])
def test_variable_matches_keras3(make):
    keras3 = import_keras3()
    keras.backend.clear_session()
    keras3.backend.clear_session()
    ours, theirs = make(keras), make(keras3)
    assert ours.dtype == theirs.dtype
    assert ours.shape == tuple(theirs.shape)
    assert ours.name == theirs.name and ours.path == theirs.path
    assert ours.trainable == theirs.trainable
    assert type(ours.value) is type(theirs.value) is torch.nn.Parameter
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_initializer_without_shape_raises_like_keras3():
    keras3 = import_keras3()
    with pytest.raises(ValueError):
        keras3.Variable("zeros")
    with pytest.raises(ValueError, match="shape"):
        keras.Variable("zeros")


def test_value_is_the_parameter_and_gets_gradients():
    v = keras.Variable(np.ones((2,), "float32"))
    loss = (v * torch.tensor([2.0, 3.0])).sum()
    loss.backward()
    assert v.value.grad.tolist() == [2.0, 3.0]
    opt = torch.optim.SGD([v.value], lr=0.5)
    opt.step()
    np.testing.assert_allclose(v.numpy(), [0.0, -0.5])


def test_assign_add_sub_and_arithmetic():
    v = keras.Variable(np.zeros((2, 2), "float32"))
    v.assign(np.ones((2, 2)))
    v.assign_add(np.full((2, 2), 2.0))
    v.assign_sub(torch.ones(2, 2))
    np.testing.assert_array_equal(v.numpy(), np.full((2, 2), 2.0))
    np.testing.assert_array_equal((v * 2 + 1).detach().numpy(), np.full((2, 2), 5.0))
    np.testing.assert_array_equal(keras.ops.matmul(v, v).detach().numpy(), np.full((2, 2), 8.0))
    with pytest.raises(ValueError, match="shape"):
        v.assign(np.ones(3))


def test_isinstance_covers_add_weight_views():
    dense = layers.Dense(2)
    dense.build((None, 3))
    assert all(isinstance(w, keras.Variable) for w in dense.weights)
    assert not isinstance(torch.ones(1), keras.Variable)


class Scale(layers.Layer):
    def __init__(self):
        super().__init__()
        self.w = keras.Variable(np.full((3,), 2.0, "float32"), name="w")
        self.b = keras.Variable(np.zeros((3,), "float32"), name="b", trainable=False)

    def build(self, input_shape):
        self.k = self.add_variable((3,), "ones", name="k")
        self.m = self.add_weight(shape=(3,), initializer="zeros", trainable=False, name="m")

    def call(self, x):
        return x * self.w * self.k + self.b + self.m


def test_layer_tracks_standalone_variables_and_add_variable():
    layer = Scale()
    y = layer(torch.ones(4, 3))
    assert [w.name for w in layer.weights] == ["w", "b", "k", "m"]
    assert [w.name for w in layer.trainable_weights] == ["w", "k"]
    assert [w.name for w in layer.non_trainable_weights] == ["b", "m"]
    assert set(layer.state_dict()) == {"w", "b", "k", "m"}
    y.sum().backward()
    assert layer.w.value.grad.tolist() == [4.0, 4.0, 4.0]
    assert layer.count_params() == 12
    assert layer.w.path == f"{layer.name}/w"


def test_model_trainable_and_non_trainable_weights():
    inputs = keras.Input((3,))
    x = layers.Dense(4)(inputs)
    outputs = Scale()(layers.Dense(3)(x))
    model = keras.Model(inputs, outputs)
    assert len(model.trainable_weights) == 6 and len(model.non_trainable_weights) == 2
    model.layers[1].trainable = False
    assert len(model.trainable_weights) == 4 and len(model.non_trainable_weights) == 4


def test_each_variable_kind_follows_the_documented_rule():
    from kerastorch import variables
    from kerastorch.metrics import Mean
    dense, gru, depthwise = layers.Dense(2), layers.GRU(2), layers.DepthwiseConv2D(3)
    dense.build((None, 3))
    gru.build((None, 4, 3))
    depthwise.build((None, 5, 5, 2))
    # a permutation of the layer's torch tensor
    assert type(dense.kernel) is variables.LayerVariable
    # more than a permutation (GRU gate order, depthwise reshape): a mapped view
    assert isinstance(gru.kernel, variables.MappedVariable)
    assert isinstance(depthwise.weights[0], variables.MappedVariable)
    assert all(isinstance(w, keras.Variable) for w in gru.weights + depthwise.weights)
    # a standalone Variable is not a view until a layer owns it
    standalone = keras.Variable(np.ones((2,), "float32"))
    assert not isinstance(standalone, variables.LayerVariable)
    # metric state is not a keras.Variable, but works in torch functions and arithmetic
    mean = Mean()
    mean.update_state(np.array([1.0, 3.0], "float32"))
    state = mean.variables[0]
    assert isinstance(state, variables.MetricVariable)
    assert not isinstance(state, keras.Variable)
    assert float(torch.add(state, 1.0)) == 5.0 and float(state * 2) == 8.0
    assert float(torch.stack([state, state]).sum()) == 8.0  # unwrapped inside a list too


def test_old_mapped_variable_import_path_still_works():
    from kerastorch import variables
    from kerastorch.layers import mapped_variable
    assert mapped_variable.MappedVariable is variables.MappedVariable
    assert mapped_variable.add_mapped_weight is variables.add_mapped_weight
