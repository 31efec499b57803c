"""The import hook of `kerastorch run`: `keras`, `tensorflow.keras`, `tf_keras` and `tensorflow`
resolve to kerastorch while a script runs, and nowhere else.

Every module the hook hands out is a `PortedModule`: a thin module object that looks names up in
the kerastorch module behind it. A name kerastorch lacks raises `NotSupportedAttributeError`
naming the full Keras path (`keras.applications.Xception is not supported yet by kerastorch.`)
at the first use, never a look-alike substitute.
"""

import contextlib
import importlib
import os
import sysconfig
import importlib.abc
import importlib.util
import sys
import types

from kerastorch import backend
from kerastorch.porting.errors import NotSupportedAttributeError
from kerastorch.porting.errors import NotSupportedImportError

# Top-level names the hook answers for, and the kerastorch module each stands for.
KERAS_ROOTS = {"keras": "kerastorch", "tf_keras": "kerastorch", "tensorflow.keras": "kerastorch",
               # Keras 2.0-2.3's separate package (`from keras_preprocessing.image import ...`).
               "keras_preprocessing": "kerastorch.preprocessing"}
TENSORFLOW_SHIM = "kerastorch.porting.tf"
_HANDLED_ROOTS = ("keras", "tf_keras", "tensorflow", "keras_preprocessing")
# TF 2 module paths of APIs that Keras 3 moved, not changed: same classes, new home.
# Module paths whose import means a Keras 2 script: Keras 2's defaults while it runs
# (backend.keras2_defaults; README, "Coming from Keras 2").
KERAS2_ROOTS = ("tf_keras", "tensorflow.keras", "keras_preprocessing")
LEGACY_MODULES = {"layers.experimental.preprocessing": "layers", "layers.experimental": "layers",
                  "optimizers.legacy": "optimizers",
                  # Keras 2's layer modules (`from keras.layers.merge import concatenate`).
                  **{f"layers.{name}": "layers" for name in (
                      "merge", "core", "convolutional", "pooling", "normalization",
                      "recurrent", "embeddings", "advanced_activations", "wrappers", "noise",
                      "local", "convolutional_recurrent", "dense_attention")}}


def keras_relative(name):
    """'layers.experimental' for 'keras.layers.experimental' (any Keras root), else None."""
    for root in KERAS_ROOTS:
        if name.startswith(root + "."):
            return name[len(root) + 1:]
    return None


def _is_keras2(name):
    return any(name == root or name.startswith(root + ".") for root in KERAS2_ROOTS)


def _legacy_module(name):
    """The kerastorch module for a moved TF 2 Keras module path, or None."""
    relative = keras_relative(name)
    if relative in LEGACY_MODULES:
        return importlib.import_module("kerastorch." + LEGACY_MODULES[relative])
    return None


class PortedModule(types.ModuleType):
    """Module `name` as a view of kerastorch module `target` (misses raise, naming `name.attr`)."""

    def __init__(self, name, target, finder):
        super().__init__(name)
        self.__dict__["_kt_target"] = target
        self.__dict__["_kt_finder"] = finder
        self.__path__ = []  # a package: `from keras.x import y` comes through the finder

    def __getattr__(self, attr):
        target = self.__dict__["_kt_target"]
        try:
            # A moved TF 2 path wins over a same-named kerastorch submodule
            # (`layers.experimental.preprocessing` is `layers`, not `layers.preprocessing`).
            value = _legacy_module(f"{self.__name__}.{attr}") or getattr(target, attr)
        except AttributeError:
            if attr == "__all__":
                return [n for n in dir(target) if not n.startswith("_")]
            if attr.startswith("__") and attr.endswith("__"):
                raise
            value = _import_submodule(target, attr) or _legacy_module(f"{self.__name__}.{attr}")
            if value is None:
                raise NotSupportedAttributeError(f"{self.__name__}.{attr}") from None
        if isinstance(value, types.ModuleType):
            if _is_keras2(f"{self.__name__}.{attr}"):  # `tf.keras` of `import tensorflow`
                backend.set_keras_defaults(2)
            value = self.__dict__["_kt_finder"].ported(f"{self.__name__}.{attr}", value)
        self.__dict__[attr] = value
        return value

    def __dir__(self):
        return sorted(set(dir(self.__dict__["_kt_target"])) | set(self.__dict__))

    def __repr__(self):
        return f"<module {self.__name__!r} (kerastorch: {self.__dict__['_kt_target'].__name__!r})>"


def _import_submodule(module, attr):
    """`module.attr` imported as a submodule, or None when there is no such module."""
    if not hasattr(module, "__path__"):
        return None
    name = f"{module.__name__}.{attr}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name == name:
            return None
        raise


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple({sysconfig.get_paths()[k] for k in ("stdlib", "purelib", "platlib")})


def _imported_by_library():
    """True when the module running the import statement is an installed library (not the
    script, its own modules, or kerastorch)."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith("<frozen importlib") and \
                not filename.startswith(os.path.dirname(importlib.__file__)) and \
                filename != __file__:
            break
        frame = frame.f_back
    if frame is None:
        return False
    path = os.path.abspath(frame.f_code.co_filename)
    if path.startswith(_PACKAGE_DIR + os.sep):
        return False
    return path.startswith(_LIBRARY_DIRS)


class KerasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Meta path finder and loader for `keras*`, `tf_keras*` and `tensorflow*`."""

    def __init__(self):
        self._modules = {}

    def ported(self, name, target):
        """The PortedModule `name` for kerastorch module `target` (one object per name)."""
        module = self._modules.get(name)
        if module is None or module.__dict__["_kt_target"] is not target:
            module = PortedModule(name, target, self)
            module.__spec__ = importlib.util.spec_from_loader(name, self, is_package=True)
            module.__loader__ = self
            module.__package__ = name
            self._modules[name] = module
            sys.modules.setdefault(name, module)
        return module

    def names(self):
        return list(self._modules)

    # ---------------------------------------------------------------- finder protocol
    def find_spec(self, fullname, path=None, target=None):
        root = fullname.split(".")[0]
        if root not in _HANDLED_ROOTS:
            return None
        if root == "tensorflow" and _imported_by_library():
            # Installed libraries probe for TensorFlow (tensorboard, transformers, ...): they
            # must not take the shim for the real thing.
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=True)

    def create_module(self, spec):
        if _is_keras2(spec.name):
            backend.set_keras_defaults(2)
        elif spec.name.split(".")[0] == "keras" and backend.keras_defaults() is None:
            backend.set_keras_defaults(3)  # a Keras 3 script (a Keras 2 import wins)
        return self.ported(spec.name, self._resolve(spec.name))

    def exec_module(self, module):
        pass

    def _resolve(self, fullname):
        """The kerastorch module behind `fullname`, or NotSupportedImportError."""
        if fullname == "tensorflow":
            return importlib.import_module(TENSORFLOW_SHIM)
        for root, target in KERAS_ROOTS.items():
            if fullname == root or fullname.startswith(root + "."):
                module = importlib.import_module(target)
                break
        else:  # tensorflow.<something other than keras>: an attribute chain of the shim
            module = importlib.import_module(TENSORFLOW_SHIM)
            root = "tensorflow"
        parts = fullname[len(root):].split(".")[1:]
        for i, part in enumerate(parts):
            # A moved TF 2 path wins over a same-named kerastorch submodule.
            value = _legacy_module(".".join([root] + parts[:i + 1])) or \
                getattr(module, part, None)
            if not isinstance(value, types.ModuleType):
                value = _import_submodule(module, part)
            if value is None:
                where = ".".join([root] + parts[:i + 1])
                raise NotSupportedImportError(where if where == fullname else fullname,
                                              None if where == fullname else f"no {where}")
            module = value
        return module


@contextlib.contextmanager
def keras_import_hook():
    """Within this block `import keras` (and friends) gives kerastorch; restored afterwards."""
    finder = KerasFinder()
    keras_defaults = backend.keras_defaults()
    saved = {name: mod for name, mod in sys.modules.items()
             if name.split(".")[0] in _HANDLED_ROOTS}
    for name in saved:
        del sys.modules[name]
    sys.meta_path.insert(0, finder)
    try:
        yield finder
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        for name in [n for n in sys.modules if n.split(".")[0] in _HANDLED_ROOTS]:
            del sys.modules[name]
        sys.modules.update(saved)
        backend.set_keras_defaults(keras_defaults)
