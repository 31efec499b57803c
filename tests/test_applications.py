"""keras.applications.Xception on timm: Keras's names, counts, padding, weights and freezing."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from kerastorch.applications import xception as xception_module
from tests.keras3 import import_keras3


@pytest.fixture(scope="module")
def base():
    keras.backend.clear_session()
    return keras.applications.Xception(weights=None, include_top=False, pooling="avg")


def count(weights):
    return sum(int(np.prod(w.shape)) for w in weights)


def test_keras_parameter_counts(base):
    assert base.count_params() == 20_861_480
    assert count(base.trainable_weights) == 20_806_952
    assert count(base.non_trainable_weights) == 54_528
    top = keras.applications.Xception(weights=None)
    assert top.count_params() == 22_910_480
    assert top.layers[-1].name == "predictions" and top.output_shape == (None, 1000)


def test_keras_layer_names_and_order(base):
    names = [layer.name for layer in base.layers]
    assert names[:16] == [
        "input_1", "block1_conv1", "block1_conv1_bn", "block1_conv1_act", "block1_conv2",
        "block1_conv2_bn", "block1_conv2_act", "block2_sepconv1", "block2_sepconv1_bn",
        "block2_sepconv2_act", "block2_sepconv2", "block2_sepconv2_bn", "conv2d", "block2_pool",
        "batch_normalization", "add"]
    assert names[-2:] == ["block14_sepconv2_act", "global_average_pooling2d"]
    assert len(names) == 133  # 132 for the feature map, + the pooling layer
    assert base.get_layer("block5_sepconv3_bn").weights[2].path == "block5_sepconv3_bn/moving_mean"
    kernel = base.get_layer("block2_sepconv1").weights
    assert [w.shape for w in kernel] == [(3, 3, 64, 1), (1, 1, 64, 128)]


def test_output_shapes_and_min_size():
    keras.backend.clear_session()
    fmap = keras.applications.Xception(weights=None, include_top=False, input_shape=(71, 80, 3))
    assert fmap.output_shape == (None, 3, 3, 2048)
    assert tuple(fmap(torch.zeros(2, 71, 80, 3)).shape) == (2, 3, 3, 2048)
    free = keras.applications.Xception(weights=None, include_top=False, pooling="max")
    assert free.output_shape == (None, 2048)
    assert free.inputs[0].shape == (None, None, None, 3)
    with pytest.raises(ValueError, match="Input size must be at least 71x71"):
        keras.applications.Xception(weights=None, include_top=False, input_shape=(70, 71, 3))
    with pytest.raises(ValueError, match="should be 1000"):
        keras.applications.Xception(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="`weights` argument"):
        keras.applications.Xception(weights="no/such/file.h5")


def test_guide_blueprint_summary_and_freezing(base):
    base.trainable = False
    try:
        model = keras.Sequential([base, layers.Dense(1000)])
        model.build((None, 71, 71, 3))
        lines = []
        model.summary(print_fn=lines.append)
        assert lines[4].startswith(" xception (Functional)       (None, 2048)              20861480")
        assert "Trainable params: 2,049,000" in lines
        assert "Non-trainable params: 20,861,480" in lines
        assert not any(p.requires_grad for p in base.parameters())
    finally:
        base.trainable = True


def test_freezing_the_first_layers_freezes_exactly_their_weights(base):
    try:
        for layer in base.layers[:20]:
            layer.trainable = False
        frozen = {id(w.torch_tensor) for layer in base.layers[:20] for w in layer.weights}
        for p in base.parameters():
            assert p.requires_grad == (id(p) not in frozen)
    finally:
        base.trainable = True


def test_guide_blueprint_fit_with_frozen_base(base):
    """The guide's second blueprint with compile/fit: a frozen base runs BatchNormalization in
    inference mode, so its weights and moving statistics stay bitwise unchanged."""
    keras.backend.clear_session()
    base.trainable = False
    try:
        model = keras.Sequential([base, layers.Dense(3)])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        x = np.random.default_rng(0).uniform(-1, 1, size=(4, 71, 71, 3)).astype("float32")
        y = np.array([0, 1, 2, 1])
        model(x[:1])
        before = [t.detach().clone() for t in base.state_dict().values()]
        head = model.layers[-1].get_weights()[0]
        model.fit(x, y, batch_size=2, epochs=1, verbose=0)
        for a, b in zip(before, base.state_dict().values(), strict=True):
            assert torch.equal(a, b)
        assert not np.array_equal(head, model.layers[-1].get_weights()[0])
    finally:
        base.trainable = True


def test_trainable_base_updates_moving_statistics_in_training_mode(base):
    bn = base.get_layer("block1_conv1_bn")
    before = bn.weights[2].numpy()
    base.train()
    try:
        base(torch.randn(2, 71, 71, 3))
    finally:
        base.eval()
    assert not np.array_equal(before, bn.weights[2].numpy())
    bn.weights[2].assign(before)


def test_feature_extraction_from_an_intermediate_layer(base):
    extractor = keras.Model(inputs=base.inputs,
                            outputs=base.get_layer("block13_sepconv2_act").output)
    x = torch.randn(1, 71, 71, 3)
    features = extractor(x)
    assert tuple(features.shape) == (1, 5, 5, 728)
    # The layers before block13_sepconv2 run identically inside the full model.
    full = keras.Model(inputs=base.inputs,
                       outputs=[base.get_layer("block13_sepconv2_act").output, base.outputs[0]])
    torch.testing.assert_close(full(x)[0], features)


def _randomize_keras_bn_stats(model, rng):
    for layer in model.layers:
        if type(layer).__name__ == "BatchNormalization":
            gamma, beta, mean, var = layer.get_weights()
            layer.set_weights([rng.uniform(0.5, 1.5, gamma.shape).astype("float32"),
                               rng.normal(0, 0.1, beta.shape).astype("float32"),
                               rng.normal(0, 0.1, mean.shape).astype("float32"),
                               rng.uniform(0.5, 1.5, var.shape).astype("float32")])


@pytest.fixture(scope="module")
def keras3_xception():
    keras3 = import_keras3()
    keras3.utils.clear_session()
    keras3.utils.set_random_seed(0)
    model = keras3.applications.Xception(weights=None, include_top=False,
                                         input_shape=(75, 71, 3), pooling="avg")
    _randomize_keras_bn_stats(model, np.random.default_rng(0))
    return keras3, model


def test_same_features_as_keras3_from_the_same_weights(keras3_xception):
    keras3, theirs = keras3_xception
    keras.backend.clear_session()
    ours = keras.applications.Xception(weights=None, include_top=False, input_shape=(75, 71, 3),
                                       pooling="avg")
    assert ours.count_params() == theirs.count_params()
    assert sorted(layer.name for layer in ours.layers if layer.weights) == sorted(
        layer.name for layer in theirs.layers if layer.weights)
    assert len(ours.layers) == len(theirs.layers)
    by_name = {layer.name: layer for layer in ours.layers}
    for layer in theirs.layers:
        if layer.weights:
            by_name[layer.name].set_weights(layer.get_weights())
    x = np.random.default_rng(1).uniform(-1, 1, size=(2, 75, 71, 3)).astype("float32")
    expected = keras3.ops.convert_to_numpy(theirs(x))
    assert expected.std() > 1e-2  # features that differ between images: a real comparison
    # 36 convolutions deep in float32: differences of accumulation order reach ~1e-5 relative.
    np.testing.assert_allclose(ours(x).detach().numpy(), expected, atol=1e-4, rtol=1e-4)


def test_loads_a_keras_h5_weight_file(keras3_xception, tmp_path):
    """Keras 2's HDF5 layout (written here by Keras 3's legacy writer), loaded by order."""
    h5py = pytest.importorskip("h5py")
    keras3, theirs = keras3_xception
    from keras.src.legacy.saving import legacy_h5_format
    path = tmp_path / "xception_weights_tf_dim_ordering_tf_kernels_notop.h5"
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, theirs)
    keras.backend.clear_session()
    ours = keras.applications.Xception(weights=str(path), include_top=False,
                                       input_shape=(75, 71, 3), pooling="avg")
    x = np.random.default_rng(2).uniform(-1, 1, size=(1, 75, 71, 3)).astype("float32")
    np.testing.assert_allclose(ours(x).detach().numpy(),
                               keras3.ops.convert_to_numpy(theirs(x)), atol=1e-4, rtol=1e-4)
    # The same file found in the Keras cache serves weights="imagenet".
    (tmp_path / "models").mkdir()
    path.rename(tmp_path / "models" / path.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KERAS_HOME", str(tmp_path))
        mp.setenv("TORCH_HOME", str(tmp_path / "torch"))
        cached = keras.applications.Xception(include_top=False, input_shape=(75, 71, 3),
                                             pooling="avg")
    np.testing.assert_allclose(cached(x).detach().numpy(), ours(x).detach().numpy(), atol=1e-6)


def test_imagenet_from_timm_checkpoint_cache(tmp_path, monkeypatch):
    keras.backend.clear_session()
    import timm
    net = timm.create_model("legacy_xception", pretrained=False)
    checkpoints = tmp_path / "torch" / "hub" / "checkpoints"
    checkpoints.mkdir(parents=True)
    torch.save(net.state_dict(), checkpoints / xception_module.TIMM_CHECKPOINT)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    model = keras.applications.Xception(include_top=False, pooling="avg")
    loaded = model.timm_model.state_dict()
    for key, value in net.state_dict().items():
        if not key.startswith("fc."):
            assert torch.equal(loaded[key], value), key


def test_imagenet_offline_without_cache_names_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.setattr(xception_module, "TIMM_HUB_ID", "timm/not-cached-anywhere")
    with pytest.raises(FileNotFoundError) as err:
        keras.applications.Xception(weights="imagenet", include_top=False, pooling="avg")
    message = str(err.value)
    assert "xception_weights_tf_dim_ordering_tf_kernels_notop.h5" in message
    assert xception_module.TIMM_CHECKPOINT in message and str(tmp_path / "keras") in message


def test_preprocess_and_decode_predictions():
    x = np.array([[0.0, 127.5, 255.0]])
    np.testing.assert_allclose(keras.applications.xception.preprocess_input(x), [[-1, 0, 1]])
    preds = np.zeros((2, 1000), dtype="float32")
    preds[0, 0], preds[0, 1], preds[1, 999] = 0.9, 0.1, 1.0
    decoded = keras.applications.xception.decode_predictions(preds, top=2)
    assert decoded[0][0] == ("n01440764", "tench", pytest.approx(0.9))
    assert decoded[0][1][0] == "n01443537" and decoded[1][0][2] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="decode_predictions"):
        keras.applications.xception.decode_predictions(np.zeros((2, 10)))


# ----------------------------------------------------------------------------- VGG16 / VGG19
def _copy_by_name(theirs, ours):
    by_name = {layer.name: layer for layer in ours.layers}
    for layer in theirs.layers:
        if layer.weights:
            by_name[layer.name].set_weights(layer.get_weights())


def test_vgg19_features_match_keras3():
    keras3 = import_keras3()
    keras3.utils.set_random_seed(0)
    theirs = keras3.applications.VGG19(weights=None, include_top=False, input_shape=(40, 36, 3),
                                       pooling="max")
    ours = keras.applications.VGG19(weights=None, include_top=False, input_shape=(40, 36, 3),
                                    pooling="max")
    assert ours.count_params() == theirs.count_params() == 20_024_384
    assert [layer.name for layer in ours.layers][1:-1] == [layer.name for layer in theirs.layers][1:-1]
    _copy_by_name(theirs, ours)
    x = np.random.default_rng(0).uniform(-120, 120, size=(2, 40, 36, 3)).astype("float32")
    expected = keras3.ops.convert_to_numpy(theirs(x))
    # A real comparison: the two images give clearly different features.
    assert np.abs(expected[0] - expected[1]).max() > 0.1 * np.abs(expected).max() > 0
    np.testing.assert_allclose(ours(x).detach().numpy(), expected, rtol=1e-4,
                               atol=1e-4 * np.abs(expected).max())


def test_vgg16_top_counts_names_and_preprocessing():
    keras3 = import_keras3()
    ours = keras.applications.VGG16(weights=None, classifier_activation=None)
    assert ours.count_params() == 138_357_544  # Keras's documented count
    assert [layer.name for layer in ours.layers][-5:] == ["block5_pool", "flatten", "fc1", "fc2",
                                                          "predictions"]
    assert [w.shape for w in ours.get_layer("fc1").weights] == [(25088, 4096), (4096,)]
    assert [w.shape for w in ours.get_layer("fc2").weights] == [(4096, 4096), (4096,)]
    x = np.random.default_rng(1).uniform(0, 255, size=(2, 5, 4, 3)).astype("float32")
    np.testing.assert_allclose(keras.applications.vgg16.preprocess_input(x),
                               keras3.applications.vgg16.preprocess_input(x.copy()), atol=1e-4)


def test_convolution_as_dense_view_matches_keras_flatten_dense():
    """VGG's fc1 is timm's convolution over the feature map; as Keras's Flatten + Dense it must
    compute the same numbers from Keras's (h * w * c, units) kernel."""
    keras3 = import_keras3()
    from kerastorch.applications import timm_layers
    conv = torch.nn.Conv2d(5, 4, (3, 2))
    inputs = keras.Input(shape=(3, 2, 5))
    view = timm_layers.ConvAsDense(conv, "fc", activation="relu")
    ours = keras.Model(inputs, view(layers.Flatten()(inputs)))
    theirs = keras3.Sequential([keras3.Input(shape=(3, 2, 5)), keras3.layers.Flatten(),
                                keras3.layers.Dense(4, activation="relu")])
    kernel = np.random.default_rng(0).normal(size=(30, 4)).astype("float32")
    bias = np.random.default_rng(1).normal(size=(4,)).astype("float32")
    theirs.layers[-1].set_weights([kernel, bias])
    view.set_weights([kernel, bias])
    np.testing.assert_array_equal(view.get_weights()[0], kernel)
    x = np.random.default_rng(2).normal(size=(3, 3, 2, 5)).astype("float32")
    np.testing.assert_allclose(ours(x).detach().numpy(),
                               keras3.ops.convert_to_numpy(theirs(x)), atol=1e-5)


def test_keras3_weights_file_loads_both_ways(keras3_xception, tmp_path):
    """Keras 3's own `.weights.h5` of Xception loads into kerastorch's, and kerastorch's file
    loads back into Keras 3, with the same features."""
    keras3, theirs = keras3_xception
    theirs.save_weights(str(tmp_path / "keras3.weights.h5"))
    keras.backend.clear_session()
    ours = keras.applications.Xception(weights=None, include_top=False, input_shape=(75, 71, 3),
                                       pooling="avg")
    ours.load_weights(str(tmp_path / "keras3.weights.h5"))
    x = np.random.default_rng(3).uniform(-1, 1, size=(1, 75, 71, 3)).astype("float32")
    expected = keras3.ops.convert_to_numpy(theirs(x))
    np.testing.assert_allclose(ours(x).detach().numpy(), expected, atol=1e-4, rtol=1e-4)
    ours.save_weights(str(tmp_path / "kerastorch.weights.h5"))
    original = theirs.get_weights()
    try:
        theirs.set_weights([np.zeros_like(w) for w in original])
        theirs.load_weights(str(tmp_path / "kerastorch.weights.h5"))
        np.testing.assert_allclose(keras3.ops.convert_to_numpy(theirs(x)), expected, atol=1e-6)
    finally:
        theirs.set_weights(original)
