"""`tf.distribute` on one process: strategies whose `scope()` builds on this process's device.

`get_strategy()` is the default strategy; `MirroredStrategy`, `OneDeviceStrategy` and
`MultiWorkerMirroredStrategy` run the script as it is on one device (`num_replicas_in_sync`
is 1). Training on several GPUs is `fit()` under `torchrun` (kerastorch's DDP), where
`num_replicas_in_sync` reports the number of processes. `strategy.run(fn, args)` calls `fn`,
`strategy.reduce` returns the (one replica's) value, reduced over `axis` when one is given.
"""

import contextlib
import enum

import torch

from kerastorch.distribution import ddp
from kerastorch.porting.errors import NotSupportedAttributeError


class ReduceOp(enum.Enum):
    """`tf.distribute.ReduceOp`."""
    SUM = "SUM"
    MEAN = "MEAN"


class InputContext:
    """`tf.distribute.InputContext`: this process's share of the input."""

    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self.num_input_pipelines = num_input_pipelines
        self.input_pipeline_id = input_pipeline_id
        self.num_replicas_in_sync = num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size):
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(f"The `global_batch_size` {global_batch_size} is not divisible by "
                             f"`num_replicas_in_sync` {self.num_replicas_in_sync}")
        return global_batch_size // self.num_replicas_in_sync


_current = []


class Strategy:
    """A distribution strategy on this process's device (see the module docstring)."""

    def __init__(self, devices=None, cross_device_ops=None, **kwargs):
        self._devices = tuple(devices) if devices is not None else None

    @property
    def num_replicas_in_sync(self):
        return ddp.world_size() if ddp.launched() else 1

    @property
    def extended(self):
        return self

    @contextlib.contextmanager
    def scope(self):
        """Variables and models made inside belong to this strategy (one device: no change)."""
        _current.append(self)
        try:
            yield self
        finally:
            _current.pop()

    def run(self, fn, args=(), kwargs=None, options=None):
        return fn(*args, **(kwargs or {}))

    def reduce(self, reduce_op, value, axis=None):
        op = reduce_op if isinstance(reduce_op, ReduceOp) else ReduceOp(str(reduce_op).upper())
        if axis is None:
            return value
        t = torch.as_tensor(getattr(value, "value", value))
        return t.sum(dim=axis) if op is ReduceOp.SUM else t.float().mean(dim=axis)

    def experimental_distribute_dataset(self, dataset, options=None):
        return dataset

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        return dataset_fn(InputContext(num_replicas_in_sync=self.num_replicas_in_sync))

    experimental_distribute_datasets_from_function = distribute_datasets_from_function

    def experimental_local_results(self, value):
        return (value,)

    def gather(self, value, axis):
        return value


class MirroredStrategy(Strategy):
    """`tf.distribute.MirroredStrategy`: one device per process here."""


class OneDeviceStrategy(Strategy):
    def __init__(self, device):
        super().__init__([device])


class MultiWorkerMirroredStrategy(Strategy):
    pass


_DEFAULT = Strategy()


def get_strategy():
    """The strategy of the innermost `scope()`, else the default one."""
    return _current[-1] if _current else _DEFAULT


def has_strategy():
    return bool(_current)


def in_cross_replica_context():
    return True


def get_replica_context():
    return None


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.distribute.{name}")
