"""keras.metrics: Keras's metrics, with state kept on the device of the data."""

from kerastorch import object_lookup
from kerastorch.losses.losses import binary_crossentropy
from kerastorch.losses.losses import categorical_crossentropy
from kerastorch.losses.losses import categorical_hinge
from kerastorch.losses.losses import hinge
from kerastorch.losses.losses import huber
from kerastorch.losses.losses import kl_divergence
from kerastorch.losses.losses import log_cosh
from kerastorch.losses.losses import mean_absolute_error
from kerastorch.losses.losses import mean_absolute_percentage_error
from kerastorch.losses.losses import mean_squared_error
from kerastorch.losses.losses import mean_squared_logarithmic_error
from kerastorch.losses.losses import poisson
from kerastorch.losses.losses import sparse_categorical_crossentropy
from kerastorch.losses.losses import squared_hinge
from kerastorch.metrics.accuracy_metrics import Accuracy
from kerastorch.metrics.accuracy_metrics import BinaryAccuracy
from kerastorch.metrics.accuracy_metrics import CategoricalAccuracy
from kerastorch.metrics.accuracy_metrics import SparseCategoricalAccuracy
from kerastorch.metrics.accuracy_metrics import SparseTopKCategoricalAccuracy
from kerastorch.metrics.accuracy_metrics import TopKCategoricalAccuracy
from kerastorch.metrics.accuracy_metrics import accuracy
from kerastorch.metrics.accuracy_metrics import binary_accuracy
from kerastorch.metrics.accuracy_metrics import categorical_accuracy
from kerastorch.metrics.accuracy_metrics import sparse_categorical_accuracy
from kerastorch.metrics.accuracy_metrics import sparse_top_k_categorical_accuracy
from kerastorch.metrics.accuracy_metrics import top_k_categorical_accuracy
from kerastorch.metrics.confusion_metrics import AUC
from kerastorch.metrics.confusion_metrics import FalseNegatives
from kerastorch.metrics.confusion_metrics import FalsePositives
from kerastorch.metrics.confusion_metrics import Precision
from kerastorch.metrics.confusion_metrics import PrecisionAtRecall
from kerastorch.metrics.confusion_metrics import Recall
from kerastorch.metrics.confusion_metrics import RecallAtPrecision
from kerastorch.metrics.confusion_metrics import SensitivityAtSpecificity
from kerastorch.metrics.confusion_metrics import SpecificityAtSensitivity
from kerastorch.metrics.confusion_metrics import TrueNegatives
from kerastorch.metrics.confusion_metrics import TruePositives
from kerastorch.metrics.f_score_metrics import F1Score
from kerastorch.metrics.f_score_metrics import FBetaScore
from kerastorch.metrics.iou_metrics import BinaryIoU
from kerastorch.metrics.iou_metrics import IoU
from kerastorch.metrics.iou_metrics import MeanIoU
from kerastorch.metrics.iou_metrics import OneHotIoU
from kerastorch.metrics.iou_metrics import OneHotMeanIoU
from kerastorch.metrics.metric import Metric
from kerastorch.metrics.probabilistic_metrics import BinaryCrossentropy
from kerastorch.metrics.probabilistic_metrics import CategoricalCrossentropy
from kerastorch.metrics.probabilistic_metrics import CategoricalHinge
from kerastorch.metrics.probabilistic_metrics import Hinge
from kerastorch.metrics.probabilistic_metrics import KLDivergence
from kerastorch.metrics.probabilistic_metrics import Poisson
from kerastorch.metrics.probabilistic_metrics import SparseCategoricalCrossentropy
from kerastorch.metrics.probabilistic_metrics import SquaredHinge
from kerastorch.metrics.reduction_metrics import Mean
from kerastorch.metrics.reduction_metrics import MeanMetricWrapper
from kerastorch.metrics.reduction_metrics import Sum
from kerastorch.metrics.regression_metrics import CosineSimilarity
from kerastorch.metrics.regression_metrics import LogCoshError
from kerastorch.metrics.regression_metrics import MeanAbsoluteError
from kerastorch.metrics.regression_metrics import MeanAbsolutePercentageError
from kerastorch.metrics.regression_metrics import MeanSquaredError
from kerastorch.metrics.regression_metrics import MeanSquaredLogarithmicError
from kerastorch.metrics.regression_metrics import R2Score
from kerastorch.metrics.regression_metrics import RootMeanSquaredError
from kerastorch.utils.naming import to_snake_case

# tf.keras's short names.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error

_CLASSES = (Metric, Mean, Sum, MeanMetricWrapper, MeanSquaredError, RootMeanSquaredError,
            MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
            CosineSimilarity, LogCoshError, AUC, FalseNegatives, FalsePositives, Precision,
            Recall, TrueNegatives, TruePositives, Hinge, SquaredHinge, CategoricalHinge,
            KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy,
            SparseCategoricalCrossentropy, Accuracy, BinaryAccuracy, CategoricalAccuracy,
            SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
            PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity,
            SpecificityAtSensitivity, F1Score, FBetaScore, R2Score, IoU, BinaryIoU, MeanIoU,
            OneHotIoU, OneHotMeanIoU)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update({"bce": BinaryCrossentropy, "BCE": BinaryCrossentropy,
                         "mse": MeanSquaredError, "MSE": MeanSquaredError,
                         "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
                         "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
                         "msle": MeanSquaredLogarithmicError,
                         "MSLE": MeanSquaredLogarithmicError,
                         # tf.keras 2's other names
                         "acc": Accuracy, "ACC": Accuracy, "cosine_proximity": CosineSimilarity,
                         "kullback_leibler_divergence": KLDivergence, "log_cosh": LogCoshError,
                         "logcosh": LogCoshError})


def serialize(metric):
    """A metric's config in Keras's format (a function: its name)."""
    return object_lookup.serialize(metric, "keras.metrics")


def deserialize(config, custom_objects=None):
    """A metric from `serialize()`'s output."""
    return object_lookup.deserialize(config, ALL_OBJECTS_DICT, "metric", custom_objects)


def is_binary_or_sparse_categorical(y_true_shape, y_pred_shape):
    """Keras 3's rule for 'accuracy' and 'crossentropy': (is_binary, is_sparse_categorical)."""
    is_binary = y_pred_shape[-1] == 1
    is_sparse = len(y_true_shape) < len(y_pred_shape) or (
        y_true_shape[-1] == 1 and y_pred_shape[-1] > 1)
    return is_binary, is_sparse


def _loss_name(loss):
    if loss is None:
        return ""
    if isinstance(loss, str):
        return to_snake_case(loss)
    fn = getattr(loss, "fn", None)
    if fn is not None:
        return getattr(fn, "__name__", "")
    return getattr(loss, "__name__", None) or to_snake_case(type(loss).__name__)


def get(identifier, loss=None, output_shape=None, y_true_shape=None):
    """A metric from a name, a config dict, a function or an instance.

    Called with only `identifier` it behaves as `keras.metrics.get` (a function name returns
    the function, a class name an instance). Called as `compile()` resolves its metrics -- with
    any of `loss`, `output_shape` (the model output's shape) or `y_true_shape` -- it returns a
    `Metric` named by the identifier, as Keras's compile does ('mse' -> MeanSquaredError named
    'mse'; functions wrapped in MeanMetricWrapper), and resolves 'accuracy'/'acc' (and
    'crossentropy'/'ce' to the matching cross-entropy) by the same rule:

    - with both shapes, by Keras 3's rule: binary when the output's last axis is 1, sparse
      categorical when the labels have fewer axes (or a last axis of 1 against several
      classes), categorical otherwise;
    - with only the output shape, binary when its last axis is 1, else by the loss;
    - otherwise by the loss (tf.keras's rule): binary for binary cross-entropy, sparse for
      sparse categorical cross-entropy, categorical else.

    Example:
        >>> keras.metrics.get("accuracy", loss="sparse_categorical_crossentropy")
        <SparseCategoricalAccuracy name=accuracy>
    """
    if identifier is None:
        return None
    compile_mode = loss is not None or output_shape is not None or y_true_shape is not None
    if not compile_mode:
        return object_lookup.get(identifier, ALL_OBJECTS_DICT, "metric")
    if str(identifier).lower() in ("accuracy", "acc", "crossentropy", "ce"):
        name = str(identifier)
        if output_shape is not None and y_true_shape is not None:
            is_binary, is_sparse = is_binary_or_sparse_categorical(tuple(y_true_shape),
                                                                   tuple(output_shape))
        else:
            loss_name = _loss_name(loss)
            is_binary = (output_shape is not None and output_shape[-1] == 1) or \
                "binary" in loss_name
            is_sparse = "sparse" in loss_name
        if str(identifier).lower() in ("crossentropy", "ce"):  # tf.keras 2's strings
            if is_binary:
                return BinaryCrossentropy(name=name)
            if is_sparse:
                return SparseCategoricalCrossentropy(name=name)
            return CategoricalCrossentropy(name=name)
        if is_binary:
            return BinaryAccuracy(name=name)
        if is_sparse:
            return SparseCategoricalAccuracy(name=name)
        return CategoricalAccuracy(name=name)
    obj = get(identifier)
    if isinstance(identifier, str):
        name = identifier
    else:
        name = getattr(obj, "name", None) or getattr(obj, "__name__", None) or \
            to_snake_case(type(obj).__name__)
    if not isinstance(obj, Metric):
        obj = MeanMetricWrapper(obj)
    obj.name = name
    return obj
