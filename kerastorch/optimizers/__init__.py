"""keras.optimizers: Keras's optimizers and formulas, updating torch parameters in place."""

from kerastorch import object_lookup
from kerastorch.optimizers import keras2
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


_LEGACY_BY_NAME = {name.lower(): getattr(legacy, name) for name in legacy.__all__}
_LEGACY_MODULE = "kerastorch.optimizers.legacy"


def serialize(optimizer):
    """The optimizer's config in Keras's format (a legacy optimizer names its own module)."""
    module = _LEGACY_MODULE if isinstance(optimizer, legacy.OptimizerV2) else "keras.optimizers"
    return object_lookup.config_dict(optimizer, module)


def _is_legacy(config):
    """tf.keras 2.11+'s rule: a non-empty optimizer config without `is_legacy_optimizer` (what
    tf.keras 2.0-2.10, Keras 2.x and the legacy optimizers write) is a legacy optimizer's."""
    inner = config.get("config")
    return isinstance(inner, dict) and bool(inner) and bool(inner.get("is_legacy_optimizer", True))


def keras2_config(config):
    """The `optimizer_config` of a tf.keras 2 file, made to resolve as tf.keras 2.21 resolves it:
    a legacy optimizer's config (see `_is_legacy`) names `keras.optimizers.legacy`'s class;
    "Custom>Adam" with `is_legacy_optimizer: false` stays the Keras 3 style optimizer, except
    where tf.keras 2's step computes otherwise (`keras2.Nadam`)."""
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        return config
    name = config["class_name"].split(">")[-1]
    if name.lower() in _LEGACY_BY_NAME and _is_legacy(config):
        return {**config, "class_name": _LEGACY_BY_NAME[name.lower()].__name__,
                "module": _LEGACY_MODULE}
    if name in keras2.__all__ and not _is_legacy(config):  # tf.keras 2.11+'s own computation
        return {**config, "class_name": name, "module": keras2.__name__}
    return config


def deserialize(config, custom_objects=None):
    """An optimizer from `serialize()`'s dict (class names are case-insensitive; a tf.keras 2
    config with `is_legacy_optimizer: true` gives the `legacy` class)."""
    by_name = _BY_NAME
    if config.get("module") == _LEGACY_MODULE or (isinstance(config.get("config"), dict) and
                                                  config["config"].get("is_legacy_optimizer")):
        by_name = _LEGACY_BY_NAME
    return object_lookup.deserialize(config, by_name, "optimizer", custom_objects,
                                     key=_class_key)


def _class_key(name):
    """"Custom>Adam" and "adam" both name Adam."""
    return name.split(">")[-1].lower()


def get(identifier):
    """An optimizer from a name ('adam', 'sgd', ...), a config dict or an instance.

    Example:
        >>> keras.optimizers.get("adam").learning_rate
        0.001
    """
    if isinstance(identifier, dict):
        return deserialize(identifier)
    return object_lookup.get(identifier, _BY_NAME, "optimizer", key=str.lower, base=Optimizer,
                             functions=False)
