"""Confusion-matrix metrics: TruePositives..., Precision, Recall and AUC (Keras's interpolation)."""

import numpy as np
import torch

from kerastorch import backend
from kerastorch.losses.loss import squeeze_or_expand_to_same_rank
from kerastorch.metrics.metric import Metric

NEG_INF = -1e10
_KEYS = ("tp", "fp", "tn", "fn")


def _parse_thresholds(thresholds, default):
    if thresholds is not None:
        values = thresholds if isinstance(thresholds, (list, tuple)) else [thresholds]
        invalid = [t for t in values if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    value = default if thresholds is None else thresholds
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _evenly_distributed(thresholds):
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=backend.epsilon()))


def _filter_top_k(x, k):
    idx = torch.topk(x, k, dim=-1).indices
    mask = torch.zeros_like(x).scatter_(-1, idx, 1.0)
    return x * mask + NEG_INF * (1 - mask)


def update_confusion_matrix_variables(variables, y_true, y_pred, thresholds, top_k=None,
                                      class_id=None, sample_weight=None, multi_label=False,
                                      label_weights=None, thresholds_distributed_evenly=False):
    """Adds the (weighted) counts of true/false positives/negatives at each threshold.

    `variables` maps 'tp', 'fp', 'tn', 'fn' to the MetricVariables to update.
    """
    dtype = next(iter(variables.values())).value.dtype
    y_pred = backend.convert_to_tensor(y_pred).detach().to(dtype)
    y_true = backend.convert_to_tensor(y_true).detach().to(device=y_pred.device, dtype=dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = backend.convert_to_tensor(sample_weight).detach().to(
            device=y_pred.device, dtype=dtype).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.dim() == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             f"(num_samples, num_classes), found shape: {tuple(y_pred.shape)}")
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    if label_weights is not None:
        label_weights = torch.as_tensor(label_weights, dtype=dtype, device=y_pred.device)
    weights = None
    if sample_weight is not None:
        weights = torch.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        lw = torch.broadcast_to(label_weights.unsqueeze(0), y_pred.shape)
        weights = lw if weights is None else weights * lw
    if not multi_label:
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
        weights = None if weights is None else weights.reshape(-1)
    labels = (y_true != 0).to(dtype)
    num = len(thresholds)
    if thresholds_distributed_evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        w = 1.0 if weights is None else weights
        true_labels = labels * w
        false_labels = (1.0 - labels) * w
        bucket = torch.ceil(torch.clamp(y_pred, 0.0, 1.0) * (num - 1)) - 1
        if with_epsilon:
            bucket = torch.relu(bucket)
        bucket = bucket.long()
        valid = (bucket >= 0) & (bucket < num)  # out-of-range buckets count nowhere (as Keras)
        if multi_label:  # one histogram per label: buckets offset by the label index
            n_labels = y_pred.shape[-1]
            bucket = bucket * n_labels + torch.arange(n_labels, device=bucket.device)
            size, shape = num * n_labels, (num, n_labels)
        else:
            size, shape = num, (num,)
        index = torch.where(valid, bucket, size).reshape(-1)
        tp_bucket = torch.zeros(size + 1, dtype=dtype, device=y_pred.device).index_add_(
            0, index, torch.broadcast_to(true_labels, bucket.shape).reshape(-1))[:size]
        fp_bucket = torch.zeros(size + 1, dtype=dtype, device=y_pred.device).index_add_(
            0, index, torch.broadcast_to(false_labels, bucket.shape).reshape(-1))[:size]
        tp = torch.flip(torch.cumsum(torch.flip(tp_bucket.reshape(shape), [0]), 0), [0])
        fp = torch.flip(torch.cumsum(torch.flip(fp_bucket.reshape(shape), [0]), 0), [0])
        dims = 0 if multi_label else None
        total_true = torch.broadcast_to(true_labels, bucket.shape)
        total_false = torch.broadcast_to(false_labels, bucket.shape)
        total_true = total_true.sum(dim=dims) if dims is not None else total_true.sum()
        total_false = total_false.sum(dim=dims) if dims is not None else total_false.sum()
        counts = {"tp": tp, "fp": fp, "tn": total_false - fp, "fn": total_true - tp}
    else:
        thresh = torch.tensor(thresholds, dtype=dtype, device=y_pred.device)
        thresh = thresh.reshape((num,) + (1,) * y_pred.dim())
        pred_pos = y_pred.unsqueeze(0) > thresh
        label_pos = labels.bool().unsqueeze(0)
        w = None if weights is None else weights.unsqueeze(0)

        def count(label, pred):
            hit = (label & pred).to(dtype)
            if w is not None:
                hit = hit * w
            return hit.sum(dim=1)

        counts = {}
        if "tp" in variables:
            counts["tp"] = count(label_pos, pred_pos)
        if "fp" in variables:
            counts["fp"] = count(~label_pos, pred_pos)
        if "tn" in variables:
            counts["tn"] = count(~label_pos, ~pred_pos)
        if "fn" in variables:
            counts["fn"] = count(label_pos, ~pred_pos)
    for key, variable in variables.items():
        variable.assign_add(counts[key])


class _ConfusionMatrixConditionCount(Metric):
    _key = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = _parse_thresholds(thresholds, 0.5)
        self._thresholds_distributed_evenly = _evenly_distributed(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), initializer="zeros",
                                             name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {self._key: self.accumulator}, y_true, y_pred, self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight)

    def result(self):
        value = self.accumulator.value
        return value[0].clone() if len(self.thresholds) == 1 else value.clone()

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true positives at each threshold (default 0.5)."""
    _key = "tp"


class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false positives at each threshold (default 0.5)."""
    _key = "fp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true negatives at each threshold (default 0.5)."""
    _key = "tn"


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false negatives at each threshold (default 0.5)."""
    _key = "fn"


def _divide_no_nan(a, b):
    return torch.where(b != 0, a / torch.where(b != 0, b, torch.ones_like(b)), torch.zeros_like(a))


class _PrecisionRecall(Metric):
    _other = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = _parse_thresholds(thresholds, default)
        self._thresholds_distributed_evenly = _evenly_distributed(self.thresholds)
        n = len(self.thresholds)
        self.true_positives = self.add_variable(shape=(n,), initializer="zeros",
                                                name="true_positives")
        other = "false_positives" if self._other == "fp" else "false_negatives"
        setattr(self, other, self.add_variable(shape=(n,), initializer="zeros", name=other))
        self._other_variable = getattr(self, other)

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {"tp": self.true_positives, self._other: self._other_variable}, y_true, y_pred,
            self.thresholds, top_k=self.top_k, class_id=self.class_id,
            sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def result(self):
        tp = self.true_positives.value
        value = _divide_no_nan(tp, tp + self._other_variable.value)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """Precision `tp / (tp + fp)` of predictions above a threshold (default 0.5).

    Args:
        thresholds: a float or list of floats in [0, 1]; one result per threshold.
        top_k: only the `top_k` highest predictions count as positive.
        class_id: compute the metric for this class only.
        name, dtype: as `Metric`.
    """
    _other = "fp"


class Recall(_PrecisionRecall):
    """Recall `tp / (tp + fn)` of predictions above a threshold (default 0.5).

    Args:
        thresholds: a float or list of floats in [0, 1]; one result per threshold.
        top_k: only the `top_k` highest predictions count as positive.
        class_id: compute the metric for this class only.
        name, dtype: as `Metric`.
    """
    _other = "fn"


class AUC(Metric):
    """Area under the ROC or PR curve, from counts at `num_thresholds` thresholds.

    Args:
        num_thresholds: thresholds evenly spaced in [0, 1] (default 200).
        curve: 'ROC' (default) or 'PR'.
        summation_method: 'interpolation' (default; Davis & Goadrich interpolation for PR),
            'minoring' or 'majoring'.
        name, dtype: as `Metric`.
        thresholds: explicit thresholds in [0, 1] instead of `num_thresholds`.
        multi_label: one curve per label column, averaged (weighted by `label_weights`).
        num_labels: the number of labels when `multi_label` (else built from the first batch).
        label_weights: per-label weights.
        from_logits: apply a sigmoid to the predictions first.

    Example:
        >>> m = keras.metrics.AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]); m.result()  # 0.75
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(thresholds)
            self._thresholds_distributed_evenly = _evenly_distributed(
                np.array([0.0] + thresholds + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        eps = backend.epsilon()
        self._thresholds = np.array([0.0 - eps] + thresholds + [1.0 + eps])
        curves = {"ROC": "ROC", "roc": "ROC", "PR": "PR", "pr": "PR", "PRGAIN": "PRGAIN",
                  "prgain": "PRGAIN"}
        key = getattr(curve, "value", curve)
        if key not in curves:
            raise ValueError(f'Invalid AUC curve value: "{curve}". '
                             'Expected values are ["PR", "ROC", "PRGAIN"]')
        self.curve = curves[key]
        methods = {"interpolation": "interpolation", "Interpolation": "interpolation",
                   "majoring": "majoring", "Majoring": "majoring", "minoring": "minoring",
                   "Minoring": "minoring"}
        key = getattr(summation_method, "value", summation_method)
        if key not in methods:
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". '
                             'Expected values are ["interpolation", "majoring", "minoring"]')
        self.summation_method = methods[key]
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else torch.as_tensor(
            np.asarray(label_weights), dtype=self._torch_dtype)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build([None, num_labels])
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                                 f"{len(shape)}. Full shape received for `y_pred`: {shape}")
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        for name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, name, self.add_variable(shape=variable_shape, initializer="zeros",
                                                  name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = backend.convert_to_tensor(y_pred)
        if not self._built:
            self._build(tuple(y_pred.shape))
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred)
        label_weights = None if self.multi_label else self.label_weights
        update_confusion_matrix_variables(
            {"tp": self.true_positives, "tn": self.true_negatives, "fp": self.false_positives,
             "fn": self.false_negatives},
            y_true, y_pred, [float(t) for t in self._thresholds],
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=label_weights)

    def _by_label(self, values):
        if not self.multi_label:
            return values.sum()
        by_label = values.sum(dim=0)
        if self.label_weights is None:
            return by_label.mean()
        lw = self.label_weights.to(by_label.device)
        return _divide_no_nan((by_label * lw).sum(), lw.sum())

    def interpolate_pr_auc(self):
        n = self.num_thresholds
        tp, fp, fn = self.true_positives.value, self.false_positives.value, \
            self.false_negatives.value
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        prec_slope = _divide_no_nan(dtp, torch.clamp(dp, min=0))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = torch.where((p[: n - 1] > 0) & (p[1:] > 0),
                                   _divide_no_nan(p[: n - 1], torch.clamp(p[1:], min=0)),
                                   torch.ones_like(p[1:]))
        increment = _divide_no_nan(prec_slope * (dtp + intercept * torch.log(safe_p_ratio)),
                                   torch.clamp(tp[1:] + fn[1:], min=0))
        return self._by_label(increment)

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _divide_no_nan(tp, tp + fp)
        else:
            scaling = _divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scaling * _divide_no_nan(fn, tp)
            precision_gain = 1.0 - scaling * _divide_no_nan(fp, tp)
            recall_gain = torch.clamp(torch.where(tp == 0, torch.zeros_like(tp), recall_gain),
                                      min=0.0)
            precision_gain = torch.where(tp == 0, torch.ones_like(tp), precision_gain)
            x, y = recall_gain, precision_gain
        n = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[: n - 1], y[1:])
        else:
            heights = torch.maximum(y[: n - 1], y[1:])
        return self._by_label((x[: n - 1] - x[1:]) * heights)

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {"num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels,
                  "label_weights": None if self.label_weights is None
                  else self.label_weights.tolist(),
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return {**super().get_config(), **config}


class SensitivitySpecificityBase(Metric):
    """Base of the metrics that maximise one rate under a constraint on another."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        n = len(self.thresholds)
        for name_ in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, name_, self.add_variable(shape=(n,), initializer="zeros", name=name_))

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {"tp": self.true_positives, "tn": self.true_negatives, "fp": self.false_positives,
             "fn": self.false_negatives}, y_true, y_pred, self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            class_id=self.class_id, sample_weight=sample_weight)

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {"sensitivity": _divide_no_nan(tp, tp + fn), "recall": _divide_no_nan(tp, tp + fn),
                "specificity": _divide_no_nan(tn, tn + fp),
                "precision": _divide_no_nan(tp, tp + fp)}

    def _max_under_constraint(self, constrained, dependent):
        feasible = constrained >= self.value
        best = torch.amax(torch.where(feasible, dependent, torch.zeros_like(dependent)))
        return torch.clamp(best, min=0.0)

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}


def _check_rate(name, value):
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. "
                         f"Received: {name}={value}")


class _AtMetric(SensitivitySpecificityBase):
    _given, _best = None, None

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate(self._given, value)
        setattr(self, self._given, value)
        self.num_thresholds = num_thresholds
        super().__init__(value, num_thresholds=num_thresholds, class_id=class_id, name=name,
                         dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._max_under_constraint(rates[self._given], rates[self._best])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                self._given: getattr(self, self._given)}


class SensitivityAtSpecificity(_AtMetric):
    """The best sensitivity (recall) at thresholds whose specificity is >= `specificity`.

    Args:
        specificity: in [0, 1].
        num_thresholds: thresholds evenly spaced in [0, 1] (default 200).
        class_id: compute the metric for this class only.
        name, dtype: as `Metric`.
    """
    _given, _best = "specificity", "sensitivity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)


class SpecificityAtSensitivity(_AtMetric):
    """The best specificity at thresholds whose sensitivity is >= `sensitivity`."""
    _given, _best = "sensitivity", "specificity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)


class PrecisionAtRecall(_AtMetric):
    """The best precision at thresholds whose recall is >= `recall`."""
    _given, _best = "recall", "precision"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)


class RecallAtPrecision(_AtMetric):
    """The best recall at thresholds whose precision is >= `precision`."""
    _given, _best = "precision", "recall"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)
