"""model.summary(): Keras 2's text table, compared byte for byte with real tf.keras 2.21 for
Sequential, branching functional, nested and frozen models and the table's options."""

import re

import numpy as np
import pytest

from tests.keras2.oracle import run_tf

# The same models, written once, built with either Keras (`k` is the keras module).
BUILD = '''
def build(k):
    seq = k.Sequential([k.Input((8,), name="seq_in"), k.layers.Dense(4, name="d1"),
                        k.layers.Dropout(0.1, name="drop"), k.layers.Dense(2, name="d2")],
                       name="seq")
    a = k.Input((5,), name="a")
    b = k.Input((3,), name="b")
    x = k.layers.Dense(6, activation="relu", name="fa")(a)
    y = k.layers.Dense(6, name="fb")(b)
    z = k.layers.Concatenate(name="cat")([x, y])
    z = k.layers.BatchNormalization(name="bn")(z)
    branch = k.Model([a, b], k.layers.Dense(1, name="head")(z), name="branch")
    inner = k.Sequential([k.Input((4,), name="inner_in"), k.layers.Dense(3, name="i1")],
                         name="inner")
    i = k.Input((4,), name="outer_in")
    frozen = k.layers.Dense(4, name="frozen")
    frozen.trainable = False
    nested = k.Model(i, k.layers.Dense(2, name="o1")(inner(frozen(i))), name="nested")
    return {"seq": seq, "branch": branch, "nested": nested}


OPTIONS = [("seq", {}), ("seq", {"line_length": 80}), ("seq", {"positions": [0.4, 0.7, 1.0]}),
           ("branch", {}), ("branch", {"line_length": 120}), ("nested", {}),
           ("nested", {"expand_nested": True}), ("nested", {"show_trainable": True}),
           ("branch", {"layer_range": ["fa", "cat"]}),
           ("nested", {"expand_nested": True, "show_trainable": True})]
'''

TF_SCRIPT = BUILD + '''
import tf_keras as keras
models = build(keras)
for name, kwargs in OPTIONS:
    lines = []
    models[name].summary(print_fn=lines.append, **kwargs)
    print("\\n".join(lines))
    print("<<END>>")
'''


@pytest.fixture(scope="module")
def tf_summaries(tmp_path_factory):
    script = tmp_path_factory.mktemp("summary") / "summaries.py"
    script.write_text(TF_SCRIPT)
    out = run_tf(script)
    return out.split("<<END>>\n")[:-1]


def _ours():
    import kerastorch as keras
    namespace = {}
    exec(BUILD, namespace)  # noqa: S102 - the models' definition shared with the TF script
    models = namespace["build"](keras)
    texts = []
    for name, kwargs in namespace["OPTIONS"]:
        lines = []
        models[name].summary(print_fn=lines.append, **kwargs)
        texts.append("\n".join(lines) + "\n")
    return texts, namespace["OPTIONS"]


_BYTES = re.compile(r" \([0-9.]+ (Byte|KB|MB|GB)\)$", re.M)
N_OPTIONS = 10


@pytest.fixture(scope="module")
def our_summaries():
    return _ours()


def _compare(tf_summaries, our_summaries, index, strip_bytes):
    ours, options = our_summaries
    assert len(tf_summaries) == len(ours) == N_OPTIONS
    name, kwargs = options[index]
    want, got = tf_summaries[index], ours[index]
    if strip_bytes:
        want = _BYTES.sub("", want)
    assert got == want, f"{name} {kwargs}:\n--- tf.keras\n{want}\n--- kerastorch\n{got}"


_COLUMNS = pytest.mark.xfail(strict=True, reason=(
    "a branching functional model (the 'Connected to' table): tf.keras 2.21 puts the columns "
    "at 30/60/70% of the line ('Output Shape' at 29, 'Param #' at 58 of 98); kerastorch puts "
    "them at 32/53/65"))
_NESTED = pytest.mark.xfail(strict=True, reason=(
    "expand_nested: tf.keras 2.21 shifts the nested rows' columns one character right inside "
    "the '|' frame (' i1 (Dense)                 (None, 3)'); kerastorch keeps the outer "
    "columns, so the frame rows differ by one space"))
_MARKS = {3: _COLUMNS, 4: _COLUMNS, 8: _COLUMNS, 6: _NESTED, 9: _NESTED}


@pytest.mark.parametrize("index", [pytest.param(i, marks=_MARKS[i]) if i in _MARKS else i
                                   for i in range(N_OPTIONS)])
def test_summary_matches_tf_keras_but_the_byte_sizes(tf_summaries, our_summaries, index):
    _compare(tf_summaries, our_summaries, index, strip_bytes=True)


@pytest.mark.xfail(strict=True, reason="tf.keras 2.21 ends the three params lines with the "
                   "weights' size, 'Total params: 46 (184.00 Byte)'; kerastorch prints "
                   "'Total params: 46' (the older Keras 2 form)")
def test_summary_matches_tf_keras_byte_for_byte(tf_summaries, our_summaries):
    _compare(tf_summaries, our_summaries, 0, strip_bytes=False)


def test_counts_shared_weights_once_and_prints_to_stdout(capsys):
    import kerastorch as keras
    from kerastorch.models.summary import count_params
    shared = keras.layers.Dense(3, name="shared")
    a = keras.Input((3,))
    model = keras.Model(a, shared(shared(a)))
    assert count_params(model.weights) == 12
    assert count_params(model.trainable_weights + model.trainable_weights) == 12
    model.summary()
    out = capsys.readouterr().out
    assert "Total params: 12" in out and "shared" in out
    assert np.prod((3, 4)) == 12
