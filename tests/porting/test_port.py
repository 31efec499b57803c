"""port_source (`kerastorch port`): a tf.keras script rewritten to import kerastorch, runnable
as rewritten, with a report of every Keras API it uses and which ones kerastorch lacks."""

import ast

from kerastorch.porting.port import canonical_module, modernize, port_source, resolve

SCRIPT = '''from tensorflow import keras
from tensorflow.keras.layers import Dense
import tensorflow as tf
model = keras.Sequential([Dense(2, input_shape=(3,))])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="mse")
x = keras.applications.NoSuchNet()
'''


def test_rewritten_source_imports_kerastorch_and_runs():
    result = port_source(SCRIPT)
    tree = ast.parse(result.ported)
    modules = [n.module if isinstance(n, ast.ImportFrom) else a.name
               for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
               for a in n.names]
    assert modules and all(m.startswith("kerastorch") for m in modules)
    assert "tensorflow" not in result.ported
    runnable = result.ported.replace("x = keras.applications.NoSuchNet()\n", "")
    scope = {}
    exec(compile(runnable, "ported.py", "exec"), scope)  # noqa: S102 - the ported script
    assert type(scope["model"]).__module__.startswith("kerastorch")
    assert scope["model"].count_params() == 8


def test_usages_report_and_diff():
    result = port_source(SCRIPT)
    by_api = {u.api: u for u in result.usages}
    assert by_api["keras.layers.Dense"].lines == [2, 4] and by_api["keras.layers.Dense"].supported
    assert by_api["keras.Sequential"].supported and by_api["keras.optimizers.Adam"].lines == [5]
    assert [u.api for u in result.unsupported] == ["keras.applications.NoSuchNet"]
    assert "NoSuchNet" in result.unsupported[0].note
    report = result.report("train.py")
    assert report.startswith(f"kerastorch port report for train.py: {len(result.usages)} Keras "
                             "APIs used, 1 not supported")
    assert "NOT SUPPORTED  keras.applications.NoSuchNet" in report
    diff = result.diff("train.py")
    assert "-from tensorflow import keras" in diff and "+import kerastorch as keras" in diff
    assert port_source("x = 1\n").ported == "x = 1\n" and port_source("x = 1\n").usages == []


def test_names_resolve_through_keras_2_moves():
    assert modernize("keras.layers.experimental.preprocessing.Rescaling") == \
        "keras.layers.Rescaling"
    assert canonical_module("tensorflow.keras.layers") == "keras.layers"
    assert resolve("keras.layers.Dense").__module__.startswith("kerastorch")
