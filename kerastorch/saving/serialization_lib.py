"""Objects to and from Keras 3's configs: `{"module", "class_name", "config", "registered_name"}`.

Built-in kerastorch classes are written under Keras's public module names (`keras.layers`,
`keras.initializers`, ...), so Keras 3 reads the configs kerastorch writes, and a Keras class
name is found again in the matching kerastorch namespace (`kerastorch.layers.Dense` for
`keras.layers.Dense`). Configs of Keras 2 (`{"class_name", "config"}`, no module) are read too.
"""

import codecs
import importlib
import inspect
import marshal
import threading
import types
import warnings

import numpy as np
import torch

from kerastorch.saving import keras2_loading
from kerastorch.saving import object_registration

# kerastorch module prefix -> the public Keras module its classes are written under.
_PUBLIC_MODULES = (
    ("kerastorch.layers", "keras.layers"),
    ("kerastorch.initializers", "keras.initializers"),
    ("kerastorch.regularizers", "keras.regularizers"),
    ("kerastorch.constraints", "keras.constraints"),
    ("kerastorch.optimizers.legacy", "kerastorch.optimizers.legacy"),  # Keras 3 has none
    ("kerastorch.optimizers", "keras.optimizers"),
    ("kerastorch.losses", "keras.losses"),
    ("kerastorch.metrics", "keras.metrics"),
    ("kerastorch.activations", "keras.activations"),
    ("kerastorch.models", "keras"),
)

# Keys Keras 3 writes that kerastorch layers do not take; dropped when they hold a default.
_DEFAULT_VALUES = (None, False, 0, (), [], {})


def _public_module(cls):
    module = cls.__module__
    for prefix, public in _PUBLIC_MODULES:
        if module == prefix or module.startswith(prefix + "."):
            return public
    return None


def _is_builtin(cls):
    return cls.__module__.startswith("kerastorch.")


def serialize_keras_object(obj):
    """Serializes `obj` (a layer, model, initializer, ... or plain data) to a Keras 3 config."""
    from kerastorch.layers.layer import Layer
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": str(obj.dtype)}}
    if isinstance(obj, torch.Tensor):
        return {"class_name": "__tensor__",
                "config": {"value": obj.detach().cpu().tolist(),
                           "dtype": str(obj.dtype).replace("torch.", "")}}
    if isinstance(obj, torch.dtype):
        return str(obj).replace("torch.", "")
    if isinstance(obj, types.FunctionType) or isinstance(obj, types.BuiltinFunctionType):
        return _serialize_function(obj)
    if isinstance(obj, type):
        raise TypeError(f"Cannot serialize the class {obj}: pass an instance.")
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r} of type {type(obj).__name__}: it has no "
                        "get_config() method.")
    cls = type(obj)
    config = obj.get_config()
    if isinstance(obj, Layer):
        from kerastorch.saving import model_config
        config = model_config.layer_config_for_keras(obj, config)
    config = serialize_keras_object(config)
    if _is_builtin(cls):
        module, class_name, registered_name = _public_module(cls), cls.__name__, None
        if module is None:
            module = cls.__module__
        if class_name in ("Model", "Functional"):
            module, class_name, registered_name = ("keras.src.models.functional", "Functional",
                                                   "Functional")
    else:
        module, class_name = cls.__module__, cls.__name__
        registered_name = object_registration.get_registered_name(cls)
    out = {"module": module, "class_name": class_name, "config": config,
           "registered_name": registered_name}
    if isinstance(obj, Layer):
        build_config = get_build_config(obj)
        if build_config is not None:
            out["build_config"] = build_config
        compile_config = get_compile_config(obj)
        if compile_config is not None:
            out["compile_config"] = serialize_keras_object(compile_config)
    return out


def get_compile_config(model):
    """Keras 3's `compile_config` of a compiled model (None when it is not compiled)."""
    own = getattr(model, "get_compile_config", None)
    if own is not None:
        return own()
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        return None
    return {"optimizer": serialize_keras_object(model.optimizer),
            "loss": serialize_keras_object(getattr(model, "loss", None)),
            "loss_weights": serialize_keras_object(getattr(model, "_loss_weights_arg", None)),
            "metrics": serialize_keras_object(getattr(model, "_metrics_arg", None)),
            "weighted_metrics": serialize_keras_object(
                getattr(model, "_weighted_metrics_arg", None)),
            "run_eagerly": False, "steps_per_execution": 1,
            "jit_compile": bool(getattr(model, "_jit_compile", False))}


def _serialize_function(fn):
    from kerastorch import activations
    name = getattr(fn, "__name__", None)
    if fn.__module__ == activations.__name__:
        return activations.serialize(fn)
    if name == "<lambda>":
        code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
        closure = [c.cell_contents for c in fn.__closure__] if fn.__closure__ else None
        defaults = list(fn.__defaults__) if fn.__defaults__ else None
        warnings.warn("The object being serialized includes a `lambda`: loading it back needs "
                      "`safe_mode=False`, and only works on the same Python version. Prefer a "
                      "named function registered with "
                      "`@keras.saving.register_keras_serializable()`.", stacklevel=3)
        # Both layouts Keras reads: generic (`value`) and Lambda's (`code`, ...).
        return {"class_name": "__lambda__",
                "config": {"value": [code, defaults, closure], "code": code,
                           "defaults": defaults, "closure": closure}}
    registered = object_registration.get_registered_name(fn)
    return {"module": fn.__module__, "class_name": "function", "config": registered,
            "registered_name": registered}


def get_build_config(layer):
    """`{"input_shape": ...}` of a built layer as Keras 3 writes it, or `{"shapes_dict": ...}`
    for a layer whose `build` takes one shape per call argument (`query_shape`, ...)."""
    own = getattr(type(layer), "get_build_config", None)
    if own is not None and own is not _KerasSaveableBuild():
        return layer.get_build_config()
    if not layer.built:
        return None
    try:
        params = [p for p in inspect.signature(layer.build).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    if len(params) > 1:
        return _shapes_dict_config(layer, [p.name for p in params])
    shape = getattr(layer, "_build_input_shape", None)
    if shape is None:
        return None
    return {"input_shape": serialize_keras_object(shape)}


def _builds_from_several_shapes(layer):
    try:
        params = [p for p in inspect.signature(layer.build).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return False
    return len(params) > 1


def _KerasSaveableBuild():
    from kerastorch.saving.keras_saveable import KerasSaveable
    return KerasSaveable.get_build_config


def _shapes_dict_config(layer, build_params):
    """Keras 3's `shapes_dict`: the shape of each call argument, keyed `<argument>_shape`."""
    from kerastorch.tensor import KerasTensor
    if not layer._inbound_nodes:
        return None
    node = layer._inbound_nodes[0]
    try:
        names = [p for p in inspect.signature(layer.call).parameters]
    except (TypeError, ValueError):
        return None
    values = dict(zip(names, [node.call_inputs] + list(node.call_args)))
    values.update(node.call_kwargs)
    shapes = {f"{name}_shape": list(value.shape) for name, value in values.items()
              if isinstance(value, KerasTensor) and f"{name}_shape" in build_params}
    return {"shapes_dict": shapes} if shapes else None


def to_shape(value):
    """JSON lists back to shape tuples (a list of shapes stays a list of tuples)."""
    if isinstance(value, (list, tuple)) and all(v is None or isinstance(v, int) for v in value):
        return tuple(value)
    if isinstance(value, (list, tuple)):
        return [to_shape(v) for v in value]
    if isinstance(value, dict):
        return {k: to_shape(v) for k, v in value.items()}
    return value


def build_from_config(layer, build_config):
    """Builds `layer` from its `build_config`, so its weights exist before they are loaded."""
    if not build_config or layer.built:
        return
    if "shapes_dict" in build_config and "input_shape" not in build_config:
        shapes = {k: to_shape(v) for k, v in build_config["shapes_dict"].items()}
        layer.build(**shapes)
        layer.built = True
        layer._build_input_shape = next(iter(shapes.values()), None)
        return
    shape = build_config.get("input_shape")
    if shape is None:
        return
    shape = to_shape(shape)
    from kerastorch.models.model import Model
    if isinstance(layer, Model):
        layer.build(shape)
    else:
        layer._maybe_build(shape)


# ------------------------------------------------------------------ deserialization
def _namespace_for(module):
    """The kerastorch module in which a Keras module's classes are looked up."""
    if module is None:
        return None
    if module == "tf_keras" or module.startswith("tf_keras."):  # tf.keras 2.13+'s `.keras`
        module = "keras" + module[len("tf_keras"):]
    public = {
        "keras.layers": "kerastorch.layers", "keras.initializers": "kerastorch.initializers",
        "keras.regularizers": "kerastorch.regularizers",
        "keras.constraints": "kerastorch.constraints",
        "keras.optimizers": "kerastorch.optimizers", "keras.losses": "kerastorch.losses",
        "keras.metrics": "kerastorch.metrics", "keras.activations": "kerastorch.activations",
        "keras.models": "kerastorch.models", "keras": "kerastorch",
    }
    if module in public:
        return public[module]
    for part in ("layers", "initializers", "regularizers", "constraints", "optimizers",
                 "losses", "metrics", "activations", "models"):
        if module.startswith("keras.") and f".{part}" in module:
            return f"kerastorch.{part}"
    if module.startswith("kerastorch"):
        return module
    return None


def _import(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_FALLBACK_NAMESPACES = ("kerastorch.layers", "kerastorch.models", "kerastorch",
                        "kerastorch.initializers", "kerastorch.regularizers",
                        "kerastorch.constraints", "kerastorch.optimizers", "kerastorch.losses",
                        "kerastorch.metrics")


def _find_class(class_name, registered_name, module, custom_objects):
    for key in (registered_name, class_name):
        if key:
            found = object_registration.get_registered_object(key, custom_objects)
            if found is not None:
                return found
    if class_name == "Functional":
        from kerastorch.models.model import Model
        return Model
    if class_name in ("TFOpLambda", "SlicingOpLambda"):  # tf.keras 2's op layers
        from kerastorch.layers.core.tf_op_lambda import TFOpLambda
        return TFOpLambda
    if ">" in class_name:  # tf.keras wrote some built-ins as "Custom>Adam"
        return _find_class(class_name.split(">")[-1], None, module, custom_objects)
    names = [_namespace_for(module)] if module else list(_FALLBACK_NAMESPACES)
    if module and module.startswith("keras") and names[0] != "kerastorch":
        names.append("kerastorch")
    for name in names:
        namespace = _import(name) if name else None
        if namespace is None:
            continue
        found = getattr(namespace, class_name, None)
        if found is None and name == "kerastorch.initializers":
            found = getattr(namespace, "_ALIASES", {}).get(class_name)
        if found is not None:
            return found
    return None


def _unknown_class_error(class_name, module, config):
    known = module is not None and (module == "keras" or module.startswith("keras."))
    where = f" (Keras module {module!r})" if module else ""
    if known:
        return ValueError(
            f"Could not locate class '{class_name}'{where}: kerastorch does not implement it. "
            "If it is a custom class, pass it in `custom_objects={"
            f"'{class_name}': {class_name}}}` or decorate it with "
            f"`@keras.saving.register_keras_serializable()`. Full object config: {config}")
    return ValueError(
        f"Could not locate class '{class_name}'{where}. Make sure custom classes are decorated "
        "with `@keras.saving.register_keras_serializable()` (and imported before loading), or "
        f"pass them to the loading function: `custom_objects={{'{class_name}': {class_name}}}`. "
        f"Full object config: {config}")


_SAFE_MODE = threading.local()


class SafeModeScope:
    """Within it, deserializing a Python `lambda` is allowed only when `safe_mode` is False."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._previous = getattr(_SAFE_MODE, "value", None)
        _SAFE_MODE.value = self.safe_mode
        return self

    def __exit__(self, *args):
        _SAFE_MODE.value = self._previous


def in_safe_mode():
    """The `safe_mode` of the innermost `SafeModeScope` (None outside any scope), as Keras 3's
    `serialization_lib.in_safe_mode`: only False allows deserializing Python code. After
    `keras.config.enable_unsafe_deserialization()` it is False everywhere, as in Keras 3."""
    from kerastorch import config
    if config.is_unsafe_deserialization_enabled():
        return False
    return getattr(_SAFE_MODE, "value", None)


def _load_lambda(inner):
    if in_safe_mode() is not False:
        raise ValueError("Requested the deserialization of a Python lambda. This carries a "
                         "potential risk of arbitrary code execution and thus it is disallowed "
                         "by default. If you trust the source of the file, pass "
                         "`safe_mode=False` to the loading function.")
    if "code" in inner:
        code, defaults, closure = inner["code"], inner.get("defaults"), inner.get("closure")
    else:
        code, defaults, closure = inner["value"]

    def cell(value):
        return (lambda: value).__closure__[0]

    import kerastorch
    fn_code = marshal.loads(codecs.decode(code.encode("ascii"), "base64"))
    scope = {"__builtins__": __builtins__, "keras": kerastorch, "ops": kerastorch.ops,
             "torch": torch, "np": np}
    return types.FunctionType(fn_code, scope, fn_code.co_name,
                              tuple(defaults) if defaults else None,
                              tuple(cell(v) for v in closure) if closure else None)


def accepted_arguments(cls):
    """Names `cls(**config)` accepts, following `**kwargs` up the class hierarchy."""
    from kerastorch.layers import layer as layer_module
    names = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            params = inspect.signature(init).parameters
        except (TypeError, ValueError):
            return None
        names.update(p for p in params if p != "self")
        has_var_kw = any(p.kind is p.VAR_KEYWORD for p in params.values())
        if klass is layer_module.Layer:
            names.update(layer_module.BASE_KWARGS)
            return names - {"kwargs", "args"}
        if not has_var_kw:
            return names - {"kwargs", "args"}
    return None


def clean_config(cls, config):
    """Drops keys `cls` does not take whose value is a default (Keras 3 extras such as
    `quantization_config=None` or InputLayer's `optional=False`); others stay and fail loudly."""
    accepted = accepted_arguments(cls)
    if accepted is None:
        return config
    return {k: v for k, v in config.items()
            if k in accepted or not any(v is d or (type(v) is type(d) and v == d)
                                        for d in _DEFAULT_VALUES)}


def _deserialize_nested(value, custom_objects):
    """Turns the nested configs in a layer config (initializers, regularizers, constraints,
    dtype policies, wrapped layers) into objects, so a kerastorch layer receives what it would
    receive from Python code. A dict naming no class kerastorch knows is left as it is."""
    if isinstance(value, dict) and "class_name" in value and "config" in value:
        class_name = value["class_name"]
        if class_name in ("DTypePolicy", "FloatDTypePolicy", "Policy"):
            cfg = value["config"]
            return cfg.get("name") if isinstance(cfg, dict) else cfg
        if class_name.startswith("__"):
            return deserialize_keras_object(value, custom_objects)
        found = _find_class(class_name, value.get("registered_name"), value.get("module"),
                            custom_objects)
        if found is not None:
            return deserialize_keras_object(value, custom_objects)
        return value
    if isinstance(value, list):
        return [_deserialize_nested(v, custom_objects) for v in value]
    return value


def deserialize_keras_object(config, custom_objects=None, **kwargs):
    """Makes the object a Keras 3 (or Keras 2) config describes; plain data passes through.

    Args:
        config: the dict written by `serialize_keras_object` (or plain data).
        custom_objects: `{name: class_or_function}` for classes kerastorch does not know.
    """
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        return config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects) for x in config]
    if not isinstance(config, dict):
        return config
    if "class_name" not in config or "config" not in config:
        return {k: deserialize_keras_object(v, custom_objects) for k, v in config.items()}
    class_name = config["class_name"]
    inner = config["config"]
    if class_name == "__tensor__":
        return torch.tensor(inner["value"], dtype=getattr(torch, inner["dtype"]))
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(*(deserialize_keras_object(inner[k], custom_objects)
                       for k in ("start", "stop", "step")))
    if class_name == "__lambda__":
        return _load_lambda(inner)
    module = config.get("module")
    registered_name = config.get("registered_name")
    if class_name == "function":
        name = inner if isinstance(inner, str) else registered_name
        found = object_registration.get_registered_object(name, custom_objects)
        if found is None:
            from kerastorch import activations
            found = getattr(activations, str(name).split(">")[-1], None)
        if found is None:
            raise _unknown_class_error(name, module, config)
        return found
    cls = _find_class(class_name, registered_name, module, custom_objects)
    if cls is None:
        raise _unknown_class_error(class_name, module, config)
    if not isinstance(cls, type):
        return cls  # a registered function or instance
    with object_registration.custom_object_scope(custom_objects or {}):
        obj = instantiate(cls, inner, custom_objects)
        from kerastorch.layers.layer import Layer
        if isinstance(obj, Layer) and not (keras2_loading.active() and
                                           _builds_from_several_shapes(obj)):
            # (tf.keras 2 gives such a layer, MultiHeadAttention, only its query's shape:
            # its call in the rebuilt graph builds it)
            build_from_config(obj, config.get("build_config"))
            if config.get("compile_config") is not None:
                obj._pending_compile_config = config["compile_config"]
    return obj


def instantiate(cls, inner, custom_objects=None):
    """`cls.from_config(inner)` after Keras 3 extras and nested objects are made kerastorch's."""
    from kerastorch.layers.layer import Layer
    from kerastorch.models.model import Model
    if isinstance(cls, type) and issubclass(cls, Model) and isinstance(inner, (dict, list)):
        from kerastorch.saving import model_config  # a list: Keras 2.1's Sequential config
        inner = dict(inner) if isinstance(inner, dict) else list(inner)
        return model_config.model_from_config(cls, inner, custom_objects)
    if not isinstance(inner, dict):
        return cls(inner) if inner is not None else cls()
    config = dict(inner)
    if keras2_loading.active():
        config = keras2_loading.upgrade_layer_config(cls, config) if issubclass(cls, Layer) \
            else keras2_loading.upgrade_object_config(cls, config)
    if issubclass(cls, Layer):
        config = {k: _deserialize_nested(v, custom_objects) for k, v in config.items()}
    elif "name" in config and cls.__module__.startswith("kerastorch.initializers"):
        config.pop("name")
    if cls.__module__.startswith("kerastorch.optimizers"):
        for key in ("jit_compile", "is_legacy_optimizer"):  # tf.keras-only arguments
            config.pop(key, None)
    config = clean_config(cls, config)
    try:
        if hasattr(cls, "from_config"):
            return cls.from_config(config)
        return cls(**config)
    except TypeError as err:
        raise TypeError(f"Could not create {cls.__name__} from its config {config}: {err}") \
            from err
