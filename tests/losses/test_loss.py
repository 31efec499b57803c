"""The Loss base class: reductions, sample weights, masks, dtype, config; against Keras 3."""

import numpy as np
import pytest
import torch

from kerastorch import losses, ops
from kerastorch.losses import loss as loss_module
from tests.keras3 import import_keras3

REDUCTIONS = ["sum_over_batch_size", "sum", "none", None, "mean", "mean_with_sample_weight"]


def _abs_loss_class(base, keras_ops):
    class AbsSum(base):
        def call(self, y_true, y_pred):
            return keras_ops.sum(keras_ops.abs(y_true - y_pred), axis=-1)
    return AbsSum


def _data():
    rng = np.random.default_rng(0)
    return (rng.normal(size=(5, 3)).astype("float32"), rng.normal(size=(5, 3)).astype("float32"),
            rng.uniform(0, 2, size=(5,)).astype("float32"))


def test_standardize_reduction_rejects_unknown_names():
    for r in REDUCTIONS:
        assert loss_module.standardize_reduction(r) == r
    with pytest.raises(ValueError, match="reduction"):
        loss_module.standardize_reduction("average")
    with pytest.raises(ValueError, match="reduction=average"):
        losses.MeanSquaredError(reduction="average")


def test_subclass_reductions_by_hand():
    y_true, y_pred, w = _data()
    per_sample = np.abs(y_true - y_pred).sum(-1)
    cls = _abs_loss_class(losses.Loss, ops)
    expect = {
        "sum_over_batch_size": (per_sample * w).mean(), "mean": (per_sample * w).mean(),
        "sum": (per_sample * w).sum(), "mean_with_sample_weight": (per_sample * w).sum() / w.sum(),
    }
    for r, value in expect.items():
        got = cls(reduction=r)(y_true, y_pred, sample_weight=w)
        np.testing.assert_allclose(ops.convert_to_numpy(got), value, rtol=1e-5, err_msg=r)
    for r in ("none", None):
        got = cls(reduction=r)(y_true, y_pred, sample_weight=w)
        np.testing.assert_allclose(ops.convert_to_numpy(got), per_sample * w, rtol=1e-5)
    # no sample weight: the plain mean of the per-sample losses
    np.testing.assert_allclose(ops.convert_to_numpy(cls()(y_true, y_pred)), per_sample.mean(),
                               rtol=1e-5)


def test_mean_with_sample_weight_of_zero_weights_is_zero():
    y_true, y_pred, _ = _data()
    cls = _abs_loss_class(losses.Loss, ops)
    got = cls(reduction="mean_with_sample_weight")(y_true, y_pred,
                                                    sample_weight=np.zeros(5, "float32"))
    assert float(ops.convert_to_numpy(got)) == 0.0


def test_mask_on_losses_averages_over_valid_entries():
    values = torch.tensor([1.0, 2.0, 3.0, 4.0])
    mask = torch.tensor([True, False, True, False])
    got = loss_module.reduce_weighted_values(values, mask=mask)
    assert got.item() == pytest.approx(2.0)  # (1 + 3) / 2
    got = loss_module.reduce_weighted_values(values, mask=mask, reduction="sum")
    assert got.item() == pytest.approx(4.0)
    # a mask with no valid entry gives 0, not nan
    got = loss_module.reduce_weighted_values(values, mask=torch.zeros(4, dtype=torch.bool))
    assert got.item() == 0.0


def test_squeeze_or_expand_to_same_rank():
    a, b = torch.zeros(4, 3, 1), torch.zeros(4, 3)
    x, y = loss_module.squeeze_or_expand_to_same_rank(a, b)
    assert tuple(x.shape) == tuple(y.shape) == (4, 3)
    x, y = loss_module.squeeze_or_expand_to_same_rank(torch.zeros(4, 1), torch.zeros(4))
    assert tuple(x.shape) == tuple(y.shape) == (4, 1)
    x, y = loss_module.squeeze_or_expand_to_same_rank(torch.zeros(4, 1), torch.zeros(4),
                                                      expand_rank_1=False)
    assert tuple(x.shape) == tuple(y.shape) == (4,)
    x, y = loss_module.squeeze_or_expand_to_same_rank(torch.zeros(4, 2), torch.zeros(4))
    assert (tuple(x.shape), tuple(y.shape)) == ((4, 2), (4,))  # not size 1: left alone


def test_dtype_name_config_and_repr():
    cls = _abs_loss_class(losses.Loss, ops)
    lo = cls(name="my_loss", reduction="sum", dtype="float64")
    assert lo.dtype == "float64"
    out = lo(np.ones((2, 3)), np.zeros((2, 3)))
    assert out.dtype == torch.float64
    assert lo.get_config() == {"name": "my_loss", "reduction": "sum"}
    clone = cls.from_config(lo.get_config())
    assert (clone.name, clone.reduction) == ("my_loss", "sum")
    assert "my_loss" in repr(lo)
    assert cls().name.startswith("abs_sum")
    with pytest.raises(NotImplementedError):
        losses.Loss()(np.ones(2), np.ones(2))


def test_integer_labels_stay_integers_for_the_loss():
    seen = {}

    class Spy(losses.Loss):
        def call(self, y_true, y_pred):
            seen["dtype"] = y_true.dtype
            return ops.mean(y_pred, axis=-1)

    Spy()(np.array([0, 1]), np.ones((2, 2), "float32"))
    assert not seen["dtype"].is_floating_point


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_reductions_match_keras3(reduction):
    keras = import_keras3()
    y_true, y_pred, w = _data()
    ours = _abs_loss_class(losses.Loss, ops)(reduction=reduction)
    theirs = _abs_loss_class(keras.losses.Loss, keras.ops)(reduction=reduction)
    for sw in (None, w, w[:, None]):
        got = ops.convert_to_numpy(ours(y_true, y_pred, sample_weight=sw))
        want = keras.ops.convert_to_numpy(theirs(y_true, y_pred, sample_weight=sw))
        np.testing.assert_allclose(got, want, atol=1e-5,
                                   err_msg=f"{reduction} {None if sw is None else sw.shape}")
    assert ours.get_config() == {k: v for k, v in theirs.get_config().items() if k != "dtype"} | {
        "name": ours.name}
