"""Porting tools: `kerastorch run` (import hook), `kerastorch port` (rewrite + report),
`kerastorch.testing` (assert_parity, convert), `Model.to_torch()` / `Model.export()`, plot_model."""

import importlib.util
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from kerastorch.porting import NotSupportedAttributeError
from kerastorch.porting import NotSupportedError
from kerastorch.porting import NotSupportedImportError
from kerastorch.porting import run_script
from kerastorch.porting.port import port_source
from kerastorch.testing import assert_parity
from kerastorch.testing import convert
from tests.keras3 import import_keras3

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "compat_tests" / "fixtures"

# The guide's samples (shared/seeds, copied in compat_tests/fixtures/guide_*.txt) in the order a
# notebook runs them, with their TensorFlow imports. The code is the guide's; a REPL line that
# displays a value becomes a print, and a documented error is caught and printed.
GUIDE_SCRIPT = '''import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

def show(title, *value):
    print("=== " + title)
    if value:
        print(value[0])

# Define Sequential model with 3 layers
model = keras.Sequential(
    [
        layers.Dense(2, activation="relu", name="layer1"),
        layers.Dense(3, activation="relu", name="layer2"),
        layers.Dense(4, name="layer3"),
    ]
)
# Call model on a test input
x = tf.ones((3, 3))
y = model(x)
show("y.shape", tuple(y.shape))

# Create 3 layers
layer1 = layers.Dense(2, activation="relu", name="layer1")
layer2 = layers.Dense(3, activation="relu", name="layer2")
layer3 = layers.Dense(4, name="layer3")

# Call layers on a test input
x = tf.ones((3, 3))
y = layer3(layer2(layer1(x)))
show("chained y.shape", tuple(y.shape))

model = keras.Sequential(
    [
        layers.Dense(2, activation="relu"),
        layers.Dense(3, activation="relu"),
        layers.Dense(4),
    ]
)
show("model.layers", [type(layer).__name__ for layer in model.layers])

model = keras.Sequential()
model.add(layers.Dense(2, activation="relu"))
model.add(layers.Dense(3, activation="relu"))
model.add(layers.Dense(4))
model.pop()
show("len after pop", len(model.layers))  # 2

model = keras.Sequential(name="my_sequential")
model.add(layers.Dense(2, activation="relu", name="layer1"))
model.add(layers.Dense(3, activation="relu", name="layer2"))
model.add(layers.Dense(4, name="layer3"))

layer = layers.Dense(3)
show("weights before", layer.weights)  # Empty

# Call layer on a test input
x = tf.ones((1, 4))
y = layer(x)
show("weights after", [(w.path, w.shape) for w in layer.weights])

model = keras.Sequential(
    [
        layers.Dense(2, activation="relu"),
        layers.Dense(3, activation="relu"),
        layers.Dense(4),
    ]
)  # No weights at this stage!
try:
    model.weights
except ValueError as err:
    show("weights error", err)
try:
    model.summary()
except ValueError as err:
    show("summary error", err)
x = tf.ones((1, 4))
y = model(x)
show("len(model.weights)", len(model.weights))
show("summary_built_by_call")
model.summary()

model = keras.Sequential()
model.add(keras.Input(shape=(4,)))
model.add(layers.Dense(2, activation="relu"))
show("summary_input")
model.summary()
show("input model.layers", [type(layer).__name__ for layer in model.layers])

model = keras.Sequential()
model.add(layers.Dense(2, activation="relu", input_shape=(4,)))
show("summary_input_shape")
model.summary()

model = keras.Sequential()
model.add(keras.Input(shape=(250, 250, 3)))  # 250x250 RGB images
model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))

# Can you guess what the current output shape is at this point? Probably not.
# Let's just print it:
show("summary_cnn_first")
model.summary()

# The answer was: (40, 40, 32), so we can keep downsampling...
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(2))

# And now?
show("summary_cnn_second")
model.summary()

# Now that we have 4x4 feature maps, time to apply global max pooling.
model.add(layers.GlobalMaxPooling2D())

# Finally, we add a classification layer.
model.add(layers.Dense(10))
show("summary_cnn_final")
model.summary()

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

# Call feature extractor on test input.
x = tf.ones((1, 250, 250, 3))
features = feature_extractor(x)
show("features", [tuple(f.shape) for f in features])

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
# Call feature extractor on test input.
x = tf.ones((1, 250, 250, 3))
features = feature_extractor(x)
show("intermediate features", tuple(features.shape))

model = keras.Sequential([
    keras.Input(shape=(784)),
    layers.Dense(32, activation='relu'),
    layers.Dense(32, activation='relu'),
    layers.Dense(32, activation='relu'),
    layers.Dense(10),
])
# Freeze all layers except the last one.
for layer in model.layers[:-1]:
  layer.trainable = False
show("trainable", [layer.trainable for layer in model.layers])
show("done")
'''

# The guide's two transfer-learning blueprints, verbatim (they call load_weights/compile/fit with
# `...`, so they are ported, not run).
GUIDE_TRANSFER = '''import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(784)),
    layers.Dense(32, activation='relu'),
    layers.Dense(32, activation='relu'),
    layers.Dense(32, activation='relu'),
    layers.Dense(10),
])

# Presumably you would want to first load pre-trained weights.
model.load_weights(...)

# Freeze all layers except the last one.
for layer in model.layers[:-1]:
  layer.trainable = False

# Recompile and train (this will only update the weights of the last layer).
model.compile(...)
model.fit(...)

# Load a convolutional base with pre-trained weights
base_model = keras.applications.Xception(
    weights='imagenet',
    include_top=False,
    pooling='avg')

# Freeze the base model
base_model.trainable = False

# Use a Sequential model to add a trainable classifier on top
model = keras.Sequential([
    base_model,
    layers.Dense(1000),
])

# Compile & train
model.compile(...)
model.fit(...)
'''


def sections(output):
    """'=== title' blocks of a script's output: {title: text}."""
    out, title = {}, None
    for line in output.splitlines(True):
        if line.startswith("=== "):
            title = line[4:].strip()
            out[title] = ""
        elif title is not None:
            out[title] += line
    return out


def write(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source).lstrip())
    return path


def kerastorch_cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("KERAS_BACKEND", None)
    return subprocess.run([sys.executable, "-m", "kerastorch", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def check_guide_output(out):
    parts = sections(out)
    assert parts["y.shape"].strip() == "(3, 4)"
    assert parts["chained y.shape"].strip() == "(3, 4)"
    assert parts["model.layers"].strip() == "['Dense', 'Dense', 'Dense']"
    assert parts["len after pop"].strip() == "2"
    assert parts["weights before"].strip() == "[]"
    assert parts["weights after"].strip() == "[('dense_6/kernel', (4, 3)), ('dense_6/bias', (3,))]"
    assert parts["weights error"].strip() == (
        "Weights for model sequential_3 have not yet been created. Weights are created when the "
        "Model is first called on inputs or `build()` is called with an `input_shape`.")
    assert parts["summary error"].strip() == (
        "This model has not yet been built. Build the model first by calling `build()` or by "
        "calling the model on a batch of data.")
    assert parts["len(model.weights)"].strip() == "6"
    for key, fixture in [("summary_built_by_call", "sequential_3_built_by_call.txt"),
                         ("summary_input", "sequential_4_input.txt"),
                         ("summary_input_shape", "sequential_5_input_shape.txt"),
                         ("summary_cnn_first", "sequential_6_first.txt"),
                         ("summary_cnn_second", "sequential_6_second.txt"),
                         ("summary_cnn_final", "sequential_6_final.txt")]:
        assert parts[key] == (FIXTURES / fixture).read_text(), key
    assert parts["input model.layers"].strip() == "['Dense']"
    assert parts["features"].strip() == "[(1, 123, 123, 32), (1, 121, 121, 32), (1, 119, 119, 32)]"
    assert parts["intermediate features"].strip() == "(1, 121, 121, 32)"
    assert parts["trainable"].strip() == "[False, False, False, True]"
    assert "done" in parts


# ------------------------------------------------------------------------ kerastorch run
def test_guide_runs_unedited_through_kerastorch_run_cli(tmp_path):
    script = write(tmp_path, "guide.py", GUIDE_SCRIPT)
    result = kerastorch_cli("run", script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    check_guide_output(result.stdout)


def test_run_passes_argv_and_runs_as_main(tmp_path, capsys):
    script = write(tmp_path, "args.py", """
        import sys
        import keras
        if __name__ == "__main__":
            print(sys.argv[1:], keras.layers.Dense.__module__)
    """)
    run_script(script, ["--epochs", "3"])
    assert capsys.readouterr().out.strip() == "['--epochs', '3'] kerastorch.layers.core.dense"


@pytest.mark.parametrize("imports", [
    "import keras\nfrom keras import layers, ops",
    "import tf_keras as keras\nfrom tf_keras import layers",
    "import tensorflow as tf\nkeras = tf.keras\nlayers = tf.keras.layers",
    "import tensorflow.keras as keras\nfrom tensorflow.keras.layers import Dense\n"
    "from tensorflow.keras import layers",
])
def test_every_keras_import_style_resolves_to_kerastorch(tmp_path, imports):
    script = write(tmp_path, "s.py", imports + "\nRESULT = (keras.Sequential, layers.Dense)\n")
    result = run_script(script)
    assert result["RESULT"] == (keras.Sequential, layers.Dense)


def test_tf_helpers_match_tensorflow_semantics(tmp_path):
    script = write(tmp_path, "s.py", """
        import tensorflow as tf
        tf.random.set_seed(7)
        a = tf.random.normal((2, 3))
        tf.random.set_seed(7)
        b = tf.random.normal((2, 3))
        ones = tf.ones((2, 3))
        zeros = tf.zeros((2,), dtype=tf.int32)
        const = tf.constant([1.5, 2.0])
        ints = tf.constant([1, 2])
        u = tf.random.uniform((1000,), minval=2.0, maxval=3.0)
        r = tf.reduce_sum(tf.ones((2, 3)), axis=1)
    """)
    g = run_script(script)
    torch.testing.assert_close(g["a"], g["b"])
    assert g["ones"].dtype == torch.float32 and tuple(g["ones"].shape) == (2, 3)
    assert g["zeros"].dtype == torch.int32
    assert g["const"].dtype == torch.float32 and g["ints"].dtype == torch.int32
    assert 2.0 <= float(g["u"].min()) and float(g["u"].max()) < 3.0
    assert g["r"].tolist() == [3.0, 3.0]


def test_training_script_runs_unedited(tmp_path, capsys):
    script = write(tmp_path, "train.py", """
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        tf.random.set_seed(1)
        x = np.random.default_rng(0).normal(size=(128, 4)).astype("float32")
        y = (x[:, 0] + x[:, 1] > 0).astype("int64")
        model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                                  layers.Dense(2, activation="softmax")])
        model.compile(optimizer=keras.optimizers.Adam(0.05),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, batch_size=32, epochs=5, verbose=0)
        loss, acc = model.evaluate(x, y, verbose=0)
    """)
    g = run_script(script)
    losses = g["history"].history["loss"]
    assert len(losses) == 5 and losses[-1] < losses[0]
    assert g["acc"] > 0.8


LEGACY = """
import tensorflow as tf
from tensorflow.keras.layers.experimental.preprocessing import Rescaling
from tensorflow.keras.layers.experimental import preprocessing
from tensorflow.keras import layers
a = Rescaling(1 / 255.0)
b = preprocessing.Rescaling(2.0)
c = tf.keras.layers.experimental.preprocessing.Rescaling(3.0)
d = layers.experimental.preprocessing.Rescaling(4.0)
e = tf.keras.optimizers.legacy.Adam(1e-3)
""".lstrip()


def test_tf2_moved_module_paths_resolve_to_their_keras3_home(tmp_path):
    g = run_script(write(tmp_path, "legacy.py", LEGACY))
    assert [type(g[k]) for k in "abcd"] == [layers.Rescaling] * 4
    assert [g[k].scale for k in "abcd"] == [1 / 255.0, 2.0, 3.0, 4.0]
    assert type(g["e"]).__name__ == "Adam"


def test_port_rewrites_tf2_moved_module_paths():
    result = port_source(LEGACY)
    assert result.ported.splitlines() == [
        "from kerastorch.layers import Rescaling",
        "from kerastorch import layers as preprocessing",
        "from kerastorch import layers",
        "import kerastorch as keras",
        "a = Rescaling(1 / 255.0)",
        "b = preprocessing.Rescaling(2.0)",
        "c = keras.layers.Rescaling(3.0)",
        "d = layers.Rescaling(4.0)",
        "e = keras.optimizers.Adam(1e-3)"]
    usages = usage_map(result)
    moved = usages["keras.layers.experimental.preprocessing.Rescaling"]
    assert moved.supported and moved.lines == [2, 5, 6, 7, 8]
    assert moved.note == "moved to keras.layers.Rescaling"
    assert result.unsupported == []


def test_tf_config_device_listing(tmp_path):
    script = write(tmp_path, "s.py", """
        import tensorflow as tf
        gpus = tf.config.list_physical_devices("GPU")
        for gpu in gpus:
            tf.config.experimental.set_memory_growth(gpu, True)
        cpus = tf.config.list_physical_devices("CPU")
    """)
    g = run_script(script)
    assert len(g["gpus"]) == torch.cuda.device_count()
    assert [d.device_type for d in g["cpus"]] == ["CPU"]


@pytest.mark.parametrize("code,api,error", [
    ("tf.io.serialize_tensor(1)", "tensorflow.io.serialize_tensor", NotSupportedAttributeError),
    ("tf.lookup.StaticHashTable(None, 0)", "tensorflow.lookup", NotSupportedAttributeError),
    ("tf.data.Dataset.list_files('*')", "tensorflow.data.Dataset.list_files",
     NotSupportedAttributeError),
    ("tf.random.poisson((2,), 1.0)", "tensorflow.random.poisson", NotSupportedAttributeError),
    ("keras.layers.NoSuchLayer(3)", "tensorflow.keras.layers.NoSuchLayer",
     NotSupportedAttributeError),
    ("from tensorflow.keras.layers import NoSuchLayer", "tensorflow.keras.layers.NoSuchLayer",
     NotSupportedImportError),
    ("import tensorflow.keras.no_such_module", "tensorflow.keras.no_such_module",
     NotSupportedImportError),
])
def test_missing_api_fails_at_first_use_naming_it(tmp_path, capsys, code, api, error):
    script = write(tmp_path, "s.py", f"""
        import tensorflow as tf
        from tensorflow import keras
        print("before")
        {code}
        print("after")
    """)
    with pytest.raises(error, match=f"^{api.replace('.', '[.]')} is not supported yet by "
                                    "kerastorch"):
        run_script(script)
    out = capsys.readouterr().out
    assert "before" in out and "after" not in out


def test_cli_run_reports_missing_api_at_the_script_line(tmp_path, capsys):
    from kerastorch.__main__ import main
    script = write(tmp_path, "s.py", """
        import tensorflow as tf
        x = tf.ones((2, 2))
        table = tf.lookup.StaticHashTable(x, 0)
    """)
    assert main(["run", str(script)]) == 1
    err = capsys.readouterr().err
    assert f'File "{script}", line 3, in <module>' in err
    assert err.rstrip().endswith("NotSupportedAttributeError: tensorflow.lookup is not supported "
                                 "yet by kerastorch.")
    assert "runpy" not in err and "hook.py" not in err


def test_hasattr_on_missing_api_is_false(tmp_path):
    script = write(tmp_path, "s.py", """
        import keras
        import tensorflow as tf
        RESULT = hasattr(keras, "no_such_thing"), hasattr(tf, "lookup"), hasattr(keras, "layers")
    """)
    assert run_script(script)["RESULT"] == (False, False, True)


def test_missing_model_method_names_the_keras_api(tmp_path):
    script = write(tmp_path, "s.py", """
        import keras
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.quantize("int8")
    """)
    with pytest.raises(NotSupportedAttributeError, match="^Sequential.quantize is not supported"):
        run_script(script)


def test_typo_is_a_plain_attribute_error(tmp_path):
    script = write(tmp_path, "s.py", """
        import keras
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.sumary()
    """)
    with pytest.raises(AttributeError) as info:
        run_script(script)
    assert not isinstance(info.value, NotSupportedError)


def test_installed_libraries_probing_for_tensorflow_do_not_get_the_shim(tmp_path):
    # Code compiled under a site-packages file name stands for an installed library
    # (tensorboard, transformers, ...) doing `import tensorflow` to see whether TF is there.
    script = write(tmp_path, "s.py", """
        import sysconfig
        import keras
        library = sysconfig.get_paths()["purelib"] + "/some_library/__init__.py"
        code = ("try:\\n    import tensorflow\\n    r = 'found'\\n"
                "except ImportError:\\n    r = 'absent'\\n")
        probe = {}
        exec(compile(code, library, "exec"), probe)
        RESULT = probe["r"]
        import tensorflow as tf
        SCRIPT_SEES = tf.ones
    """)
    g = run_script(script)
    assert g["RESULT"] == ("absent" if importlib.util.find_spec("tensorflow") is None else "found")
    # the shim's package (tf.ones lives in its array_ops module), not TensorFlow's
    assert g["SCRIPT_SEES"].__module__.split(".")[:3] == ["kerastorch", "porting", "tf"]


def test_hook_is_active_only_during_the_run(tmp_path):
    before = {n: m for n, m in sys.modules.items() if n.split(".")[0] in ("keras", "tensorflow")}
    script = write(tmp_path, "s.py", "import keras\nimport tensorflow as tf\n")
    run_script(script)
    after = {n: m for n, m in sys.modules.items() if n.split(".")[0] in ("keras", "tensorflow")}
    assert after == before
    assert not any(type(f).__name__ == "KerasFinder" for f in sys.meta_path)


# ------------------------------------------------------------------------ kerastorch port
def lines_with(source, text):
    return [i + 1 for i, line in enumerate(source.splitlines()) if text in line]


def usage_map(result):
    return {u.api: u for u in result.usages}


def test_port_guide_samples_rewrites_imports_and_runs(tmp_path, capsys):
    result = port_source(GUIDE_SCRIPT)
    assert result.unsupported == []
    assert "tensorflow" not in result.ported and "tf." not in result.ported
    assert "import kerastorch as keras\nfrom kerastorch import layers\nfrom kerastorch import ops" \
        in result.ported
    assert "x = ops.ones((3, 3))" in result.ported
    usages = usage_map(result)
    assert usages["tf.ones"].lines == lines_with(GUIDE_SCRIPT, "tf.ones(") and \
        len(usages["tf.ones"].lines) == 6
    assert usages["keras.Sequential"].supported and usages["keras.layers.Conv2D"].supported
    assert usages["Sequential.get_layer"].supported and usages["Layer.trainable"].supported
    assert usages["Sequential.add"].lines[:3] == lines_with(GUIDE_SCRIPT, "model.add(")[:3]
    # The ported script runs with plain `import kerastorch` (no hook) and prints the same.
    ported = write(tmp_path, "ported.py", result.ported)
    import runpy
    runpy.run_path(str(ported), run_name="__main__")
    check_guide_output(capsys.readouterr().out)


# The guide's transfer-learning APIs that may still be missing in kerastorch.
PENDING = {"keras.applications.Xception": lambda: _resolves("keras.applications.Xception"),
           "Sequential.load_weights": lambda: hasattr(keras.Sequential, "load_weights"),
           "Sequential.compile": lambda: hasattr(keras.Sequential, "compile"),
           "Sequential.fit": lambda: hasattr(keras.Sequential, "fit")}


def _resolves(api):
    obj = keras
    for part in api.split(".")[1:]:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            try:
                obj = importlib.import_module(f"{obj.__name__}.{part}")
            except (ImportError, AttributeError):
                return False
    return True


def test_port_guide_transfer_learning_reports_exactly_what_is_missing():
    result = port_source(GUIDE_TRANSFER)
    usages = usage_map(result)
    assert set(usages) >= set(PENDING) | {"keras.Sequential", "keras.Input", "keras.layers.Dense",
                                          "Sequential.layers", "Layer.trainable",
                                          "Model.trainable"}
    for api, usage in usages.items():
        expected = PENDING[api]() if api in PENDING else True
        assert usage.supported == expected, (api, usage)
    assert usages["Sequential.compile"].lines == lines_with(GUIDE_TRANSFER, "model.compile(")
    assert usages["keras.applications.Xception"].lines == lines_with(GUIDE_TRANSFER, "Xception(")
    report = result.report("transfer.py")
    n_missing = sum(not check() for check in PENDING.values())
    assert f"{n_missing} not supported" in report.splitlines()[0]


MNIST_MLP = '''import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(60000, 784).astype("float32") / 255
model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(64, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(10),
])
model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.RMSprop(),
    metrics=["accuracy"],
)
history = model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2)
logits = model(tf.constant(x_train[:2]))
probs = tf.nn.softmax(logits)
print(tf.argmax(probs, axis=1))
ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))
raw = tf.io.read_file("labels.txt")
table = tf.lookup.StaticHashTable(None, -1)
'''

CNN = '''import keras
from keras import layers, ops

inputs = keras.Input(shape=(28, 28, 1), name="digits")
x = layers.Conv2D(32, kernel_size=(3, 3), activation="relu")(inputs)
x = layers.MaxPooling2D(pool_size=(2, 2))(x)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="cnn")
model.summary()
y = model(ops.ones((2, 28, 28, 1)))
'''

TRANSFER = '''import tensorflow as tf
from tensorflow.keras.applications import ResNet50
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D
from tensorflow.keras.models import Model

base = ResNet50(weights="imagenet", include_top=False)
x = GlobalAveragePooling2D()(base.output)
preds = Dense(5, activation="softmax")(x)
model = Model(inputs=base.input, outputs=preds)
for layer in base.layers:
    layer.trainable = False
x = tf.keras.layers.Dense(3)(tf.zeros((1, 4)))
'''


def test_port_mnist_mlp(tmp_path):
    result = port_source(MNIST_MLP)
    assert result.ported.splitlines()[:3] == [
        "import numpy as np", "import tensorflow as tf", "import kerastorch as keras"]
    assert "from kerastorch import layers\nfrom kerastorch import ops" in result.ported
    assert "probs = ops.softmax(logits)" in result.ported
    assert "print(ops.argmax(probs, axis=1))" in result.ported
    assert "logits = model(ops.convert_to_tensor(x_train[:2]))" in result.ported
    usages = usage_map(result)
    # tf.data is kerastorch.data; tf.io is TensorFlow's API on torch: the call stays, `tf`
    # comes from kerastorch.porting.tf.
    assert usages["tf.data.Dataset.from_tensor_slices"].supported
    assert usages["tf.data.Dataset.from_tensor_slices"].lines == lines_with(MNIST_MLP, "tf.data")
    assert "ds = kerastorch.data.Dataset.from_tensor_slices((x_train, y_train))" in result.ported
    assert "import kerastorch.data" in result.ported.splitlines()
    assert usages["tf.io.read_file"].supported
    assert usages["tf.io.read_file"].note == "-> kerastorch.porting.tf"
    assert 'raw = tf.io.read_file("labels.txt")' in result.ported
    # tf.lookup has no kerastorch equivalent: TensorFlow's import stays for it, reported.
    assert not usages["tf.lookup.StaticHashTable"].supported
    assert usages["keras.layers.Dense"].lines == lines_with(MNIST_MLP, "layers.Dense(")
    assert usages["keras.layers.Dropout"].supported
    for api in ("keras.datasets.mnist.load_data", "keras.losses.SparseCategoricalCrossentropy",
                "keras.optimizers.RMSprop", "Sequential.compile", "Sequential.fit"):
        assert usages[api].supported == _resolves_any(api), api
    assert "tf.lookup.StaticHashTable" in result.report()


def _resolves_any(api):
    if api.startswith("Sequential."):
        return hasattr(keras.Sequential, api.split(".")[1])
    return _resolves(api)


def test_port_cnn_keras3_script_is_all_supported_and_runs(tmp_path, capsys):
    result = port_source(CNN)
    assert result.unsupported == []
    assert result.ported.startswith(
        "import kerastorch as keras\nfrom kerastorch import layers, ops\n")
    diff = result.diff("cnn.py")
    assert diff.startswith("--- a/cnn.py\n+++ b/cnn.py\n")
    assert ("-import keras\n-from keras import layers, ops\n"
            "+import kerastorch as keras\n+from kerastorch import layers, ops\n") in diff
    assert sorted(usage_map(result)) == sorted([
        "keras.Input", "keras.layers.Conv2D", "keras.layers.MaxPooling2D", "keras.layers.Flatten",
        "keras.layers.Dense", "keras.Model", "Model.summary", "keras.ops.ones"])
    import runpy
    g = runpy.run_path(str(write(tmp_path, "cnn.py", result.ported)))
    assert tuple(g["y"].shape) == (2, 10)
    assert "Total params: 54,410" in capsys.readouterr().out


def test_port_transfer_learning_from_imports():
    result = port_source(TRANSFER)
    lines = result.ported.splitlines()
    assert "from kerastorch.applications import ResNet50" in lines
    assert "from kerastorch.layers import Dense, GlobalAveragePooling2D" in lines
    assert "from kerastorch.models import Model" in lines
    assert "x = keras.layers.Dense(3)(ops.zeros((1, 4)))" in lines
    assert "import kerastorch as keras" in lines and "from kerastorch import ops" in lines
    assert "import tensorflow as tf" not in lines
    usages = usage_map(result)
    assert usages["keras.layers.Dense"].lines == [3, 8, 12]
    assert usages["keras.applications.ResNet50"].supported == \
        _resolves("keras.applications.ResNet50")
    assert usages["Model.layers"].lines == [10] and usages["Layer.trainable"].lines == [11]


def test_port_tf_keywords_renamed_dropped_or_reported():
    source = textwrap.dedent("""
        import tensorflow as tf
        a = tf.constant([1, 2, 3, 4], shape=(2, 2), name="c")
        b = tf.transpose(tf.ones((2, 3), name="x"), perm=[1, 0])
        c = tf.reduce_sum(input_tensor=b, axis=0, keepdims=True, name="s")
        d = tf.zeros(name="z", shape=(3,))
    """).lstrip()
    result = port_source(source)
    assert result.ported.splitlines() == [
        "from kerastorch import ops",
        "a = ops.convert_to_tensor([1, 2, 3, 4], shape=(2, 2))",
        "b = ops.transpose(ops.ones((2, 3)), axes=[1, 0])",
        "c = ops.sum(x=b, axis=0, keepdims=True)",
        "d = ops.zeros(shape=(3,))"]
    assert [u.api for u in result.unsupported] == ["tf.constant(shape=)"]
    g = {}
    exec(result.ported.replace("a = ops.convert_to_tensor([1, 2, 3, 4], shape=(2, 2))", ""), g)
    assert g["c"].tolist() == [[3.0, 3.0]] and tuple(g["d"].shape) == (3,)


def test_port_cli_prints_diff_and_report_and_writes(tmp_path):
    script = write(tmp_path, "mlp.py", MNIST_MLP)
    result = kerastorch_cli("port", script)
    assert result.returncode == 0, result.stderr
    assert "+import kerastorch as keras" in result.stdout
    assert "-from tensorflow import keras" in result.stdout
    assert "NOT SUPPORTED  tf.lookup.StaticHashTable" in result.stderr
    assert f"line {lines_with(MNIST_MLP, 'tf.lookup')[0]}" in result.stderr
    assert kerastorch_cli("port", script, "--strict").returncode == 1
    assert script.read_text() == textwrap.dedent(MNIST_MLP).lstrip()
    assert kerastorch_cli("port", script, "--write").returncode == 0
    assert "from kerastorch import layers" in script.read_text()


# ------------------------------------------------------------------------ assert_parity, convert
def _keras_cnn(keras3):
    return keras3.Sequential([
        keras3.Input((12, 12, 3)),
        keras3.layers.Conv2D(4, 3, activation="relu", name="conv"),
        keras3.layers.BatchNormalization(name="bn"),
        keras3.layers.MaxPooling2D(2, name="pool"),
        keras3.layers.Flatten(name="flat"),
        keras3.layers.Dense(5, activation="relu", name="hidden"),
        keras3.layers.Dense(3, name="logits"),
    ], name="cnn")


def _kt_cnn():
    return keras.Sequential([
        keras.Input((12, 12, 3)),
        layers.Conv2D(4, 3, activation="relu", name="conv"),
        layers.BatchNormalization(name="bn"),
        layers.MaxPooling2D(2, name="pool"),
        layers.Flatten(name="flat"),
        layers.Dense(5, activation="relu", name="hidden"),
        layers.Dense(3, name="logits"),
    ], name="cnn")


def _randomize_bn(keras_model):
    bn = keras_model.get_layer("bn")
    rng = np.random.default_rng(1)
    bn.set_weights([rng.uniform(0.5, 1.5, 4), rng.normal(size=4), rng.normal(size=4),
                    rng.uniform(0.5, 2.0, 4)])


def test_assert_parity_passes_on_matching_model():
    keras3 = import_keras3()
    km = _keras_cnn(keras3)
    _randomize_bn(km)
    x = np.random.default_rng(0).normal(size=(2, 12, 12, 3)).astype("float32")
    diffs = assert_parity(km, _kt_cnn(), x, atol=1e-5)
    assert set(diffs) == {"conv", "bn", "pool", "flat", "hidden", "logits", "<output>"}
    assert max(diffs.values()) <= 1e-5


def test_assert_parity_names_the_layer_with_a_wrong_weight():
    keras3 = import_keras3()
    km = _keras_cnn(keras3)
    _randomize_bn(km)
    kt = _kt_cnn()
    x = np.random.default_rng(0).normal(size=(2, 12, 12, 3)).astype("float32")
    assert_parity(km, kt, x)  # copies the weights
    kernel, bias = kt.get_layer("hidden").get_weights()
    kernel[0, 0] += 0.5
    kt.get_layer("hidden").set_weights([kernel, bias])
    with pytest.raises(AssertionError, match=r"layer 4 'hidden' \(Dense\) differs: max abs diff "):
        assert_parity(km, kt, x, copy_weights=False)


def test_assert_parity_names_a_wrongly_configured_layer():
    keras3 = import_keras3()
    km = _keras_cnn(keras3)
    kt = keras.Sequential([
        keras.Input((12, 12, 3)),
        layers.Conv2D(4, 3, activation="relu", name="conv"),
        layers.BatchNormalization(name="bn"),
        layers.MaxPooling2D(2, name="pool"),
        layers.Flatten(name="flat"),
        layers.Dense(5, name="hidden"),  # activation missing
        layers.Dense(3, name="logits"),
    ])
    x = np.random.default_rng(0).normal(size=(2, 12, 12, 3)).astype("float32")
    with pytest.raises(AssertionError, match="'hidden'"):
        assert_parity(km, kt, x)


def test_assert_parity_reports_mismatched_layer_structure():
    keras3 = import_keras3()
    km = _keras_cnn(keras3)
    kt = keras.Sequential([keras.Input((12, 12, 3)), layers.Conv2D(4, 3, name="conv"),
                           layers.Flatten(), layers.Dense(3)])
    with pytest.raises(ValueError, match="Cannot match layers with weights"):
        assert_parity(km, kt, np.zeros((1, 12, 12, 3), "float32"))


def test_convert_sequential_matches_keras():
    keras3 = import_keras3()
    km = _keras_cnn(keras3)
    _randomize_bn(km)
    twin = convert(km)
    assert isinstance(twin, keras.Sequential) and twin.name == "cnn"
    assert [lay.name for lay in twin.layers] == [lay.name for lay in km.layers]
    assert twin.count_params() == km.count_params()
    x = np.random.default_rng(2).normal(size=(3, 12, 12, 3)).astype("float32")
    assert_parity(km, twin, x, copy_weights=False)


def test_convert_functional_with_branches_matches_keras():
    keras3 = import_keras3()
    inputs = keras3.Input((6,), name="features")
    a = keras3.layers.Dense(4, activation="tanh", name="a")(inputs)
    b = keras3.layers.Dense(4, activation="relu", name="b")(inputs)
    merged = keras3.layers.Concatenate(name="cat")([a, b])
    out1 = keras3.layers.Dense(2, name="head1")(merged)
    out2 = keras3.layers.Add(name="sum")([a, b])
    km = keras3.Model(inputs, [out1, out2], name="branches")
    twin = convert(km)
    assert [lay.name for lay in twin.layers] == [lay.name for lay in km.layers]
    x = np.random.default_rng(3).normal(size=(4, 6)).astype("float32")
    diffs = assert_parity(km, twin, x, copy_weights=False)
    assert set(diffs) == {"a", "b", "cat", "head1", "sum", "<output>"}


@pytest.mark.parametrize("case", ["image", "sequence"])
def test_convert_many_layer_types_matches_keras(case):
    keras3 = import_keras3()
    L = keras3.layers
    if case == "image":
        shape, stack = (12, 12, 3), [
            L.Conv2D(4, 3, padding="same"), L.DepthwiseConv2D(3),
            L.SeparableConv2D(5, 3, activation="relu"), L.BatchNormalization(),
            L.ZeroPadding2D(1), L.Conv2DTranspose(3, 3, strides=2), L.UpSampling2D(2),
            L.Cropping2D(1), L.Dropout(0.3), L.GlobalAveragePooling2D(), L.Dense(4)]
    else:
        shape, stack = (7, 4), [
            L.Bidirectional(L.LSTM(3, return_sequences=True)), L.LayerNormalization(),
            L.TimeDistributed(L.Dense(2)), L.GRU(3, return_sequences=True), L.Conv1D(3, 2),
            L.GlobalMaxPooling1D(), L.Dense(2, use_bias=False, kernel_initializer="he_normal")]
    km = keras3.Sequential([keras3.Input(shape)] + stack)
    twin = convert(km)
    assert [type(lay).__name__ for lay in twin.layers] == [type(lay).__name__ for lay in km.layers]
    x = np.random.default_rng(4).normal(size=(2,) + shape).astype("float32")
    assert_parity(km, twin, x, copy_weights=False)


def test_convert_shared_layer_two_inputs_and_nested_model():
    keras3 = import_keras3()
    inner = keras3.Sequential([keras3.Input((4,)), keras3.layers.Dense(3, activation="relu"),
                               keras3.layers.Dense(4)], name="inner")
    shared = keras3.layers.Dense(4, name="shared")
    a, b = keras3.Input((4,), name="a"), keras3.Input((4,), name="b")
    out = keras3.layers.Add(name="add")([shared(a), shared(inner(b))])
    km = keras3.Model([a, b], out)
    twin = convert(km)
    assert isinstance(twin.get_layer("inner"), keras.Sequential)
    rng = np.random.default_rng(5)
    xs = [rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(3, 4)).astype("float32")]
    diffs = assert_parity(km, twin, xs, copy_weights=False)
    assert set(diffs) == {"shared", "inner", "add", "<output>"}


def test_convert_from_a_keras_file(tmp_path):
    keras3 = import_keras3()
    km = _keras_cnn(keras3)
    _randomize_bn(km)
    km.save(tmp_path / "cnn.keras")
    twin = convert(tmp_path / "cnn.keras")
    x = np.random.default_rng(6).normal(size=(2, 12, 12, 3)).astype("float32")
    assert_parity(km, twin, x, copy_weights=False)


def test_convert_custom_layer_is_not_supported():
    keras3 = import_keras3()

    class Twice(keras3.layers.Layer):
        def call(self, x):
            return 2 * x

    km = keras3.Sequential([keras3.Input((3,)), Twice(name="twice")])
    with pytest.raises(NotSupportedError, match="custom layer 'Twice'"):
        convert(km)


# ------------------------------------------------------------------------ to_torch, export
def _functional_model():
    inputs = keras.Input((8, 8, 3), name="image")
    x = layers.Conv2D(4, 3, activation="relu")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    a = layers.Dense(5, activation="relu")(x)
    b = layers.Dense(5)(x)
    outputs = layers.Dense(3, name="logits")(layers.Add()([a, b]))
    return keras.Model(inputs, outputs)


def test_to_torch_is_plain_torch_with_the_model_weights(monkeypatch):
    model = _functional_model()
    module = model.to_torch()
    assert isinstance(module, torch.nn.Module) and not isinstance(module, keras.Layer)
    assert module.state_dict().keys() == model.state_dict().keys()
    x = torch.randn(3, 8, 8, 3)
    expected = model(x)

    def no_keras_call(*args, **kwargs):
        raise AssertionError("Layer.__call__ in to_torch()'s call path")

    monkeypatch.setattr(keras.Layer, "__call__", no_keras_call)
    torch.testing.assert_close(module(x), expected, atol=0, rtol=0)
    # Shared weights: a change in the model shows in the module.
    with torch.no_grad():
        model.get_layer("logits").bias.add_(1.0)
    torch.testing.assert_close(module(x), expected + 1.0)


def test_to_torch_nested_sequential_and_multiple_outputs():
    inner = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"),
                              layers.Dense(2)], name="inner")
    inputs = keras.Input((4,))
    y = inner(inputs)
    model = keras.Model(inputs, [y, layers.Dense(1)(y)])
    module = model.to_torch()
    assert type(module._modules[str(model.layers.index(inner))]).__name__ == "TorchModel"
    x = torch.randn(5, 4)
    for got, want in zip(module(x), model(x), strict=True):
        torch.testing.assert_close(got, want, atol=0, rtol=0)


def test_to_torch_of_sequential_in_sequential_and_its_onnx_export(tmp_path):
    base = keras.Sequential([keras.Input((6, 6, 2)), layers.Conv2D(3, 3, activation="relu"),
                             layers.GlobalMaxPooling2D()], name="base")
    model = keras.Sequential([base, layers.Dense(4)])
    x = torch.randn(3, 6, 6, 2)
    expected = model(x)
    module = model.to_torch()
    torch.testing.assert_close(module(x), expected, atol=0, rtol=0)
    assert module.state_dict().keys() == model.state_dict().keys()
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    session = ort.InferenceSession(model.export(tmp_path / "seq.onnx"))
    got = session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]
    np.testing.assert_allclose(got, expected.detach().numpy(), atol=1e-5, rtol=1e-5)


def test_to_torch_follows_train_and_eval_modes():
    model = keras.Sequential([keras.Input((64,)), layers.Dropout(0.5)])
    module = model.to_torch()
    x = torch.ones(4, 64)
    torch.testing.assert_close(module(x), x)  # inference by default, as the model
    module.train()
    assert (module(x) == 0).any()
    module.eval()
    torch.testing.assert_close(module(x), x)


def test_to_torch_needs_a_graph():
    model = keras.Sequential([layers.Dense(2)])  # no input shape yet
    with pytest.raises(ValueError, match="to_torch\\(\\) needs a built Sequential or functional"):
        model.to_torch()


def test_to_torch_accepted_by_torch_export_and_compile():
    model = _functional_model()
    module = model.to_torch().eval()
    x = torch.randn(2, 8, 8, 3)
    expected = model(x)
    program = torch.export.export(module, (x,))
    torch.testing.assert_close(program.module()(x), expected, atol=1e-6, rtol=1e-6)
    compiled = torch.compile(module, backend="eager")
    torch.testing.assert_close(compiled(x), expected, atol=1e-6, rtol=1e-6)


def test_export_onnx_same_outputs_in_onnxruntime(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    model = _functional_model()
    path = model.export(tmp_path / "model.onnx")
    session = ort.InferenceSession(str(path))
    assert [i.name for i in session.get_inputs()] == ["image"]
    x = np.random.default_rng(0).normal(size=(5, 8, 8, 3)).astype("float32")  # dynamic batch
    got = session.run(None, {"image": x})[0]
    np.testing.assert_allclose(got, model(torch.from_numpy(x)).detach().numpy(), atol=1e-5,
                               rtol=1e-5)


def test_export_onnx_without_packages_says_what_to_install(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "onnxscript" else real(name, *a))
    with pytest.raises(ImportError, match=r"\['onnxscript'\].*pip install"):
        _functional_model().export(tmp_path / "model.onnx")


def test_export_torch_program_and_unknown_format(tmp_path):
    model = _functional_model()
    path = model.export(tmp_path / "model.pt2")
    x = torch.randn(2, 8, 8, 3)
    torch.testing.assert_close(torch.export.load(path).module()(x), model(x), atol=1e-6,
                               rtol=1e-6)
    with pytest.raises(ValueError, match="tf_saved_model"):
        model.export(tmp_path / "saved", format="tf_saved_model")


# ------------------------------------------------------------------------ plot_model
def test_model_to_dot_has_one_node_per_layer_and_the_graph_edges():
    pydot = pytest.importorskip("pydot")
    model = _functional_model()
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    assert isinstance(dot, pydot.Dot)
    nodes = {n.get_name(): n.get_label() for n in dot.get_nodes() if n.get_name() != "node"}
    assert len(nodes) == len(model.layers)
    by_layer = {lay.name: str(id(lay)) for lay in model.layers}
    edges = {(e.get_source(), e.get_destination()) for e in dot.get_edges()}
    add = model.get_layer("add")
    assert {(by_layer["dense"], by_layer[add.name]), (by_layer["dense_1"], by_layer[add.name]),
            (by_layer[add.name], by_layer["logits"])} <= edges
    assert len(edges) == 8  # input-conv-pool-flatten, flatten->dense/dense_1->add->logits
    assert "Output shape: (None, 3)" in nodes[by_layer["logits"]]


def test_plot_model_writes_dot_and_needs_graphviz_for_images(tmp_path):
    pytest.importorskip("pydot")
    from kerastorch.utils import model_visualization
    model = _functional_model()
    keras.utils.plot_model(model, to_file=tmp_path / "model.dot", show_shapes=True)
    assert (tmp_path / "model.dot").read_text().startswith("digraph G {")
    if model_visualization.check_graphviz():
        keras.utils.plot_model(model, to_file=tmp_path / "model.png", show_shapes=True)
        assert (tmp_path / "model.png").stat().st_size > 0
    else:
        with pytest.raises(ImportError, match="You must install graphviz"):
            keras.utils.plot_model(model, to_file=tmp_path / "model.png", show_shapes=True)


def test_tf_string_is_the_string_dtype_of_keras_inputs(tmp_path):
    script = write(tmp_path, "s.py", """
        import numpy as np
        import tensorflow as tf
        import keras
        text = keras.Input((1,), dtype=tf.string)
        DTYPE = text.dtype
        lookup = keras.layers.StringLookup(vocabulary=["a", "b"])
        IDS = keras.Model(text, lookup(text)).predict(np.array([["b"], ["z"]]), verbose=0)
        try:
            tf.zeros((2,), dtype=tf.string)
        except ValueError as err:
            ERROR = str(err)
    """)
    g = run_script(script)
    assert g["DTYPE"] == "string"
    assert g["IDS"].tolist() == [[2], [0]]
    assert "string" in g["ERROR"]  # no torch dtype: not silently float32


@pytest.mark.parametrize("imports,version", [
    ("import keras", 3),
    ("from keras import layers", 3),
    ("import tf_keras as keras", 2),
    ("import tensorflow as tf\nkeras = tf.keras", 2),
    ("from tensorflow import keras", 2),
    ("from tensorflow.keras import layers", 2),
    ("from keras_preprocessing import sequence", 2),
    ("import keras\nfrom tensorflow.keras import layers", 2),  # a Keras 2 import wins
    ("import numpy", None),
])
def test_the_keras_a_script_imports_sets_its_defaults_for_the_run(tmp_path, imports, version):
    script = write(tmp_path, "s.py", imports + "\nimport kerastorch\n"
                   "SEEN = kerastorch.backend.keras_defaults()\n")
    assert keras.backend.keras_defaults() is None
    assert run_script(script)["SEEN"] == version
    assert keras.backend.keras_defaults() is None  # restored after the run


def test_keras2_layer_modules_resolve_under_the_hook(tmp_path):
    script = write(tmp_path, "s.py", """
        from keras.layers.merge import concatenate, Add
        from keras.layers.core import Dense, Dropout
        from keras.layers.recurrent import LSTM
        from keras.utils.np_utils import to_categorical
        from keras.wrappers.scikit_learn import KerasClassifier
        RESULT = (concatenate, Add, Dense, Dropout, LSTM, to_categorical([1]).dtype.name,
                  KerasClassifier.__name__)
    """)
    result = run_script(script)["RESULT"]
    assert result == (layers.concatenate, layers.Add, layers.Dense, layers.Dropout, layers.LSTM,
                      "float32", "KerasClassifier")


def test_port_reports_tensorflow_core_calls_as_kerastorch_run_provides_them():
    source = textwrap.dedent("""
        import tensorflow as tf
        v = tf.Variable(1.0)
        with tf.GradientTape() as tape:
            y = v * v
        g = tape.gradient(y, v)
        raw = tf.io.read_file("x.png")
    """).lstrip()
    result = port_source(source)
    usages = usage_map(result)
    assert usages["tf.Variable"].supported and usages["tf.GradientTape"].supported
    assert usages["tf.GradientTape"].note == "-> kerastorch.porting.tf"
    assert usages["tf.io.read_file"].supported
    assert "from kerastorch.porting import tf" in result.ported.splitlines()
    assert "import tensorflow as tf" not in result.ported.splitlines()


TF_IO_SCRIPT = '''import os
import tensorflow as tf
from tensorflow.io import gfile

path = os.path.join(os.environ["OUT_DIR"], "r.tfrecord")
with tf.io.TFRecordWriter(path) as writer:
    for i in range(3):
        writer.write(tf.train.Example(features=tf.train.Features(feature={
            "i": tf.train.Feature(int64_list=tf.train.Int64List(value=[i]))})).SerializeToString())
spec = {"i": tf.io.FixedLenFeature([], tf.int64)}
values = [int(tf.io.parse_single_example(r, spec)["i"]) for r in tf.data.TFRecordDataset(path)]
print(values, gfile.exists(path), tf.reduce_sum(tf.ones((2, 2))).numpy())
table = tf.lookup.StaticHashTable
'''


def test_port_keeps_tf_calls_kerastorch_has_and_the_result_runs_like_kerastorch_run(
        tmp_path, monkeypatch):
    result = port_source(TF_IO_SCRIPT)
    usages = usage_map(result)
    assert usages["tf.io.TFRecordWriter"].supported
    assert usages["tf.train.Example"].supported and usages["tf.io.parse_single_example"].supported
    assert not usages["tf.lookup.StaticHashTable"].supported
    assert "import tensorflow as tf" in result.ported  # still needed for tf.lookup
    without_lookup = port_source(TF_IO_SCRIPT.replace("table = tf.lookup.StaticHashTable\n", ""))
    assert without_lookup.unsupported == []
    lines = without_lookup.ported.splitlines()
    assert "from kerastorch.porting import tf" in lines
    assert "from kerastorch.porting.tf.io import gfile" in lines
    monkeypatch.setenv("OUT_DIR", str(tmp_path))
    ported = write(tmp_path, "ported.py", without_lookup.ported)
    original = write(tmp_path, "original.py", TF_IO_SCRIPT.replace(
        "table = tf.lookup.StaticHashTable\n", ""))
    run = [sys.executable, "-m", "kerastorch", "run"]
    env = dict(os.environ, PYTHONPATH=str(ROOT), KERAS_BACKEND="torch")
    out_ported = subprocess.run([sys.executable, str(ported)], capture_output=True, text=True,
                                env=env, timeout=120)
    out_run = subprocess.run(run + [str(original)], capture_output=True, text=True, env=env,
                             timeout=120)
    assert out_ported.returncode == 0, out_ported.stderr[-2000:]
    assert out_ported.stdout == out_run.stdout == "[0, 1, 2] True 4.0\n"
