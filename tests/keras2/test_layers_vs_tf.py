"""Convolution, pooling, core, activation, reshaping and merging layers against real tf.keras
2.21 (issue #14, "Layers against TensorFlow"; the protocol is shared with
test_layers_vs_tf_seq.py, whose comparison helpers this file reuses).

`tf_layer_cases.py` draws seeded random cases (constructor arguments, both data formats, input
shapes), runs them in tf.keras and pickles the inputs, the weights and the outputs. Here each
case is rebuilt in kerastorch from the same arguments and weights and must give TensorFlow's
outputs (atol 1e-4, the issue's tolerance) and Masking's mask, or raise where tf.keras raised.
"""

import functools
import pickle

import pytest
import torch

import kerastorch
from kerastorch.saving import keras2_loading
from tests.keras2 import tf_layer_cases as gen
from tests.keras2.oracle import run_tf
from tests.keras2.test_layers_vs_tf_seq import ERRORS
from tests.keras2.test_layers_vs_tf_seq import assert_same
from tests.keras2.test_layers_vs_tf_seq import to_torch


# A window larger than the (unpadded) input: tf.keras raises ValueError for Conv1D/Conv2D but
# returns an empty tensor for Conv3D and pooling; kerastorch raises ValueError naming the layer
# and the shapes for all of them (docs/LAYERS.md), which these cases assert.
def _spatial(spec):
    """The case's input spatial sizes, its window (kernel or pool), strides and dilation."""
    kw = spec["kwargs"]
    x = spec["inputs"][0]
    rank = x.ndim - 2
    spatial = x.shape[2:] if kw.get("data_format") == "channels_first" else x.shape[1:-1]

    def tup(value, default):
        value = default if value is None else value
        return [value] * rank if isinstance(value, int) else list(value)

    window = tup(kw.get("kernel_size", kw.get("pool_size")), 2)
    strides = tup(kw.get("strides"), window if "pool_size" in kw or "kernel_size" not in kw
                  else 1)
    return spatial, window, strides, tup(kw.get("dilation_rate"), 1)


def _empty_window(spec):
    if not spec["class_name"].startswith(("Conv", "SeparableConv", "DepthwiseConv", "MaxPool",
                                          "AveragePooling", "AvgPool")) or \
            spec["kwargs"].get("padding", "valid") != "valid" or \
            spec["class_name"].endswith("Transpose") or spec["inputs"][0].ndim < 3:
        return False
    spatial, window, _, dilation = _spatial(spec)
    if len(window) != len(spatial):
        return False
    return any(n < d * (k - 1) + 1 for n, k, d in zip(spatial, window, dilation))


@pytest.fixture(scope="module")
def tf_cases(tmp_path_factory):
    out = tmp_path_factory.mktemp("tf_layer_cases") / "cases.pkl"
    run_tf("tf_layer_cases.py", out)
    with open(out, "rb") as f:
        return {case["id"]: case for case in pickle.load(f)}


def call(layer, case):
    inputs = [to_torch(x) for x in case["inputs"]]
    with torch.no_grad():
        if case["call"] == "list":
            return layer(inputs, **case["call_kwargs"]), inputs
        return layer(inputs[0], **case["call_kwargs"]), inputs


def run_case(case):
    build = getattr(kerastorch.layers, case["class_name"])
    if case["class_name"] == "Lambda":  # the same expression over kerastorch's ops
        function = gen.lambda_function(case["kwargs"]["function"], kerastorch.ops)
        case = dict(case, kwargs=dict(case["kwargs"], function=function))
    if "hard_sigmoid" in repr(case["kwargs"]):
        # `hard_sigmoid` is Keras 3's relu6(x + 3) / 6 in kerastorch; a layer config read from
        # a Keras 2 file takes tf.keras 2's clip(0.2 * x + 0.5, 0, 1) (docs/LAYERS.md), so these
        # cases build the layer as the Keras 2 loader does.
        kwargs = keras2_loading.upgrade_layer_config(build, case["kwargs"], case["class_name"])
        build = functools.partial(build, **kwargs)
        case = dict(case, kwargs={})
    if case["error"] is None and _empty_window(case):
        assert case["output"].size == 0, case["output"].shape  # what tf.keras gives
        layer = build(**case["kwargs"])
        with pytest.raises(ValueError, match=f'"{layer.name}".*{tuple(case["inputs"][0].shape)}'):
            call(layer, case)
        return
    if case["error"] is not None:
        with pytest.raises(ERRORS[case["error"]]):
            call(build(**case["kwargs"]), case)
        return
    layer = build(**case["kwargs"])
    call(layer, case)  # builds
    assert len(layer.get_weights()) == len(case["weights"]), (
        [w.shape for w in layer.get_weights()], [w.shape for w in case["weights"]])
    if case["weights"]:
        layer.set_weights(case["weights"])
    output, inputs = call(layer, case)
    assert_same(output, case["output"], f"{case['class_name']} {case['id']} output")
    if case["mask"] is not None:
        assert_same(layer.compute_mask(inputs[0]), case["mask"], f"{case['id']} mask")


@pytest.mark.parametrize("case_id", [spec["id"] for family in gen.FAMILIES
                                     for spec in gen.cases(family)])
def test_layer_matches_tf_keras(tf_cases, case_id):
    case = tf_cases[case_id]
    kerastorch.backend.clear_session()
    run_case(case)


def test_hard_sigmoid_keras3_by_name_keras2_from_files():
    x = torch.linspace(-4.0, 4.0, 17)
    keras3 = kerastorch.layers.Activation("hard_sigmoid")(x)
    torch.testing.assert_close(keras3, torch.clamp(x + 3.0, 0.0, 6.0) / 6.0)
    config = keras2_loading.upgrade_layer_config(kerastorch.layers.Activation,
                                                 {"activation": "hard_sigmoid"})
    keras2 = kerastorch.layers.Activation(**config)(x)
    torch.testing.assert_close(keras2, torch.clamp(0.2 * x + 0.5, 0.0, 1.0))
    assert not torch.allclose(keras2, keras3)


def test_thresholded_relu_config_and_bad_theta():
    layer = kerastorch.layers.ThresholdedReLU(theta=0.5)
    assert kerastorch.layers.ThresholdedReLU.from_config(layer.get_config()).theta == 0.5
    with pytest.raises(ValueError, match="theta.*-1"):
        kerastorch.layers.ThresholdedReLU(theta=-1)
    with pytest.raises(ValueError, match="theta.*None"):
        kerastorch.layers.ThresholdedReLU(theta=None)


def test_conv3d_same_cases_beyond_the_window_run_with_tensorflows_documented_padding(tf_cases):
    padded = [c["id"] for c in tf_cases.values() if c.get("explicit_same_padding")]
    assert "conv-082" in padded, padded  # (strides 3, 3, 2 over a 1x1x1 kernel)


def test_3d_same_beyond_the_window_matches_tensorflows_default_kernels(tf_cases, tmp_path):
    """'same' 3D conv/pooling with a stride beyond the window by 2+: TensorFlow's default CPU
    kernels (oneDNN) start the windows at row 0, as its documentation, GPU kernels and 2D ops do,
    and kerastorch does; its Eigen kernels (TF_ENABLE_ONEDNN_OPTS=0) start them inside the input
    (tf_layer_cases.same_padding_3d). docs/LAYERS.md says so."""
    from tests.keras2.tf_same_3d import CASES

    out = tmp_path / "same_3d.pkl"
    run_tf("tf_same_3d.py", out, env={"TF_ENABLE_ONEDNN_OPTS": "1"})  # TensorFlow's default
    with open(out, "rb") as f:
        default = pickle.load(f)
    eigen = tf_cases["same_3d-eigen"]["results"]  # the fuzz's run, TF_ENABLE_ONEDNN_OPTS=0
    for (class_name, kwargs, shape), tf_default, tf_eigen in zip(CASES, default, eigen,
                                                                 strict=True):
        assert gen.same_padding_3d(kwargs, list(shape[1:-1])) is not None, (class_name, kwargs)
        kerastorch.backend.clear_session()
        layer = getattr(kerastorch.layers, class_name)(**kwargs)
        x = to_torch(tf_default["inputs"])
        with torch.no_grad():
            layer(x)
            if tf_default["weights"]:
                layer.set_weights(tf_default["weights"])
            got = layer(x)
        assert_same(got, tf_default["output"], f"{class_name} {kwargs}")
        assert tf_eigen["output"].shape == tf_default["output"].shape
        assert not torch.allclose(got, to_torch(tf_eigen["output"]), atol=1e-3), class_name
