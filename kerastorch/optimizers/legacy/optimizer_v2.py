"""OptimizerV2: the base of Keras 2's legacy optimizers (`tf.keras.optimizers.legacy.*`).

They differ from Keras 3's optimizers in what a Keras 2 user and a Keras 2 file rely on:
`decay` (time-based: each step uses `lr / (1 + decay * iterations)`), `lr=` as a deprecated
alias of `learning_rate`, `clipvalue` applied before `clipnorm`/`global_clipnorm`, no weight
decay or EMA, and their state: `iterations`, then each kind of slot for all the variables
before the next kind (`m` of every variable, then `v`), named `<name>/<variable>/<slot>`.
"""

import warnings

import numpy as np
import torch

from kerastorch.optimizers.optimizer import Optimizer

_ALLOWED_KWARGS = ("clipnorm", "clipvalue", "lr", "decay", "global_clipnorm")


class OptimizerV2(Optimizer):
    """Base class of the legacy optimizers: Keras 2's arguments on kerastorch's `Optimizer`.

    Args:
        name: the optimizer's name, also the prefix of its slot names (default: the class's).
        learning_rate: float, `LearningRateSchedule` or callable.
        **kwargs: `clipnorm`, `clipvalue`, `global_clipnorm`, `decay` (time-based learning
            rate decay, default 0) and `lr` (deprecated alias of `learning_rate`).
    """

    def __init__(self, name, learning_rate, **kwargs):
        for key, value in kwargs.items():
            if key not in _ALLOWED_KWARGS:
                raise TypeError(f"Unexpected keyword argument passed to optimizer: {key}. "
                                f"Allowed kwargs are {set(_ALLOWED_KWARGS)}.")
            if value is not None and not callable(value) and value < 0:
                raise ValueError(f"Expected {key} >= 0, received: {value}")
        if "lr" in kwargs:
            warnings.warn("The `lr` argument is deprecated, use `learning_rate` instead.",
                          stacklevel=3)
            learning_rate = kwargs.pop("lr")
        clipnorm, global_clipnorm = kwargs.get("clipnorm"), kwargs.get("global_clipnorm")
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError("Cannot accept both `clipnorm` and `global_clipnorm`. Received: "
                             f"`clipnorm`={clipnorm}, `global_clipnorm`={global_clipnorm}.")
        decay = kwargs.get("decay")
        decay = 0.0 if decay is None else float(decay)
        if isinstance(learning_rate, (int, np.floating, np.integer)) and \
                not isinstance(learning_rate, bool):
            learning_rate = float(learning_rate)
        super().__init__(learning_rate=learning_rate, clipnorm=clipnorm,
                         global_clipnorm=global_clipnorm, name=name)
        self.clipvalue = kwargs.get("clipvalue")
        self.decay = decay

    _keras2_extras = ()  # scalar state after `iter` in Keras 2's `weights` (Nadam's cache)

    def build(self, variables):
        if not self.built:  # Keras 2 names slots after their variable: `Adam/dense/kernel/m`
            self._paths = [getattr(v, "path", None) or getattr(v, "name", None) or
                           f"variable_{i}" for i, v in enumerate(variables)]
        super().build(variables)

    def _keras2_weight_names(self):
        """tf.keras 2's names of `weights`: `<name>/iter:0`, then `<name>/<variable>/<slot>:0`."""
        names = [f"{self.name}/iter:0"] + [f"{self.name}/{n}:0" for n in self._keras2_extras]
        for group in self._slot_groups():
            names.extend(f"{self.name}/{path}/{slot}:0" for path in self._paths for slot in group)
        return names

    def _keras2_weights(self):
        """`(names, values)` of the state as tf.keras 2 writes it in an `.h5`."""
        return self._keras2_weight_names(), self.get_weights()

    def _step_lr(self):
        lr = self._current_lr()
        if self.decay > 0.0:  # float32, as tf.keras computes it
            lr = float(np.float32(lr) / (np.float32(1.0) + np.float32(self.decay) *
                                          np.float32(self._raw_iterations)))
        return lr

    def _clip_gradients(self, grads):
        if self.clipvalue is not None:  # Keras 2 clips by value first, then by norm
            grads = torch._foreach_clamp_min(grads, -self.clipvalue)
            torch._foreach_clamp_max_(grads, self.clipvalue)
        if self.clipnorm is not None or self.global_clipnorm is not None:
            grads = super()._clip_gradients(grads)
        return grads

    @property
    def weights(self):
        """Keras 2's `optimizer.weights`: `iterations`, then the slots (no learning rate)."""
        values = self._keras_layout(self.variables)
        return values[:1] + values[1 if callable(self._learning_rate) else 2:]

    def get_weights(self):
        """`weights` as numpy arrays, in Keras's layout."""
        return [w.detach().cpu().numpy() for w in self.weights]

    def set_weights(self, weights):
        """Sets `iterations` and the slots from `get_weights()`'s list (Keras's layout)."""
        values = list(weights)
        if not callable(self._learning_rate):
            values = values[:1] + [np.float32(self._learning_rate)] + values[1:]
        own = self.variables
        if len(values) != len(own):
            raise ValueError(f"You called `set_weights(weights)` on optimizer {self.name} with "
                             f"a weight list of length {len(weights)}, but the optimizer was "
                             f"expecting {len(self.weights)} weights.")
        self.load_own_variables({str(i): v for i, v in enumerate(values)})

    def _load_keras2_weights(self, values):
        """Loads a Keras 2 file's optimizer state (its `get_weights()` list); False, with
        nothing changed, when the list does not fit this optimizer's `weights`."""
        own = self.weights
        if len(values) != len(own) or any(tuple(np.shape(v)) != tuple(w.shape)
                                          for v, w in zip(values, own)):
            return False
        self.set_weights(values)
        return True

    def _serialize_lr(self):
        lr = self._learning_rate
        if callable(lr) and hasattr(lr, "get_config"):
            return {"class_name": type(lr).__name__, "config": lr.get_config()}
        return lr

    def get_config(self):
        config = {"name": self.name}
        for key in ("clipnorm", "clipvalue", "global_clipnorm"):
            if getattr(self, key) is not None:
                config[key] = getattr(self, key)
        config.update({"learning_rate": self._serialize_lr(), "decay": self.decay})
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if "lr" in config:
            config["learning_rate"] = config.pop("lr")
        config.pop("is_legacy_optimizer", None)
        config.pop("jit_compile", None)
        if isinstance(config.get("learning_rate"), dict):
            from kerastorch.optimizers import schedules
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)
