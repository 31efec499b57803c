"""trainers/trainer.py: compile / fit / evaluate / predict / *_on_batch: input types, freezing,
errors, mixed precision, jit_compile."""

import re

import numpy as np
import pytest
import torch

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


def test_fit_on_numpy_tensors_and_lists_gives_the_same_result():
    x, y = _data()
    results = []
    for convert in (lambda a: a, torch.from_numpy, lambda a: a.tolist()):
        keras.utils.set_random_seed(1)
        model = _compiled()
        h = model.fit(convert(x), convert(y), batch_size=16, epochs=2, shuffle=False, verbose=0)
        results.append((h.history["loss"], model.get_weights()))
    for loss, weights in results[1:]:
        np.testing.assert_allclose(loss, results[0][0], rtol=1e-6)
        for a, b in zip(weights, results[0][1], strict=True):
            np.testing.assert_allclose(a, b, atol=1e-6)


def _dataset(x, y):
    return torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))


def test_fit_on_dataloader_dataset_and_generator_matches_arrays():
    x, y = _data()
    keras.utils.set_random_seed(2)
    ref = _compiled(optimizer="sgd")
    h_ref = ref.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)

    def gen():
        for i in range(0, 64, 16):
            yield x[i:i + 16], y[i:i + 16]

    sources = {
        "loader": lambda: torch.utils.data.DataLoader(_dataset(x, y), batch_size=16),
        "dataset": lambda: _dataset(x, y),
        "generator": gen,
    }
    for name, make in sources.items():
        keras.utils.set_random_seed(2)
        model = _compiled(optimizer="sgd")
        kwargs = {"batch_size": 16} if name == "dataset" else {}
        h = model.fit(make(), epochs=1, shuffle=False, verbose=0, **kwargs)
        np.testing.assert_allclose(h.history["loss"], h_ref.history["loss"], rtol=1e-6,
                                   err_msg=name)
        for a, b in zip(model.get_weights(), ref.get_weights(), strict=True):
            np.testing.assert_allclose(a, b, atol=1e-6, err_msg=name)


def test_evaluate_return_forms_and_metrics_names():
    x, y = _data()
    model = _compiled()
    assert model.metrics_names[0] == "loss"
    result = model.evaluate(x, y, verbose=0)
    assert isinstance(result, list) and len(result) == 2
    d = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(d) == ["loss", "accuracy"]
    assert d["loss"] == pytest.approx(result[0]) and d["accuracy"] == pytest.approx(result[1])
    loss_only = _compiled(metrics=None)
    assert isinstance(loss_only.evaluate(x, y, verbose=0), float)


def test_predict_returns_numpy_in_inference_mode_and_matches_call():
    x, _ = _data()
    model = keras.Sequential([keras.Input((6,)), layers.Dense(8), layers.Dropout(0.5),
                              layers.Dense(2)])
    model.compile("sgd", "mse")
    out = model.predict(x, batch_size=10, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (64, 2)
    with torch.no_grad():
        np.testing.assert_allclose(out, model(torch.from_numpy(x)).numpy(), atol=1e-6)
    np.testing.assert_allclose(model.predict(x[:1], verbose=0), out[:1], atol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), out[:5], atol=1e-6)


def test_train_on_batch_and_test_on_batch():
    x, y = _data()
    model = _compiled(optimizer="sgd")
    before = model.get_weights()
    loss, acc = model.train_on_batch(x[:16], y[:16])
    assert np.isfinite(loss) and 0.0 <= acc <= 1.0
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    logs = model.test_on_batch(x[:16], y[:16], return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    assert model.optimizer.iterations == 1
    assert not model.training


def test_fit_runs_training_mode_and_leaves_model_in_eval_mode():
    seen = []

    class Probe(keras.layers.Layer):
        def call(self, inputs, training=None):
            seen.append(self.training if training is None else training)
            return inputs

    model = keras.Sequential([keras.Input((6,)), Probe(), layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    x, y = _data(n=16)
    seen.clear()
    model.fit(x, y, batch_size=8, verbose=0)
    assert seen[-2:] == [True, True]
    assert not model.training
    seen.clear()
    model.predict(x, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert seen and not any(seen)


def test_frozen_weights_are_bitwise_unchanged_after_recompile_and_fit():
    x, y = _data()
    model = _compiled()
    model.fit(x, y, epochs=1, verbose=0)
    model.layers[0].trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    frozen = [w.copy() for w in model.layers[0].get_weights()]
    last = [w.copy() for w in model.layers[1].get_weights()]
    model.fit(x, y, epochs=2, verbose=0)
    for a, b in zip(frozen, model.layers[0].get_weights(), strict=True):
        assert np.array_equal(a, b)
    assert any(not np.array_equal(a, b)
               for a, b in zip(last, model.layers[1].get_weights(), strict=True))
    assert len(model.optimizer._params) == 2


def test_changing_trainable_without_recompile_warns_and_keeps_frozen_weights():
    x, y = _data()
    model = _compiled()
    model.fit(x, y, epochs=1, verbose=0)
    model.layers[0].trainable = False
    frozen = [w.copy() for w in model.layers[0].get_weights()]
    with pytest.warns(UserWarning, match="Re-compile"):
        model.fit(x, y, epochs=1, verbose=0)
    for a, b in zip(frozen, model.layers[0].get_weights(), strict=True):
        assert np.array_equal(a, b)


def test_constraints_are_applied_after_each_step():
    model = keras.Sequential([keras.Input((6,)),
                              layers.Dense(4, kernel_constraint=keras.constraints.NonNeg())])
    model.compile(keras.optimizers.SGD(1.0), "mse")
    x = np.random.rand(32, 6).astype("float32")
    model.fit(x, -np.ones((32, 4), "float32") * 5, epochs=2, verbose=0)
    assert (model.layers[0].kernel.numpy() >= 0).all()


def test_fit_before_compile_raises_keras_error():
    x, y = _data()
    model = _model()
    with pytest.raises(RuntimeError, match=re.escape("You must call `compile()` before using "
                                                     "the model.")):
        model.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="compile"):
        model.evaluate(x, y, verbose=0)


def test_mismatched_lengths_raise_cardinality_error():
    x, y = _data()
    model = _compiled()
    with pytest.raises(ValueError, match="(?s)Data cardinality is ambiguous.*'x' sizes: 64.*'y' "
                                         "sizes: 60"):
        model.fit(x, y[:60], verbose=0)


def test_missing_loss_and_bad_validation_split():
    x, y = _data()
    model = _model()
    model.compile("sgd")
    with pytest.raises(ValueError, match="No loss to compute"):
        model.fit(x, y, verbose=0)
    model = _compiled()
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(x, y, validation_split=0.999, verbose=0)


def test_set_random_seed_makes_runs_identical():
    x, y = _data()
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(123)
        model = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"),
                                  layers.Dropout(0.3), layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        h = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
        runs.append((h.history, model.get_weights()))
    assert runs[0][0] == runs[1][0]
    for a, b in zip(runs[0][1], runs[1][1], strict=True):
        assert np.array_equal(a, b)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_fit_on_cuda_keeps_data_on_cpu_until_batches():
    x, y = _data()
    model = _compiled()
    model.fit(x, y, epochs=1, verbose=0)
    assert next(model.parameters()).device.type == "cuda"
    assert model.predict(x, verbose=0).shape == (64, 3)


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
def test_mixed_precision_runs_autocast_and_keeps_float32_variables(policy):
    x, y = _data()
    keras.mixed_precision.set_global_policy(policy)
    try:
        model = _compiled()
        seen = []
        model.layers[0].register_forward_hook(lambda m, i, o: seen.append(o.dtype))
        h = model.fit(x, y, epochs=2, verbose=0)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert np.isfinite(h.history["loss"]).all()
    assert seen[-1] == (torch.bfloat16 if policy == "mixed_bfloat16" else torch.float16)
    assert all(p.dtype == torch.float32 for p in model.parameters())
    if policy == "mixed_float16":
        assert model._scaler is not None and model._scaler.scale > 0


def test_jit_compile_falls_back_or_trains(recwarn):
    x, y = _data(n=32)
    model = _compiled(jit_compile=True)
    h = model.fit(x, y, epochs=1, verbose=0)
    assert np.isfinite(h.history["loss"]).all()
    assert model.optimizer.iterations == 1
    if model._compiled_step is None:
        assert any("torch.compile failed" in str(w.message) for w in recwarn.list)


def test_fit_builds_an_unbuilt_sequential_and_a_subclassed_model():
    x, y = _data()
    model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(3)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    h = model.fit(x, y, epochs=2, verbose=0)
    assert model.built and len(model.optimizer._params) == 4 and h.history["loss"][1] > 0

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden, self.out = layers.Dense(8, activation="relu"), layers.Dense(3)
            self.drop = layers.Dropout(0.9)
            self.calls = []

        def call(self, inputs, training=False):
            self.calls.append(training)
            return self.out(self.drop(self.hidden(inputs), training=training))

    sub = Sub()
    sub.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    sub.fit(x, y, batch_size=32, epochs=1, verbose=0)
    assert sub.calls[-1] is True  # subclassed call gets training=True, as in Keras
    sub.predict(x, verbose=0)
    assert not sub.calls[-1]


def test_trainer_state_stays_out_of_state_dict_and_deepcopy_works():
    import copy
    x, y = _data()
    model = _compiled()
    keys = list(model.state_dict())
    model.fit(x, y, verbose=0)
    model.predict(x[:1], verbose=0)
    assert list(model.state_dict()) == keys
    clone = copy.deepcopy(model)
    np.testing.assert_array_equal(clone.predict(x, verbose=0), model.predict(x, verbose=0))


def test_out_of_range_labels_from_a_generator_raise_value_error():
    x, y = _data(n=32)
    y = y.copy()
    y[20] = 9

    def gen():
        for i in range(0, 32, 8):
            yield x[i:i + 8], y[i:i + 8]

    model = _compiled()
    with pytest.raises(ValueError, match="label"):
        model.fit(gen(), epochs=1, verbose=0)


def test_loss_scaler_skips_non_finite_steps_and_grows_after_good_ones():
    from kerastorch.mixed_precision import LossScaler
    p = torch.nn.Parameter(torch.ones(3))
    scaler = LossScaler(initial_scale=8.0, dynamic_growth_steps=2)
    p.grad = torch.tensor([8.0, 16.0, float("inf")])
    assert not scaler.unscale_and_check([p]) and scaler.scale == 4.0
    p.grad = torch.tensor([4.0, 8.0, 12.0])
    assert scaler.unscale_and_check([p])
    np.testing.assert_allclose(p.grad.numpy(), [1.0, 2.0, 3.0])
    p.grad = torch.ones(3)
    assert scaler.unscale_and_check([p]) and scaler.scale == 8.0


def test_digits_demo_trains_fine_tunes_and_reloads(capsys):
    pytest.importorskip("sklearn")
    import importlib.util
    import os
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "examples",
                        "demo_train.py")
    spec = importlib.util.spec_from_file_location("demo_train", path)
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    threads = torch.get_num_threads()
    try:
        accuracy = demo.main()
    finally:
        torch.set_num_threads(threads)
    out = capsys.readouterr().out
    assert accuracy > 0.9
    assert "Epoch 8/8" in out and "reloaded model gives identical predictions: True" in out


def _data_cb(n=48, d=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)).astype("float32"), rng.integers(0, 2, size=(n,))


def _model_cb(lr=0.05):
    model = keras.Sequential([keras.Input((5,)), layers.Dense(6, activation="relu"),
                              layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.SGD(lr), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_validation_freq():
    x, y = _data_cb()
    h = _model_cb().fit(x, y, epochs=4, verbose=0, validation_data=(x, y), validation_freq=2)
    assert len(h.history["val_loss"]) == 2 and len(h.history["loss"]) == 4
    h = _model_cb().fit(x, y, epochs=3, verbose=0, validation_data=(x, y), validation_freq=[1, 3])
    assert len(h.history["val_loss"]) == 2
