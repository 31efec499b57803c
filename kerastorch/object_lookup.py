"""`get` / `serialize` / `deserialize` for Keras's object families.

Losses, metrics, optimizers, initializers, activations, regularizers and constraints each keep
a table of their names (`by_name`: name -> class or function) and read an identifier -- a
name, a config dict, a class, an instance or a function -- through these helpers, so every
family reads them the same way and raises Keras's error,
"Could not interpret loss identifier: ...".
"""

import inspect


def config_dict(obj, module):
    """Keras 3's config of `obj`, written under the public Keras `module` ("keras.losses")."""
    return {"module": module, "class_name": type(obj).__name__, "config": obj.get_config(),
            "registered_name": None}


def serialize(obj, module, base=None):
    """None for None; a function's name; otherwise Keras 3's config dict of `obj`.

    With `base`, only instances of `base` are written as a config and anything else by its
    name (a plain function used as a regularizer, say).
    """
    if obj is None:
        return None
    if inspect.isfunction(obj) if base is None else not isinstance(obj, base):
        return getattr(obj, "__name__", obj)
    return config_dict(obj, module)


def not_understood(kind, identifier):
    """Keras's error for an identifier of a `kind` ("loss", "optimizer", ...) it cannot read."""
    return ValueError(f"Could not interpret {kind} identifier: {identifier}")


def find(name, by_name, custom_objects=None, key=None):
    """The class or function called `name`: from `custom_objects` first, then `by_name` under
    `key(name)` where a `key` is given (`str.lower` for a table of lower-case names); None when
    neither has it."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if key is not None and isinstance(name, str):
        name = key(name)
    return by_name.get(name)


def deserialize(config, by_name, kind, custom_objects=None, key=None, error=None):
    """What `serialize()` wrote: a name gives its class or function, a config dict an instance
    of its class (`from_config`). `error(identifier)` makes the exception for an unknown one
    (by default `not_understood(kind, identifier)`)."""
    error = error or (lambda identifier: not_understood(kind, identifier))
    if isinstance(config, dict):
        cls = find(config.get("class_name"), by_name, custom_objects, key)
        if not hasattr(cls, "from_config"):  # unknown, or the name of a function
            raise error(config)
        return cls.from_config(config.get("config", {}))
    obj = find(config, by_name, custom_objects, key)
    if obj is None:
        raise error(config)
    return obj


def get(identifier, by_name, kind, *, custom_objects=None, key=None, base=None,
        functions=True, instantiate=True, error=None):
    """The object an identifier stands for, as Keras's `<family>.get` returns it.

    None gives None; a name or a config dict is looked up in `by_name` (see `deserialize`);
    a class is instantiated (unless `instantiate=False`); an instance or function is returned
    as it is. With `base`, classes must subclass it, and other callables are accepted only
    where `functions` (a function as an initializer, not as an optimizer). Anything else
    raises `error(identifier)` (by default Keras's `not_understood(kind, identifier)`).
    """
    error = error or (lambda value: not_understood(kind, value))
    if identifier is None:
        return None
    obj = identifier
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier, by_name, kind, custom_objects, key, error)
    if base is not None and isinstance(obj, base):
        return obj
    if inspect.isclass(obj):
        if base is not None and not issubclass(obj, base):
            raise error(identifier)
        return obj() if instantiate else obj
    if callable(obj) and (base is None or functions):
        return obj
    raise error(identifier)
