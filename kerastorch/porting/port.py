"""`kerastorch port script.py`: rewrite a Keras/TensorFlow script for kerastorch, and report
every Keras API it uses with whether kerastorch has it.

The rewrite changes only imports (`from tensorflow import keras` -> `import kerastorch as
keras`, ...), `tf.*` tensor helpers (`tf.ones` -> `ops.ones`) and `tf.data` (->
`kerastorch.data`); other TensorFlow calls that `kerastorch run` supports (`tf.GradientTape`,
`tf.io.*`, ...) stay as they are, with `tf` imported from `kerastorch.porting.tf`; everything
else is left as it is. "Supported" means: resolvable in
kerastorch now, in this process.
"""

import ast
import dataclasses
import difflib
import importlib
import inspect
import types

from kerastorch.porting.hook import LEGACY_MODULES
from kerastorch.porting.keras_api import LAYER_API
from kerastorch.porting.keras_api import MODEL_API

# tf helper -> (replacement expression, {tf keyword: kerastorch keyword}).
_DTYPES = ("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
           "uint8", "bool")
TF_REWRITES = {
    "ones": ("ops.ones", {}), "zeros": ("ops.zeros", {}), "fill": ("ops.full", {}),
    "ones_like": ("ops.ones_like", {"input": "x"}),
    "zeros_like": ("ops.zeros_like", {"input": "x"}),
    "constant": ("ops.convert_to_tensor", {"value": "x"}),
    "convert_to_tensor": ("ops.convert_to_tensor", {"value": "x"}),
    "cast": ("ops.cast", {}), "reshape": ("ops.reshape", {"tensor": "x", "shape": "newshape"}),
    "transpose": ("ops.transpose", {"a": "x", "perm": "axes"}),
    "matmul": ("ops.matmul", {"a": "x1", "b": "x2"}),
    "concat": ("ops.concatenate", {"values": "xs"}), "stack": ("ops.stack", {"values": "x"}),
    "expand_dims": ("ops.expand_dims", {"input": "x"}), "squeeze": ("ops.squeeze", {"input": "x"}),
    "reduce_sum": ("ops.sum", {"input_tensor": "x"}),
    "reduce_mean": ("ops.mean", {"input_tensor": "x"}),
    "reduce_max": ("ops.max", {"input_tensor": "x"}),
    "reduce_min": ("ops.min", {"input_tensor": "x"}),
    "argmax": ("ops.argmax", {"input": "x"}), "shape": ("ops.shape", {"input": "x"}),
    "range": ("ops.arange", {"limit": "stop", "delta": "step"}),
    "abs": ("ops.abs", {}), "sqrt": ("ops.sqrt", {}), "exp": ("ops.exp", {}),
    "square": ("ops.square", {}), "add": ("ops.add", {"x": "x1", "y": "x2"}),
    "multiply": ("ops.multiply", {"x": "x1", "y": "x2"}), "sigmoid": ("ops.sigmoid", {}),
    "math.abs": ("ops.abs", {}), "math.sqrt": ("ops.sqrt", {}), "math.exp": ("ops.exp", {}),
    "math.log": ("ops.log", {}), "math.square": ("ops.square", {}),
    "math.add": ("ops.add", {"x": "x1", "y": "x2"}),
    "math.multiply": ("ops.multiply", {"x": "x1", "y": "x2"}),
    "math.reduce_sum": ("ops.sum", {"input_tensor": "x"}),
    "math.reduce_mean": ("ops.mean", {"input_tensor": "x"}),
    "math.argmax": ("ops.argmax", {"input": "x"}),
    "nn.relu": ("ops.relu", {"features": "x"}), "nn.softmax": ("ops.softmax", {"logits": "x"}),
    "nn.sigmoid": ("ops.sigmoid", {}),
    "random.normal": ("keras.random.normal", {}), "random.uniform": ("keras.random.uniform", {}),
    "random.set_seed": ("keras.utils.set_random_seed", {}),
    **{d: (repr(d).replace("'", '"'), {}) for d in _DTYPES},
}
_KERAS_ROOTS = ("keras", "tf_keras", "tensorflow.keras")
# Model/Layer attributes set on instances (not class attributes) that kerastorch provides.
_INSTANCE_ATTRS = {"inputs", "outputs", "built", "name", "input_spec", "supports_masking"}


@dataclasses.dataclass
class Usage:
    """One Keras API a script uses: its name, the lines, and whether kerastorch has it."""

    api: str
    lines: list
    supported: bool
    note: str = ""


@dataclasses.dataclass
class PortResult:
    """The rewritten source and the report of `port_source`."""

    source: str
    ported: str
    usages: list

    @property
    def unsupported(self):
        return [u for u in self.usages if not u.supported]

    def diff(self, path="script.py"):
        return "".join(difflib.unified_diff(self.source.splitlines(True),
                                            self.ported.splitlines(True),
                                            fromfile=_diff_name("a", path),
                                            tofile=_diff_name("b", path)))

    def report(self, path="script.py"):
        lines = [f"kerastorch port report for {path}: {len(self.usages)} Keras APIs used, "
                 f"{len(self.unsupported)} not supported"]
        width = max([len(u.api) for u in self.usages] + [10])
        for u in self.usages:
            where = ("line " if len(u.lines) == 1 else "lines ") + ", ".join(map(str, u.lines))
            status = "supported    " if u.supported else "NOT SUPPORTED"
            note = f"  ({u.note})" if u.note else ""
            lines.append(f"  {status}  {u.api:<{width}}  {where}{note}")
        return "\n".join(lines) + "\n"


def _diff_name(side, path):
    path = str(path)
    return path if path.startswith("/") else f"{side}/{path}"


def canonical_module(name):
    """'keras.<rest>' for the Keras module paths of TF 2 and Keras 3, 'tensorflow...' for TF."""
    for root in _KERAS_ROOTS:
        if name == root or name.startswith(root + "."):
            return "keras" + name[len(root):]
    if name == "tensorflow" or name.startswith("tensorflow."):
        return name
    return None


def modernize(api):
    """Keras 3's path of an API that TF 2 Keras kept elsewhere: 'keras.layers.experimental.
    preprocessing.Rescaling' -> 'keras.layers.Rescaling' (others unchanged)."""
    for old in sorted(LEGACY_MODULES, key=len, reverse=True):
        prefix = "keras." + old
        if api == prefix or api.startswith(prefix + "."):
            return "keras." + LEGACY_MODULES[old] + api[len(prefix):]
    return api


def resolve(api):
    """The kerastorch object for 'keras.a.b' (attributes or submodules), or None."""
    parts = modernize(api).split(".")
    assert parts[0] == "keras"
    obj = importlib.import_module("kerastorch")
    for part in parts[1:]:
        try:
            obj = getattr(obj, part)
            continue
        except AttributeError:
            pass
        if not isinstance(obj, types.ModuleType) or not hasattr(obj, "__path__"):
            return None
        try:
            obj = importlib.import_module(f"{obj.__name__}.{part}")
        except ModuleNotFoundError:
            return None
    return obj


_MISSING = object()


def _resolve_or_missing(api):
    try:
        obj = resolve(api)
    except Exception:  # an import of a kerastorch module failing is "not supported" too
        return _MISSING
    return _MISSING if obj is None else obj


class _Analysis(ast.NodeVisitor):
    """Finds import bindings, Keras attribute chains and model/layer variables."""

    def __init__(self, tree):
        self.bindings = {}      # local name -> canonical ('keras.layers', 'tensorflow', ...)
        self.from_imports = []  # (canonical, alias node) of `from keras... import name`
        self.imports = []       # (stmt node, [(alias, canonical)])
        self.chains = []        # (canonical api, node, root binding)
        self.kinds = {}         # variable name -> 'model' | 'sequential' | 'layer'
        self.member_uses = []   # (kind, attr, node)
        self.parents = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.visit(tree)

    # ---------------------------------------------------------------- imports
    def visit_Import(self, node):
        found = []
        for alias in node.names:
            canon = canonical_module(alias.name)
            if canon is None:
                continue
            if alias.asname:
                self.bindings[alias.asname] = canon
            else:
                root = alias.name.split(".")[0]
                self.bindings[root] = canonical_module(root)
            found.append((alias, canon))
        if found:
            self.imports.append((node, found))

    def visit_ImportFrom(self, node):
        canon = canonical_module(node.module or "") if not node.level else None
        if canon is None:
            return
        found = []
        for alias in node.names:
            full = canonical_module(f"{node.module}.{alias.name}") or f"{canon}.{alias.name}"
            if alias.name == "*":
                continue
            self.bindings[alias.asname or alias.name] = full
            found.append((alias, full))
            self.from_imports.append((full, node))
        self.imports.append((node, found))

    # ---------------------------------------------------------------- uses
    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load) and node.id in self.bindings:
            parent = self.parents.get(node)
            if not isinstance(parent, ast.Attribute):
                self.chains.append((self.bindings[node.id], node, node.id))

    def visit_Attribute(self, node):
        parent = self.parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            self.generic_visit(node)
            return
        names, base = [node.attr], node.value
        while isinstance(base, ast.Attribute):
            names.append(base.attr)
            base = base.value
        if isinstance(base, ast.Name):
            names.reverse()
            if base.id in self.bindings:
                self.chains.append((".".join([self.bindings[base.id]] + names), node, base.id))
                return
            kind = self.kinds.get(base.id)
            if kind is not None:
                self.member_uses.append((kind, names[0], node))
        self.generic_visit(node)

    def visit_Assign(self, node):
        self.generic_visit(node)
        kind = self._kind_of(node.value)
        alias = self._api_of(node.value) if isinstance(node.value, (ast.Attribute, ast.Name)) \
            else None
        for target in node.targets:
            if isinstance(target, ast.Name):
                if kind:
                    self.kinds[target.id] = kind
                else:
                    self.kinds.pop(target.id, None)
                if alias is not None and alias.startswith("keras") and \
                        isinstance(_resolve_or_missing(alias), types.ModuleType):
                    self.bindings[target.id] = alias  # `keras = tf.keras`

    def visit_For(self, node):
        # `for layer in model.layers[...]`: the loop variable is a layer.
        it = node.iter.value if isinstance(node.iter, ast.Subscript) else node.iter
        if isinstance(it, ast.Attribute) and it.attr == "layers" and \
                isinstance(it.value, ast.Name) and isinstance(node.target, ast.Name) and \
                self.kinds.get(it.value.id) in ("model", "sequential"):
            self.kinds[node.target.id] = "layer"
        self.generic_visit(node)

    def _kind_of(self, value):
        if not isinstance(value, ast.Call):
            return None
        api = self._api_of(value.func)
        if api is None:
            return None
        if api in ("keras.Sequential", "keras.models.Sequential"):
            return "sequential"
        if api in ("keras.Model", "keras.models.Model", "keras.models.load_model",
                   "keras.saving.load_model", "keras.models.clone_model") or \
                api.startswith("keras.applications."):
            return "model"
        if api.startswith("keras.layers.") and api.split(".")[-1][:1].isupper():
            return "layer"
        return None

    def _api_of(self, func):
        names, base = [], func
        while isinstance(base, ast.Attribute):
            names.append(base.attr)
            base = base.value
        if not isinstance(base, ast.Name) or base.id not in self.bindings:
            return None
        api = ".".join([self.bindings[base.id]] + names[::-1])
        if api.startswith("tensorflow.keras"):
            return canonical_module(api)
        return api


def port_source(source, filename="<script>"):
    """Rewrites `source` for kerastorch and lists the Keras APIs it uses.

    Returns:
        A `PortResult` with `.ported` (the new source), `.usages` (one `Usage` per API, in
        order of first use), `.diff(path)` and `.report(path)`.

    Example:
        >>> result = port_source("import tensorflow as tf\\nx = tf.ones((2, 2))\\n")
        >>> print(result.ported)
        from kerastorch import ops
        x = ops.ones((2, 2))
    """
    tree = ast.parse(source, filename=filename)
    analysis = _Analysis(tree)
    text = _Text(source)
    usages = {}

    def use(api, line, supported, note=""):
        entry = usages.get(api)
        if entry is None:
            usages[api] = Usage(api, [line], supported, note)
        elif line not in entry.lines:
            entry.lines.append(line)

    needs_ops = needs_keras = needs_data = False
    tf_names_kept = set()  # TensorFlow names a call kerastorch lacks still needs
    tf_names_shim = set()  # TensorFlow names whose calls kerastorch.porting.tf has
    for api, node, root in analysis.chains:
        via_tf = api.startswith("tensorflow.keras")
        if via_tf:
            api = "keras" + api[len("tensorflow.keras"):]
        if api.startswith("keras"):
            modern = modernize(api)
            if modern != api and isinstance(node, ast.Attribute):  # a moved TF 2 path
                # The import of `root` is modernized too: express the path from it.
                binding = modernize(analysis.bindings[root])
                if not via_tf and modern.startswith(binding + "."):
                    if modern[len(binding):] != api[len(analysis.bindings[root]):]:
                        text.replace_node(node, root + modern[len(binding):])
                else:
                    text.replace_node(node, modern)
                    needs_keras = True
            elif via_tf and isinstance(node, ast.Attribute):
                text.replace_prefix(node, root, "keras", 1 + len("keras"))
                needs_keras = True
            obj = _resolve_or_missing(api)
            note = "" if obj is not _MISSING else _missing_note(modern)
            if modern != api:
                note = f"moved to {modern}" + (f"; {note}" if note else "")
            use(api, node.lineno, obj is not _MISSING, note)
            continue
        # tensorflow.<helper>
        helper = api[len("tensorflow."):] if api.startswith("tensorflow.") else ""
        if helper == "data" or helper.startswith("data."):  # tf.data -> kerastorch.data
            supported = _resolve_tf_data(helper) is not _MISSING
            use(f"tf.{helper}", node.lineno, supported,
                f"-> kerastorch.{helper}" if supported else "no kerastorch equivalent")
            if supported:
                text.replace_node(node, f"kerastorch.{helper}")
                needs_data = True
                continue
        rewrite = TF_REWRITES.get(helper)
        if rewrite is None and helper and _resolve_tf_shim(helper) is not _MISSING:
            # TensorFlow's API on torch (kerastorch.porting.tf, what `kerastorch run` gives a
            # script): the call stays, the name `tf` comes from kerastorch.
            tf_names_shim.add(root)
            use(f"tf.{helper}", node.lineno, True, "-> kerastorch.porting.tf")
            continue
        if rewrite is None:
            tf_names_kept.add(root)
            use(f"tf.{helper}" if helper else "tensorflow", node.lineno, False,
                "no kerastorch equivalent" if helper else "the module itself")
            continue
        target, renames = rewrite
        obj = None if target.startswith('"') else _resolve_or_missing(
            "keras." + target if target.startswith("ops.") else target)
        supported = obj is not _MISSING
        use(f"tf.{helper}", node.lineno, supported,
            f"-> {target}" if supported else f"-> {target}, which kerastorch lacks")
        text.replace_node(node, target)
        needs_ops |= target.startswith("ops.")
        needs_keras |= target.startswith("keras.")
        call = analysis.parents.get(node)
        if isinstance(call, ast.Call) and call.func is node:
            _rewrite_keywords(call, renames, obj if supported else None, helper, text, use)

    for api, node in analysis.from_imports:  # `from keras.layers import Dense`: a use of Dense
        if api.startswith("keras"):
            obj = _resolve_or_missing(api)
            if not isinstance(obj, types.ModuleType):
                modern = modernize(api)
                note = "" if obj is not _MISSING else _missing_note(modern)
                if modern != api:
                    note = f"moved to {modern}" + (f"; {note}" if note else "")
                use(api, node.lineno, obj is not _MISSING, note)

    from kerastorch.layers.layer import Layer
    from kerastorch.models.model import Model
    from kerastorch.models.sequential import Sequential
    classes = {"model": Model, "sequential": Sequential, "layer": Layer}
    for kind, attr, node in analysis.member_uses:
        api_names = LAYER_API if kind == "layer" else MODEL_API
        if attr not in api_names:
            continue
        cls = classes[kind]
        supported = attr in _INSTANCE_ATTRS or hasattr(cls, attr)
        use(f"{cls.__name__}.{attr}", node.lineno, supported,
            "" if supported else f"kerastorch's {cls.__name__} has no `{attr}`")

    bound = dict(analysis.bindings)
    have_ops = any(v == "keras.ops" and k == "ops" for k, v in bound.items())
    have_keras = bound.get("keras") == "keras"
    extra = []
    if needs_keras and not have_keras:
        extra.append("import kerastorch as keras")
    if needs_ops and not have_ops:
        extra.append("from kerastorch import ops")
    if needs_data:
        extra.append("import kerastorch.data")
    for i, (stmt, found) in enumerate(analysis.imports):
        lines = _rewrite_import(stmt, found, tf_names_kept, tf_names_shim - tf_names_kept)
        if i == len(analysis.imports) - 1:
            lines += [e for e in extra if e not in lines]
            extra = []
        text.replace_statement(stmt, lines)
    ported = text.apply()
    if extra:
        ported = "\n".join(extra) + "\n" + ported
    for usage in usages.values():
        usage.lines.sort()
    return PortResult(source, ported, sorted(usages.values(), key=lambda u: u.lines[0]))


def _rewrite_keywords(call, renames, target, helper, text, use):
    """Renames tf keywords to kerastorch's, drops TF's `name=`, reports keywords with no
    kerastorch counterpart."""
    params = None
    if target is not None:
        try:
            sig = inspect.signature(target).parameters
            if not any(p.kind is p.VAR_KEYWORD for p in sig.values()):
                params = set(sig)
        except (TypeError, ValueError):
            pass
    items = sorted(list(call.args) + list(call.keywords), key=lambda n: (n.lineno, n.col_offset))
    for kw in call.keywords:
        if kw.arg is None:  # **kwargs
            continue
        if kw.arg == "name":
            i = items.index(kw)
            if i > 0:
                prev = items[i - 1]
                text.replace_span(prev.end_lineno, prev.end_col_offset, kw.end_lineno,
                                  kw.end_col_offset, "")
            elif len(items) > 1:
                nxt = items[1]
                text.replace_span(kw.lineno, kw.col_offset, nxt.lineno, nxt.col_offset, "")
            else:
                text.replace_node(kw, "")
            continue
        new = renames.get(kw.arg, kw.arg)
        if new != kw.arg:
            text.replace_span(kw.lineno, kw.col_offset, kw.lineno,
                              kw.col_offset + len(kw.arg.encode()), new)
        if params is not None and new not in params:
            use(f"tf.{helper}({kw.arg}=)", kw.lineno, False,
                f"kerastorch's equivalent takes no `{new}` argument")


def _resolve_tf_data(helper):
    """The kerastorch.data object for 'data.Dataset.batch' (tf.data's path), or _MISSING."""
    obj = importlib.import_module("kerastorch.data")
    for part in helper.split(".")[1:]:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            return _MISSING
    return obj


def _resolve_tf_shim(helper):
    """The kerastorch.porting.tf object for 'GradientTape' / 'io.parse_example', or _MISSING."""
    obj = importlib.import_module("kerastorch.porting.tf")
    for part in helper.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            try:
                obj = importlib.import_module(f"{obj.__name__}.{part}")
            except (ImportError, AttributeError, TypeError):
                return _MISSING
    return obj


def _missing_note(api):
    parts = api.split(".")
    for i in range(2, len(parts) + 1):
        if _resolve_or_missing(".".join(parts[:i])) is _MISSING:
            prefix = ".".join(parts[:i])
            return f"kerastorch has no {'kerastorch' + prefix[len('keras'):]}"
    return ""


def _rewrite_import(stmt, found, tf_names_kept, tf_names_shim=()):
    """The replacement lines for one import statement (a TensorFlow name every use of which
    kerastorch.porting.tf has is imported from there; one with an unsupported use is kept)."""
    lines = []
    if isinstance(stmt, ast.Import):
        others = [a for a in stmt.names if canonical_module(a.name) is None]
        if others:
            lines.append("import " + ", ".join(_alias(a.name, a.asname) for a in others))
        for alias, canon in found:
            local = alias.asname or alias.name.split(".")[0]
            if canon.startswith("keras"):
                canon = modernize(canon)
                lines.append(f"import kerastorch{canon[len('keras'):]} as {alias.asname}"
                             if alias.asname and canon != "keras" else
                             f"import kerastorch as {local}")
            elif local in tf_names_kept:
                lines.append("import " + _alias(alias.name, alias.asname))
            elif local in tf_names_shim and alias.name == "tensorflow":
                lines.append(f"from kerastorch.porting import tf as {local}" if local != "tf"
                             else "from kerastorch.porting import tf")
        return lines
    canon = canonical_module(stmt.module)
    if canon.startswith("keras"):
        if any(modernize(full) != full for _, full in found):  # moved TF 2 paths: one per name
            for alias, full in found:
                parent, name = modernize(full).rsplit(".", 1)
                local = alias.asname or alias.name
                lines.append(f"from kerastorch{parent[len('keras'):]} import "
                             f"{_alias(name, local if local != name else None)}")
            return lines
        module = "kerastorch" + canon[len("keras"):]
        return [f"from {module} import " + ", ".join(_alias(a.name, a.asname) for a in stmt.names)]
    # from tensorflow[...] import x: keras comes from kerastorch, the rest stays (unsupported)
    kept = []
    for alias, full in found:
        if full.startswith("keras"):
            sub = full[len("keras"):]
            lines.append(f"import kerastorch{sub} as {alias.asname or alias.name}" if not sub else
                         f"from kerastorch{sub.rsplit('.', 1)[0]} import "
                         f"{_alias(sub.rsplit('.', 1)[1], alias.asname)}")
        elif (alias.asname or alias.name) in tf_names_kept:
            kept.append(alias)
        elif (alias.asname or alias.name) in tf_names_shim:
            shim_module = "kerastorch.porting.tf" + full[len("tensorflow"):].rsplit(".", 1)[0] \
                if full.count(".") > 1 else "kerastorch.porting.tf"
            lines.append(f"from {shim_module} import {_alias(alias.name, alias.asname)}")
    if kept:
        lines.insert(0, f"from {stmt.module} import " +
                     ", ".join(_alias(a.name, a.asname) for a in kept))
    return lines


def _alias(name, asname):
    return f"{name} as {asname}" if asname else name


class _Text:
    """Source text with edits by AST position (columns are UTF-8 byte offsets, as ast gives)."""

    def __init__(self, source):
        self.lines = source.splitlines(True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.source = source
        self.edits = []

    def offset(self, lineno, col):
        line = self.lines[lineno - 1]
        return self.starts[lineno - 1] + len(line.encode()[:col].decode(errors="ignore"))

    def replace_span(self, lineno, col, end_lineno, end_col, new):
        self.edits.append((self.offset(lineno, col), self.offset(end_lineno, end_col), new))

    def replace_node(self, node, new):
        self.replace_span(node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, new)

    def replace_prefix(self, node, root, new, length):
        """Replaces `root.` + the next name (`tf.keras`) at the start of an attribute chain."""
        self.replace_span(node.lineno, node.col_offset, node.lineno,
                          node.col_offset + len(root) + length, new)

    def replace_statement(self, stmt, lines):
        start = self.offset(stmt.lineno, stmt.col_offset)
        end = self.offset(stmt.end_lineno, stmt.end_col_offset)
        indent = " " * stmt.col_offset
        if lines:
            self.edits.append((start, end, ("\n" + indent).join(lines)))
            return
        # Drop the statement; its whole line when nothing else is on it.
        line_start, line_end = self.starts[stmt.lineno - 1], self.starts[stmt.end_lineno]
        if self.source[line_start:start].strip() == "" and \
                self.source[end:line_end].strip() in ("", ";"):
            self.edits.append((line_start, line_end, ""))
        else:
            self.edits.append((start, end, "pass"))

    def apply(self):
        out = self.source
        for start, end, new in sorted(self.edits, key=lambda e: e[0], reverse=True):
            out = out[:start] + new + out[end:]
        return out


def port_file(path, write=False):
    """Ports the file at `path`; with `write=True` saves the result over it."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    result = port_source(source, filename=str(path))
    if write and result.ported != source:
        with open(path, "w", encoding="utf-8") as f:
            f.write(result.ported)
    return result
