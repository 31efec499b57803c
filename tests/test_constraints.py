import numpy as np
import pytest
import torch

from kerastorch import constraints
from kerastorch import layers
from tests.keras3 import import_keras3

W = (np.random.RandomState(2).randn(4, 3, 2) * 3).astype("float32")


@pytest.mark.parametrize("name,kwargs", [("MaxNorm", {}), ("MaxNorm", {"max_value": 1.5, "axis": 1}),
                                         ("NonNeg", {}), ("UnitNorm", {}),
                                         ("UnitNorm", {"axis": [0, 1]}), ("MinMaxNorm", {}),
                                         ("MinMaxNorm", {"min_value": 1.0, "max_value": 2.0,
                                                         "rate": 0.5, "axis": 2})])
def test_projections_match_keras(name, kwargs):
    keras3 = import_keras3()
    ours = getattr(constraints, name)(**kwargs)(torch.tensor(W)).numpy()
    theirs = keras3.ops.convert_to_numpy(getattr(keras3.constraints, name)(**kwargs)(W))
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_max_norm_bounds_each_unit_of_a_dense_kernel():
    layer = layers.Dense(3, kernel_constraint="max_norm", kernel_initializer="ones")
    layer(torch.ones(1, 16))  # column norms are 4
    assert isinstance(layer.kernel.constraint, constraints.MaxNorm)
    constraints.apply_constraints(layer)
    norms = np.sqrt((layer.kernel.numpy() ** 2).sum(axis=0))
    np.testing.assert_allclose(norms, 2.0, atol=1e-5)


@pytest.mark.parametrize("ident,cls", [("max_norm", constraints.MaxNorm),
                                       ("non_neg", constraints.NonNeg),
                                       ("unit_norm", constraints.UnitNorm),
                                       ("MinMaxNorm", constraints.MinMaxNorm)])
def test_get_and_serialize(ident, cls):
    c = constraints.get(ident)
    assert isinstance(c, cls)
    assert type(constraints.get(constraints.serialize(c))) is cls


def test_unknown_constraint_raises():
    with pytest.raises(ValueError, match="Could not interpret constraint"):
        constraints.get("positive")
