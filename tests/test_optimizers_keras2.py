"""Keras 2 surface of the optimizers without TensorFlow: `lr=` as an alias of `learning_rate`,
and how tf.keras 2 optimizer configs resolve (`optimizers.keras2_config`, `deserialize`).
The numbers against real tf.keras are in tests/keras2/test_legacy_optimizers.py."""

import warnings

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import optimizers

NEW = [optimizers.SGD, optimizers.Adam, optimizers.AdamW, optimizers.RMSprop,
       optimizers.Adagrad, optimizers.Adadelta, optimizers.Adamax, optimizers.Nadam,
       optimizers.Lion, optimizers.keras2.Nadam]
LEGACY = [getattr(optimizers.legacy, n) for n in ("SGD", "Adam", "RMSprop", "Adagrad",
                                                  "Adadelta", "Adamax", "Nadam", "Ftrl")]


@pytest.mark.parametrize("cls", NEW + LEGACY, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_lr_is_an_alias_of_learning_rate_with_one_warning(cls):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt = cls(lr=0.25)
    messages = [str(w.message) for w in caught]
    assert messages == ["The `lr` argument is deprecated, use `learning_rate` instead."]
    assert float(opt.learning_rate) == 0.25
    assert opt.get_config()["learning_rate"] == 0.25
    # the step uses it: the same update as learning_rate=0.25
    a, b = ([keras.Variable(np.ones((3,), "float32")) for _ in range(2)] for _ in range(2))
    g = torch.tensor([0.5, -1.0, 2.0])
    opt.apply_gradients([(g, a[0]), (-g, a[1])])
    cls(learning_rate=0.25).apply_gradients([(g, b[0]), (-g, b[1])])
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.numpy(), y.numpy())
        assert not np.array_equal(x.numpy(), np.ones(3, "float32"))


def test_keras2_nadam_on_one_variable_diverges_at_once_as_tf_keras():
    """tf.keras 2.21's Nadam fit() on a model of one weight (Dense, no bias) gives NaN weights
    after the first epoch (checked under TF): its first step divides by 1 - u_product = 0."""
    w = keras.Variable(np.ones((3,), "float32"))
    optimizers.keras2.Nadam(0.01).apply_gradients([(torch.tensor([0.5, -1.0, 2.0]), w)])
    assert not np.isfinite(w.numpy()).any()
    v = keras.Variable(np.ones((3,), "float32"))
    optimizers.Nadam(0.01).apply_gradients([(torch.tensor([0.5, -1.0, 2.0]), v)])
    assert np.isfinite(v.numpy()).all()  # Keras 3's Nadam does not


def test_legacy_optimizer_rejects_unknown_and_negative_arguments():
    with pytest.raises(TypeError, match="Unexpected keyword argument passed to optimizer: "
                                        "weight_decay"):
        optimizers.legacy.Adam(weight_decay=0.1)
    with pytest.raises(ValueError, match="decay >= 0"):
        optimizers.legacy.SGD(decay=-1.0)


@pytest.mark.parametrize("config, module, class_name", [
    # tf.keras 2.0-2.10 and the legacy optimizers of 2.11+: no `is_legacy_optimizer`
    ({"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.01, "decay": 0.1}},
     "kerastorch.optimizers.legacy", "Adam"),
    # Keras 2.1 (TF 1.x): `lr`
    ({"class_name": "SGD", "config": {"lr": 0.01, "momentum": 0.9, "decay": 0.0,
                                      "nesterov": False}},
     "kerastorch.optimizers.legacy", "SGD"),
    ({"class_name": "RMSprop", "config": {"name": "RMSprop", "is_legacy_optimizer": True}},
     "kerastorch.optimizers.legacy", "RMSprop"),
    # tf.keras 2.11+'s own optimizers
    ({"class_name": "Custom>Adam", "config": {"name": "Adam", "is_legacy_optimizer": False}},
     None, "Custom>Adam"),
    ({"class_name": "Custom>Nadam", "config": {"name": "Nadam", "is_legacy_optimizer": False}},
     "kerastorch.optimizers.keras2", "Nadam"),
    # an empty config is tf.keras's default: not legacy
    ({"class_name": "Adam", "config": {}}, None, "Adam"),
])
def test_keras2_config_resolves_as_tf_keras(config, module, class_name):
    out = optimizers.keras2_config(config)
    assert out.get("module") == module
    assert out["class_name"] == class_name
    assert out["config"] == config["config"]


def test_keras2_files_config_compiles_with_the_legacy_class():
    config = optimizers.keras2_config(
        {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.01, "decay": 0.1,
                                          "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-7,
                                          "amsgrad": False}})
    from kerastorch.saving import serialization_lib
    opt = serialization_lib.deserialize_keras_object(config)
    assert type(opt) is optimizers.legacy.Adam
    assert (opt.decay, opt.beta_1) == (0.1, 0.8)


def test_deserialize_and_serialize_round_trip_legacy_optimizers():
    opt = optimizers.legacy.Adagrad(learning_rate=0.1, decay=0.01)
    out = optimizers.serialize(opt)
    assert out["module"] == "kerastorch.optimizers.legacy"
    again = optimizers.deserialize(out)
    assert type(again) is optimizers.legacy.Adagrad
    assert again.get_config() == opt.get_config()
    legacy_flag = optimizers.deserialize({"class_name": "Adam",
                                          "config": {"is_legacy_optimizer": True}})
    assert type(legacy_flag) is optimizers.legacy.Adam
    assert type(optimizers.deserialize({"class_name": "Adam", "config": {}})) is optimizers.Adam


def test_keras_file_of_a_legacy_optimizer_reloads_it_with_its_state(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    model.compile(optimizer=optimizers.legacy.Adam(learning_rate=0.05, decay=0.1), loss="mse")
    x = np.random.default_rng(0).standard_normal((8, 3)).astype("float32")
    model.fit(x, x[:, :2], batch_size=4, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    again = keras.models.load_model(tmp_path / "m.keras")
    assert type(again.optimizer) is optimizers.legacy.Adam
    assert again.optimizer.decay == pytest.approx(0.1)
    assert int(again.optimizer.iterations) == 2
    for a, b in zip(again.optimizer.get_weights(), model.optimizer.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_minimize_takes_a_loss_function_as_keras2_and_steps_like_apply_gradients():
    torch.manual_seed(0)
    x = torch.rand(4, 3)
    first = keras.layers.Dense(2)
    first.build((None, 3))
    second = keras.layers.Dense(2)
    second.build((None, 3))
    second.set_weights(first.get_weights())
    a, b = optimizers.SGD(0.1), optimizers.SGD(0.1)
    assert int(a.minimize(lambda: (first(x) ** 2).mean(), first.trainable_weights)) == 1
    loss = (second(x) ** 2).mean()
    loss.backward()
    b.apply_gradients([(p.grad, p) for p in second.parameters()])
    for ours, theirs in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    with pytest.raises(ValueError, match="No gradients"):
        a.minimize(lambda: torch.ones((), requires_grad=True) * 2, first.trainable_weights)
