"""`kerastorch run script.py [args]`: run a Keras script unchanged, on kerastorch."""

import os
import runpy
import sys

from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.errors import NotSupportedError
from kerastorch.porting.hook import keras_import_hook
from kerastorch.porting.keras_api import LAYER_API
from kerastorch.porting.keras_api import MODEL_API


def run_script(path, args=()):
    """Runs the file `path` as `__main__` with `sys.argv = [path, *args]` and the import hook on.

    Returns the script's globals. A Keras method kerastorch's models or layers lack
    (`model.fit` before training exists) is re-raised as `NotSupportedAttributeError`.

    Example:
        >>> run_script("train_mnist.py", ["--epochs", "1"])
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"kerastorch run: no such script: {path}")
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [path] + list(args)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        with keras_import_hook():
            try:
                return runpy.run_path(path, run_name="__main__")
            except AttributeError as err:
                missing = _missing_keras_method(err)
                if missing is None:
                    raise
                raise NotSupportedAttributeError(missing) from err
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path


def _missing_keras_method(err):
    """'Sequential.fit' when `err` is a Keras API name missing on a kerastorch model or layer."""
    if isinstance(err, NotSupportedError):
        return None
    obj, name = getattr(err, "obj", None), getattr(err, "name", None)
    if obj is None or name is None or not type(obj).__module__.startswith("kerastorch"):
        return None
    from kerastorch.layers.layer import Layer
    from kerastorch.models.model import Model
    if isinstance(obj, Model) and name in MODEL_API or isinstance(obj, Layer) and name in LAYER_API:
        return f"{type(obj).__name__}.{name}"
    return None
