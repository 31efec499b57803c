"""Losses against Keras 3: every loss class and function on random inputs, with sample weights."""

import numpy as np
import pytest
import torch

from kerastorch import losses
from tests.keras3 import import_keras3

ATOL = 1e-5
B, C = 6, 4


def _inputs(kind, rng):
    """(y_true, y_pred) numpy arrays for a kind of loss."""
    if kind == "sparse":
        return rng.integers(0, C, size=(B,)), _probs(rng)
    if kind == "sparse_col":
        return rng.integers(0, C, size=(B, 1)), _probs(rng)
    if kind == "sparse_logits":
        return rng.integers(0, C, size=(B,)), rng.normal(size=(B, C)).astype("float32") * 3
    if kind == "onehot":
        return np.eye(C, dtype="float32")[rng.integers(0, C, size=B)], _probs(rng)
    if kind == "onehot_logits":
        return (np.eye(C, dtype="float32")[rng.integers(0, C, size=B)],
                rng.normal(size=(B, C)).astype("float32") * 3)
    if kind == "binary":
        return (rng.integers(0, 2, size=(B, 1)).astype("float32"),
                rng.uniform(0, 1, size=(B, 1)).astype("float32"))
    if kind == "binary_extreme":  # probabilities at 0 and 1: Keras's clipping matters
        return (np.array([[0.], [1.], [1.], [0.]], "float32"),
                np.array([[0.], [0.], [1.], [1.]], "float32"))
    if kind == "binary_logits":
        return (rng.integers(0, 2, size=(B, 3)).astype("float32"),
                rng.normal(size=(B, 3)).astype("float32") * 3)
    if kind == "binary_logits_prob":
        return (rng.integers(0, 2, size=(B, 3)).astype("float32"),
                rng.uniform(0, 1, size=(B, 3)).astype("float32"))
    if kind == "binary_rank1":
        return (rng.integers(0, 2, size=(B,)).astype("float32"),
                rng.uniform(0, 1, size=(B, 1)).astype("float32"))
    if kind == "hinge":
        return (rng.choice([-1.0, 1.0], size=(B, 3)).astype("float32"),
                rng.normal(size=(B, 3)).astype("float32"))
    if kind == "hinge01":
        return (rng.integers(0, 2, size=(B, 3)).astype("float32"),
                rng.normal(size=(B, 3)).astype("float32"))
    if kind == "positive":
        return (rng.uniform(0.1, 3, size=(B, 3)).astype("float32"),
                rng.uniform(0.1, 3, size=(B, 3)).astype("float32"))
    # regression
    return (rng.normal(size=(B, 3)).astype("float32"),
            rng.normal(size=(B, 3)).astype("float32") * 2)


def _probs(rng):
    p = rng.uniform(0, 1, size=(B, C)).astype("float32")
    p[0, 0] = 0.0
    return p / p.sum(-1, keepdims=True)


CLASS_CASES = [
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("CosineSimilarity", {}, "regression"),
    ("CosineSimilarity", {"axis": 0}, "regression"),
    ("Huber", {}, "regression"),
    ("Huber", {"delta": 0.3}, "regression"),
    ("LogCosh", {}, "regression"),
    ("Hinge", {}, "hinge"),
    ("Hinge", {}, "hinge01"),
    ("SquaredHinge", {}, "hinge"),
    ("SquaredHinge", {}, "hinge01"),
    ("CategoricalHinge", {}, "onehot_logits"),
    ("KLDivergence", {}, "onehot"),
    ("Poisson", {}, "positive"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {}, "binary_extreme"),
    ("BinaryCrossentropy", {}, "binary_rank1"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary"),
    ("BinaryFocalCrossentropy", {}, "binary"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "from_logits": True,
                                 "gamma": 1.5}, "binary_logits"),
    ("CategoricalCrossentropy", {}, "onehot"),
    ("CategoricalCrossentropy", {"from_logits": True}, "onehot_logits"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "onehot"),
    ("CategoricalFocalCrossentropy", {}, "onehot"),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "alpha": 0.5}, "onehot_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {}, "sparse_col"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 1}, "sparse_logits"),
    ("Dice", {}, "binary_logits_prob"),
    ("Dice", {"axis": (1,)}, "binary_logits_prob"),
    ("Tversky", {"alpha": 0.3, "beta": 0.7}, "binary_logits_prob"),
    ("Tversky", {"axis": (1,)}, "binary_logits_prob"),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.3}, "sparse"),
]


@pytest.mark.parametrize("weighting", ["none", "per_sample", "per_sample_col"])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "none",
                                       "mean_with_sample_weight"])
@pytest.mark.parametrize("cls_name,kwargs,kind", CLASS_CASES,
                         ids=[f"{c}-{k}-{i}" for i, (c, _, k) in enumerate(CLASS_CASES)])
def test_loss_class_matches_keras(cls_name, kwargs, kind, reduction, weighting):
    keras3 = import_keras3()
    rng = np.random.default_rng(len(cls_name) + len(kind))
    y_true, y_pred = _inputs(kind, rng)
    n = y_true.shape[0]
    sw = {"none": None, "per_sample": rng.uniform(0, 2, size=(n,)).astype("float32"),
          "per_sample_col": rng.uniform(0, 2, size=(n, 1)).astype("float32")}[weighting]
    theirs = getattr(keras3.losses, cls_name)(reduction=reduction, **kwargs)
    ours = getattr(losses, cls_name)(reduction=reduction, **kwargs)
    try:
        expected = theirs(y_true, y_pred, sample_weight=sw)
    except RuntimeError:  # weights that do not fit the losses: both refuse
        with pytest.raises(RuntimeError):
            ours(torch.tensor(y_true), torch.tensor(y_pred), sample_weight=torch.tensor(sw))
        return
    got = ours(torch.tensor(y_true), torch.tensor(y_pred),
               sample_weight=None if sw is None else torch.tensor(sw))
    np.testing.assert_allclose(got.detach().numpy(), np.asarray(expected), atol=ATOL, rtol=1e-5)
    got_np = ours(y_true, y_pred, sample_weight=sw)  # numpy inputs too
    np.testing.assert_allclose(got_np.detach().numpy(), np.asarray(expected), atol=ATOL, rtol=1e-5)
    assert ours.name == theirs.name
    assert ours.get_config() == theirs.get_config()


FUNCTIONS = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
             "mean_squared_logarithmic_error", "cosine_similarity", "huber", "log_cosh",
             "kl_divergence", "poisson", "hinge", "squared_hinge", "categorical_hinge",
             "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
             "binary_focal_crossentropy", "categorical_focal_crossentropy", "dice", "tversky"]
FUNCTION_KINDS = {"binary_crossentropy": "binary", "binary_focal_crossentropy": "binary",
                  "categorical_crossentropy": "onehot", "categorical_focal_crossentropy": "onehot",
                  "sparse_categorical_crossentropy": "sparse", "kl_divergence": "onehot",
                  "poisson": "positive", "mean_squared_logarithmic_error": "positive",
                  "hinge": "hinge", "squared_hinge": "hinge01", "categorical_hinge": "onehot"}


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_loss_function_matches_keras(fn):
    keras3 = import_keras3()
    rng = np.random.default_rng(3)
    y_true, y_pred = _inputs(FUNCTION_KINDS.get(fn, "regression"), rng)
    expected = getattr(keras3.losses, fn)(y_true, y_pred)
    got = getattr(losses, fn)(torch.tensor(y_true), torch.tensor(y_pred))
    assert tuple(got.shape) == tuple(expected.shape)
    np.testing.assert_allclose(got.numpy(), np.asarray(expected), atol=ATOL, rtol=1e-5)
    assert losses.get(fn) is getattr(losses, fn)


def test_gradients_flow_and_match_keras():
    keras3 = import_keras3()
    rng = np.random.default_rng(0)
    y_true, logits = _inputs("sparse_logits", rng)
    ours_x = torch.tensor(logits, requires_grad=True)
    losses.SparseCategoricalCrossentropy(from_logits=True)(torch.tensor(y_true), ours_x).backward()
    theirs_x = torch.tensor(logits, requires_grad=True)
    keras3.losses.SparseCategoricalCrossentropy(from_logits=True)(y_true, theirs_x).backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), atol=1e-6)


@pytest.mark.parametrize("from_logits", [False, True])
def test_per_pixel_sparse_crossentropy_backward_on_channels_last_view(from_logits):
    # A segmentation head's NHWC output is a permuted view of torch's NCHW conv output;
    # nll_loss2d's backward used to reject it ("grad_input must be contiguous").
    keras3 = import_keras3()
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 3, size=(2, 4, 5))
    nchw = rng.normal(size=(2, 3, 4, 5)).astype("float32")

    def grad(loss_fn, flat):
        x = torch.tensor(nchw, requires_grad=True)
        y_pred = x.permute(0, 2, 3, 1)
        y_pred = y_pred if from_logits else torch.softmax(y_pred, dim=-1)
        labels = torch.tensor(y_true)
        if flat:
            y_pred, labels = y_pred.reshape(-1, 3), labels.reshape(-1)
        value = loss_fn(from_logits=from_logits)(labels, y_pred)
        value.backward()
        return value.detach().numpy(), x.grad.numpy()

    got, got_grad = grad(losses.SparseCategoricalCrossentropy, flat=False)
    # Keras 3 on torch fails the same way on NHWC, so it is the oracle on (pixels, classes).
    expected, expected_grad = grad(keras3.losses.SparseCategoricalCrossentropy, flat=True)
    np.testing.assert_allclose(got, expected, atol=ATOL)
    np.testing.assert_allclose(got_grad, expected_grad, atol=1e-6)


def test_subclassing_loss_like_keras():
    class Scaled(losses.Loss):
        def __init__(self, factor, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, y_true, y_pred):
            return self.factor * torch.mean(torch.square(y_true - y_pred), dim=-1)

    loss = Scaled(2.0)
    assert loss.name == "scaled" and loss.reduction == "sum_over_batch_size"
    value = loss(np.zeros((2, 3)), np.ones((2, 3)), sample_weight=np.array([1.0, 0.0]))
    assert float(value) == pytest.approx(1.0)
    assert loss.get_config() == {"name": "scaled", "reduction": "sum_over_batch_size"}


def test_get_resolves_names_like_keras():
    keras3 = import_keras3()
    for name in ["sparse_categorical_crossentropy", "categorical_crossentropy",
                 "binary_crossentropy", "mse", "mae", "huber", "MSE", "kld", "bce",
                 "SparseCategoricalCrossentropy", "Huber", "MeanSquaredError"]:
        ours, theirs = losses.get(name), keras3.losses.get(name)
        assert getattr(ours, "__name__", type(ours).__name__) == \
            getattr(theirs, "__name__", type(theirs).__name__)
    obj = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(obj, losses.CategoricalCrossentropy) and obj.from_logits
    again = losses.get(losses.serialize(losses.Huber(delta=2.0)))
    assert isinstance(again, losses.Huber)
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get("not_a_loss")


def test_bad_arguments_raise_what_keras_raises():
    keras3 = import_keras3()
    rng = np.random.default_rng(0)
    bad = [
        ("SparseCategoricalCrossentropy", np.zeros((B, 2)), rng.uniform(size=(B, C))),
        ("CategoricalCrossentropy", np.zeros((B, 3)), rng.uniform(size=(B, C))),
        ("BinaryCrossentropy", np.zeros((B, 3)), rng.uniform(size=(B, 2))),
    ]
    for cls_name, y_true, y_pred in bad:
        y_true, y_pred = y_true.astype("float32"), y_pred.astype("float32")
        with pytest.raises(ValueError) as theirs:
            getattr(keras3.losses, cls_name)()(y_true, y_pred)
        with pytest.raises(ValueError) as ours:
            getattr(losses, cls_name)()(y_true, y_pred)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        losses.MeanSquaredError(reduction="avg")
    with pytest.raises(ValueError, match="`axis` must be of type `int`"):
        losses.categorical_crossentropy(np.ones((2, 2)), np.ones((2, 2)), axis=True)
    with pytest.raises(TypeError):
        losses.MeanSquaredError(from_logits=True)
