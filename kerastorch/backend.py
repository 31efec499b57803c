"""Global state, as Keras keeps it: name counters, floatx, image data format, device."""

import collections
import random as _py_random

import numpy as np
import torch

_NAME_UIDS = collections.defaultdict(int)
_FLOATX = "float32"
_IMAGE_DATA_FORMAT = "channels_last"
_EPSILON = 1e-7
_DEVICE = None
_KERAS_DEFAULTS = None  # 2, 3 or None: see keras_defaults()


def get_uid(prefix=""):
    """Returns 1, 2, 3, ... for successive calls with the same prefix."""
    _NAME_UIDS[prefix] += 1
    return _NAME_UIDS[prefix]


def unique_object_name(prefix):
    """`prefix`, `prefix_1`, `prefix_2`, ...: Keras's auto-naming of layers and models."""
    uid = get_uid(prefix)
    return prefix if uid == 1 else f"{prefix}_{uid - 1}"


def clear_session():
    """Resets the name counters, so the next `Dense` is `dense` again."""
    _NAME_UIDS.clear()


def keras_defaults():
    """Whose behaviour kerastorch follows where Keras 2 and Keras 3 differ: 2 while a Keras 2
    script runs (`kerastorch run` of a script importing `tensorflow.keras` or `tf_keras`), 3
    for a script importing `keras`, None (kerastorch's own choice) otherwise. The README's
    "Coming from Keras 2" lists the differences."""
    return _KERAS_DEFAULTS


def keras2_defaults():
    """True while a Keras 2 script runs (see `keras_defaults`)."""
    return _KERAS_DEFAULTS == 2


def set_keras_defaults(version):
    """Follows Keras `version` (2 or 3; None: kerastorch's own) where Keras 2 and 3 differ;
    the import hook sets it for the Keras a script imports."""
    global _KERAS_DEFAULTS
    if version not in (None, 2, 3):
        raise ValueError(f"Expected 2, 3 or None. Received: version={version!r}")
    _KERAS_DEFAULTS = version


def set_keras2_defaults(value):
    """Turns Keras 2's defaults on (or back to kerastorch's own with False)."""
    set_keras_defaults(2 if value else None)


def floatx():
    return _FLOATX


def set_floatx(value):
    global _FLOATX
    if value not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError(f"Unknown `floatx` value: {value!r}. Expected one of "
                         "'float16', 'bfloat16', 'float32', 'float64'.")
    _FLOATX = value


def epsilon():
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    global _IMAGE_DATA_FORMAT
    data_format = standardize_data_format(data_format)
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format):
    if data_format is None:
        return _IMAGE_DATA_FORMAT
    value = str(data_format).lower()
    if value not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of "
                         f"{{'channels_first', 'channels_last'}}. Received: data_format={data_format}")
    return value


def backend():
    return "torch"


def device():
    """The device new models and batches go to: `set_device()`'s, else CUDA when present, else CPU."""
    if _DEVICE is not None:
        return _DEVICE
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def device_override():
    """The device `set_device()` chose, or None when the default (CUDA if present) applies."""
    return _DEVICE


def set_device(device):
    global _DEVICE
    _DEVICE = None if device is None else torch.device(device)


_TORCH_DTYPES = {
    "float16": torch.float16, "half": torch.float16, "bfloat16": torch.bfloat16,
    "float32": torch.float32, "float": torch.float32, "float64": torch.float64,
    "double": torch.float64, "int8": torch.int8, "int16": torch.int16, "int32": torch.int32,
    "int64": torch.int64, "uint8": torch.uint8, "bool": torch.bool,
    "complex64": torch.complex64, "complex128": torch.complex128,
}


def to_torch_dtype(dtype):
    """A torch dtype from a Keras name, a numpy dtype or a torch dtype (None: floatx)."""
    if dtype is None:
        return _TORCH_DTYPES[_FLOATX]
    if isinstance(dtype, torch.dtype):
        return dtype
    name = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
    try:
        return _TORCH_DTYPES[name]
    except KeyError:
        raise ValueError(f"Unsupported dtype: {dtype!r}") from None


def standardize_dtype(dtype):
    """The Keras name of a dtype: 'float32', 'int64', ... ('string' for the inputs of string
    layers: `Input(dtype="string")` carries numpy arrays or lists of str)."""
    if dtype is None:
        return _FLOATX
    if isinstance(dtype, str) and dtype in ("string", "str"):
        return "string"
    return str(to_torch_dtype(dtype)).replace("torch.", "")


def convert_to_tensor(x, dtype=None):
    """A torch tensor from a tensor, numpy array, scalar or nested list.

    Floating numpy arrays become `floatx()` (float64 included, as in Keras); a torch tensor is
    returned as it is unless `dtype` asks for another one.
    """
    if isinstance(x, torch.Tensor):
        return x if dtype is None else x.to(to_torch_dtype(dtype))
    if dtype is None:
        arr = np.asarray(x)
        if arr.dtype.kind == "f":
            dtype = _FLOATX
        elif arr.dtype.kind in "iu" and not isinstance(x, np.ndarray):
            dtype = "int32"
        if arr.dtype == object:
            t = torch.as_tensor(x)
        else:  # (np.ascontiguousarray would make a 0-d array 1-d)
            t = torch.from_numpy(arr if arr.flags.c_contiguous else np.ascontiguousarray(arr))
        return t if dtype is None else t.to(to_torch_dtype(dtype))
    return torch.as_tensor(np.asarray(x), dtype=to_torch_dtype(dtype))


def set_random_seed(seed):
    """Seeds Python's, numpy's and torch's generators (keras.utils.set_random_seed)."""
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} "
                         f"(of type {type(seed)})")
    _py_random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def is_float_dtype(dtype):
    """True for a floating dtype ('float16', 'bfloat16', 'float32', 'float64')."""
    dtype = standardize_dtype(dtype)
    return dtype.startswith("float") or dtype.startswith("bfloat")


def is_int_dtype(dtype):
    """True for a signed or unsigned integer dtype."""
    dtype = standardize_dtype(dtype)
    return dtype.startswith("int") or dtype.startswith("uint")


def result_type(*dtypes):
    """The dtype Keras's type promotion gives for `dtypes` (as `keras.backend.result_type`)."""
    from kerastorch.ops.dtypes import result_type as promote
    return promote(*dtypes)


def is_keras_tensor(x):
    """True for a symbolic tensor of the functional API (what `keras.Input` returns)."""
    from kerastorch.tensor import KerasTensor
    return isinstance(x, KerasTensor)


def get_keras_mask(x):
    """The Keras mask a tensor carries (`_keras_mask`), or None."""
    return getattr(x, "_keras_mask", None)


def set_keras_mask(x, mask):
    """Attaches `mask` to tensor `x` as its Keras mask (None removes it)."""
    if mask is None:
        if hasattr(x, "_keras_mask"):
            del x._keras_mask
        return
    x._keras_mask = mask


# Keras 3's backend module (what `keras.ops.backend` is there) also carries the backend's ops
# (`backend.shape(x)`, `backend.cast`, `backend.numpy.sum`): here they are kerastorch's ops,
# looked up on first use (kerastorch.ops imports this module).
_OPS_MODULES = ("core", "image", "linalg", "math", "nn", "numpy")
_OPS_FUNCTIONS = ("cast", "cond", "convert_to_numpy", "is_tensor", "scatter", "shape",
                  "slice", "slice_update", "stop_gradient", "vectorized_map", "while_loop",
                  "fori_loop", "scan", "unstack", "custom_gradient", "map")


def __getattr__(name):
    if name == "shape" and _KERAS_DEFAULTS == 2:  # Keras 2's K.shape: a tensor, as tf.shape
        from kerastorch.legacy import backend as legacy
        return legacy.shape
    if name in _OPS_MODULES or name in _OPS_FUNCTIONS:
        import importlib
        ops = importlib.import_module("kerastorch.ops")
        if name in _OPS_MODULES:
            return importlib.import_module(f"kerastorch.ops.{name}")
        if hasattr(ops, name):
            return getattr(ops, name)
    if name == "random":
        import importlib
        return importlib.import_module("kerastorch.random")
    if name == "KerasTensor":
        from kerastorch.tensor import KerasTensor
        return KerasTensor
    if name == "Variable":
        from kerastorch.variables import Variable
        return Variable
    if not name.startswith("_"):
        # Keras 2's backend functions (`K.mean`, `K.function`, ...): kerastorch.legacy.backend.
        import importlib
        legacy = importlib.import_module("kerastorch.legacy.backend")
        if name not in legacy.NOT_SUPPORTED and not name.startswith("_") and \
                callable(getattr(legacy, name, None)) and \
                getattr(getattr(legacy, name), "__module__", "") == legacy.__name__:
            return getattr(legacy, name)
    raise AttributeError(f"module 'kerastorch.backend' has no attribute {name!r}")
