"""keras.optimizers: Keras's optimizers and formulas, updating torch parameters in place."""

from kerastorch.optimizers import legacy
from kerastorch.optimizers import schedules
from kerastorch.optimizers.adadelta import Adadelta
from kerastorch.optimizers.adagrad import Adagrad
from kerastorch.optimizers.adam import Adam
from kerastorch.optimizers.adamax import Adamax
from kerastorch.optimizers.adamw import AdamW
from kerastorch.optimizers.lion import Lion
from kerastorch.optimizers.nadam import Nadam
from kerastorch.optimizers.optimizer import Optimizer
from kerastorch.optimizers.rmsprop import RMSprop
from kerastorch.optimizers.sgd import SGD

_ALL = (Adadelta, Adagrad, Adam, Adamax, AdamW, Lion, Nadam, RMSprop, SGD)
_BY_NAME = {cls.__name__.lower(): cls for cls in _ALL}


def serialize(optimizer):
    """The optimizer's config in Keras's format."""
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """An optimizer from `serialize()`'s dict (class names are case-insensitive)."""
    name = config["class_name"]
    custom = custom_objects or {}
    cls = custom.get(name) or _BY_NAME.get(name.lower())
    if cls is None:
        raise ValueError(f"Could not interpret optimizer identifier: {config}")
    return cls.from_config(config.get("config", {}))


def get(identifier):
    """An optimizer from a name ('adam', 'sgd', ...), a config dict or an instance.

    Example:
        >>> keras.optimizers.get("adam").learning_rate
        0.001
    """
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is not None:
            return cls()
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
