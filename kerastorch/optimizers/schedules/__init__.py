"""keras.optimizers.schedules: learning rate as a function of the step count."""

from kerastorch.optimizers.schedules.learning_rate_schedule import CosineDecay
from kerastorch.optimizers.schedules.learning_rate_schedule import CosineDecayRestarts
from kerastorch.optimizers.schedules.learning_rate_schedule import ExponentialDecay
from kerastorch.optimizers.schedules.learning_rate_schedule import InverseTimeDecay
from kerastorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from kerastorch.optimizers.schedules.learning_rate_schedule import PiecewiseConstantDecay
from kerastorch.optimizers.schedules.learning_rate_schedule import PolynomialDecay

_ALL = {cls.__name__: cls for cls in (CosineDecay, CosineDecayRestarts, ExponentialDecay,
                                      InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay)}


def serialize(learning_rate_schedule):
    return {"module": "keras.optimizers.schedules",
            "class_name": type(learning_rate_schedule).__name__,
            "config": learning_rate_schedule.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """A schedule from `serialize()`'s dict (Keras's format)."""
    objects = dict(_ALL, **(custom_objects or {}))
    name = config["class_name"]
    if name not in objects:
        raise ValueError(f"Unknown decay: '{name}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is included "
                         "in the scope.")
    return objects[name].from_config(config.get("config", {}))
