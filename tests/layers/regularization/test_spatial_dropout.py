import pytest
import torch

from kerastorch import layers
from tests.layers.parity import check_symbolic


@pytest.mark.parametrize("cls,shape,channel_axis", [
    ("SpatialDropout1D", (8, 6, 16), -1), ("SpatialDropout2D", (8, 4, 4, 16), -1),
    ("SpatialDropout3D", (8, 2, 3, 4, 16), -1),
])
def test_drops_whole_channels_in_training_only(cls, shape, channel_axis):
    layer = getattr(layers, cls)(0.5)
    x = torch.ones(shape)
    assert torch.equal(layer(x), x)
    y = layer(x, training=True)
    reduce = tuple(range(1, len(shape) - 1))
    per_channel = y.amax(dim=reduce) - y.amin(dim=reduce)
    assert torch.all(per_channel == 0)  # a channel is wholly kept (x2) or wholly dropped
    assert set(torch.unique(y).tolist()) == {0.0, 2.0}


def test_channels_first_and_errors():
    layer = layers.SpatialDropout2D(0.5, data_format="channels_first")
    y = layer(torch.ones(8, 16, 4, 4), training=True)
    assert torch.all(y.amax(dim=(2, 3)) == y.amin(dim=(2, 3)))
    with pytest.raises(ValueError, match="expected ndim=4"):
        layers.SpatialDropout2D(0.5)(torch.ones(2, 3))
    check_symbolic(layers.SpatialDropout1D(0.5), (6, 4), (None, 6, 4))
