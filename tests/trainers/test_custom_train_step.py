"""Overridden train_step / test_step / predict_step on torch, as Keras 3's torch guides write
them: fit/evaluate call the override with Keras's data packing and log what it returns."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from tests.keras3 import import_keras3


def _guide_step(model, data):
    x, y = data
    model.zero_grad()
    y_pred = model(x, training=True)
    loss = model.compute_loss(y=y, y_pred=y_pred)
    loss.backward()
    weights = list(model.trainable_weights)
    grads = [v.value.grad for v in weights]
    with torch.no_grad():
        model.optimizer.apply(grads, weights)
    for metric in model.metrics:
        if metric.name == "loss":
            metric.update_state(loss)
        else:
            metric.update_state(y, y_pred)
    return {m.name: m.result() for m in model.metrics}


def _make_guide_class(base):
    class GuideModel(base.Model):
        def train_step(self, data):
            return _guide_step(self, data)
    return GuideModel


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 5)).astype("float32")
    y = (x @ rng.normal(size=(5, 2))).astype("float32")
    return x, y


def test_fit_calls_override_and_logs_what_it_returns():
    calls = []

    class M(keras.Model):
        def train_step(self, data):
            calls.append(type(data))
            return {"custom": torch.tensor(7.0), "nested": {"inner": 2}}

    inputs = keras.Input((5,))
    model = M(inputs, layers.Dense(2)(inputs))
    model.compile(optimizer="sgd")
    x, y = _data()
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert len(calls) == 8 and all(c is tuple for c in calls)
    assert history.history == {"custom": [7.0, 7.0], "inner": [2.0, 2.0]}


def test_data_is_packed_as_keras_packs_it():
    seen = []

    class M(keras.Model):
        def train_step(self, data):
            seen.append(data if isinstance(data, torch.Tensor) else len(data))
            return {}

    inputs = keras.Input((5,))
    model = M(inputs, layers.Dense(2)(inputs))
    model.compile(optimizer="sgd")
    x, y = _data()
    model.fit(x, batch_size=32, verbose=0)
    model.fit(x, y, batch_size=32, verbose=0)
    model.fit(x, y, sample_weight=np.ones(32, "float32"), batch_size=32, verbose=0)
    assert isinstance(seen[0], torch.Tensor) and tuple(seen[0].shape) == (32, 5)
    assert seen[1:] == [2, 3]


def test_value_grad_is_the_parameter_gradient_in_keras_layout():
    layer = layers.Dense(3)
    out = layer(torch.ones(2, 4))
    out.sum().backward()
    kernel = layer.kernel
    assert tuple(kernel.value.grad.shape) == (4, 3)
    torch.testing.assert_close(kernel.value.grad, kernel.torch_tensor.grad.permute(1, 0))
    # ops on the value give plain tensors
    assert type(kernel.value * 2) is torch.Tensor


def test_guide_train_step_equals_keras3():
    keras3 = import_keras3()
    x, y = _data()

    def build(k):
        k.utils.set_random_seed(0)
        inputs = k.Input((5,))
        h = k.layers.Dense(4, activation="relu")(inputs)
        model = _make_guide_class(k)(inputs, k.layers.Dense(2)(h))
        model.compile(optimizer=k.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
        return model

    theirs, ours = build(keras3), build(keras)
    ours.set_weights(theirs.get_weights())
    h_theirs = theirs.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    h_ours = ours.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    assert sorted(h_ours) == sorted(h_theirs) == ["loss", "mae"]
    for key in h_theirs:
        np.testing.assert_allclose(h_ours[key], h_theirs[key], rtol=1e-5, atol=1e-6)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_custom_test_and_predict_steps():
    class M(keras.Model):
        def test_step(self, data):
            x, y = data
            return {"score": keras.ops.mean(self(x) - y)}

        def predict_step(self, data):
            return self(data) * 0 + 3

    inputs = keras.Input((5,))
    model = M(inputs, layers.Dense(2)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    x, y = _data()
    logs = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    assert list(logs) == ["score"]
    np.testing.assert_allclose(logs["score"],
                               float((model(torch.from_numpy(x)).detach() -
                                      torch.from_numpy(y)).mean()), atol=1e-6)
    out = model.predict(x[:4], verbose=0)  # the one-batch shortcut must not skip the override
    assert out.shape == (4, 2) and np.all(out == 3)


def test_add_loss_terms_reach_compute_loss_once_per_step():
    class Penalty(layers.Layer):
        def call(self, x):
            self.add_loss(keras.ops.sum(x * 0) + 1.0)
            return x

    seen = []

    class M(keras.Model):
        def train_step(self, data):
            x = data
            self.zero_grad()
            y_pred = self(x, training=True)
            seen.append(len(self.losses))
            loss = self.compute_loss(x=x, y_pred=y_pred)
            loss.backward()
            return {"loss": loss}

    inputs = keras.Input((5,))
    model = M(inputs, Penalty()(layers.Dense(2)(inputs)))
    model.compile(optimizer="sgd")
    x, _ = _data()
    history = model.fit(x, batch_size=8, epochs=1, verbose=0)
    assert seen == [1, 1, 1, 1]
    assert history.history["loss"] == [1.0]


def test_attribute_metrics_are_tracked_and_reset():
    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.tracker = keras.metrics.Mean(name="tracked")

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            self.tracker.update_state(torch.tensor(float(len(self.tracker_log))))
            self.tracker_log.append(1)
            return {m.name: m.result() for m in self.metrics}

    model = M()
    model.tracker_log = []
    assert [m.name for m in model.metrics] == ["tracked"]
    model.compile(optimizer="sgd")
    x, _ = _data()
    history = model.fit(x, batch_size=16, epochs=2, verbose=0)
    assert [m.name for m in model.metrics] == ["loss", "tracked"]
    # reset at each epoch start: epoch 1 sees 0, 1 -> 0.5; epoch 2 sees 2, 3 -> 2.5
    assert history.history["tracked"] == [0.5, 2.5]


def test_train_on_batch_uses_override():
    class M(keras.Model):
        def train_step(self, data):
            return {"n": data[0].shape[0]}

    inputs = keras.Input((5,))
    model = M(inputs, layers.Dense(2)(inputs))
    model.compile(optimizer="sgd")
    x, y = _data()
    assert model.train_on_batch(x, y, return_dict=True) == {"n": 32.0}


def test_compute_loss_without_loss_raises_keras_error():
    class M(keras.Model):
        def train_step(self, data):
            x, y = data
            return {"loss": self.compute_loss(x=x, y=y, y_pred=self(x))}

    inputs = keras.Input((5,))
    model = M(inputs, layers.Dense(2)(inputs))
    model.compile(optimizer="sgd")
    x, y = _data()
    with pytest.raises(ValueError, match="No loss to compute"):
        model.fit(x, y, verbose=0)


def test_plain_torch_loop_with_add_loss_sees_one_call_of_losses_like_keras3():
    keras3 = import_keras3()

    def build(k):
        class Penalty(k.layers.Layer):
            def call(self, x):
                self.add_loss(k.ops.mean(k.ops.square(x)))
                return x

        inputs = k.Input((5,))
        return k.Model(inputs, k.layers.Dense(1)(Penalty()(k.layers.Dense(3)(inputs))))

    x, _ = _data()
    counts = {}
    for name, k in (("keras3", keras3), ("ours", keras)):
        model = build(k)
        optimizer = k.optimizers.SGD(0.01)
        seen = []
        for step in range(3):
            model.zero_grad()
            out = model(torch.from_numpy(x[:8]), training=True)
            loss = out.pow(2).mean() + sum(model.losses)
            seen.append(len(model.losses))
            loss.backward()  # a stale loss from the last step would fail here
            weights = model.trainable_weights
            with torch.no_grad():
                optimizer.apply([v.value.grad for v in weights], weights)
        counts[name] = seen
    assert counts["ours"] == counts["keras3"] == [1, 1, 1]


def test_evaluate_lists_returned_keys_beyond_the_metrics_like_keras3():
    keras3 = import_keras3()
    x, y = _data()

    def build(k):
        class M(k.Model):
            def test_step(self, data):
                return {"zeta": 2.0, "alpha": 1.0}

        inputs = k.Input((5,))
        model = M(inputs, k.layers.Dense(2)(inputs))
        model.compile(optimizer="sgd", loss="mse")
        return model

    theirs = build(keras3).evaluate(x, y, verbose=0)
    ours = build(keras).evaluate(x, y, verbose=0)
    assert ours == theirs == [1.0, 2.0]
