"""`tf.test`'s device queries, as notebooks call them (`tf.test.is_gpu_available()`,
`tf.test.gpu_device_name()`), answered from torch's CUDA."""

import torch

from kerastorch.porting.errors import NotSupportedAttributeError


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """Whether torch sees a CUDA device (of at least `min_cuda_compute_capability`)."""
    if not torch.cuda.is_available():
        return False
    if min_cuda_compute_capability is None:
        return True
    wanted = tuple(min_cuda_compute_capability)
    return any(torch.cuda.get_device_capability(i) >= wanted
               for i in range(torch.cuda.device_count()))


def gpu_device_name():
    """'/device:GPU:0' when torch sees a CUDA device, else ''."""
    return "/device:GPU:0" if torch.cuda.is_available() else ""


def is_built_with_cuda():
    return torch.version.cuda is not None


def is_built_with_gpu_support():
    return is_built_with_cuda()


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.test.{name}")
