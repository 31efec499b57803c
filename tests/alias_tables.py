"""Prints, as JSON, every string identifier a Keras accepts for its object families
(`{family: {identifier: name of what it resolves to}}`): run under tf.keras 2.21
(`alias_tables.py tf_keras`, the TensorFlow venv) or Keras 3 (`alias_tables.py keras`).

The candidates are each family's public names, its source module's names and lookup tables,
and their snake_case and lower-case forms; an identifier is kept when the family's `get`
resolves it to a class, function or instance of that family's modules. Imports only the Keras
named and the standard library (no kerastorch)."""

import importlib
import inspect
import json
import re
import sys

FAMILIES = ("initializers", "activations", "losses", "metrics", "optimizers", "regularizers",
            "constraints")


def snake(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def _candidates(keras, family):
    module = getattr(keras, family)
    names = set(dir(module))
    try:
        src = importlib.import_module(f"{keras.__name__}.src.{family}")
    except ImportError:
        src = None
    if src is not None:
        names |= set(dir(src)) | set(getattr(src, "ALL_OBJECTS_DICT", {}))
        local = getattr(src, "LOCAL", None)  # tf.keras 2's initializers keep theirs there
        if local is not None:
            module.get("zeros")
            names |= set(getattr(local, "ALL_OBJECTS", None) or {})
    names = {n for n in names if not n.startswith("_") and n not in (
        "get", "serialize", "deserialize")}
    return module, names | {snake(n) for n in names} | {n.lower() for n in names}


def _family_object(obj):
    target = obj if inspect.isclass(obj) or inspect.isfunction(obj) else type(obj)
    module = getattr(target, "__module__", "") or ""
    return any(f".{f}" in module for f in FAMILIES) and not \
        getattr(target, "__name__", "").startswith("is_")


def table(keras):
    out = {}
    for family in FAMILIES:
        module, names = _candidates(keras, family)
        found = {}
        for name in sorted(names):
            try:
                obj = module.get(name)
            except Exception:  # noqa: BLE001 - not an identifier of this family
                continue
            if obj is None or isinstance(obj, (str, dict)) or inspect.ismodule(obj) or \
                    not _family_object(obj):
                continue
            target = obj if inspect.isclass(obj) or inspect.isfunction(obj) else type(obj)
            found[name] = target.__name__
        out[family] = found
    return out


if __name__ == "__main__":
    print(json.dumps(table(importlib.import_module(sys.argv[1]))))
