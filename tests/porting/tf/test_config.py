"""tf.config and tf.distribute on one process."""

import pytest
import torch

from kerastorch import backend
from kerastorch.porting import tf
from kerastorch.porting.errors import NotSupportedAttributeError


def test_physical_and_logical_devices_name_cpu_and_each_gpu():
    devices = tf.config.list_physical_devices()
    assert devices[0] == tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")
    gpus = tf.config.list_physical_devices("GPU")
    assert len(gpus) == torch.cuda.device_count()
    assert [d.name for d in tf.config.list_logical_devices("CPU")] == ["/device:CPU:0"]


def test_memory_growth_is_accepted_and_unknown_device_raises():
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.experimental.set_memory_growth(cpu, True)
    assert tf.config.experimental.get_memory_growth(cpu) is True
    with pytest.raises(ValueError, match="Unrecognized device"):
        tf.config.experimental.set_memory_growth("GPU:7", True)


def test_hiding_every_gpu_places_kerastorch_on_the_cpu():
    try:
        tf.config.set_visible_devices([], "GPU")
        assert backend.device() == torch.device("cpu")
        assert tf.config.get_visible_devices("GPU") == []
        assert tf.config.get_visible_devices("CPU")
    finally:
        tf.config._visible = None
        backend.set_device(None)


def test_threading_sets_torch_threads():
    before = torch.get_num_threads()
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        assert torch.get_num_threads() == 1
        tf.config.threading.set_inter_op_parallelism_threads(2)  # accepted once work started
    finally:
        torch.set_num_threads(before)


def test_eager_flags_and_misses():
    assert tf.executing_eagerly() is True
    assert tf.config.functions_run_eagerly() is True
    tf.config.run_functions_eagerly(True)
    with pytest.raises(NotSupportedAttributeError, match="tensorflow.config.no_such_thing"):
        tf.config.no_such_thing  # noqa: B018


def test_strategy_scope_run_and_reduce():
    strategy = tf.distribute.MirroredStrategy()
    assert strategy.num_replicas_in_sync == 1
    assert tf.distribute.get_strategy() is not strategy
    with strategy.scope():
        assert tf.distribute.get_strategy() is strategy
        assert tf.distribute.has_strategy()
        v = tf.Variable([1.0, 2.0])
    assert not tf.distribute.has_strategy()
    out = strategy.run(lambda a, b: a * b, args=(v, tf.constant(3.0)))
    assert out.tolist() == [3.0, 6.0]
    assert strategy.reduce(tf.distribute.ReduceOp.SUM, out, axis=None) is out
    assert float(strategy.reduce("MEAN", out, axis=0)) == 4.5
    dataset = tf.data.Dataset.from_tensor_slices([1, 2, 3]).batch(2)
    assert strategy.experimental_distribute_dataset(dataset) is dataset
    ctx_sizes = strategy.distribute_datasets_from_function(
        lambda ctx: ctx.get_per_replica_batch_size(64))
    assert ctx_sizes == 64


def test_tf_test_device_queries_follow_torch_cuda():
    assert tf.test.is_gpu_available() == torch.cuda.is_available()
    assert tf.test.gpu_device_name() == ("/device:GPU:0" if torch.cuda.is_available() else "")
    assert tf.test.is_built_with_cuda() == (torch.version.cuda is not None)
    with pytest.raises(NotSupportedAttributeError, match="tensorflow.test.TestCase"):
        tf.test.TestCase  # noqa: B018
