"""tf.data.experimental: the constants are TensorFlow's, cardinality, Options kept as set,
unknown names raise NotSupportedAttributeError (an AttributeError) naming themselves."""

import pytest

from kerastorch import data
from kerastorch.data import experimental
from kerastorch.porting.errors import NotSupportedAttributeError


def test_constants_are_tensorflows():
    # tf.data.AUTOTUNE == -1, tf.data.INFINITE_CARDINALITY == -1, UNKNOWN_CARDINALITY == -2
    assert (experimental.AUTOTUNE, experimental.INFINITE_CARDINALITY,
            experimental.UNKNOWN_CARDINALITY) == (-1, -1, -2)
    assert data.AUTOTUNE is experimental.AUTOTUNE


def test_cardinality():
    assert int(experimental.cardinality(data.Dataset.range(7).batch(2))) == 4
    assert int(experimental.cardinality(data.Dataset.range(3).repeat())) == -1
    assert int(experimental.cardinality(data.Dataset.range(7).filter(lambda x: x > 2))) == -2


def test_options_keep_what_is_set_at_any_depth():
    options = experimental.Options()
    options.deterministic = False
    options.experimental_distribute.auto_shard_policy = "DATA"
    options.threading.private_threadpool_size = 4
    assert options.deterministic is False
    assert options.experimental_distribute.auto_shard_policy == "DATA"
    assert options.threading.private_threadpool_size == 4
    with pytest.raises(AttributeError):
        options._private
    ds = data.Dataset.range(3).with_options(options)
    assert list(ds.as_numpy_iterator()) == [0, 1, 2]


def test_unknown_names_raise_not_supported():
    with pytest.raises(NotSupportedAttributeError, match="tensorflow.data.experimental.sample"):
        experimental.sample_from_datasets_v1  # noqa: B018
    assert not hasattr(experimental, "no_such_thing")
    with pytest.raises(AttributeError, match="tensorflow.data.Iterator"):
        data.Iterator  # noqa: B018
