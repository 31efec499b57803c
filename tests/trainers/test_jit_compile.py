"""`compile(jit_compile=...)`: the accepted values, the options reaching torch.compile, and no
graph break in the compiled step (forward + loss, whose backward AOTAutograd compiles) on the
model kinds of benchmarks/gpu_suite.py. Checked on CPU with `torch._dynamo.explain`, which
traces without compiling."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers


def _mlp():
    return keras.Sequential([keras.Input((20,)), layers.Dense(16, activation="relu"),
                             layers.Dense(3)]), (8, 20)


def _cnn():
    return keras.Sequential([
        keras.Input((16, 16, 3)), layers.Conv2D(8, 3, padding="same"),
        layers.BatchNormalization(), layers.ReLU(), layers.MaxPooling2D(),
        layers.Conv2D(8, 3, padding="same", activation="relu"), layers.GlobalAveragePooling2D(),
        layers.Dense(3)]), (8, 16, 16, 3)


def _transformer():
    inputs = keras.Input((10, 16))
    attended = layers.MultiHeadAttention(2, 8)(inputs, inputs)
    h = layers.LayerNormalization()(inputs + attended)
    h = layers.LayerNormalization()(h + layers.Dense(16)(layers.Dense(32, activation="gelu")(h)))
    outputs = layers.Dense(3)(layers.GlobalAveragePooling1D()(h))
    return keras.Model(inputs, outputs), (8, 10, 16)


def _lstm():
    return keras.Sequential([keras.Input((12, 5)), layers.LSTM(8), layers.Dense(3)]), (8, 12, 5)


def _trained(build):
    model, shape = build()
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    rng = np.random.default_rng(0)
    x = rng.random(shape, dtype=np.float32)
    y = rng.integers(0, 3, (shape[0],))
    model.fit(x, y, epochs=1, verbose=0)
    return model, torch.from_numpy(x), torch.from_numpy(y)


@pytest.mark.parametrize("build", [_mlp, _cnn, _transformer, _lstm],
                         ids=["mlp", "cnn", "transformer", "lstm"])
def test_compiled_training_step_has_no_graph_break(build):
    model, x, y = _trained(build)
    explained = torch._dynamo.explain(model._forward_loss)(x, y, None)
    assert explained.graph_break_count == 0, explained.break_reasons
    assert explained.graph_count == 1


@pytest.mark.parametrize("value, expected", [
    (True, (True, {})), (False, (False, {})), ("auto", (False, {})),
    ("reduce-overhead", (True, {"mode": "reduce-overhead"})),
    ("max-autotune", (True, {"mode": "max-autotune"})),
    ({"mode": "max-autotune", "fullgraph": True}, (True, {"mode": "max-autotune",
                                                          "fullgraph": True})),
])
def test_jit_compile_values(value, expected):
    model, _ = _mlp()
    model.compile("sgd", "mse", jit_compile=value)
    assert (model._jit_compile, model._compile_options) == expected


@pytest.mark.parametrize("value, message", [
    ("fastest", "Invalid value for `jit_compile`: 'fastest'"),
    ({"mode": "default", "speed": 3}, "torch.compile options it does not take: ['speed']"),
])
def test_bad_jit_compile_values_raise(value, message):
    model, _ = _mlp()
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        model.compile("sgd", "mse", jit_compile=value)


def test_torch_compile_receives_the_options(monkeypatch):
    seen = []

    def fake_compile(fn, **kwargs):
        seen.append(kwargs)
        return fn  # eager: the step still runs, through the "compiled" function

    monkeypatch.setattr(torch, "compile", fake_compile)
    model, shape = _mlp()
    model.compile("sgd", "mse", jit_compile={"mode": "reduce-overhead", "dynamic": False})
    model.fit(np.ones(shape, np.float32), np.ones((shape[0], 3), np.float32), verbose=0)
    assert seen == [{"mode": "reduce-overhead", "dynamic": False}]
    assert model._compiled_step is not None
