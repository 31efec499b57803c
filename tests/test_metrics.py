"""Metrics against Keras 3: state updates over several batches, sample weights, resets."""

import numpy as np
import pytest
import torch

from kerastorch import metrics
from tests.keras3 import import_keras3

ATOL = 1e-5
B, C = 8, 5


def _reset_keras_names():
    """Keras's name counters start again, as ours do per test (clear_session is slower)."""
    from keras.src.backend.common import global_state
    global_state.set_global_attribute("object_name_uids", None)


def _batch(kind, rng):
    if kind == "sparse":
        return rng.integers(0, C, size=(B,)), rng.uniform(size=(B, C)).astype("float32")
    if kind == "sparse_col":
        return rng.integers(0, C, size=(B, 1)), rng.uniform(size=(B, C)).astype("float32")
    if kind == "onehot":
        return (np.eye(C, dtype="float32")[rng.integers(0, C, size=B)],
                rng.uniform(size=(B, C)).astype("float32"))
    if kind == "binary":
        return (rng.integers(0, 2, size=(B, 1)).astype("float32"),
                rng.uniform(size=(B, 1)).astype("float32"))
    if kind == "binary_flat":
        return (rng.integers(0, 2, size=(B,)).astype("float32"),
                rng.uniform(size=(B,)).astype("float32"))
    if kind == "multilabel":
        return (rng.integers(0, 2, size=(B, 3)).astype("float32"),
                rng.uniform(size=(B, 3)).astype("float32"))
    if kind == "logits":
        return (rng.integers(0, 2, size=(B, 1)).astype("float32"),
                rng.normal(size=(B, 1)).astype("float32") * 3)
    if kind == "class_ids":
        return rng.integers(0, C, size=(B, 2)), rng.integers(0, C, size=(B, 2))
    if kind == "exact":
        return rng.integers(0, 3, size=(B, 1)), rng.integers(0, 3, size=(B, 1))
    if kind == "positive":
        return (rng.uniform(0.1, 2, size=(B, 3)).astype("float32"),
                rng.uniform(0.1, 2, size=(B, 3)).astype("float32"))
    if kind == "hinge":
        return (rng.integers(0, 2, size=(B, 3)).astype("float32"),
                rng.normal(size=(B, 3)).astype("float32"))
    return rng.normal(size=(B, 3)).astype("float32"), rng.normal(size=(B, 3)).astype("float32")


CASES = [
    ("Accuracy", {}, "exact"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.7}, "multilabel"),
    ("CategoricalAccuracy", {}, "onehot"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse_col"),
    ("TopKCategoricalAccuracy", {}, "onehot"),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("SparseTopKCategoricalAccuracy", {}, "sparse_col"),
    ("AUC", {}, "binary"),
    ("AUC", {"num_thresholds": 7}, "binary_flat"),
    ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}, "binary"),
    ("AUC", {"summation_method": "minoring", "num_thresholds": 13}, "binary"),
    ("AUC", {"from_logits": True}, "logits"),
    ("AUC", {"thresholds": [0.1, 0.35, 0.8]}, "binary"),
    ("AUC", {"multi_label": True}, "multilabel"),
    ("AUC", {"multi_label": True, "label_weights": [0.2, 1.0, 0.5], "curve": "PR"}, "multilabel"),
    ("AUC", {"label_weights": [0.2, 1.0, 0.5]}, "multilabel"),
    ("Precision", {}, "binary"),
    ("Precision", {"thresholds": [0.3, 0.6]}, "multilabel"),
    ("Precision", {"top_k": 2}, "multilabel"),
    ("Precision", {"class_id": 1}, "multilabel"),
    ("Recall", {}, "binary"),
    ("Recall", {"thresholds": [0.0, 0.5, 1.0]}, "binary"),
    ("Recall", {"top_k": 1, "class_id": 2}, "multilabel"),
    ("TruePositives", {}, "binary"),
    ("FalsePositives", {"thresholds": [0.2, 0.7]}, "binary"),
    ("TrueNegatives", {}, "multilabel"),
    ("FalseNegatives", {}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, "binary"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.4, "num_thresholds": 20}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.6}, "multilabel"),
    ("RecallAtPrecision", {"precision": 0.3, "class_id": 1}, "multilabel"),
    ("SensitivityAtSpecificity", {"specificity": 0.5, "num_thresholds": 1}, "binary"),
    ("F1Score", {}, "onehot"),
    ("F1Score", {"average": "macro", "threshold": 0.5}, "multilabel"),
    ("FBetaScore", {"average": "weighted", "beta": 2.0}, "onehot"),
    ("FBetaScore", {"average": "micro", "beta": 0.5, "threshold": 0.3}, "multilabel"),
    ("R2Score", {}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "regression"),
    ("R2Score", {"class_aggregation": None, "num_regressors": 2}, "regression"),
    ("IoU", {"num_classes": C, "target_class_ids": [0, 2]}, "class_ids"),
    ("MeanIoU", {"num_classes": C}, "class_ids"),
    ("MeanIoU", {"num_classes": C, "ignore_class": 1, "sparse_y_pred": False}, "sparse"),
    ("BinaryIoU", {}, "binary"),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "multilabel"),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [1, 3]}, "onehot"),
    ("OneHotMeanIoU", {"num_classes": C}, "onehot"),
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("RootMeanSquaredError", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("LogCoshError", {}, "regression"),
    ("KLDivergence", {}, "onehot"),
    ("Poisson", {}, "positive"),
    ("Hinge", {}, "hinge"),
    ("SquaredHinge", {}, "hinge"),
    ("CategoricalHinge", {}, "onehot"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits"),
    ("CategoricalCrossentropy", {}, "onehot"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 0}, "sparse"),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cls_name,kwargs,kind", CASES,
                         ids=[f"{c}-{k}-{i}" for i, (c, _, k) in enumerate(CASES)])
def test_metric_matches_keras(cls_name, kwargs, kind, weighted):
    keras3 = import_keras3()
    _reset_keras_names()
    rng = np.random.default_rng(len(cls_name) * 7 + len(kind))
    ours = getattr(metrics, cls_name)(**kwargs)
    theirs = getattr(keras3.metrics, cls_name)(**kwargs)
    for step in range(3):
        y_true, y_pred = _batch(kind, rng)
        sw = rng.uniform(0, 2, size=(B,)).astype("float32") if weighted else None
        try:
            theirs.update_state(y_true, y_pred, sample_weight=sw)
        except RuntimeError:  # weights that do not fit the batch: both refuse
            with pytest.raises(RuntimeError):
                ours.update_state(torch.tensor(y_true), torch.tensor(y_pred), torch.tensor(sw))
            return
        ours.update_state(torch.tensor(y_true), torch.tensor(y_pred),
                          sample_weight=None if sw is None else torch.tensor(sw))
        expected = np.asarray(theirs.result())
        got = ours.result()
        assert isinstance(got, torch.Tensor)
        np.testing.assert_allclose(got.numpy(), expected, atol=ATOL, rtol=1e-5,
                                   err_msg=f"after batch {step}")
    for a, b in zip(ours.variables, theirs.variables, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-4, rtol=1e-5)
    assert ours.name == theirs.name
    assert ours.get_config() == {k: (v.tolist() if hasattr(v, "tolist") else v)
                                 for k, v in theirs.get_config().items()}
    ours.reset_state()
    theirs.reset_state()
    y_true, y_pred = _batch(kind, rng)
    np.testing.assert_allclose(ours(y_true, y_pred).numpy(), np.asarray(theirs(y_true, y_pred)),
                               atol=ATOL, rtol=1e-5)


@pytest.mark.parametrize("cls_name", ["Mean", "Sum"])
def test_reduction_metrics_match_keras(cls_name):
    keras3 = import_keras3()
    rng = np.random.default_rng(0)
    ours, theirs = getattr(metrics, cls_name)(), getattr(keras3.metrics, cls_name)()
    for values, sw in [(rng.normal(size=(4,)), None),
                       (rng.normal(size=(4, 3)), rng.uniform(size=(4,))),
                       (rng.normal(size=(4, 3)), rng.uniform(size=(4, 3))), (2.5, None),
                       (rng.normal(size=(4, 3, 2)), rng.uniform(size=(4, 1)))]:
        values = np.asarray(values, "float32")
        sw = None if sw is None else sw.astype("float32")
        theirs.update_state(values, sample_weight=sw)
        ours.update_state(values, sample_weight=sw)
        np.testing.assert_allclose(ours.result().numpy(), np.asarray(theirs.result()), atol=ATOL)


def test_mean_metric_wrapper_and_subclassing_like_keras():
    keras3 = import_keras3()
    ours = metrics.MeanMetricWrapper(metrics.mean_squared_error, name="my_mse")
    theirs = keras3.metrics.MeanMetricWrapper(keras3.metrics.mean_squared_error, name="my_mse")
    y_true, y_pred = np.ones((4, 2), "float32"), np.arange(8, dtype="float32").reshape(4, 2)
    np.testing.assert_allclose(ours(y_true, y_pred).numpy(), np.asarray(theirs(y_true, y_pred)))

    class CountPositives(metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.positives = self.add_variable(shape=(), initializer="zeros", name="positives")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.positives.assign_add(torch.sum(torch.as_tensor(y_pred) > 0))

        def result(self):
            return self.positives.value

    m = CountPositives()
    assert m.name == "count_positives"
    m.update_state(None, torch.tensor([1.0, -1.0, 2.0]))
    m.update_state(None, torch.tensor([3.0]))
    assert float(m.result()) == 3.0
    m.reset_state()
    assert float(m.result()) == 0.0


def test_update_state_detaches_from_autograd():
    y_pred = torch.rand(4, 3, requires_grad=True)
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(torch.tensor([0, 1, 2, 0]), y_pred)
    mse = metrics.MeanSquaredError()
    mse.update_state(torch.zeros(4, 3), y_pred * 2)
    assert not m.result().requires_grad and not mse.result().requires_grad
    assert all(not v.value.requires_grad for v in mse.variables)


def test_accuracy_resolves_like_keras_compile():
    keras3 = import_keras3()
    from keras.src.trainers.compile_utils import get_metric
    shapes = [((8,), (8, 5)), ((8, 1), (8, 5)), ((8, 5), (8, 5)), ((8, 1), (8, 1)), ((8,), (8, 1))]
    for name in ["accuracy", "acc"]:
        for y_true_shape, y_pred_shape in shapes:
            theirs = get_metric(name, keras3.ops.zeros(y_true_shape),
                                keras3.ops.zeros(y_pred_shape))
            ours = metrics.get(name, y_true_shape=y_true_shape, output_shape=y_pred_shape)
            assert type(ours).__name__ == type(theirs).__name__
            assert ours.name == theirs.name == name
    for name in ["mae", "mse", "AUC", "auc", "sparse_categorical_accuracy", "categorical_accuracy",
                 "binary_accuracy", "top_k_categorical_accuracy", "precision"]:
        theirs = get_metric(name, keras3.ops.zeros((8, 1)), keras3.ops.zeros((8, 1)))
        ours = metrics.get(name, loss="mse")
        assert type(ours).__name__ == type(theirs).__name__ and ours.name == theirs.name == name
    by_loss = {"sparse_categorical_crossentropy": "SparseCategoricalAccuracy",
               "categorical_crossentropy": "CategoricalAccuracy",
               "binary_crossentropy": "BinaryAccuracy"}
    from kerastorch import losses
    for loss, expected in by_loss.items():
        assert type(metrics.get("accuracy", loss=loss)).__name__ == expected
        assert type(metrics.get("accuracy", loss=losses.get(loss))).__name__ == expected
    assert type(metrics.get("accuracy", loss=losses.SparseCategoricalCrossentropy(
        from_logits=True))).__name__ == "SparseCategoricalAccuracy"
    assert type(metrics.get("accuracy", loss="mse", output_shape=(None, 1))).__name__ == \
        "BinaryAccuracy"
    wrapped = metrics.get(metrics.mean_absolute_error, loss="mse")
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "mean_absolute_error"


def test_get_without_compile_context_is_keras_metrics_get():
    keras3 = import_keras3()
    for name in ["accuracy", "mse", "AUC", "auc", "categorical_accuracy", "precision"]:
        assert type(metrics.get(name)).__name__ == type(keras3.metrics.get(name)).__name__
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    m = metrics.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.3}})
    assert isinstance(m, metrics.BinaryAccuracy) and m.threshold == 0.3
    again = metrics.deserialize(metrics.serialize(metrics.AUC(curve="PR", num_thresholds=10)))
    assert again.curve == "PR" and again.num_thresholds == 10
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get("nope")


def test_bad_arguments_raise_what_keras_raises():
    keras3 = import_keras3()
    for cls_name, kwargs in [("AUC", {"num_thresholds": 1}), ("AUC", {"curve": "XX"}),
                             ("AUC", {"summation_method": "avg"}), ("AUC", {"num_labels": 3}),
                             ("Precision", {"thresholds": [1.5]}), ("Recall", {"thresholds": -1.0}),
                             ("PrecisionAtRecall", {"recall": 2.0}),
                             ("SensitivityAtSpecificity",
                              {"specificity": 0.5, "num_thresholds": 0}),
                             ("F1Score", {"average": "avg"}), ("FBetaScore", {"beta": 1}),
                             ("F1Score", {"threshold": 1.5}), ("R2Score", {"num_regressors": -1}),
                             ("R2Score", {"class_aggregation": "x"})]:
        with pytest.raises(ValueError) as theirs:
            getattr(keras3.metrics, cls_name)(**kwargs)
        with pytest.raises(ValueError) as ours:
            getattr(metrics, cls_name)(**kwargs)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="class_id is provided"):
        metrics.Precision(class_id=1).update_state(np.ones(4), np.ones(4))


@pytest.mark.parametrize("loss,labels,units", [
    ("binary_crossentropy", lambda n: np.arange(n) % 2, 1),  # (n,) labels, (n, 1) outputs
    ("sparse_categorical_crossentropy", lambda n: np.arange(n) % 3, 3),
    ("categorical_crossentropy", lambda n: np.eye(3)[np.arange(n) % 3], 3)])
def test_crossentropy_metric_string_follows_the_loss_as_tf_keras(loss, labels, units):
    import kerastorch as kt
    x = np.random.RandomState(0).rand(12, 4).astype("float32")
    model = kt.Sequential([kt.Input((4,)), kt.layers.Dense(
        units, activation="sigmoid" if units == 1 else "softmax")])
    model.compile("sgd", loss, metrics=["crossentropy", "ce"])
    logs = model.evaluate(x, labels(12), verbose=0, return_dict=True)
    assert sorted(logs) == ["ce", "crossentropy", "loss"]
    assert logs["crossentropy"] == pytest.approx(logs["loss"], rel=1e-5)
    assert logs["ce"] == pytest.approx(logs["loss"], rel=1e-5)
