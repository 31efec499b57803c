"""kerastorch: Keras's model-building and training API, running natively on PyTorch.

    import kerastorch as keras
    from kerastorch import layers
"""

from kerastorch import activations
from kerastorch import applications
from kerastorch import backend
from kerastorch import callbacks
from kerastorch import config
from kerastorch import constraints
from kerastorch import datasets
from kerastorch import distribution
from kerastorch import initializers
from kerastorch import layers
from kerastorch import losses
from kerastorch import metrics
from kerastorch import mixed_precision
from kerastorch import models
from kerastorch import ops
from kerastorch import optimizers
from kerastorch import preprocessing
from kerastorch import random
from kerastorch import regularizers
from kerastorch import saving
from kerastorch import testing
from kerastorch import utils
from kerastorch import wrappers
from kerastorch.initializers import Initializer
from kerastorch.layers.core.input_layer import Input
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.tensor import KerasTensor
from kerastorch.variables import Variable
from kerastorch.losses.loss import Loss
from kerastorch.metrics.metric import Metric
from kerastorch.mixed_precision import DTypePolicy
from kerastorch.mixed_precision import DTypePolicy as FloatDTypePolicy
from kerastorch.models.model import Model
from kerastorch.models.sequential import Sequential
from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.regularizers import Regularizer

__version__ = "0.1.0"


def version():
    """kerastorch's version string (`keras.version()`)."""
    return __version__
