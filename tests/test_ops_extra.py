"""ops.rearrange and ops.ctc_decode against Keras 3's."""

import numpy as np
import pytest

import kerastorch as keras
from kerastorch import ops
from tests.keras3 import import_keras3

PATTERNS = [
    ("b h w c -> b c h w", {}),
    ("b h w c -> (b h) w c", {}),
    ("b h w c -> h (b w) c", {}),
    ("b h w c -> b (c h w)", {}),
    ("b (h1 h) (w1 w) c -> (b h1 w1) h w c", {"h1": 2, "w1": 2}),
    ("b (h h1) (w w1) c -> b h w (c h1 w1)", {"h1": 2, "w1": 2}),
]


@pytest.mark.parametrize("pattern,lengths", PATTERNS)
def test_rearrange_matches_keras3(pattern, lengths):
    keras3 = import_keras3()
    x = np.random.default_rng(0).normal(size=(3, 4, 6, 2)).astype("float32")
    expected = keras3.ops.convert_to_numpy(keras3.ops.rearrange(x, pattern, **lengths))
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.rearrange(x, pattern, **lengths)),
                                  expected)
    inputs = keras.Input(shape=(4, 6, 2))
    symbolic = ops.rearrange(inputs, pattern, **lengths)
    # Known sizes are the real ones; those that depend on the batch are None. (Keras 3.15's own
    # symbolic rearrange fails on a None batch, so it cannot be the oracle here.)
    assert len(symbolic.shape) == expected.ndim
    assert all(d is None or d == e for d, e in zip(symbolic.shape, expected.shape))
    assert symbolic.shape[-1] == expected.shape[-1]
    model = keras.Model(inputs, symbolic)
    np.testing.assert_array_equal(ops.convert_to_numpy(model(x)), expected)


def test_rearrange_bad_pattern_raises():
    with pytest.raises(Exception, match="(?i)shape|pattern|dimension|length"):
        ops.rearrange(np.ones((2, 3)), "a b -> a b c")


@pytest.mark.parametrize("merge_repeated", [True, False])
@pytest.mark.parametrize("mask_index", [0, None])
def test_ctc_greedy_decode_matches_keras3(merge_repeated, mask_index):
    keras3 = import_keras3()
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(3, 7, 5)).astype("float32")
    scores[:, 2] = scores[:, 1]  # repeated labels
    lengths = np.array([7, 4, 0], dtype="int32")
    theirs = keras3.ops.ctc_decode(scores, lengths, merge_repeated=merge_repeated,
                                   mask_index=mask_index)
    ours = ops.ctc_decode(scores, lengths, merge_repeated=merge_repeated, mask_index=mask_index)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(ops.convert_to_numpy(a), keras3.ops.convert_to_numpy(b),
                                   atol=1e-5)
    with pytest.raises(NotImplementedError, match="beam_search"):
        ops.ctc_decode(scores, lengths, strategy="beam_search")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_hsv_conversions_match_keras3(data_format):
    keras3 = import_keras3()
    rng = np.random.default_rng(2)
    shape = (2, 5, 6, 3) if data_format == "channels_last" else (2, 3, 5, 6)
    rgb = rng.uniform(0, 1, size=shape).astype("float32")
    rgb[0, 0, 0] = 0.0  # black and grey pixels: hue 0
    for ours_fn, theirs_fn, x in [(ops.image.rgb_to_hsv, keras3.ops.image.rgb_to_hsv, rgb),
                                  (ops.image.hsv_to_rgb, keras3.ops.image.hsv_to_rgb, rgb)]:
        np.testing.assert_allclose(
            ops.convert_to_numpy(ours_fn(x, data_format=data_format)),
            keras3.ops.convert_to_numpy(theirs_fn(x, data_format=data_format)), atol=1e-6)
    back = ops.image.hsv_to_rgb(ops.image.rgb_to_hsv(rgb, data_format), data_format)
    np.testing.assert_allclose(ops.convert_to_numpy(back), rgb, atol=1e-5)
    with pytest.raises(ValueError, match="float dtype"):
        ops.image.rgb_to_hsv(np.ones((2, 2, 3), dtype="int32"))


@pytest.mark.parametrize("kernel_size,sigma", [((3, 3), (1.0, 1.0)), ((5, 5), (0.7, 1.9))])
def test_gaussian_blur_matches_keras3(kernel_size, sigma):
    keras3 = import_keras3()
    x = np.random.default_rng(3).uniform(0, 1, size=(2, 8, 9, 3)).astype("float32")
    expected = keras3.ops.convert_to_numpy(
        keras3.ops.image.gaussian_blur(x, kernel_size, sigma, data_format="channels_last"))
    np.testing.assert_allclose(ops.convert_to_numpy(ops.image.gaussian_blur(x, kernel_size, sigma)),
                               expected, atol=1e-5)
    single = ops.image.gaussian_blur(x[0], kernel_size, sigma)
    np.testing.assert_allclose(ops.convert_to_numpy(single), expected[0], atol=1e-5)
