"""trainers/trainer.py: steps with nothing to differentiate, and models whose only loss comes
from `add_loss` (compiled without `loss`), against Keras 3 on torch."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch import layers
from tests.keras3 import import_keras3

NO_WEIGHTS = "The model does not have any trainable weights."


def _x(n=8, d=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d)).astype("float32")


def _activity_only(k):
    inputs = k.Input((3,))
    model = k.Model(inputs, k.layers.ActivityRegularization(l1=0.1, l2=0.05)(inputs))
    model.compile("sgd")
    return model


def _add_loss_in_call(k):
    class Penalty(k.layers.Layer):
        def call(self, a):
            self.add_loss(k.ops.mean(k.ops.square(a)))
            return a

    k.utils.set_random_seed(0)
    inputs = k.Input((3,))
    model = k.Model(inputs, Penalty()(k.layers.Dense(2)(inputs)))
    model.compile(optimizer=k.optimizers.SGD(0.1))
    return model


def test_activity_regularization_only_model_trains_with_keras3_warning_and_loss():
    keras3 = import_keras3()
    x = _x()
    theirs = _activity_only(keras3).fit(x, epochs=2, batch_size=4, verbose=0).history
    model = _activity_only(keras)
    with pytest.warns(UserWarning, match=NO_WEIGHTS):
        ours = model.fit(x, epochs=2, batch_size=4, verbose=0).history
    assert sorted(ours) == sorted(theirs) == ["loss"]
    np.testing.assert_allclose(ours["loss"], theirs["loss"], rtol=1e-6, atol=1e-5)
    # the penalty of each batch, divided by its size (Keras's activity regularization)
    expected = np.mean([(0.1 * np.abs(b).sum() + 0.05 * np.square(b).sum()) / len(b)
                        for b in (x[:4], x[4:])])
    np.testing.assert_allclose(ours["loss"], [expected] * 2, rtol=1e-5)
    with pytest.warns(UserWarning, match=NO_WEIGHTS):
        np.testing.assert_allclose(model.train_on_batch(x), _activity_only(keras3).train_on_batch(x),
                                   rtol=1e-6)
    np.testing.assert_allclose(model.evaluate(x, verbose=0),
                               _activity_only(keras3).evaluate(x, verbose=0), rtol=1e-6)


def test_add_loss_in_call_compiled_without_loss_trains_like_keras3():
    keras3 = import_keras3()
    x = _x()
    theirs, ours = _add_loss_in_call(keras3), _add_loss_in_call(keras)
    ours.set_weights(theirs.get_weights())
    h_theirs = theirs.fit(x, epochs=3, batch_size=4, shuffle=False, verbose=0).history
    h_ours = ours.fit(x, epochs=3, batch_size=4, shuffle=False, verbose=0).history
    assert sorted(h_ours) == ["loss"]
    np.testing.assert_allclose(h_ours["loss"], h_theirs["loss"], rtol=1e-5, atol=1e-6)
    assert h_ours["loss"][-1] < h_ours["loss"][0]
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)


@pytest.mark.parametrize("how", ["model", "layer"])
def test_frozen_model_reports_the_loss_and_keeps_its_weights(how):
    x, y = _x(), np.ones((8, 1), "float32")
    model = keras.Sequential([keras.Input((3,)),
                              layers.Dense(1, trainable=how != "layer")])
    if how == "model":
        model.trainable = False
    model.compile("adam", "mse")
    before = [w.copy() for w in model.get_weights()]
    with pytest.warns(UserWarning, match=NO_WEIGHTS):
        history = model.fit(x, y, epochs=2, batch_size=4, verbose=0).history
    expected = np.mean((model.predict(x, verbose=0) - y) ** 2)
    np.testing.assert_allclose(history["loss"], [expected] * 2, rtol=1e-5)
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    assert int(model.optimizer.iterations) == 0


def test_loss_that_does_not_depend_on_the_weights_does_not_crash():
    x, y = _x(), np.zeros((8, 1), "float32")
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile("sgd", loss=lambda y_true, y_pred: keras.ops.mean(y_true * 0 + 1.0))
    before = [w.copy() for w in model.get_weights()]
    with pytest.warns(UserWarning, match="does not depend on any trainable weight"):
        history = model.fit(x, y, epochs=1, batch_size=4, verbose=0).history
    np.testing.assert_allclose(history["loss"], [1.0])
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_no_loss_at_all_raises_keras3_error_before_any_update():
    keras3 = import_keras3()
    x, y = _x(), np.zeros((8, 1), "float32")
    for k in (keras3, keras):
        model = k.Sequential([k.Input((3,)), k.layers.Dense(1)])
        model.compile("sgd")
        before = [w.copy() for w in model.get_weights()]
        with pytest.raises(ValueError, match=r"No loss to compute\. Provide a `loss` argument "
                                             r"in `compile\(\)`\."):
            model.fit(x, y, verbose=0)
        with pytest.raises(ValueError, match="No loss to compute"):
            model.evaluate(x, y, verbose=0)
        for a, b in zip(model.get_weights(), before):
            np.testing.assert_array_equal(a, b)
