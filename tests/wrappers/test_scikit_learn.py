"""wrappers/scikit_learn.py: Keras 2's KerasClassifier / KerasRegressor as scikit-learn
estimators (scikit-learn is in the dev extra; tf.keras 2.21 no longer ships these wrappers, so
the check is Keras 2's documented behaviour and scikit-learn's own tools)."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch import layers

sklearn = pytest.importorskip("sklearn")  # in the dev extra: present wherever tests run
from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402

from kerastorch.wrappers.scikit_learn import KerasClassifier  # noqa: E402
from kerastorch.wrappers.scikit_learn import KerasRegressor  # noqa: E402

RNG = np.random.RandomState(0)
X = RNG.rand(60, 4).astype("float32")
LABELS = np.array(["cat", "dog", "eel"])[(X[:, 0] * 3).astype(int)]


def build_classifier(units=8, loss="sparse_categorical_crossentropy"):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(units, activation="relu"),
                              layers.Dense(3, activation="softmax")])
    model.compile("adam", loss, metrics=["accuracy"])
    return model


def build_regressor():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def test_classifier_predicts_its_labels_and_scores_accuracy():
    clf = KerasClassifier(build_fn=build_classifier, units=16, epochs=3, batch_size=8, verbose=0)
    history = clf.fit(X, LABELS)
    assert len(history.history["loss"]) == 3  # epochs reached fit
    assert list(clf.classes_) == ["cat", "dog", "eel"] and clf.n_classes_ == 3
    assert clf.model.layers[0].units == 16  # units reached build_fn
    predicted = clf.predict(X)
    assert predicted.shape == (60,) and set(predicted) <= set(LABELS)
    proba = clf.predict_proba(X)
    assert proba.shape == (60, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(predicted, clf.classes_[proba.argmax(axis=1)])
    accuracy = clf.score(X, LABELS)
    assert accuracy == pytest.approx(np.mean(predicted == LABELS), abs=1e-6)


def test_categorical_loss_gets_one_hot_labels_and_binary_gets_two_columns():
    clf = KerasClassifier(build_fn=build_classifier, loss="categorical_crossentropy", epochs=1,
                          verbose=0)
    clf.fit(X, LABELS)
    assert 0.0 <= clf.score(X, LABELS) <= 1.0

    def build_binary():
        model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        return model

    binary = KerasClassifier(build_fn=build_binary, epochs=1, verbose=0)
    binary.fit(X, X[:, 1] > 0.5)
    proba = binary.predict_proba(X[:5])
    assert proba.shape == (5, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert binary.predict(X[:5]).dtype == bool


def test_score_without_accuracy_metric_raises():
    def build_plain():
        model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        return model

    clf = KerasClassifier(build_fn=build_plain, epochs=1, verbose=0)
    clf.fit(X, LABELS)
    with pytest.raises(ValueError, match="not configured to compute accuracy"):
        clf.score(X, LABELS)


def test_regressor_predicts_a_vector_and_scores_minus_the_loss():
    reg = KerasRegressor(build_fn=build_regressor, epochs=2, verbose=0)
    reg.fit(X, X.sum(axis=1))
    assert reg.predict(X).shape == (60,)
    loss = reg.model.evaluate(X, X.sum(axis=1), verbose=0)
    assert reg.score(X, X.sum(axis=1)) == pytest.approx(-loss)


def test_params_clone_and_sklearn_model_selection():
    clf = KerasClassifier(build_fn=build_classifier, units=4, epochs=1, verbose=0)
    assert clf.get_params() == {"build_fn": build_classifier, "units": 4, "epochs": 1,
                                "verbose": 0}
    copy = clone(clf)
    assert copy is not clf and copy.get_params() == clf.get_params()
    assert cross_val_score(clf, X, LABELS, cv=3).shape == (3,)
    search = GridSearchCV(clf, {"units": [2, 6]}, cv=2).fit(X, LABELS)
    assert search.best_params_["units"] in (2, 6)
    with pytest.raises(ValueError, match="^nonsense is not a legal parameter$"):
        KerasClassifier(build_fn=build_classifier, nonsense=1)
    with pytest.raises(ValueError, match="is not a legal parameter"):
        clf.set_params(nonsense=1)
