"""Recurrent, attention, normalization, embedding, noise and preprocessing layers against real
tf.keras 2.21 (issue #14, "Layers against TensorFlow"; the protocol is shared with
test_layers_vs_tf.py).

`tf_layer_cases_seq.py` draws seeded random cases (constructor arguments, input shapes and
dtypes, masks, initial states), runs them in tf.keras and pickles the inputs, the weights and
the outputs. Here each case is rebuilt in kerastorch from the same arguments and weights and
must give TensorFlow's outputs (atol 1e-4, the issue's tolerance), masks and updated moving
statistics, or raise where tf.keras raised. Random layers in training (Dropout and friends)
cannot give TensorFlow's random numbers: their shapes, what they keep and their statistics are
compared instead.
"""

import pickle

import numpy as np
import pytest
import torch

import kerastorch
from tests.keras2 import tf_layer_cases_seq as gen
from tests.keras2.oracle import run_tf

ATOL, RTOL = 1e-4, 1e-5

# Which kerastorch exceptions match an exception tf.keras raised. TensorFlow raises
# InvalidArgumentError from its kernels where Keras raises ValueError on bad values, and
# NotImplementedError for an unknown `interpolation` name where Keras 3 raises ValueError.
ERRORS = {"ValueError": (ValueError,), "TypeError": (TypeError, ValueError),
          "InvalidArgumentError": (ValueError,),
          "NotImplementedError": (NotImplementedError, ValueError)}

# `hard_sigmoid` is Keras 3's relu6(x + 3) / 6 in kerastorch, and tf.keras 2's
# clip(0.2 * x + 0.5, 0, 1) (the recurrent activation of Keras 2.0-2.2 LSTMs) in a Keras 2
# script: those cases run with Keras 2's defaults on, as `kerastorch run` of a tf.keras script.


# Discretization(output_mode="int") returns int32 as Keras 3 does (tf.keras 2: int64).
INT32_OUTPUTS = ("Discretization",)


@pytest.fixture(scope="module")
def tf_cases(tmp_path_factory):
    out = tmp_path_factory.mktemp("tf_layer_cases_seq") / "cases.pkl"
    run_tf("tf_layer_cases_seq.py", out)
    with open(out, "rb") as f:
        return {case["id"]: case for case in pickle.load(f)}


def build(spec):
    if isinstance(spec, dict) and "__layer__" in spec:
        kwargs = {k: build(v) for k, v in spec["kwargs"].items()}
        return getattr(kerastorch.layers, spec["__layer__"])(**kwargs)
    if isinstance(spec, list):
        return [build(v) for v in spec]
    return spec


def to_torch(value):
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "US":
            return value
        return torch.from_numpy(np.ascontiguousarray(value))
    if isinstance(value, list):
        return [to_torch(v) for v in value]
    return value


def to_numpy(value):
    if isinstance(value, (list, tuple)):
        return [to_numpy(v) for v in value]
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def call(layer, case):
    inputs = [to_torch(x) for x in case["inputs"]]
    kwargs = {k: to_torch(v) for k, v in case["call_kwargs"].items()}
    with torch.no_grad():
        if case["call"] == "stateful":  # from zeros, then from the first call's states
            if layer.built:
                layer.reset_states()
            return [layer(inputs[0], **kwargs), layer(inputs[1], **kwargs)], inputs
        if case["call"] == "single":
            return layer(inputs[0], **kwargs), inputs
        if case["call"] == "list":
            return layer(inputs, **kwargs), inputs
        return layer(*inputs, **kwargs), inputs


def assert_same(actual, expected, what):
    if isinstance(expected, list):
        assert isinstance(actual, (list, tuple)), f"{what}: expected {len(expected)} outputs"
        assert len(actual) == len(expected), f"{what}: {len(actual)} outputs, TF {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{what}[{i}]")
        return
    actual = to_numpy(actual)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, TF {expected.shape}"
    if expected.dtype.kind not in "US" and not what.startswith(INT32_OUTPUTS):
        assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype}, TF {expected.dtype}"
    if expected.dtype.kind in "US":
        np.testing.assert_array_equal(actual.astype(str), expected, err_msg=what)
    elif expected.dtype.kind in "biu":
        np.testing.assert_array_equal(actual, expected, err_msg=what)
    else:
        np.testing.assert_allclose(actual, expected, atol=ATOL, rtol=RTOL, err_msg=what)


def assert_same_statistics(case, actual):
    """Random layers in training: what they keep and how they scale, loosely as statistics."""
    x, expected = case["inputs"][0], case["output"]
    actual = to_numpy(actual)
    assert actual.shape == expected.shape
    name, kw = case["class_name"], case["kwargs"]
    if name == "Dropout" or name.startswith("SpatialDropout"):
        rate = kw["rate"]
        kept = actual != 0
        np.testing.assert_allclose(actual[kept], x[kept] / (1 - rate), rtol=1e-6)
        units = kept.size
        if name.startswith("SpatialDropout"):  # whole channels dropped at once
            channel_axis = 1 if kw.get("data_format") == "channels_first" else -1
            per_channel = np.moveaxis(kept, channel_axis, -1).reshape(
                x.shape[0], -1, x.shape[channel_axis])
            assert (per_channel.all(axis=1) | ~per_channel.any(axis=1)).all()
            units = x.shape[0] * x.shape[channel_axis]
        elif kw.get("noise_shape"):  # [None, 1, ..., channels]
            units = x.shape[0] * x.shape[-1]
        # both keep a fraction 1 - rate, within 4 standard errors of the kept units
        tolerance = 4 * np.sqrt(rate * (1 - rate) / units)
        assert abs(kept.mean() - (1 - rate)) < tolerance
        assert abs((expected != 0).mean() - (1 - rate)) < tolerance
    elif name == "GaussianNoise":
        noise, tf_noise = actual - x, expected - x
        assert abs(noise.mean()) < 0.1 * kw["stddev"]
        np.testing.assert_allclose(noise.std(), tf_noise.std(), rtol=0.1)
        np.testing.assert_allclose(noise.std(), kw["stddev"], rtol=0.1)
    elif name == "GaussianDropout":
        factor, tf_factor = actual / x, expected / x
        np.testing.assert_allclose(factor.mean(), 1.0, atol=0.05)
        np.testing.assert_allclose(factor.std(), tf_factor.std(), rtol=0.1)
    elif name == "AlphaDropout":
        np.testing.assert_allclose(actual.mean(), expected.mean(), atol=0.1)
        np.testing.assert_allclose(actual.std(), expected.std(), rtol=0.1)
        # every value is either a * x + b (kept) or the dropped constant a * alpha' + b
        assert len(np.unique(np.round(actual[np.isclose(x, x.flat[0])], 5))) <= 2
    else:
        raise AssertionError(f"no statistics check for {name}")


def run_case(case):
    if case["error"] is not None:
        with pytest.raises(ERRORS[case["error"]]):
            layer = build({"__layer__": case["class_name"], "kwargs": case["kwargs"]})
            call(layer, case)
        return
    layer = build({"__layer__": case["class_name"], "kwargs": case["kwargs"]})
    call(layer, case)  # builds
    if case["family"] != "preprocessing":  # (lookup layers keep the weights they were given)
        assert len(layer.get_weights()) == len(case["weights"]), (
            [w.shape for w in layer.get_weights()], [w.shape for w in case["weights"]])
    if case["weights"]:
        layer.set_weights(case["weights"])
    torch.manual_seed(case["seed"])
    output, inputs = call(layer, case)
    if case["check"] == "stats":
        assert_same_statistics(case, output)
        return
    assert_same(output, case["output"], f"{case['class_name']} {case['id']} output")
    if case["mask"] is not None:
        assert_same(layer.compute_mask(inputs[0]), case["mask"], f"{case['id']} mask")
    if case["weights_after"] is not None:
        assert_same(layer.get_weights(), case["weights_after"], f"{case['id']} weights after")


def _params():
    for family in gen.FAMILIES:
        for spec in gen.cases(family):
            yield pytest.param(spec["id"], id=spec["id"])


@pytest.mark.parametrize("case_id", list(_params()))
def test_layer_matches_tf_keras(tf_cases, case_id):
    case = tf_cases[case_id]
    kerastorch.backend.clear_session()
    if "hard_sigmoid" not in repr(case["kwargs"]):
        run_case(case)
        return
    saved = kerastorch.backend.keras_defaults()
    kerastorch.backend.set_keras_defaults(2)
    try:
        run_case(case)
    finally:
        kerastorch.backend.set_keras_defaults(saved)
