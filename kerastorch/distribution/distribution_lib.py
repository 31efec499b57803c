"""keras.distribution: Keras 3's data-parallel API, mapped onto torch DDP (see ddp.py).

    keras.distribution.set_distribution(keras.distribution.DataParallel())

Under `torchrun` this is what `fit` does anyway; the explicit form documents the intent and
lets a script choose the devices.
"""

import torch

from kerastorch.distribution import ddp


def list_devices(device_type=None):
    """Devices as Keras names them (`"gpu:0"`, `"cpu:0"`), all processes' when distributed."""
    if device_type is not None and device_type.lower() not in ("cpu", "gpu", "cuda"):
        raise ValueError(f"Unknown device_type {device_type!r}: expected 'cpu' or 'gpu'.")
    gpu = torch.cuda.is_available() if device_type is None else device_type.lower() != "cpu"
    if gpu:
        per_node = torch.cuda.device_count()
        if not per_node:
            return []
        return [f"gpu:{i}" for i in range(per_node * max(1, _nodes()))]
    return [f"cpu:{i}" for i in range(max(1, ddp.world_size()))]


def _nodes():
    local = int(__import__("os").environ.get("LOCAL_WORLD_SIZE", "0") or 0)
    return ddp.world_size() // local if local else 1


def get_device_count(device_type=None):
    return len(list_devices(device_type))


class DataParallel:
    """Data parallelism: one model replica per device, each batch split among them.

    Args:
        devices: the devices to use (default: `list_devices()`); one process per device, as
            launched by `torchrun --nproc_per_node=len(devices)`.
        auto_shard_dataset: shard the data among processes (default True).
        sync_batchnorm: compute BatchNormalization's batch statistics over all processes
            (as `BatchNormalization(synchronized=True)` does for one layer), so N processes
            normalise as one process would on the global batch.
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True,
                 sync_batchnorm=False):
        if device_mesh is not None and devices is not None:
            raise ValueError("Provide either `device_mesh` or `devices`, not both.")
        self.sync_batchnorm = bool(sync_batchnorm)
        self.devices = list(devices) if devices is not None else list_devices()
        self.auto_shard_dataset = auto_shard_dataset

    @property
    def world_size(self):
        return max(len(self.devices), ddp.world_size())

    def __repr__(self):
        return f"<DataParallel devices={self.devices}>"


def set_distribution(value):
    """Sets the distribution `fit`/`evaluate`/`predict` use (None: single process)."""
    if value is not None and not isinstance(value, DataParallel):
        raise ValueError(f"Expected a DataParallel distribution or None. Received: {value!r}")
    ddp.set_current_distribution(value)


def distribution():
    return ddp.current_distribution()
