"""keras.optimizers.legacy: Keras 2's optimizers (`tf.keras.optimizers.legacy.*`).

They keep Keras 2's `decay` and `lr` arguments, update formulas and state layout, so Keras 2
training code and files that use them resume exactly: a Keras 2 `.h5` or SavedModel whose
optimizer config is a legacy one (no `is_legacy_optimizer: false`) compiles with these.
"""

from kerastorch.optimizers.legacy.adadelta import Adadelta
from kerastorch.optimizers.legacy.adagrad import Adagrad
from kerastorch.optimizers.legacy.adam import Adam
from kerastorch.optimizers.legacy.adamax import Adamax
from kerastorch.optimizers.legacy.ftrl import Ftrl
from kerastorch.optimizers.legacy.nadam import Nadam
from kerastorch.optimizers.legacy.optimizer_v2 import OptimizerV2
from kerastorch.optimizers.legacy.rmsprop import RMSprop
from kerastorch.optimizers.legacy.sgd import SGD

Optimizer = OptimizerV2
RMSProp = RMSprop

__all__ = ["Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "Optimizer", "OptimizerV2",
           "RMSprop", "SGD"]
