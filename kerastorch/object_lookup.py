"""`get` / `serialize` for the small Keras object families (regularizers, constraints)."""


def serialize(obj, base, module):
    """Keras 3's config dict of an instance of `base`; a function's name; None for None."""
    if obj is None:
        return None
    if not isinstance(obj, base):
        return getattr(obj, "__name__", obj)
    return {"module": module, "class_name": type(obj).__name__, "config": obj.get_config(),
            "registered_name": None}


def get(identifier, by_name, kind):
    """An object from a name, a config dict, an instance, a class or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        cls = by_name.get(identifier.get("class_name"))
        if cls is None:
            raise ValueError(f"Could not interpret {kind} identifier: {identifier}")
        return cls.from_config(identifier.get("config", {}))
    obj = by_name.get(identifier) if isinstance(identifier, str) else identifier
    if obj is not None and callable(obj):
        return obj() if isinstance(obj, type) else obj
    raise ValueError(f"Could not interpret {kind} identifier: {identifier}")
