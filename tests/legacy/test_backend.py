"""kerastorch.legacy.backend: Keras 2's `K.*` functions against tf.keras 2.21's
`tf_keras.backend` (tf_backend.py), on the same arrays: values (atol 1e-5), dtypes and shapes;
on KerasTensors the same graph nodes (layer class, name, output shape) and outputs."""

import json
import warnings

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import backend as K
from tests.keras2.oracle import run_tf
from tests.legacy.backend_cases import CASES
from tests.legacy.backend_cases import make_arg

ATOL = 1e-5


@pytest.fixture(scope="module")
def tf_out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tf_backend")
    run_tf(__import__("pathlib").Path(__file__).with_name("tf_backend.py"), folder)
    arrays = np.load(folder / "tf_out.npz", allow_pickle=False)
    return {k: arrays[k] for k in arrays.files}, json.loads((folder / "tf_out.json").read_text())


@pytest.fixture
def keras2_defaults():
    saved = K.keras_defaults()
    K.set_keras_defaults(2)
    yield
    K.set_keras_defaults(saved)


def _tensor_arg(spec):
    value = make_arg(spec)
    if isinstance(value, np.ndarray):
        return torch.from_numpy(value)
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        return [torch.from_numpy(v) for v in value]
    return value


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_backend_function_matches_tf_keras(tf_out, keras2_defaults, index):
    arrays, meta = tf_out
    name, args, kwargs = CASES[index]
    value = getattr(K, name)(*[_tensor_arg(a) for a in args], **kwargs)
    expected = meta["cases"][index]
    if "python" in expected:
        assert isinstance(value, (str, int, float, tuple, np.integer))
        assert (list(value) if isinstance(value, tuple) else value) == expected["python"]
        return
    ours = K.get_value(value)
    theirs = arrays[f"case{index}"]
    assert str(ours.dtype) == expected["dtype"], (name, ours.dtype, expected)
    assert list(ours.shape) == expected["shape"]
    np.testing.assert_allclose(ours.astype("float64"), theirs.astype("float64"), atol=ATOL,
                               rtol=1e-6)


def test_backend_functions_on_keras_tensors_make_tf_keras_nodes(tf_out):
    arrays, meta = tf_out
    inputs = keras.Input((3, 4))
    x = K.square(inputs)
    x = K.mean(x, axis=-1, keepdims=True)
    x = K.concatenate([x, K.exp(inputs)], axis=-1)
    x = K.reshape(x, (-1, 15))
    outputs = K.clip(x, 0.0, 2.0)
    model = keras.Model(inputs, outputs)
    assert [[type(l).__name__, l.name, list(l.output.shape)] for l in model.layers] == \
        meta["layers"]
    assert list(K.int_shape(outputs)) == meta["int_shape"]
    data = make_arg({"array": [2, 3, 4], "seed": 11, "low": -1.0, "high": 1.0,
                     "dtype": "float32"})
    np.testing.assert_allclose(model.predict(data, verbose=0), arrays["functional"], atol=ATOL)
    fn = K.function([inputs], [outputs, x])
    first, second = fn([data])
    np.testing.assert_allclose(first, arrays["function0"], atol=ATOL)
    np.testing.assert_allclose(second, arrays["function1"], atol=ATOL)
    # The model saves and reloads with its K.* nodes.
    clone = keras.models.model_from_json(model.to_json())
    np.testing.assert_allclose(clone.predict(data, verbose=0), arrays["functional"], atol=ATOL)


def test_backend_variables_and_randomness_match_tf_keras(tf_out):
    arrays, meta = tf_out
    v = K.variable(np.arange(6).reshape(2, 3))
    assert K.dtype(v) == meta["variable_dtype"]
    K.set_value(v, np.full((2, 3), 2.5))
    np.testing.assert_array_equal(K.get_value(v), arrays["set_value"])
    K.update_add(v, np.ones((2, 3), "float32"))
    np.testing.assert_array_equal(K.eval(v), arrays["update_add"])
    np.testing.assert_array_equal(K.get_value(K.zeros((2, 2))), arrays["zeros"])
    np.testing.assert_array_equal(K.get_value(K.eye(3)), arrays["eye"])
    shape, dtype, mean, std = meta["random_normal"]
    sample = K.random_normal((2000, 3), mean=1.0, stddev=2.0, seed=1)
    assert list(sample.shape) == shape and K.dtype(sample) == dtype
    assert abs(float(sample.mean()) - 1.0) < 0.15 and abs(float(sample.std()) - 2.0) < 0.15
    assert abs(mean - 1.0) < 0.15 and abs(std - 2.0) < 0.15  # the oracle's draw, same bounds
    shape, low, high = meta["random_uniform"]
    sample = K.random_uniform((2000,), minval=-1.0, maxval=3.0)
    assert list(sample.shape) == shape
    assert -1.0 <= float(sample.min()) < low + 0.05 and high - 0.05 < float(sample.max()) < 3.0
    # K.shape(x)[0] feeding a random draw: the VAE sampling idiom.
    z = torch.zeros(5, 2)
    assert tuple(K.random_normal(shape=(K.shape(z)[0], K.int_shape(z)[1])).shape) == (5, 2)


def test_set_learning_phase_warns_and_clear_session_resets_names(tf_out):
    _, meta = tf_out
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        K.set_learning_phase(1)
    assert any("set_learning_phase" in str(w.message) for w in caught) == \
        meta["set_learning_phase_warns"]
    assert K.learning_phase() == 0  # a no-op: layers still run in inference mode
    keras.layers.Dense(1)
    K.clear_session()
    assert keras.layers.Dense(1).name == meta["dense_after_clear"]


def test_set_value_rejects_a_tensor_and_unsupported_names_raise():
    with pytest.raises(ValueError, match="set_value"):
        K.set_value(torch.zeros(2), np.ones(2))
    with pytest.raises(AttributeError, match="'rnn'"):
        K.rnn  # noqa: B018
    with pytest.raises(ValueError, match="get_value"):
        K.get_value(keras.Input((2,)))


def test_keras3_backend_shape_stays_a_tuple_outside_keras2_scripts():
    assert not K.keras2_defaults()
    assert K.shape(torch.zeros(2, 3)) == (2, 3)
