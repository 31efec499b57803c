"""Preprocessing and augmentation layers: parity with Keras 3 where Keras 3 runs without
TensorFlow (encodings, discretization, inference-mode augmentation), Keras's documented
results for the lookups and hashing (TensorFlow-backed in Keras 3), shapes and arguments of
the random layers."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from tests.keras3 import import_keras3

IMAGES = np.random.default_rng(0).uniform(0, 255, size=(3, 8, 10, 3)).astype("float32")
RANDOM_LAYERS = [
    ("RandomFlip", (), {}),
    ("RandomFlip", ("horizontal",), {}),
    ("RandomRotation", (0.2,), {}),
    ("RandomRotation", (0.2,), {"fill_mode": "constant", "fill_value": 7.0}),
    ("RandomZoom", (0.3, 0.2), {"fill_mode": "wrap"}),
    ("RandomZoom", ((-0.3, -0.1),), {"fill_mode": "nearest", "interpolation": "nearest"}),
    ("RandomTranslation", (0.2, 0.3), {}),
    ("RandomContrast", (0.5,), {}),
    ("RandomBrightness", (0.3,), {}),
]


@pytest.mark.parametrize("name,args,kwargs", RANDOM_LAYERS)
def test_augmentation_is_identity_in_inference_like_keras3(name, args, kwargs):
    keras3 = import_keras3()
    ours = getattr(layers, name)(*args, seed=1, **kwargs)
    theirs = getattr(keras3.layers, name)(*args, seed=1, **kwargs)
    np.testing.assert_array_equal(ours(IMAGES, training=False).numpy(),
                                  np.asarray(theirs(IMAGES, training=False)))
    # kerastorch layers start in inference mode: a plain call is the identity too
    np.testing.assert_array_equal(ours(IMAGES).numpy(), IMAGES)


@pytest.mark.parametrize("name,args,kwargs", RANDOM_LAYERS)
def test_augmentation_in_training_changes_images_keeps_shape_and_is_seeded(name, args, kwargs):
    a = getattr(layers, name)(*args, seed=4, **kwargs)
    b = getattr(layers, name)(*args, seed=4, **kwargs)
    batch = np.concatenate([IMAGES] * 4)  # 12 images: a coin toss cannot leave all unchanged
    out_a = a(batch, training=True)
    out_b = b(batch, training=True)
    assert tuple(out_a.shape) == batch.shape and out_a.dtype == torch.float32
    assert not np.allclose(out_a.numpy(), batch)
    np.testing.assert_array_equal(out_a.numpy(), out_b.numpy())
    single = a(IMAGES[0], training=True)
    assert tuple(single.shape) == IMAGES[0].shape


def test_value_ranges_are_respected():
    out = layers.RandomBrightness(0.9, seed=2)(IMAGES, training=True)
    assert float(out.min()) >= 0.0 and float(out.max()) <= 255.0
    unit = IMAGES / 255.0
    out = layers.RandomContrast(0.9, value_range=(0, 1), seed=2)(unit, training=True)
    assert float(out.min()) >= 0.0 and float(out.max()) <= 1.0


def test_flip_modes_flip_whole_images():
    out = layers.RandomFlip("horizontal", seed=0)(np.concatenate([IMAGES] * 4), training=True)
    for i, img in enumerate(out.numpy()):
        src = IMAGES[i % 3]
        assert np.array_equal(img, src) or np.array_equal(img, src[:, ::-1])


def test_rotation_by_half_turn_is_exact():
    out = layers.RandomRotation((0.5, 0.5), seed=0)(IMAGES, training=True)
    np.testing.assert_allclose(out.numpy(), IMAGES[:, ::-1, ::-1], atol=1e-3)


def test_translation_by_a_whole_pixel_shifts():
    # width 10: a shift of 0.1 of the width is one pixel to the right; constant fill of 0
    layer = layers.RandomTranslation((0.0, 0.0), (0.1, 0.1), fill_mode="constant", seed=0)
    out = layer(IMAGES, training=True).numpy()
    np.testing.assert_allclose(out[:, :, 1:], IMAGES[:, :, :-1], atol=1e-3)
    np.testing.assert_allclose(out[:, :, 0], 0.0, atol=1e-3)


def test_random_crop_training_window_and_inference_centre():
    layer = layers.RandomCrop(5, 6, seed=3)
    out = layer(IMAGES, training=True).numpy()
    assert out.shape == (3, 5, 6, 3)
    found = [(i, j) for i in range(4) for j in range(5)
             if np.array_equal(out, IMAGES[:, i:i + 5, j:j + 6])]
    assert len(found) == 1
    centred = layer(IMAGES, training=False)
    assert tuple(centred.shape) == (3, 5, 6, 3)
    model = keras.Sequential([keras.Input((8, 10, 3)), layers.RandomCrop(5, 6)])
    assert model.output_shape == (None, 5, 6, 3)
    assert model.predict(IMAGES, verbose=0).shape == (3, 5, 6, 3)


def test_augmentation_in_a_model_augments_in_fit_only():
    model = keras.Sequential([keras.Input((8, 10, 3)), layers.RandomFlip(seed=1),
                              layers.RandomRotation(0.1, seed=1), layers.Flatten(),
                              layers.Dense(2)])
    assert model.count_params() == 8 * 10 * 3 * 2 + 2
    x = np.concatenate([IMAGES] * 4)
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               model.layers[-1](model.layers[-2](torch.from_numpy(x)))
                               .detach().numpy(), atol=1e-5)
    model.train()
    assert not np.allclose(model(x).detach().numpy(),
                           model.predict(x, verbose=0), atol=1e-3)
    model.eval()


def test_bad_arguments_raise_keras_errors():
    with pytest.raises(ValueError, match="unknown mode"):
        layers.RandomFlip("diagonal")
    with pytest.raises(ValueError, match="factor"):
        layers.RandomRotation(1.5)
    with pytest.raises(ValueError, match="factor"):
        layers.RandomContrast(-0.5)
    with pytest.raises(ValueError, match="value_range"):
        layers.RandomBrightness(0.2, value_range=3)
    with pytest.raises(NotImplementedError, match="fill_mode"):
        layers.RandomZoom(0.2, fill_mode="mirrorish")
    with pytest.raises(TypeError):
        layers.RandomFlip(bogus=1)


def test_random_layer_configs_round_trip():
    for name, args, kwargs in RANDOM_LAYERS:
        layer = getattr(layers, name)(*args, seed=5, **kwargs)
        clone = type(layer).from_config(layer.get_config())
        np.testing.assert_array_equal(clone(IMAGES, training=True).numpy(),
                                      getattr(layers, name)(*args, seed=5, **kwargs)(
                                          IMAGES, training=True).numpy())


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
def test_category_encoding_equals_keras3(mode):
    keras3 = import_keras3()
    for x in (np.array([3, 0, 5]), np.array([[0, 1, 3], [2, 2, 5]]), np.array([[1], [4]])):
        ours = layers.CategoryEncoding(6, output_mode=mode)(x)
        theirs = np.asarray(keras3.layers.CategoryEncoding(6, output_mode=mode)(x))
        assert tuple(ours.shape) == theirs.shape
        np.testing.assert_array_equal(ours.numpy(), theirs)
        assert layers.CategoryEncoding(6, output_mode=mode).compute_output_shape(x.shape) == \
            keras3.layers.CategoryEncoding(6, output_mode=mode).compute_output_shape(x.shape)
    weights = np.array([[0.5, 1.0, 2.0], [1.0, 1.0, 3.0]], "float32")
    if mode == "count":
        x = np.array([[0, 1, 1], [2, 2, 5]])
        np.testing.assert_allclose(
            layers.CategoryEncoding(6, output_mode="count")(x, count_weights=weights).numpy(),
            np.asarray(keras3.layers.CategoryEncoding(6, output_mode="count")(
                x, count_weights=weights)))
    else:
        with pytest.raises(ValueError, match="count_weights"):
            layers.CategoryEncoding(6, output_mode=mode)(np.array([1]), count_weights=weights)


def test_category_encoding_errors():
    with pytest.raises(ValueError, match="num_tokens must be set"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="Unknown arg for output_mode"):
        layers.CategoryEncoding(3, output_mode="tf_idf")


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_with_boundaries_equals_keras3(mode):
    keras3 = import_keras3()
    x = np.array([[-1.5, -0.5, 0.0], [0.25, 0.5, 3.0]], "float32")
    ours = layers.Discretization(bin_boundaries=[-0.5, 0.0, 0.5], output_mode=mode)(x)
    theirs = keras3.layers.Discretization(bin_boundaries=[-0.5, 0.0, 0.5], output_mode=mode)(x)
    np.testing.assert_array_equal(ours.numpy(), np.asarray(theirs))
    assert str(ours.dtype).replace("torch.", "") == str(theirs.dtype).replace("torch.", "")


def test_discretization_adapt_equals_keras3_quantiles():
    keras3 = import_keras3()
    data = np.random.default_rng(3).normal(size=(200, 2))
    theirs = keras3.layers.Discretization(num_bins=5, epsilon=0.05)
    # Keras's adapt() imports TensorFlow to test for tf.data; its state methods do not
    theirs.reset_state()
    theirs.update_state(data[:120])
    theirs.update_state(data[120:])
    theirs.finalize_state()
    ours = layers.Discretization(num_bins=5, epsilon=0.05)
    ours.adapt([data[:120], data[120:]])
    np.testing.assert_allclose(ours.bin_boundaries, theirs.bin_boundaries, rtol=1e-6)
    np.testing.assert_array_equal(ours(data[:10]).numpy(), np.asarray(theirs(data[:10])))
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)(data)
    with pytest.raises(ValueError, match="Cannot adapt"):
        layers.Discretization(bin_boundaries=[0.0]).adapt(data)


def test_string_lookup_keras_documented_results():
    vocab = ["a", "b", "c", "d"]
    data = [["a", "c", "d"], ["d", "z", "b"]]
    assert layers.StringLookup(vocabulary=vocab)(data).tolist() == [[1, 3, 4], [4, 0, 2]]
    one_hot = layers.StringLookup(vocabulary=vocab, output_mode="one_hot")(["a", "b", "z"])
    assert one_hot.tolist() == [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0]]
    multi = layers.StringLookup(vocabulary=vocab, output_mode="multi_hot")(
        [["a", "c", "d", "d"], ["d", "z", "b", "z"]])
    assert multi.tolist() == [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]
    count = layers.StringLookup(vocabulary=vocab, output_mode="count")(
        [["a", "c", "d", "d"], ["d", "z", "b", "z"]])
    assert count.tolist() == [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]
    inverted = layers.StringLookup(vocabulary=vocab, invert=True)([[1, 3, 4], [4, 0, 2]])
    assert inverted.tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]
    masked = layers.StringLookup(vocabulary=vocab, mask_token="[MASK]")
    assert masked([["a", "c", "d"], ["d", "[MASK]", "b"]]).tolist() == [[2, 4, 5], [5, 0, 3]]
    assert masked.get_vocabulary() == ["[MASK]", "[UNK]", "a", "b", "c", "d"]
    assert masked.vocabulary_size() == 6


def test_string_lookup_adapt_orders_by_frequency_then_token():
    layer = layers.StringLookup()
    layer.adapt(np.array([["a", "c", "d"], ["d", "z", "b"]]))
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    capped = layers.StringLookup(max_tokens=3)
    capped.adapt([["a", "c", "d"], ["d", "z", "b"]])
    assert capped.get_vocabulary() == ["[UNK]", "d", "z"]
    with pytest.raises(ValueError, match="repeated term"):
        layers.StringLookup(vocabulary=["a", "a"])


def test_integer_lookup_keras_documented_results():
    vocab = [12, 36, 1138, 42]
    data = [[12, 1138, 42], [42, 1000, 36]]
    assert layers.IntegerLookup(vocabulary=vocab)(data).tolist() == [[1, 3, 4], [4, 0, 2]]
    layer = layers.IntegerLookup()
    layer.adapt(np.array([[12, 1138, 42], [42, 1000, 36]]))
    assert layer.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    inverted = layers.IntegerLookup(vocabulary=vocab, invert=True)
    assert inverted([[1, 3, 4], [4, 0, 2]]).tolist() == [[12, 1138, 42], [42, -1, 36]]
    assert layers.IntegerLookup(vocabulary=vocab, output_mode="multi_hot")(
        [[12, 1138, 42, 42], [42, 7, 36, 7]]).tolist() == [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]
    with pytest.raises(ValueError, match="max_tokens"):
        layers.IntegerLookup(max_tokens=1)


def test_hashing_matches_keras_documented_buckets():
    pytest.importorskip("farmhash")
    inputs = [["A"], ["B"], ["C"], ["D"], ["E"]]
    assert layers.Hashing(num_bins=3)(inputs).reshape(-1).tolist() == [1, 0, 1, 1, 2]
    assert layers.Hashing(num_bins=3, mask_value="")(
        [["A"], ["B"], [""], ["C"], ["D"]]).reshape(-1).tolist() == [1, 1, 0, 2, 2]
    assert layers.Hashing(num_bins=3, salt=[133, 137])(inputs).reshape(-1).tolist() == \
        [1, 2, 1, 0, 2]
    assert layers.Hashing(num_bins=3, salt=133)(inputs).reshape(-1).tolist() == [0, 0, 2, 1, 0]
    encoded = layers.Hashing(num_bins=3, output_mode="one_hot")(["A", "B"])
    assert encoded.tolist() == [[0, 1, 0], [1, 0, 0]]
    with pytest.raises(ValueError, match="num_bins"):
        layers.Hashing(num_bins=0)


def test_text_vectorization_int_and_encoded_modes():
    layer = layers.TextVectorization(output_sequence_length=4)
    layer.adapt(["The cat sat.", "the dog!"])
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "sat", "dog", "cat"]
    assert layer(["the dog sat on it"]).tolist() == [[2, 4, 3, 1]]
    assert layer(["cat"]).tolist() == [[5, 0, 0, 0]]
    free = layers.TextVectorization()
    free.adapt(["a b", "b c c"])
    assert free.get_vocabulary() == ["", "[UNK]", "c", "b", "a"]  # ties: descending token
    assert free(["c a", "b"]).tolist() == [[2, 4], [3, 0]]
    multi = layers.TextVectorization(output_mode="multi_hot")
    multi.adapt(["foo bar", "bar baz"])
    assert multi.get_vocabulary() == ["[UNK]", "bar", "foo", "baz"]
    assert multi(["foo qux", "bar bar"]).tolist() == [[1, 0, 1, 0], [0, 1, 0, 0]]
    count = layers.TextVectorization(output_mode="count", ngrams=2)
    count.adapt(["x y", "x y z"])
    assert "x y" in count.get_vocabulary()
    assert float(count(["x y x y"]).sum()) == 7.0  # 4 unigrams + 3 bigrams
    tfidf = layers.TextVectorization(output_mode="tf_idf")
    tfidf.adapt(["a a b", "a c"])
    row = tfidf(["a b"]).numpy()[0]
    vocab = tfidf.get_vocabulary()
    np.testing.assert_allclose(row[vocab.index("a")], np.log(1 + 2 / 3), rtol=1e-6)
    np.testing.assert_allclose(row[vocab.index("b")], np.log(1 + 2 / 2), rtol=1e-6)
    with pytest.raises(ValueError, match="output_sequence_length"):
        layers.TextVectorization(output_mode="multi_hot", output_sequence_length=3)


@pytest.mark.parametrize("mode", ["int", "multi_hot", "tf_idf"])
def test_string_lookups_put_their_ids_on_the_default_device(mode):
    """Strings are no tensors: the ids go where Keras puts new tensors (`backend.device()`,
    CUDA when present), next to the Embedding that reads them. `meta` stands in for CUDA."""
    vocab = ["a", "b", "c"]
    idf = [1.0, 0.5, 0.25, 2.0] if mode == "tf_idf" else None
    lookup = layers.StringLookup(vocabulary=vocab, output_mode=mode, idf_weights=idf)
    vectorize = layers.TextVectorization(vocabulary=vocab, output_mode=mode,
                                         idf_weights=idf[1:] if idf else None)
    keras.backend.set_device("meta")
    try:
        ids = lookup(np.array([["a", "z"]]))
        tokens = vectorize(np.array(["a b", "c"]))
    finally:
        keras.backend.set_device(None)
    assert ids.device.type == "meta" and tokens.device.type == "meta"
    assert lookup(np.array([["a", "z"]])).device == keras.backend.device()
