"""Sequential against Keras 3: deferred and eager builds, add/pop, config round trips, outputs
after copying weights, and the same error types for the same mistakes."""

import json

import numpy as np
import pytest

import kerastorch as keras
from tests.keras2.oracle import run_tf
from tests.keras3 import import_keras3


def _stack(k, with_input):
    layers = [k.layers.Dense(4, activation="relu", name="d1"), k.layers.Dropout(0.2, name="dr"),
              k.layers.Dense(2, name="d2")]
    return k.Sequential(([k.Input((3,), name="x")] if with_input else []) + layers, name="s")


@pytest.mark.parametrize("with_input", [True, False])
def test_build_config_and_outputs_match_keras3(with_input):
    k3 = import_keras3()
    ours, theirs = _stack(keras, with_input), _stack(k3, with_input)
    assert ours.built == theirs.built == with_input
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    theirs(x)
    ours(x)
    assert [l.name for l in ours.layers] == [l.name for l in theirs.layers]
    ours.set_weights([k3.ops.convert_to_numpy(w) for w in theirs.get_weights()])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ours(x)),
                               k3.ops.convert_to_numpy(theirs(x)), atol=1e-6)
    assert tuple(ours.output_shape) == tuple(theirs.output_shape)  # (5, 2) built by a call
    a, b = ours.get_config(), theirs.get_config()
    assert a["name"] == b["name"]
    assert [l["class_name"] for l in a["layers"]] == [l["class_name"] for l in b["layers"]]
    # (the InputLayer a deferred build adds is named as tf.keras 2 names it, 'd1_input')
    names = [[l["config"]["name"] for l in c["layers"] if l["class_name"] != "InputLayer"]
             for c in (a, b)]
    assert names[0] == names[1] == ["d1", "dr", "d2"]
    clone = keras.Sequential.from_config(a)
    assert [l.name for l in clone.layers] == [l.name for l in ours.layers]
    if not clone.built:
        clone(x)
    clone.set_weights(ours.get_weights())
    np.testing.assert_allclose(keras.ops.convert_to_numpy(clone(x)),
                               keras.ops.convert_to_numpy(ours(x)), atol=1e-6)


def test_add_and_pop_match_keras3():
    k3 = import_keras3()
    for k in (keras, k3):
        model = k.Sequential([k.Input((3,))])
        model.add(k.layers.Dense(4, name="a"))
        model.add(k.layers.Dense(5, name="b"))
        assert model.output_shape == (None, 5)
        model.pop()
        assert [l.name for l in model.layers] == ["a"] and model.output_shape == (None, 4)


# Keras 2 behaviour: the error types are tf.keras 2.21's (Keras 3 differs for some:
# ValueError for a non-layer, IndexError for pop() on an empty model, no error for build()).
MISTAKES = [
    "k.Sequential().add('dense')",
    "k.Sequential([k.layers.Dense(2, name='same'), k.layers.Dense(2, name='same')])",
    "k.Sequential().pop()",
    "k.Sequential([k.layers.Dense(2)]).build()",
    "k.Sequential([k.Input((4,)), k.layers.Lambda(lambda t: [t, t])])",
    "k.Sequential([k.Input((3,)), k.layers.Dense(2)])(np.zeros((2, 5), 'float32'))",
]

TF_SCRIPT = """
import json, sys
import numpy as np
import tf_keras as k
out = []
for text in json.loads(sys.argv[1]):
    try:
        eval(text)
        out.append(None)
    except Exception as e:
        out.append(type(e).__name__)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def tf_errors(tmp_path_factory):
    script = tmp_path_factory.mktemp("seq") / "mistakes.py"
    script.write_text(TF_SCRIPT)
    return json.loads(run_tf(script, json.dumps(MISTAKES)).strip().splitlines()[-1])


@pytest.mark.parametrize("index", range(len(MISTAKES)), ids=[str(i) for i in range(len(MISTAKES))])
def test_mistakes_raise_what_tf_keras_raises(tf_errors, index):
    want = tf_errors[index]
    assert want is not None, MISTAKES[index]
    with pytest.raises(Exception) as info:
        eval(MISTAKES[index], {"k": keras, "np": np})  # noqa: S307 - the shared text
    assert type(info.value).__name__ == want, (MISTAKES[index], str(info.value))
