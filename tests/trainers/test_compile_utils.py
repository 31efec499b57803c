"""trainers/compile_utils.py: losses and metrics matched to the outputs, extra losses, label and
shape checks on the first batch."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch import layers


def _data(n=64, d=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)).astype("float32"), rng.integers(0, classes, size=(n,))


def _model(d=6, classes=3):
    return keras.Sequential([keras.Input((d,)), layers.Dense(8, activation="relu"),
                             layers.Dense(classes, activation="softmax")])


def _compiled(**kwargs):
    model = _model()
    model.compile(optimizer=kwargs.pop("optimizer", "adam"),
                  loss=kwargs.pop("loss", "sparse_categorical_crossentropy"),
                  metrics=kwargs.pop("metrics", ["accuracy"]), **kwargs)
    return model


def test_multi_input_multi_output_model_with_dicts():
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    h = layers.Dense(8, activation="relu")(a)
    out1 = layers.Dense(2, activation="softmax", name="cls")(h)
    out2 = layers.Dense(1, name="reg")(b)
    model = keras.Model([a, b], [out1, out2])
    model.compile("adam", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"]})
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(32, 4)).astype("float32"), rng.normal(size=(32, 3)).astype("float32")
    ya, yb = rng.integers(0, 2, 32), rng.normal(size=(32, 1)).astype("float32")
    hist = model.fit({"a": xa, "b": xb}, {"cls": ya, "reg": yb}, epochs=2, verbose=0)
    assert set(hist.history) == {"loss", "cls_loss", "reg_loss", "cls_accuracy"}
    total = np.array(hist.history["cls_loss"]) + 0.5 * np.array(hist.history["reg_loss"])
    np.testing.assert_allclose(hist.history["loss"], total, rtol=1e-4)
    preds = model.predict([xa, xb], verbose=0)
    assert isinstance(preds, list) and preds[0].shape == (32, 2) and preds[1].shape == (32, 1)


def test_regularization_losses_are_added_to_the_loss():
    x, y = _data()
    keras.utils.set_random_seed(3)
    plain = _compiled(optimizer="sgd", metrics=None)
    keras.utils.set_random_seed(3)
    reg = keras.Sequential([keras.Input((6,)),
                            layers.Dense(8, activation="relu",
                                         kernel_regularizer=keras.regularizers.L2(0.1)),
                            layers.Dense(3, activation="softmax")])
    reg.set_weights(plain.get_weights())
    reg.compile("sgd", "sparse_categorical_crossentropy")
    penalty = 0.1 * float((reg.layers[0].kernel.numpy() ** 2).sum())
    l_plain = plain.evaluate(x, y, verbose=0)
    l_reg = reg.evaluate(x, y, verbose=0)
    assert l_reg == pytest.approx(l_plain + penalty, rel=1e-5)


def test_labels_out_of_range_raise_before_any_update():
    x, y = _data()
    y = y.copy()
    y[40] = 7
    model = _compiled()
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"label value of 7 .*range of \[0, 3\)"):
        model.fit(x, y, batch_size=16, verbose=0)
    for a, b in zip(before, model.get_weights(), strict=True):
        assert np.array_equal(a, b)
    assert model.optimizer.iterations == 0


def test_loss_that_does_not_fit_the_output_raises_value_error():
    x, _ = _data()
    model = _compiled(loss="categorical_crossentropy", metrics=None)
    with pytest.raises(ValueError):
        model.fit(x, np.zeros((64, 5), "float32"), verbose=0)
    assert model.optimizer.iterations == 0


# ---------------------------------------------------------------- Keras 2's train_step API
def _keras2_model():
    inputs = keras.Input((6,))
    hidden = layers.Dense(8, activation="relu",
                          kernel_regularizer=keras.regularizers.l2(0.1))(inputs)
    model = keras.Model(inputs, layers.Dense(1)(hidden))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


def test_compiled_loss_adds_the_given_regularization_losses_once():
    import torch
    model = _keras2_model()
    x, _ = _data()
    y = np.ones((64, 1), "float32")
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    y_pred = model(xt)
    penalty = model.losses
    assert len(penalty) == 1
    loss = model.compiled_loss(yt, y_pred, regularization_losses=penalty)
    expected = torch.mean((y_pred - yt) ** 2) + penalty[0]
    assert torch.allclose(loss, expected, atol=1e-6)
    without = model.compiled_loss(yt, y_pred)
    assert torch.allclose(without, torch.mean((y_pred - yt) ** 2), atol=1e-6)
    tracker = model.metrics[0]
    assert tracker.name == "loss"
    assert np.isclose(float(tracker.result()), float((loss + without) / 2), atol=1e-6)
    assert model.compiled_loss.metrics[0] is tracker


def test_compiled_metrics_update_the_compiled_metrics_only():
    import torch
    model = _keras2_model()
    x, _ = _data()
    yt = torch.zeros((64, 1))
    y_pred = model(torch.from_numpy(x))
    model.compiled_metrics.update_state(yt, y_pred)
    names = [m.name for m in model.compiled_metrics.metrics]
    assert names == ["mae"]
    mae = model.compiled_metrics.metrics[0]
    assert np.isclose(float(mae.result()), float(y_pred.detach().abs().mean()), atol=1e-6)
    assert [m.name for m in model.metrics] == ["loss", "mae"]
    model.compiled_metrics.reset_state()
    assert float(mae.result()) == 0.0


def test_keras2_train_step_with_compiled_loss_and_minimize_trains_under_fit():
    from kerastorch.porting import tf

    class Custom(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = keras.Input((6,))
    model = Custom(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    x, _ = _data()
    y = x[:, :1] * 2.0
    history = model.fit(x, y, batch_size=16, epochs=4, verbose=0)
    assert sorted(history.history) == ["loss", "mae"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.optimizer.iterations == 16
