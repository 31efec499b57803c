"""No kerastorch module uses another module's private (`_name`) names.

What one module needs from another is public there; a leading underscore means "only this module
uses it". The scan reads every module's source (no imports run) and finds
`from kerastorch.m import _name`, `m._name` where `m` is a kerastorch module bound by an import
(`from kerastorch import m`, `import kerastorch.m as m`) and `kerastorch.m._name`. Private
*modules* (`datasets/_sequences.py`) may be imported inside their package; dunders are not private.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

# (using module, owning module, name): each with the reason it stays for now.
ALLOWED = set()


def _module_name(path, root):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_module(name, root):
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _absolute(current, is_package, level, module):
    if level == 0:
        return module
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(root, package="kerastorch"):
    """[(using module, owning module, name, line)] for every cross-module private use."""
    found = []
    for path in sorted((root / package).rglob("*.py")):
        current = _module_name(path, root)
        tree = ast.parse(path.read_text(), str(path))
        modules = {}  # local name -> the kerastorch module it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == package and alias.asname:
                        modules[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                source = _absolute(current, path.name == "__init__.py", node.level, node.module)
                if source.split(".")[0] != package:
                    continue
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    if _is_module(full, root):
                        modules[alias.asname or alias.name] = full
                    elif _private(alias.name) and source != current:
                        found.append((current, source, alias.name, node.lineno))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and _private(node.attr)):
                continue
            chain, value = [], node.value
            while isinstance(value, ast.Attribute):
                chain.append(value.attr)
                value = value.value
            if not isinstance(value, ast.Name):
                continue
            if value.id in modules:
                head = modules[value.id]
            elif value.id == package:
                head = package
            else:
                continue
            owner = ".".join([head] + chain[::-1])
            if _is_module(owner, root) and owner != current:
                found.append((current, owner, node.attr, node.lineno))
    return found


def test_no_module_uses_another_modules_private_names():
    uses = [u for u in private_uses(ROOT) if u[:3] not in ALLOWED]
    listing = "\n".join(f"  {m} line {line}: {owner}.{name}" for m, owner, name, line in uses)
    assert not uses, f"private names used across modules (make them public there):\n{listing}"


def test_allowlist_entries_are_still_needed():
    used = {u[:3] for u in private_uses(ROOT)}
    stale = sorted(ALLOWED - used)
    assert not stale, f"ALLOWED lists uses that no longer exist: {stale}"


@pytest.mark.parametrize("source, expected", [
    ("from kerastorch.a import _x\n", [("kerastorch.b", "kerastorch.a", "_x", 1)]),
    ("from . import a\na._x\n", [("kerastorch.b", "kerastorch.a", "_x", 2)]),
    ("from .a import _x as y\n", [("kerastorch.b", "kerastorch.a", "_x", 1)]),
    ("import kerastorch.a as m\nm._x()\n", [("kerastorch.b", "kerastorch.a", "_x", 2)]),
    ("import kerastorch\nkerastorch.a._x = 1\n", [("kerastorch.b", "kerastorch.a", "_x", 2)]),
    ("from kerastorch.a import x, __doc__\nfrom kerastorch import a\na.x\nself._x\n", []),
    ("from kerastorch import _priv\n_priv.y\n", []),  # a private module, imported whole
])
def test_the_scan_finds_each_import_form(tmp_path, source, expected):
    package = tmp_path / "kerastorch"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("_x = 1\nx = 2\n")
    (package / "_priv.py").write_text("y = 1\n")
    (package / "b.py").write_text(source)
    assert private_uses(tmp_path) == expected
