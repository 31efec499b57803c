import numpy as np
import pytest
import torch
from torch import nn

from kerastorch import Input
from kerastorch import Sequential
from kerastorch import layers


def test_wrapped_module_in_sequential_trains_its_parameters():
    linear = nn.Linear(4, 2)
    model = Sequential([Input((4,)), layers.TorchModuleWrapper(linear), layers.Dense(1)])
    assert model.layers[0].output.shape == (None, 2)
    assert model.count_params() == 10 + 3
    names = [w.name for w in model.layers[0].weights]
    assert names == ["weight", "bias"]
    model(torch.ones(3, 4)).sum().backward()
    assert linear.weight.grad is not None


def test_lazy_module_is_built_from_the_input_shape():
    layer = layers.TorchModuleWrapper(nn.LazyLinear(5))
    out = layer(Input((7,)))
    assert out.shape == (None, 5)
    assert layer.count_params() == 40
    np.testing.assert_array_equal(layer(torch.zeros(2, 7)).shape, (2, 5))


def test_declared_output_shape_and_bad_module():
    layer = layers.TorchModuleWrapper(nn.Flatten(), output_shape=(12,))
    assert layer.compute_output_shape((None, 3, 4)) == (None, 12)
    with pytest.raises(ValueError, match="torch.nn.Module"):
        layers.TorchModuleWrapper(lambda x: x)
