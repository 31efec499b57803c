"""The Keras API name lists that tell a missing kerastorch feature from a script's typo: every
name is public API of Keras 3's or tf.keras 2.21's Layer/Model/Sequential
(`add`, `pop`), and Model's list holds Layer's."""

import json

import pytest

from kerastorch.porting.keras_api import LAYER_API, MODEL_API
from tests.keras2.oracle import run_tf
from tests.keras3 import import_keras3

TF_SCRIPT = """
import json
import tf_keras as k
layer = k.layers.Dense(2)
layer.build((None, 3))
i = k.Input((3,))
model = k.Model(i, k.layers.Dense(2)(i))
print(json.dumps({"layer": sorted(set(dir(k.layers.Layer)) | set(dir(layer))),
                  "model": sorted(set(dir(k.Model)) | set(dir(model)) | set(dir(k.Sequential)))}))
"""


@pytest.fixture(scope="module")
def tf_names(tmp_path_factory):
    script = tmp_path_factory.mktemp("api") / "names.py"
    script.write_text(TF_SCRIPT)
    return json.loads(run_tf(script).strip().splitlines()[-1])


def _keras3_names(k3):
    layer = k3.layers.Dense(2)
    layer.build((None, 3))
    i = k3.Input((3,))
    model = k3.Model(i, k3.layers.Dense(2)(i))
    return (set(dir(k3.layers.Layer)) | set(dir(layer)),
            set(dir(k3.Model)) | set(dir(model)) | set(dir(k3.Sequential)))


def test_lists_are_public_names_and_model_extends_layer():
    assert LAYER_API <= MODEL_API
    assert all(n.isidentifier() and not n.startswith("_") for n in MODEL_API)
    assert {"fit", "compile", "summary", "get_layer"} <= MODEL_API - LAYER_API
    assert {"build", "call", "get_config", "weights"} <= LAYER_API


def test_every_name_is_keras3_or_tf_keras_api(tf_names):
    k3 = import_keras3()
    k3_layer, k3_model = _keras3_names(k3)
    unknown_layer = sorted(n for n in LAYER_API if n not in k3_layer and n not in tf_names["layer"])
    unknown_model = sorted(n for n in MODEL_API if n not in k3_model and n not in tf_names["model"])
    assert unknown_layer == [] and unknown_model == []
