import numpy as np
import pytest
import torch

from kerastorch import Input
from kerastorch import layers
from kerastorch import regularizers
from tests.keras3 import import_keras3

W = np.random.RandomState(1).randn(5, 3).astype("float32")


@pytest.mark.parametrize("name,kwargs", [("L1", {}), ("L2", {}), ("L1", {"l1": 0.3}),
                                         ("L2", {"l2": 0.2}), ("L1L2", {"l1": 0.1, "l2": 0.4}),
                                         ("L1L2", {}), ("OrthogonalRegularizer", {}),
                                         ("OrthogonalRegularizer", {"mode": "columns"})])
def test_penalties_match_keras(name, kwargs):
    keras3 = import_keras3()
    ours = getattr(regularizers, name)(**kwargs)(torch.tensor(W))
    theirs = keras3.ops.convert_to_numpy(getattr(keras3.regularizers, name)(**kwargs)(torch.tensor(W)))
    np.testing.assert_allclose(float(ours), float(theirs), rtol=1e-6, atol=1e-7)


def test_l2_default_and_formula_without_one_half():
    assert float(regularizers.l2()(torch.tensor([3.0]))) == pytest.approx(0.09)
    assert float(regularizers.l1()(torch.tensor([-3.0]))) == pytest.approx(0.03)


@pytest.mark.parametrize("ident,cls", [("l1", regularizers.L1), ("l2", regularizers.L2),
                                       ("l1_l2", regularizers.L1L2), ("L2", regularizers.L2)])
def test_get_by_name_and_config(ident, cls):
    reg = regularizers.get(ident)
    assert isinstance(reg, cls)
    again = regularizers.get(regularizers.serialize(reg))
    assert type(again) is cls and again.get_config() == reg.get_config()


def test_get_rejects_unknown_and_negative():
    with pytest.raises(ValueError, match="Could not interpret regularizer"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="non-negative"):
        regularizers.L2(-1.0)


def test_dense_weight_penalties_are_in_losses_with_strings_and_objects():
    layer = layers.Dense(3, kernel_regularizer="l2", bias_regularizer=regularizers.l1(0.5),
                         bias_initializer="ones")
    layer(torch.ones(2, 4))
    kernel = layer.kernel.numpy()
    losses = [float(v) for v in layer.losses]
    assert losses[0] == pytest.approx(0.01 * (kernel ** 2).sum(), rel=1e-5)
    assert losses[1] == pytest.approx(0.5 * 3)


def test_activity_penalty_is_divided_by_batch_size_as_keras():
    keras3 = import_keras3()
    x = np.random.RandomState(0).randn(4, 3).astype("float32")
    k3 = keras3.layers.Dense(2, activity_regularizer=keras3.regularizers.L2(0.1))
    kt = layers.Dense(2, activity_regularizer=regularizers.L2(0.1))
    k3(x)
    kt(torch.tensor(x))
    kt.set_weights(k3.get_weights())
    kt._clear_losses()
    kt(torch.tensor(x))
    ours = [float(v) for v in kt.losses]
    theirs = [float(keras3.ops.convert_to_numpy(v)) for v in k3.losses]
    assert len(ours) == 1 and ours == pytest.approx(theirs, rel=1e-5)


def test_activity_penalty_in_conv_and_not_on_symbolic_calls():
    conv = layers.Conv2D(2, 3, activity_regularizer="l1")
    conv(Input((5, 5, 1)))
    assert conv.losses == []
    y = conv(torch.ones(2, 5, 5, 1))
    assert len(conv.losses) == 1
    assert float(conv.losses[0]) == pytest.approx(0.01 * float(y.abs().sum()) / 2, rel=1e-5)


def test_layers_without_activity_regularizer_have_no_hooks():
    layer = layers.Dense(2)
    assert not layer._forward_hooks
    layer.activity_regularizer = "l2"
    assert len(layer._forward_hooks) == 1
    layer.activity_regularizer = None
    assert not layer._forward_hooks


def test_layer_with_recorded_activity_loss_can_be_deep_copied_and_saved(tmp_path):
    import copy
    layer = layers.Dense(2, activity_regularizer="l2")
    layer(torch.ones(3, 4))
    clone = copy.deepcopy(layer)
    assert clone.losses == [] and len(layer.losses) == 1
    clone(torch.ones(3, 4))
    assert len(clone.losses) == 1 and len(layer.losses) == 1  # each has its own hook
    clone.activity_regularizer = None
    assert not clone._forward_hooks and layer._forward_hooks
    torch.save(layer, tmp_path / "layer.pt")
    loaded = torch.load(tmp_path / "layer.pt", weights_only=False)
    loaded(torch.ones(3, 4))
    assert len(loaded.losses) == 1
