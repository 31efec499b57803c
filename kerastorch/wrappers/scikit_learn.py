"""`keras.wrappers.scikit_learn`: Keras 2's `KerasClassifier` and `KerasRegressor`, models as
scikit-learn estimators (`cross_val_score`, `GridSearchCV`, `Pipeline`).

`build_fn` returns a compiled model; the other keyword arguments (`sk_params`) are its
arguments and `fit` / `predict` / `evaluate`'s (`epochs`, `batch_size`, `verbose`, ...), each
given to the calls that take it. scikit-learn itself is optional (`pip install
kerastorch[sklearn]`): with it installed the wrappers are its estimators (tags, `clone`).

Example:
    >>> def build(units=8):
    ...     model = keras.Sequential([keras.Input((4,)), layers.Dense(units, activation="relu"),
    ...                               layers.Dense(3, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    ...     return model
    >>> clf = KerasClassifier(build_fn=build, units=16, epochs=5, verbose=0)
    >>> cross_val_score(clf, x, y, cv=3)
"""

import copy
import inspect
import types

import numpy as np

from kerastorch.models.model import Model
from kerastorch.models.sequential import Sequential
from kerastorch.utils.np_utils import to_categorical

try:  # scikit-learn's base classes when it is installed (tags, clone, is_classifier)
    from sklearn.base import BaseEstimator as _Base
    from sklearn.base import ClassifierMixin as _ClassifierBase
    from sklearn.base import RegressorMixin as _RegressorBase
except ImportError:  # pragma: no cover - exercised where scikit-learn is absent
    _Base = _ClassifierBase = _RegressorBase = object


class BaseWrapper(_Base):
    """The part of both wrappers: parameters, building and `fit`."""

    def __init__(self, build_fn=None, **sk_params):
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)

    def check_params(self, params):
        """Raises ValueError for a parameter that neither `build_fn` nor `fit` / `predict` /
        `evaluate` takes."""
        legal = [Sequential.fit, Sequential.predict, Sequential.evaluate, _predict_classes]
        if self.build_fn is None:
            legal.append(self.__call__)
        elif not isinstance(self.build_fn, types.FunctionType) and \
                not isinstance(self.build_fn, types.MethodType):
            legal.append(self.build_fn.__call__)
        else:
            legal.append(self.build_fn)
        names = set()
        for fn in legal:
            names.update(inspect.signature(fn).parameters)
        names.add("workers")
        names.add("use_multiprocessing")
        names.add("max_queue_size")
        for name in params:
            if name not in names:
                raise ValueError(f"{name} is not a legal parameter")

    def get_params(self, **params):
        """`build_fn` and the `sk_params`, as the constructor takes them."""
        res = copy.deepcopy(self.sk_params)
        res.update({"build_fn": self.build_fn})
        return res

    def set_params(self, **params):
        self.check_params(params)
        self.sk_params.update(params)
        return self

    def __sklearn_clone__(self):
        return type(self)(**self.get_params())

    def _build(self, **kwargs):
        if self.build_fn is None:
            return self.__call__(**self.filter_sk_params(self.__call__, kwargs))
        if not isinstance(self.build_fn, (types.FunctionType, types.MethodType)):
            return self.build_fn(**self.filter_sk_params(self.build_fn.__call__, kwargs))
        return self.build_fn(**self.filter_sk_params(self.build_fn, kwargs))

    def fit(self, x, y, **kwargs):
        """Builds a new model with `build_fn` and trains it on `x`, `y`; returns the History."""
        self.model = self._build(**kwargs)
        if not isinstance(self.model, Model):
            raise ValueError(f"`build_fn` must return a compiled Keras model. Received: "
                             f"{self.model!r}")
        loss = getattr(self.model, "loss", None)
        losses = loss if isinstance(loss, (list, tuple)) else [loss]
        y = np.asarray(y)
        if "categorical_crossentropy" in losses and y.ndim != 2:
            y = to_categorical(y)
        fit_args = copy.deepcopy(self.filter_sk_params(Sequential.fit))
        fit_args.update(kwargs)
        return self.model.fit(x, y, **fit_args)

    def filter_sk_params(self, fn, override=None):
        """The `sk_params` (then `override`) that `fn` takes as arguments."""
        override = override or {}
        takes = inspect.signature(fn).parameters
        res = {name: value for name, value in self.sk_params.items() if name in takes}
        res.update({name: value for name, value in override.items() if name in takes})
        return res


def _predict_classes(x, batch_size=32, verbose=0):
    """Keras 2's `Sequential.predict_classes` arguments (checked by `check_params`)."""


class KerasClassifier(BaseWrapper, _ClassifierBase):
    """A classifier: `fit` labels of any values (`classes_`), `predict` them back,
    `predict_proba`, `score` (the model's accuracy: compile it with `metrics=["accuracy"]`)."""

    def fit(self, x, y, sample_weight=None, **kwargs):
        y = np.array(y)
        if y.ndim == 2 and y.shape[1] > 1:
            self.classes_ = np.arange(y.shape[1])
        elif (y.ndim == 2 and y.shape[1] == 1) or y.ndim == 1:
            self.classes_ = np.unique(y)
            y = np.searchsorted(self.classes_, y)
        else:
            raise ValueError(f"Invalid shape for y: {y.shape}")
        self.n_classes_ = len(self.classes_)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return super().fit(x, y, **kwargs)

    def predict(self, x, **kwargs):
        """The class labels (values of `classes_`) of the samples of `x`."""
        proba = self.model.predict(x, **self.filter_sk_params(Sequential.predict, kwargs))
        if proba.shape[-1] > 1:
            classes = proba.argmax(axis=-1)
        else:
            classes = (proba > 0.5).astype("int32")
        return self.classes_[np.squeeze(classes, axis=-1) if classes.ndim > 1 else classes]

    def predict_proba(self, x, **kwargs):
        """Class probabilities `(samples, classes)`; two columns for a one-unit sigmoid."""
        probs = self.model.predict(x, **self.filter_sk_params(Sequential.predict, kwargs))
        if probs.shape[1] == 1:
            probs = np.hstack([1 - probs, probs])
        return probs

    def score(self, x, y, **kwargs):
        """The model's accuracy on `x`, `y`."""
        y = np.searchsorted(self.classes_, y)
        kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
        loss = getattr(self.model, "loss", None)
        losses = loss if isinstance(loss, (list, tuple)) else [loss]
        if "categorical_crossentropy" in losses and y.ndim != 2:
            y = to_categorical(y)
        outputs = self.model.evaluate(x, y, **kwargs)
        outputs = outputs if isinstance(outputs, list) else [outputs]
        for name, output in zip(self.model.metrics_names, outputs):
            if name in ("accuracy", "acc"):
                return output
        raise ValueError("The model is not configured to compute accuracy. You should pass "
                         "`metrics=[\"accuracy\"]` to the `model.compile()` method.")


class KerasRegressor(BaseWrapper, _RegressorBase):
    """A regressor: `predict` gives the model's outputs (squeezed), `score` minus its loss."""

    def predict(self, x, **kwargs):
        return np.squeeze(self.model.predict(x, **self.filter_sk_params(Sequential.predict,
                                                                        kwargs)))

    def score(self, x, y, **kwargs):
        kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
        loss = self.model.evaluate(x, y, **kwargs)
        return -loss[0] if isinstance(loss, list) else -loss
