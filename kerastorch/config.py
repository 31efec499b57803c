"""keras.config: global settings (float type, image layout, epsilon, logging), kept in
`kerastorch.backend`. The backend is always "torch"."""

from kerastorch import backend as _backend

floatx = _backend.floatx
set_floatx = _backend.set_floatx
epsilon = _backend.epsilon
set_epsilon = _backend.set_epsilon
image_data_format = _backend.image_data_format
set_image_data_format = _backend.set_image_data_format

_STATE = {"traceback_filtering": True, "interactive_logging": True, "unsafe_deserialization":
          False, "flash_attention": None, "max_epochs": None, "max_steps_per_epoch": None}


def backend():
    """The name of the backend: always 'torch'."""
    return "torch"


def set_backend(backend):
    """Only 'torch' is available: kerastorch runs Keras's API on PyTorch."""
    if backend != "torch":
        raise ValueError(f"kerastorch runs on torch only. Received: backend={backend!r}")


def enable_traceback_filtering():
    _STATE["traceback_filtering"] = True


def disable_traceback_filtering():
    """Tracebacks are never filtered in kerastorch; kept for scripts that call it."""
    _STATE["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    return _STATE["traceback_filtering"]


def enable_interactive_logging():
    _STATE["interactive_logging"] = True


def disable_interactive_logging():
    _STATE["interactive_logging"] = False


def is_interactive_logging_enabled():
    return _STATE["interactive_logging"]


def enable_unsafe_deserialization():
    """Allows loading `.keras` files that contain Python lambdas (`safe_mode=False` default)."""
    _STATE["unsafe_deserialization"] = True


def is_unsafe_deserialization_enabled():
    return _STATE["unsafe_deserialization"]


def enable_flash_attention():
    _STATE["flash_attention"] = True


def disable_flash_attention():
    _STATE["flash_attention"] = False


def is_flash_attention_enabled():
    return _STATE["flash_attention"]


def is_nnx_enabled():
    return False


def max_epochs():
    return _STATE["max_epochs"]


def set_max_epochs(max_epochs):
    _STATE["max_epochs"] = max_epochs


def max_steps_per_epoch():
    return _STATE["max_steps_per_epoch"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    _STATE["max_steps_per_epoch"] = max_steps_per_epoch


def dtype_policy():
    from kerastorch import mixed_precision
    return mixed_precision.dtype_policy()


def set_dtype_policy(policy):
    from kerastorch import mixed_precision
    return mixed_precision.set_dtype_policy(policy)
