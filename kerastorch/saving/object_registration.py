"""Custom objects: `register_keras_serializable`, `get_custom_objects`, `custom_object_scope`.

A registered class is saved as `"package>ClassName"` (its `registered_name`), as Keras does, and
found again by that name when a config is loaded.
"""

import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_SCOPE = threading.local()


def get_custom_objects():
    """The global dict of custom objects: `{registered_name: class_or_function}`; editable.

    Example:
        >>> get_custom_objects().clear()
        >>> get_custom_objects()["MyLayer"] = MyLayer
    """
    return _GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """Decorator that registers a class or function as `"package>name"` for saving and loading.

    Args:
        package: the package prefix of the registered name (default `"Custom"`).
        name: the name under the package (default: the class's or function's `__name__`).

    Example:
        >>> @register_keras_serializable(package="my_package")
        ... class MyLayer(keras.layers.Layer): ...
    """

    def decorator(arg):
        class_name = name if name is not None else arg.__name__
        registered_name = f"{package}>{class_name}"
        if isinstance(arg, type) and not hasattr(arg, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        _GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj):
    """The name `obj` is registered under, or its `__name__` when it is not registered."""
    if obj in _GLOBAL_CUSTOM_NAMES:
        return _GLOBAL_CUSTOM_NAMES[obj]
    return obj.__name__


def scoped_custom_objects():
    """The custom-object dicts of the active `custom_object_scope`s, outermost first."""
    return list(getattr(_SCOPE, "stack", []))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Finds `name` in the active scopes, `custom_objects`, the registry, then `module_objects`."""
    for scope in reversed(getattr(_SCOPE, "stack", [])):
        if name in scope:
            return scope[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


class CustomObjectScope:
    """Context manager in which loading finds the given custom objects by name.

    Example:
        >>> with custom_object_scope({"MyLayer": MyLayer}):
        ...     model = keras.models.load_model("model.keras")
    """

    def __init__(self, custom_objects):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        if not hasattr(_SCOPE, "stack"):
            _SCOPE.stack = []
        _SCOPE.stack.append(self.custom_objects)
        return self

    def __exit__(self, *args):
        _SCOPE.stack.pop()


custom_object_scope = CustomObjectScope
