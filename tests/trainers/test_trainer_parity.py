"""Training parity with Keras 3 (torch backend): same MLP, same initial weights, same data in the
same order (shuffle=False), 2 epochs -> same final weights (atol=1e-5) and same history."""

import numpy as np
import pytest

import kerastorch
from tests.keras3 import import_keras3

ATOL = 1e-5


def _data(n=100, d=8, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = rng.integers(0, classes, size=(n,))
    return x, y


def _mlp(lib, d=8, classes=3, out_activation="softmax"):
    return lib.Sequential([lib.Input((d,)), lib.layers.Dense(16, activation="relu"),
                           lib.layers.Dense(12, activation="tanh"),
                           lib.layers.Dense(classes, activation=out_activation)])


def _optimizer(lib, name):
    if name == "sgd":
        return lib.optimizers.SGD(learning_rate=0.1)
    if name == "sgd_momentum":
        return lib.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True)
    if name == "rmsprop":
        return lib.optimizers.RMSprop(learning_rate=0.01)
    return lib.optimizers.Adam(learning_rate=0.01)


@pytest.mark.parametrize("opt", ["sgd", "adam", "sgd_momentum", "rmsprop"])
def test_fit_two_epochs_matches_keras3_weights_and_history(opt):
    keras3 = import_keras3()
    x, y = _data()
    ref = _mlp(keras3)
    ours = _mlp(kerastorch)
    ours.set_weights(ref.get_weights())
    for model, lib in ((ref, keras3), (ours, kerastorch)):
        model.compile(optimizer=_optimizer(lib, opt), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    h_ref = ref.fit(x, y, batch_size=32, epochs=2, shuffle=False, verbose=0,
                    validation_data=(x[:20], y[:20]))
    h_ours = ours.fit(x, y, batch_size=32, epochs=2, shuffle=False, verbose=0,
                      validation_data=(x[:20], y[:20]))
    for a, b in zip(ref.get_weights(), ours.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, atol=ATOL)
    assert sorted(h_ours.history) == sorted(h_ref.history)
    for key in h_ref.history:
        np.testing.assert_allclose(h_ours.history[key], h_ref.history[key], atol=ATOL,
                                   err_msg=key)
    assert h_ours.epoch == h_ref.epoch
    assert ours.optimizer.iterations == int(ref.optimizer.iterations.numpy())


def test_evaluate_and_predict_match_keras3():
    keras3 = import_keras3()
    x, y = _data(n=70)
    ref, ours = _mlp(keras3), _mlp(kerastorch)
    ours.set_weights(ref.get_weights())
    for model in (ref, ours):
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    r = ref.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    o = ours.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    assert sorted(o) == sorted(r)
    for k in r:
        np.testing.assert_allclose(o[k], r[k], atol=ATOL)
    np.testing.assert_allclose(ours.predict(x, batch_size=16, verbose=0),
                               ref.predict(x, batch_size=16, verbose=0), atol=ATOL)
    lst_r = ref.evaluate(x, y, verbose=0)
    lst_o = ours.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(lst_o, lst_r, atol=ATOL)


def test_sample_weight_and_class_weight_match_keras3():
    keras3 = import_keras3()
    x, y = _data(n=64)
    sw = np.linspace(0.1, 2.0, 64).astype("float32")
    for kwargs in ({"sample_weight": sw}, {"class_weight": {0: 0.5, 1: 2.0, 2: 1.0}}):
        ref, ours = _mlp(keras3), _mlp(kerastorch)
        ours.set_weights(ref.get_weights())
        for model, lib in ((ref, keras3), (ours, kerastorch)):
            model.compile(optimizer=lib.optimizers.SGD(0.1),
                          loss="sparse_categorical_crossentropy")
        h_ref = ref.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0, **kwargs)
        h_ours = ours.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0, **kwargs)
        np.testing.assert_allclose(h_ours.history["loss"], h_ref.history["loss"], atol=ATOL)
        for a, b in zip(ref.get_weights(), ours.get_weights(), strict=True):
            np.testing.assert_allclose(b, a, atol=ATOL)


def test_validation_split_matches_keras3():
    keras3 = import_keras3()
    x, y = _data(n=50)
    ref, ours = _mlp(keras3), _mlp(kerastorch)
    ours.set_weights(ref.get_weights())
    for model, lib in ((ref, keras3), (ours, kerastorch)):
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    h_ref = ref.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, validation_split=0.3)
    h_ours = ours.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
                      validation_split=0.3)
    for key in h_ref.history:
        np.testing.assert_allclose(h_ours.history[key], h_ref.history[key], atol=ATOL,
                                   err_msg=key)


def test_callbacks_stop_and_schedule_like_keras3():
    keras3 = import_keras3()
    x, y = _data(n=64)
    ref, ours = _mlp(keras3), _mlp(kerastorch)
    ours.set_weights(ref.get_weights())
    histories = []
    for model, lib in ((ref, keras3), (ours, kerastorch)):
        model.compile(optimizer=lib.optimizers.SGD(0.2), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        cbs = [lib.callbacks.EarlyStopping(monitor="loss", min_delta=0.02, patience=1,
                                           restore_best_weights=True),
               lib.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1,
                                               min_delta=0.03),
               lib.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.9)]
        histories.append(model.fit(x, y, batch_size=16, epochs=12, shuffle=False, verbose=0,
                                   callbacks=cbs))
    h_ref, h_ours = histories
    assert h_ours.epoch == h_ref.epoch and len(h_ref.epoch) < 12  # stopped early
    assert "learning_rate" in h_ref.history
    assert sorted(h_ours.history) == sorted(h_ref.history)
    for key in h_ref.history:
        np.testing.assert_allclose(h_ours.history[key], h_ref.history[key], atol=ATOL,
                                   err_msg=key)
    for a, b in zip(ref.get_weights(), ours.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, atol=ATOL)


def _two_output_model(lib):
    a, b = lib.Input((4,), name="a"), lib.Input((3,), name="b")
    h = lib.layers.Dense(8, activation="relu")(a)
    out1 = lib.layers.Dense(2, activation="softmax", name="cls")(h)
    out2 = lib.layers.Dense(1, name="reg")(lib.layers.Dense(5)(b))
    return lib.Model([a, b], [out1, out2])


@pytest.mark.parametrize("as_dict", [True, False])
def test_multi_output_losses_weights_and_metrics_match_keras3(as_dict):
    keras3 = import_keras3()
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(40, 4)).astype("float32"), rng.normal(size=(40, 3)).astype("float32")
    ya, yb = rng.integers(0, 2, 40), rng.normal(size=(40, 1)).astype("float32")
    ref, ours = _two_output_model(keras3), _two_output_model(kerastorch)
    ours.set_weights(ref.get_weights())
    if as_dict:
        kwargs = dict(loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                      loss_weights={"cls": 1.0, "reg": 0.3}, metrics={"cls": ["accuracy"]})
        y = {"cls": ya, "reg": yb}
    else:
        kwargs = dict(loss=["sparse_categorical_crossentropy", "mse"], loss_weights=[0.7, 1.0],
                      metrics=[["accuracy"], ["mae"]])
        y = [ya, yb]
    results = []
    for model, lib in ((ref, keras3), (ours, kerastorch)):
        model.compile(optimizer=lib.optimizers.SGD(0.1), **kwargs)
        h = model.fit({"a": xa, "b": xb}, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        results.append((h.history, model.evaluate([xa, xb], [ya, yb], verbose=0)))
    (h_ref, e_ref), (h_ours, e_ours) = results
    assert sorted(h_ours) == sorted(h_ref)
    for key in h_ref:
        np.testing.assert_allclose(h_ours[key], h_ref[key], atol=ATOL, err_msg=key)
    np.testing.assert_allclose(e_ours, e_ref, atol=ATOL)
    for a, b in zip(ref.get_weights(), ours.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, atol=ATOL)
