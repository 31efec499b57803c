import numpy as np
import pytest

from kerastorch import layers
from tests.layers.parity import check_parity
from tests.layers.parity import check_symbolic

X = np.random.RandomState(0).randn(3, 4, 5).astype("float32")


@pytest.mark.parametrize("axis", [-1, 1, [1, 2]])
def test_matches_keras(axis):
    check_parity(lambda: layers.UnitNormalization(axis=axis),
                 lambda k: k.layers.UnitNormalization(axis=axis), X)


def test_shape_and_errors():
    check_symbolic(layers.UnitNormalization(), (4, 5), (None, 4, 5))
    with pytest.raises(TypeError):
        layers.UnitNormalization(axis="x")
    with pytest.raises(ValueError, match="out of bounds"):
        layers.UnitNormalization(axis=4).compute_output_shape((None, 3))
