"""The Sequential-model guide, replayed in order in one process as a notebook would run it.

Only the imports are changed (`tf.ones` becomes `ops.ones`). Every documented output is checked:
summaries byte for byte (fixtures/), shapes, weight counts, and the documented errors.
"""

import pathlib
import re

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from kerastorch import ops

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def fixture(name):
    return (FIXTURES / name).read_text()


def summary_text(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def guide():
    """Runs every sample of the guide in order; returns what each one produced."""
    keras.backend.clear_session()
    out = {}

    # When to use a Sequential model
    model = keras.Sequential(
        [
            layers.Dense(2, activation="relu", name="layer1"),
            layers.Dense(3, activation="relu", name="layer2"),
            layers.Dense(4, name="layer3"),
        ]
    )
    x = ops.ones((3, 3))
    y = model(x)
    out["first_model"], out["first_y"] = model, y

    layer1 = layers.Dense(2, activation="relu", name="layer1")
    layer2 = layers.Dense(3, activation="relu", name="layer2")
    layer3 = layers.Dense(4, name="layer3")
    x = ops.ones((3, 3))
    y = layer3(layer2(layer1(x)))
    out["functional_y"] = y
    out["equivalent_layers"] = (layer1, layer2, layer3)

    # Creating a Sequential model
    model = keras.Sequential(
        [
            layers.Dense(2, activation="relu"),
            layers.Dense(3, activation="relu"),
            layers.Dense(4),
        ]
    )
    out["layers_list"] = model.layers
    out["layers_model"] = model

    model = keras.Sequential()
    model.add(layers.Dense(2, activation="relu"))
    model.add(layers.Dense(3, activation="relu"))
    model.add(layers.Dense(4))
    model.pop()
    out["len_after_pop"] = len(model.layers)
    out["added_model"] = model

    model = keras.Sequential(name="my_sequential")
    model.add(layers.Dense(2, activation="relu", name="layer1"))
    model.add(layers.Dense(3, activation="relu", name="layer2"))
    model.add(layers.Dense(4, name="layer3"))
    out["named_model"] = model

    # Specifying the input shape in advance
    layer = layers.Dense(3)
    out["weights_before"] = list(layer.weights)
    x = ops.ones((1, 4))
    y = layer(x)
    out["weights_after"] = layer.weights

    model = keras.Sequential(
        [
            layers.Dense(2, activation="relu"),
            layers.Dense(3, activation="relu"),
            layers.Dense(4),
        ]
    )  # No weights at this stage!
    with pytest.raises(ValueError) as weights_error:
        model.weights
    with pytest.raises(ValueError) as summary_error:
        model.summary()
    out["weights_error"], out["summary_error"] = str(weights_error.value), str(summary_error.value)
    x = ops.ones((1, 4))
    y = model(x)
    out["num_weights"] = len(model.weights)
    out["summary_built_by_call"] = summary_text(model)

    model = keras.Sequential()
    model.add(keras.Input(shape=(4,)))
    model.add(layers.Dense(2, activation="relu"))
    out["summary_input"] = summary_text(model)
    out["input_model_layers"] = model.layers

    model = keras.Sequential()
    model.add(layers.Dense(2, activation="relu", input_shape=(4,)))
    out["summary_input_shape"] = summary_text(model)

    # A common debugging workflow: add() + summary()
    model = keras.Sequential()
    model.add(keras.Input(shape=(250, 250, 3)))  # 250x250 RGB images
    model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
    model.add(layers.Conv2D(32, 3, activation="relu"))
    model.add(layers.MaxPooling2D(3))
    out["summary_cnn_first"] = summary_text(model)
    model.add(layers.Conv2D(32, 3, activation="relu"))
    model.add(layers.Conv2D(32, 3, activation="relu"))
    model.add(layers.MaxPooling2D(3))
    model.add(layers.Conv2D(32, 3, activation="relu"))
    model.add(layers.Conv2D(32, 3, activation="relu"))
    model.add(layers.MaxPooling2D(2))
    out["summary_cnn_second"] = summary_text(model)
    model.add(layers.GlobalMaxPooling2D())
    model.add(layers.Dense(10))
    out["summary_cnn_final"] = summary_text(model)
    out["cnn"] = model
    return out


def test_sequential_equals_chained_layers(guide):
    model = guide["first_model"]
    assert model.name == "sequential"
    assert [layer.name for layer in model.layers] == ["layer1", "layer2", "layer3"]
    assert tuple(guide["first_y"].shape) == (3, 4)
    # The same weights in the chained layers give the same result.
    chained = guide["equivalent_layers"]
    for src, dst in zip(model.layers, chained, strict=True):
        dst.set_weights(src.get_weights())
    x = ops.ones((3, 3))
    expected = chained[2](chained[1](chained[0](x)))
    torch.testing.assert_close(model(x), expected, atol=1e-6, rtol=0)


def test_layers_attribute_and_pop(guide):
    assert len(guide["layers_list"]) == 3
    assert all(isinstance(layer, layers.Dense) for layer in guide["layers_list"])
    assert guide["layers_model"].name == "sequential_1"
    assert guide["len_after_pop"] == 2
    assert [layer.name for layer in guide["added_model"].layers] == ["dense_3", "dense_4"]
    named = guide["named_model"]
    assert named.name == "my_sequential"
    assert [layer.name for layer in named.layers] == ["layer1", "layer2", "layer3"]


def test_lazy_layer_weights(guide):
    assert guide["weights_before"] == []
    kernel, bias = guide["weights_after"]
    assert (kernel.path, kernel.shape, kernel.dtype) == ("dense_6/kernel", (4, 3), "float32")
    assert (bias.path, bias.shape) == ("dense_6/bias", (3,))
    np.testing.assert_array_equal(bias.numpy(), np.zeros(3, dtype="float32"))
    # glorot_uniform: |w| <= sqrt(6 / (fan_in + fan_out))
    assert np.abs(kernel.numpy()).max() <= np.sqrt(6 / 7)
    assert re.match(r"<Variable 'dense_6/kernel' shape=\(4, 3\) dtype=float32, numpy=\n array",
                    repr(kernel))


def test_unbuilt_sequential_errors_are_documented(guide):
    assert guide["weights_error"] == (
        "Weights for model sequential_3 have not yet been created. Weights are created when the "
        "Model is first called on inputs or `build()` is called with an `input_shape`.")
    assert guide["summary_error"] == (
        "This model has not yet been built. Build the model first by calling `build()` or by "
        "calling the model on a batch of data.")
    assert guide["num_weights"] == 6


@pytest.mark.parametrize("key,name", [
    ("summary_built_by_call", "sequential_3_built_by_call.txt"),
    ("summary_input", "sequential_4_input.txt"),
    ("summary_input_shape", "sequential_5_input_shape.txt"),
    ("summary_cnn_first", "sequential_6_first.txt"),
    ("summary_cnn_second", "sequential_6_second.txt"),
    ("summary_cnn_final", "sequential_6_final.txt"),
])
def test_summary_byte_for_byte(guide, key, name):
    assert guide[key] == fixture(name)


def test_input_is_not_a_layer(guide):
    assert len(guide["input_model_layers"]) == 1
    assert isinstance(guide["input_model_layers"][0], layers.Dense)


def test_summary_default_print(guide, capsys):
    guide["cnn"].summary()
    assert capsys.readouterr().out == fixture("sequential_6_final.txt")


def test_final_cnn_runs(guide):
    model = guide["cnn"]
    assert tuple(model(ops.ones((2, 250, 250, 3))).shape) == (2, 10)
    assert model.count_params() == 49002


def _guide_blocks(text):
    blocks, current = [], None
    for line in text.splitlines():
        if line.startswith('Model: "'):
            current = [line]
        elif current is not None:
            current.append(line)
            if line.startswith("Non-trainable params"):
                blocks.append("\n".join(current) + "\n" + "_" * 65 + "\n")
                current = None
    return blocks


def test_fixtures_match_the_guide():
    """Each fixture is the guide's own block with the renames of fixtures/README.md."""
    blocks = _guide_blocks(fixture("guide_zh_000.txt"))
    renames = [
        ("sequential_3_built_by_call.txt", 0, {"sequential_4": "sequential_3"}),
        ("sequential_4_input.txt", 1, {"sequential_5": "sequential_4"}),
        ("sequential_5_input_shape.txt", 2, {"sequential_7": "sequential_5",
                                             "dense_12 ": "dense_11 "}),
        ("sequential_6_first.txt", 3, {"sequential_8": "sequential_6"}),
        ("sequential_6_second.txt", 4, {"sequential_8": "sequential_6"}),
        ("sequential_6_final.txt", 5, {"sequential_8": "sequential_6", "dense_13 ": "dense_12 "}),
    ]
    assert len(blocks) == 6
    for name, index, mapping in renames:
        expected = blocks[index]
        for old, new in mapping.items():
            expected = expected.replace(old, new)
        assert fixture(name) == expected, name


def test_clean_replay_names_match_the_vietnamese_guide(guide):
    """guide_vi_002.txt is a clean run: its model names are the replay's."""
    text = fixture("guide_vi_002.txt")
    assert 'Model: "sequential_3"' in text and "dense_7 (Dense)" in text
    assert 'Model: "sequential_4"' in text and "dense_10 (Dense)" in text
    assert 'Model: "sequential_5"' in text and "dense_11 (Dense)" in text
    assert 'Model: "sequential_6"' in text


def test_feature_extraction_samples():
    initial_model = keras.Sequential(
        [
            keras.Input(shape=(250, 250, 3)),
            layers.Conv2D(32, 5, strides=2, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
        ]
    )
    feature_extractor = keras.Model(
        inputs=initial_model.inputs,
        outputs=[layer.output for layer in initial_model.layers],
    )
    x = ops.ones((1, 250, 250, 3))
    features = feature_extractor(x)
    assert [tuple(f.shape) for f in features] == [(1, 123, 123, 32), (1, 121, 121, 32),
                                                  (1, 119, 119, 32)]
    expected = x
    for layer, feature in zip(initial_model.layers, features, strict=True):
        expected = layer(expected)
        torch.testing.assert_close(feature, expected)

    initial_model = keras.Sequential(
        [
            keras.Input(shape=(250, 250, 3)),
            layers.Conv2D(32, 5, strides=2, activation="relu"),
            layers.Conv2D(32, 3, activation="relu", name="my_intermediate_layer"),
            layers.Conv2D(32, 3, activation="relu"),
        ]
    )
    feature_extractor = keras.Model(
        inputs=initial_model.inputs,
        outputs=initial_model.get_layer(name="my_intermediate_layer").output,
    )
    features = feature_extractor(x)
    assert tuple(features.shape) == (1, 121, 121, 32)
    torch.testing.assert_close(features, initial_model.layers[1](initial_model.layers[0](x)))
    # The extractor shares the original's parameters (the same objects, not copies).
    shared = {id(p) for p in feature_extractor.parameters()}
    assert shared <= {id(p) for p in initial_model.parameters()}


def test_transfer_learning_freeze_all_but_last():
    model = keras.Sequential([
        keras.Input(shape=(784)),
        layers.Dense(32, activation='relu'),
        layers.Dense(32, activation='relu'),
        layers.Dense(32, activation='relu'),
        layers.Dense(10),
    ])
    for layer in model.layers[:-1]:
        layer.trainable = False
    assert [p.requires_grad for p in model.parameters()] == [False] * 6 + [True] * 2
    assert len(model.trainable_weights) == 2
    assert len(model.non_trainable_weights) == 6
    text = summary_text(model)
    assert "Trainable params: 330\n" in text
    assert "Non-trainable params: 27,232\n" in text


def test_guide_example_script_prints_the_documented_summaries(capsys):
    """examples/sequential_guide.py (the demo) is the guide with only its imports changed."""
    import runpy
    keras.backend.clear_session()
    script = pathlib.Path(__file__).parents[1] / "examples" / "sequential_guide.py"
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    for name in ("sequential_3_built_by_call.txt", "sequential_4_input.txt",
                 "sequential_5_input_shape.txt", "sequential_6_first.txt",
                 "sequential_6_second.txt", "sequential_6_final.txt"):
        assert fixture(name) in out, name
    assert "Number of weights after calling the model: 6\n" in out


def test_transfer_learning_blueprint_with_load_weights_compile_fit(tmp_path):
    """The guide's first blueprint, with its `...` filled in: pre-trained weights loaded from a
    file, all but the last layer frozen, recompiled and trained: only the last layer changes."""
    def build():
        return keras.Sequential([
            keras.Input(shape=(784)),
            layers.Dense(32, activation='relu'),
            layers.Dense(32, activation='relu'),
            layers.Dense(32, activation='relu'),
            layers.Dense(10),
        ])

    pretrained = build()
    path = str(tmp_path / "pretrained.weights.h5")
    pretrained.save_weights(path)

    model = build()
    # Presumably you would want to first load pre-trained weights.
    model.load_weights(path)
    for a, b in zip(model.get_weights(), pretrained.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    # Freeze all layers except the last one.
    for layer in model.layers[:-1]:
        layer.trainable = False
    # Recompile and train (this will only update the weights of the last layer).
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 784)).astype("float32"), rng.integers(0, 10, size=64)
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert set(history.history) == {"loss", "accuracy"} and len(history.history["loss"]) == 2
    after = model.get_weights()
    for a, b in zip(after[:-2], pretrained.get_weights()[:-2], strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(after[-2], pretrained.get_weights()[-2])
