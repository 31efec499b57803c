"""Dataset pipelines element for element against real tf.data (TensorFlow 2.21): the same
pipeline text runs under both; values, dtypes, shapes and cardinality are compared."""

import json

import numpy as np
import pytest

from kerastorch import data
from tests.keras2.oracle import run_tf

PIPELINES = [
    "D.range(10).map(lambda x: x * 2).filter(lambda x: x % 3 == 0)",
    "D.from_tensor_slices(np.arange(12).reshape(6, 2)).batch(4)",
    "D.from_tensor_slices(np.arange(12).reshape(6, 2)).batch(4, drop_remainder=True)",
    "D.range(5).repeat(3).skip(2).take(9)",
    "D.zip((D.range(5), D.range(10, 13)))",
    "D.range(3).concatenate(D.range(7, 9))",
    "D.from_tensor_slices((np.arange(6.0, dtype='float32'), np.ones(6, 'float32')))"
    ".map(lambda x, y: x + y).batch(4)",
    "D.from_tensor_slices({'a': np.arange(5), 'b': np.arange(5) * 10}).batch(2).unbatch()",
    "D.range(6).enumerate(start=1)",
    "D.range(4).flat_map(lambda x: D.range(x))",
    "D.range(3).interleave(lambda x: D.range(x * 10, x * 10 + 3), cycle_length=2)",
    "D.range(10).shard(3, 1)",
    "D.range(10).take_while(lambda x: x < 4)",
    "D.range(10).batch(4).rebatch(3)",
    "D.range(1, 5).map(lambda x: D.range(x).reduce(np.int64(0), lambda s, v: s + v))",
    "D.from_tensors(np.arange(3, dtype='int32')).repeat(2)",
    "D.range(7).window(3, shift=2, drop_remainder=True).flat_map(lambda w: w.batch(3))",
    "D.from_tensor_slices(np.arange(10, dtype='int32')).padded_batch(4)",
    "D.range(5).cache().repeat(2)",
    "D.range(8).apply(lambda ds: ds.skip(1)).batch(3, drop_remainder=False)",
]

SCRIPT = '''
import json, sys
import numpy as np
import tensorflow as tf
D = tf.data.Dataset
out = []
for text in json.loads(sys.argv[1]):
    ds = eval(text)
    rows = [tf.nest.map_structure(lambda a: [str(np.asarray(a).dtype), np.asarray(a).tolist()], e)
            for e in ds.as_numpy_iterator()]
    out.append({"rows": rows, "cardinality": int(ds.cardinality())})
print(json.dumps(out))
'''


@pytest.fixture(scope="module")
def tf_results(tmp_path_factory):
    script = tmp_path_factory.mktemp("tfdata") / "pipelines.py"
    script.write_text(SCRIPT)
    return json.loads(run_tf(script, json.dumps(PIPELINES)).strip().splitlines()[-1])


def _plain(structure):
    if isinstance(structure, dict):
        return {k: _plain(v) for k, v in structure.items()}
    if isinstance(structure, (tuple, list)):
        return [_plain(v) for v in structure]
    a = np.asarray(structure)
    return [str(a.dtype), a.tolist()]


def _ours(text):
    ds = eval(text, {"D": data.Dataset, "np": np})  # noqa: S307 - the shared pipeline text
    return {"rows": [_plain(e) for e in ds.as_numpy_iterator()],
            "cardinality": int(ds.cardinality())}


@pytest.mark.parametrize("index", range(len(PIPELINES)),
                         ids=[str(i) for i in range(len(PIPELINES))])
def test_pipeline_matches_tf_data(tf_results, index):
    got = _ours(PIPELINES[index])
    want = tf_results[index]
    assert got["rows"] == want["rows"], PIPELINES[index]
    assert got["cardinality"] == want["cardinality"], PIPELINES[index]


def test_reduce_and_get_single_element_by_hand():
    assert int(data.Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)) == 10
    assert int(data.Dataset.from_tensors(np.int64(7)).get_single_element()) == 7
    with pytest.raises((ValueError, TypeError)):
        data.Dataset.range(2).get_single_element()
    assert data.Dataset.range(3).repeat().cardinality() == data.INFINITE_CARDINALITY
