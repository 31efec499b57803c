"""keras.losses: Keras's loss functions and classes on torch tensors."""

from kerastorch import object_lookup
from kerastorch.losses.loss import Loss
from kerastorch.losses.loss import reduce_weighted_values
from kerastorch.losses.loss import squeeze_or_expand_to_same_rank
from kerastorch.losses.losses import ALL_OBJECTS_DICT
from kerastorch.losses.losses import BinaryCrossentropy
from kerastorch.losses.losses import BinaryFocalCrossentropy
from kerastorch.losses.losses import CategoricalCrossentropy
from kerastorch.losses.losses import CategoricalFocalCrossentropy
from kerastorch.losses.losses import CategoricalGeneralizedCrossEntropy
from kerastorch.losses.losses import CategoricalHinge
from kerastorch.losses.losses import CosineSimilarity
from kerastorch.losses.losses import Dice
from kerastorch.losses.losses import Hinge
from kerastorch.losses.losses import Huber
from kerastorch.losses.losses import KLDivergence
from kerastorch.losses.losses import LogCosh
from kerastorch.losses.losses import LossFunctionWrapper
from kerastorch.losses.losses import MeanAbsoluteError
from kerastorch.losses.losses import MeanAbsolutePercentageError
from kerastorch.losses.losses import MeanSquaredError
from kerastorch.losses.losses import MeanSquaredLogarithmicError
from kerastorch.losses.losses import Poisson
from kerastorch.losses.losses import SparseCategoricalCrossentropy
from kerastorch.losses.losses import SquaredHinge
from kerastorch.losses.losses import Tversky
from kerastorch.losses.losses import bce, kld, kullback_leibler_divergence, logcosh  # noqa: F401
from kerastorch.losses.losses import binary_crossentropy
from kerastorch.losses.losses import binary_focal_crossentropy
from kerastorch.losses.losses import categorical_crossentropy
from kerastorch.losses.losses import categorical_focal_crossentropy
from kerastorch.losses.losses import categorical_generalized_cross_entropy
from kerastorch.losses.losses import categorical_hinge
from kerastorch.losses.losses import cosine_similarity
from kerastorch.losses.losses import dice
from kerastorch.losses.losses import hinge
from kerastorch.losses.losses import huber
from kerastorch.losses.losses import kl_divergence
from kerastorch.losses.losses import log_cosh
from kerastorch.losses.losses import mae, mape, mse, msle  # noqa: F401
from kerastorch.losses.losses import mean_absolute_error
from kerastorch.losses.losses import mean_absolute_percentage_error
from kerastorch.losses.losses import mean_squared_error
from kerastorch.losses.losses import mean_squared_logarithmic_error
from kerastorch.losses.losses import poisson
from kerastorch.losses.losses import sparse_categorical_crossentropy
from kerastorch.losses.losses import squared_hinge
from kerastorch.losses.losses import tversky


def serialize(loss):
    """A loss function's name, or a Loss instance's config in Keras's format."""
    return object_lookup.serialize(loss, "keras.losses")


def deserialize(name, custom_objects=None):
    """A loss from `serialize()`'s output."""
    return object_lookup.deserialize(name, ALL_OBJECTS_DICT, "loss", custom_objects)


def get(identifier):
    """A loss from a name (a function or a class name), a config dict, a function or an instance.

    Example:
        >>> keras.losses.get("sparse_categorical_crossentropy")  # the function
        >>> keras.losses.get("SparseCategoricalCrossentropy")   # an instance
    """
    return object_lookup.get(identifier, ALL_OBJECTS_DICT, "loss")
