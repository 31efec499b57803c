"""`tf.config` on torch: the devices torch sees, memory growth, threading and determinism.

`list_physical_devices` names the CPU and each CUDA device as TensorFlow would
(`/physical_device:GPU:0`). Memory growth needs nothing: torch's caching allocator takes GPU
memory as it is needed. `set_visible_devices` with no GPU (the idiom for "run on the CPU")
makes kerastorch place models and data on the CPU.
"""

import builtins
import collections
import types

import torch

from kerastorch import backend
from kerastorch.porting.errors import NotSupportedAttributeError


class PhysicalDevice(collections.namedtuple("PhysicalDevice", ["name", "device_type"])):
    """`tf.config.PhysicalDevice`: the CPU and each CUDA device torch sees."""


class LogicalDevice(collections.namedtuple("LogicalDevice", ["name", "device_type"])):
    """`tf.config.LogicalDevice`."""


_visible = None  # the devices set_visible_devices chose (None: all)
_memory_growth = {}


def list_physical_devices(device_type=None):
    devices = [PhysicalDevice("/physical_device:CPU:0", "CPU")] + [
        PhysicalDevice(f"/physical_device:GPU:{i}", "GPU")
        for i in builtins.range(torch.cuda.device_count())]
    return [d for d in devices if device_type is None or d.device_type == device_type.upper()]


def get_visible_devices(device_type=None):
    devices = list_physical_devices() if _visible is None else list(_visible)
    return [d for d in devices if device_type is None or d.device_type == device_type.upper()]


def set_visible_devices(devices, device_type=None):
    """Chooses the devices kerastorch uses; no visible GPU means the CPU."""
    global _visible
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    known = list_physical_devices()
    others = [d for d in get_visible_devices() if device_type is not None and
              d.device_type != device_type.upper()]
    for d in devices:
        if d not in known:
            raise ValueError(f"Unrecognized device: {d!r}")
    _visible = others + devices if device_type is not None else devices
    gpus = [d for d in _visible if d.device_type == "GPU"]
    backend.set_device("cpu" if not gpus else f"cuda:{gpus[0].name.rsplit(':', 1)[1]}")


def list_logical_devices(device_type=None):
    return [LogicalDevice(d.name.replace("/physical_device:", "/device:"), d.device_type)
            for d in get_visible_devices(device_type)]


def get_logical_device_configuration(device):
    return None


def set_logical_device_configuration(device, logical_devices):
    """Accepted (a memory limit per GPU is torch.cuda.set_per_process_memory_fraction's job)."""


def run_functions_eagerly(run_eagerly):
    """Nothing changes: tf.function always runs eagerly here."""


def functions_run_eagerly():
    return True


def set_soft_device_placement(enabled):
    """Accepted: torch runs each operation on its inputs' device."""


def get_soft_device_placement():
    return True


def _set_memory_growth(device, enable):
    """Nothing to do: torch's caching allocator already takes GPU memory as it is needed."""
    if device not in list_physical_devices():
        raise ValueError(f"Unrecognized device: {device!r}")
    _memory_growth[device] = builtins.bool(enable)


def _get_memory_growth(device):
    return _memory_growth.get(device, False)


def _get_memory_info(device):
    """`{"current": bytes, "peak": bytes}` allocated on a GPU ('GPU:0')."""
    index = int(str(device).rsplit(":", 1)[-1])
    return {"current": torch.cuda.memory_allocated(index),
            "peak": torch.cuda.max_memory_allocated(index)}


def _enable_op_determinism():
    torch.use_deterministic_algorithms(True, warn_only=True)


def _set_intra_op(num_threads):
    if num_threads:
        torch.set_num_threads(int(num_threads))


def _set_inter_op(num_threads):
    if num_threads:
        try:
            torch.set_num_interop_threads(int(num_threads))
        except RuntimeError:
            pass  # torch allows it only before any parallel work: keep its current pool


def _namespace(name, **members):
    module = types.ModuleType(f"{__name__}.{name}", f"tf.config.{name} on torch.")

    def missing(attr):
        raise NotSupportedAttributeError(f"tensorflow.config.{name}.{attr}")

    module.__dict__.update(members, __getattr__=missing)
    return module


experimental = _namespace(
    "experimental", set_memory_growth=_set_memory_growth, get_memory_growth=_get_memory_growth,
    list_physical_devices=list_physical_devices, list_logical_devices=list_logical_devices,
    get_visible_devices=get_visible_devices, set_visible_devices=set_visible_devices,
    get_memory_info=_get_memory_info, enable_op_determinism=_enable_op_determinism,
    set_virtual_device_configuration=set_logical_device_configuration,
    VirtualDeviceConfiguration=lambda memory_limit=None, **kwargs: None,
    enable_tensor_float_32_execution=lambda enabled: torch.backends.cuda.matmul.__setattr__(
        "allow_tf32", builtins.bool(enabled)),
    tensor_float_32_execution_enabled=lambda: torch.backends.cuda.matmul.allow_tf32)
LogicalDeviceConfiguration = experimental.VirtualDeviceConfiguration
threading = _namespace(
    "threading", set_intra_op_parallelism_threads=_set_intra_op,
    set_inter_op_parallelism_threads=_set_inter_op,
    get_intra_op_parallelism_threads=lambda: 0, get_inter_op_parallelism_threads=lambda: 0)
optimizer = _namespace("optimizer", set_jit=lambda enabled: None,
                       get_jit=lambda: "", set_experimental_options=lambda options: None)


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.config.{name}")
