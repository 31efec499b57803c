"""porting/tf/function.py against real TensorFlow 2.21: the cases of function_cases.py run under
both and give the same values, dtypes, shapes and error types."""

import pytest

from tests.porting.tf import parity

CASES = parity.case_names("function_cases.py")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return parity.both("function_cases.py", tmp_path_factory.mktemp("function"))


@pytest.mark.parametrize("name", CASES)
def test_case_matches_tensorflow(results, name):
    ours, theirs = results
    parity.assert_same(ours[name], theirs[name], name)


def test_jit_compile_uses_torch_compile(monkeypatch):
    import torch
    from kerastorch.porting import tf
    compiled = []

    def fake_compile(fn):
        compiled.append(fn)
        return lambda *a, **k: fn(*a, **k) + 100.0
    monkeypatch.setattr(torch, "compile", fake_compile)

    @tf.function(jit_compile=True)
    def f(x):
        return x * 2.0
    assert float(f(tf.constant(1.0))) == 102.0
    assert float(f(tf.constant(2.0))) == 104.0
    assert len(compiled) == 1


def test_jit_compile_failure_warns_once_and_runs_eagerly(monkeypatch):
    import warnings

    import torch
    from kerastorch.porting import tf

    def broken_compile(fn):
        def run(*a, **k):
            raise RuntimeError("no backend for this")
        return run
    monkeypatch.setattr(torch, "compile", broken_compile)

    @tf.function(jit_compile=True)
    def f(x):
        return x + 1.0
    with pytest.warns(UserWarning, match="torch.compile could not compile f"):
        assert float(f(tf.constant(1.0))) == 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(f(tf.constant(2.0))) == 3.0


def test_function_is_a_descriptor_and_keeps_the_python_function():
    from kerastorch.porting import tf

    class M:
        scale = 3.0

        @tf.function(input_signature=[tf.TensorSpec((None,), tf.float32)])
        def apply(self, x):
            return x * self.scale
    m = M()
    assert m.apply(tf.constant([1.0, 2.0])).tolist() == [3.0, 6.0]
    with pytest.raises(TypeError, match="Binding inputs to tf.function failed"):
        m.apply(tf.constant([[1.0]]))
    assert M.apply.python_function.__name__ == "apply"
    assert M.apply.get_concrete_function() is M.apply


def test_a_tf_function_train_step_is_the_step_fit_runs():
    import numpy as np

    import kerastorch as keras
    from kerastorch.porting import tf
    calls = []

    class Custom(keras.Model):
        @tf.function
        def train_step(self, data):
            calls.append(1)
            x, y = data
            with tf.GradientTape() as tape:
                loss = self.compiled_loss(y, self(x, training=True))
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
            return {"loss": loss}

    inputs = keras.Input((3,))
    model = Custom(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 3), "float32")
    history = model.fit(x, x[:, :1], batch_size=4, epochs=2, verbose=0)
    assert len(calls) == 4 and len(history.history["loss"]) == 2
