#!/usr/bin/env python3
"""Move kerastorch/layers' flat modules into Keras 3's subpackages (issue #15), by script.

Keras 3 groups its layers by kind (`keras/src/layers/core/dense.py`,
`keras/src/layers/regularization/dropout.py`, ...). This script gives kerastorch/layers the
same folders without touching any code path: each flat module is `git mv`-ed whole into its
subpackage (no module is split), its test module `tests/layers/test_<old>.py` moves beside it
into `tests/layers/<sub>/test_<new>.py`, and every reference to the old place is rewritten:

- dotted paths, in imports, strings and mock targets:
  `kerastorch.layers.dropout` -> `kerastorch.layers.regularization.dropout`
  (`tests.layers.test_dropout` -> `tests.layers.regularization.test_dropout` alike);
- `from kerastorch.layers import conv_utils` -> `from kerastorch.layers.convolutional import
  conv_utils` (an alias keeps the old local name where the file was renamed:
  `from kerastorch.layers import core` -> `from kerastorch.layers.core import dense as core`);
- file paths in docs and comments: `kerastorch/layers/core.py`, `layers/core.py`,
  `tests/layers/test_core.py`;
- once kerastorch/layers/input_spec.py exists, the InputSpec import
  `from kerastorch.layers.layer import InputSpec` -> `...layers.input_spec import InputSpec`.

With `--input-spec` (a second run, its own commit) it first cuts `InputSpec` and
`check_input_spec` out of layers/layer.py, by their syntax tree and whatever else that file
holds, into layers/input_spec.py (Keras 3's home of keras.layers.InputSpec); layer.py imports
both back, so `kerastorch.layers.layer.InputSpec` keeps working for an import this misses.

After the move a full dotted path through a package that was a module
(`kerastorch.layers.core.Dense`) is read as the old module and becomes
`kerastorch.layers.core.dense.Dense`: the same class, so code stays right; write
`layers.core.Dense` where the package path itself is meant.

It reads and writes only kerastorch/, tests/, compat_tests/, benchmarks/, examples/, docs/,
README.md, Makefile and pyproject.toml, text files only (no .json/.h5/.keras fixture is
opened: saved configs do not change). Public names do not move: `kerastorch.layers.Dense`
stays, and the `module` Keras configs carry ("keras.layers") comes from the package prefix.

It is re-runnable: a module already in its subpackage is skipped, and the rewrites leave new
paths alone, so a second run changes nothing. Run it on a main that has other branches'
changes merged and it rewrites whatever references exist then; a flat module it has no row
for is listed at the end (add a row, or keep it flat on purpose in KEEP_FLAT).

Usage (from anywhere, on a clean tree; it stages what it changes):
    python layout_move.py [--repo PATH] [--dry-run] [--input-spec]
then review `git status` / `git diff --cached --stat -M` and commit.
"""

import argparse
import ast
import os
import re
import subprocess
import textwrap
import sys

# old module under kerastorch/layers -> its new dotted path under kerastorch.layers.
# Names follow Keras 3's keras/src/layers files where one of our modules is one Keras file;
# a module holding several Keras files' classes keeps a name for the whole group
# (convolutional.py: BaseConv + Conv1D/2D/3D -> conv.py, as Keras's conv_test.py covers).
MOVES = {
    # core/
    "core": "core.dense",
    "einsum_dense": "core.einsum_dense",
    "embedding": "core.embedding",
    "identity": "core.identity",
    "input_layer": "core.input_layer",
    "lambda_layer": "core.lambda_layer",
    "masking": "core.masking",
    "tf_op_lambda": "core.tf_op_lambda",  # Keras 2 kept TFOpLambda in layers/core/ too
    "torch_module_wrapper": "core.torch_module_wrapper",
    # convolutional/
    "convolutional": "convolutional.conv",
    "conv_transpose": "convolutional.conv_transpose",
    "depthwise_conv": "convolutional.depthwise_conv",
    "separable_conv": "convolutional.separable_conv",
    "conv_utils": "convolutional.conv_utils",
    # pooling/ (max, average, adaptive and global pooling share their bases in one module)
    "pooling": "pooling.pooling",
    # normalization/
    "batch_normalization": "normalization.batch_normalization",
    "group_normalization": "normalization.group_normalization",
    "layer_normalization": "normalization.layer_normalization",
    "rms_normalization": "normalization.rms_normalization",
    "unit_normalization": "normalization.unit_normalization",
    # merging/ (Merge, the eight merge layers and their functional forms)
    "merging": "merging.merging",
    # reshaping/
    "cropping": "reshaping.cropping",
    "flatten": "reshaping.flatten",
    "permute": "reshaping.permute",
    "repeat_vector": "reshaping.repeat_vector",
    "reshape": "reshaping.reshape",
    "up_sampling": "reshaping.up_sampling",
    "zero_padding": "reshaping.zero_padding",
    # regularization/
    "activity_regularization": "regularization.activity_regularization",
    "alpha_dropout": "regularization.alpha_dropout",
    "dropout": "regularization.dropout",
    "gaussian_dropout": "regularization.gaussian_dropout",
    "gaussian_noise": "regularization.gaussian_noise",
    "spatial_dropout": "regularization.spatial_dropout",
    # activations/
    "activation": "activations.activation",
    "activation_layers": "activations.activation_layers",
    # attention/
    "attention": "attention.attention",
    "multi_head_attention": "attention.multi_head_attention",
    # preprocessing/ (exists; Keras 3 keeps these four there)
    "center_crop": "preprocessing.center_crop",
    "rescaling": "preprocessing.rescaling",
    "resizing": "preprocessing.resizing",
    "normalization_adapt": "preprocessing.normalization",
}

# Flat modules that stay where Keras 3 has them (layers/layer.py, layers/input_spec.py) or
# that belong to another change (mapped_variable: the variables module of issue #15).
KEEP_FLAT = {"__init__", "layer", "input_spec", "mapped_variable"}

# The docstring of each subpackage's __init__.py when this script creates it.
PACKAGE_DOCS = {
    "core": "Core layers: Dense, EinsumDense, Embedding, Identity, Input, Lambda, Masking, "
            "TFOpLambda, TorchModuleWrapper.",
    "convolutional": "Convolution layers: Conv, ConvTranspose, DepthwiseConv and SeparableConv "
                     "in 1D/2D/3D, and their shape helpers (conv_utils).",
    "pooling": "Pooling layers: max, average, adaptive and global pooling in 1D/2D/3D.",
    "normalization": "Normalization layers: BatchNormalization, GroupNormalization, "
                     "LayerNormalization, RMSNormalization, UnitNormalization.",
    "merging": "Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, "
               "Dot, and their functional forms.",
    "reshaping": "Reshaping layers: Cropping, Flatten, Permute, RepeatVector, Reshape, "
                 "UpSampling, ZeroPadding.",
    "regularization": "Regularization layers: ActivityRegularization, AlphaDropout, Dropout, "
                      "GaussianDropout, GaussianNoise, SpatialDropout.",
    "activations": "Activation layers: Activation, ELU, LeakyReLU, PReLU, ReLU, Softmax, "
                   "ThresholdedReLU.",
    "attention": "Attention layers: Attention, AdditiveAttention, MultiHeadAttention.",
}
TEST_PACKAGE_DOC = "Tests of kerastorch's {sub} layers (one module per package module)."

SCAN_DIRS = ("kerastorch", "tests", "compat_tests", "benchmarks", "examples", "docs")
SCAN_FILES = ("README.md", "Makefile", "pyproject.toml")
TEXT_SUFFIXES = (".py", ".md", ".txt", ".rst", ".toml", ".cfg", ".ini", ".yml", ".yaml")

LAYERS = os.path.join("kerastorch", "layers")
TESTS = os.path.join("tests", "layers")


def split(new):
    sub, leaf = new.split(".")
    return sub, leaf


def git(repo, *args, dry_run=False):
    if dry_run:
        return ""
    return subprocess.run(("git", "-C", repo) + args, check=True, capture_output=True,
                          text=True).stdout


def ensure_package(repo, folder, doc, dry_run):
    """Creates folder/__init__.py (with `doc`) when the folder is not a package yet."""
    init = os.path.join(repo, folder, "__init__.py")
    if os.path.exists(init):
        return
    print(f"  create {os.path.join(folder, '__init__.py')}")
    if dry_run:
        return
    os.makedirs(os.path.dirname(init), exist_ok=True)
    with open(init, "w", encoding="utf-8") as f:
        f.write('"""' + textwrap.fill(doc, 96) + '"""\n')
    git(repo, "add", os.path.join(folder, "__init__.py"))


def move(repo, src, dst, dry_run, required=True):
    """git mv src dst; False when already moved (src gone, dst there) or, for an optional
    file (a test module), when there is neither."""
    s, d = os.path.join(repo, src), os.path.join(repo, dst)
    if not os.path.exists(s):
        if required and not os.path.exists(d):
            print(f"  warning: neither {src} nor {dst} exists (module removed?)")
        return False
    if os.path.exists(d):
        sys.exit(f"error: both {src} and {dst} exist; merge them by hand, then re-run")
    print(f"  git mv {src} {dst}")
    git(repo, "mv", src, dst, dry_run=dry_run)
    return True


def move_files(repo, dry_run):
    moved = 0
    for old, new in MOVES.items():
        sub, leaf = split(new)
        src = os.path.join(LAYERS, old + ".py")
        dst = os.path.join(LAYERS, sub, leaf + ".py")
        if os.path.exists(os.path.join(repo, src)):
            ensure_package(repo, os.path.join(LAYERS, sub),
                           PACKAGE_DOCS.get(sub, f"{sub} layers."), dry_run)
        moved += move(repo, src, dst, dry_run)
        tsrc = os.path.join(TESTS, f"test_{old}.py")
        tdst = os.path.join(TESTS, sub, f"test_{leaf}.py")
        if os.path.exists(os.path.join(repo, tsrc)):
            ensure_package(repo, os.path.join(TESTS, sub), TEST_PACKAGE_DOC.format(sub=sub),
                           dry_run)
        moved += move(repo, tsrc, tdst, dry_run, required=False)
    return moved


INPUT_SPEC_NAMES = ("InputSpec", "check_input_spec")
INPUT_SPEC_DOC = ('"""InputSpec: what a layer accepts (ndim, min_ndim, max_ndim, fixed axes), '
                  'and the check\na layer call makes against it (Keras 3: '
                  '`keras/src/layers/input_spec.py`)."""\n')
INPUT_SPEC_IMPORTS = (
    "from kerastorch.layers.input_spec import InputSpec  # noqa: F401 (also layer.InputSpec)\n",
    "from kerastorch.layers.input_spec import check_input_spec\n")


def extract_input_spec(repo, dry_run):
    """Moves InputSpec and check_input_spec from layers/layer.py into layers/input_spec.py."""
    target = os.path.join(repo, LAYERS, "input_spec.py")
    source = os.path.join(repo, LAYERS, "layer.py")
    if os.path.exists(target):
        print("  layers/input_spec.py exists: nothing to extract")
        return False
    with open(source, encoding="utf-8") as f:
        text = f.read()
    lines = text.splitlines(keepends=True)
    tree = ast.parse(text)
    found = [n for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))
             and n.name in INPUT_SPEC_NAMES]
    if sorted(n.name for n in found) != sorted(INPUT_SPEC_NAMES):
        sys.exit(f"error: layers/layer.py lacks one of {INPUT_SPEC_NAMES} at top level")
    cut = set()
    blocks = []
    for node in sorted(found, key=lambda n: n.lineno):
        start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
        end = node.end_lineno  # then the blank lines after it
        while end < len(lines) and not lines[end].strip():
            end += 1
        blocks.append("".join(lines[start:node.end_lineno]))
        cut.update(range(start, end))
    kept = [line for i, line in enumerate(lines) if i not in cut]
    # The imports go where `from kerastorch.layers.input_spec` sorts among layer.py's imports.
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module and
               n.module.startswith("kerastorch")]
    after = [n for n in imports if n.module > "kerastorch.layers.input_spec"]
    at = (after[0].lineno - 1) if after else imports[-1].end_lineno
    at -= sum(1 for i in cut if i < at)
    kept[at:at] = list(INPUT_SPEC_IMPORTS)
    print("  extract InputSpec, check_input_spec: layers/layer.py -> layers/input_spec.py")
    if dry_run:
        return True
    with open(target, "w", encoding="utf-8") as f:
        f.write(INPUT_SPEC_DOC + "\n\n" + "\n\n".join(blocks))
    with open(source, "w", encoding="utf-8") as f:
        f.write("".join(kept))
    git(repo, "add", os.path.join(LAYERS, "input_spec.py"), os.path.join(LAYERS, "layer.py"))
    return True


def children(repo):
    """For each subpackage: the module names in it (the new ones and any already there)."""
    out = {}
    for new in MOVES.values():
        sub, leaf = split(new)
        out.setdefault(sub, set()).add(leaf)
    for sub in list(out):
        folder = os.path.join(repo, LAYERS, sub)
        if os.path.isdir(folder):
            for name in os.listdir(folder):
                if name.endswith(".py"):
                    out[sub].add(name[:-3])
                elif os.path.isdir(os.path.join(folder, name)) and not name.startswith("__"):
                    out[sub].add(name)
    return out


def build_rules(repo):
    """(compiled pattern, replacement) pairs, applied in order to every scanned file."""
    kids = children(repo)
    rules = []
    for old, new in sorted(MOVES.items(), key=lambda kv: -len(kv[0])):
        sub, leaf = split(new)
        guard = ""
        if old in kids:  # the old module's name is now a package's: leave its children alone
            names = "|".join(sorted(kids[old], key=len, reverse=True))
            guard = rf"(?!\.(?:{names})\b)(?!\s+import\s+\(?\s*(?:{names})\b)"
        rules.append((re.compile(rf"(?<![\w.])kerastorch\.layers\.{old}(?![\w]){guard}"),
                      f"kerastorch.layers.{new}"))
        rules.append((re.compile(rf"(?<![\w.])tests\.layers\.test_{old}(?!\w)"),
                      f"tests.layers.{sub}.test_{leaf}"))
        rules.append((re.compile(rf"(?<![\w/.-])((?:kerastorch/)?layers/){old}\.py(?!\w)"),
                      rf"\g<1>{sub}/{leaf}.py"))
        rules.append((re.compile(rf"(?<![\w/.-])tests/layers/test_{old}\.py(?!\w)"),
                      f"tests/layers/{sub}/test_{leaf}.py"))
    if os.path.exists(os.path.join(repo, LAYERS, "input_spec.py")):
        rules.append((re.compile(r"^([ \t]*)from kerastorch\.layers\.layer import InputSpec$",
                                 re.MULTILINE),
                      r"\g<1>from kerastorch.layers.input_spec import InputSpec"))
    return rules


_FROM_IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)from kerastorch\.layers import "
    r"(?:\((?P<paren>[^)]*)\)|(?P<names>[^\n#()]*?))(?P<comment>[ \t]*#[^\n]*)?[ \t]*$",
    re.MULTILINE)


def _rewrite_from_import(match):
    """`from kerastorch.layers import conv_utils, Dense` -> one line per moved module."""
    indent, comment = match["indent"], match["comment"] or ""
    body = match["paren"] if match["paren"] is not None else match["names"]
    items = [i.strip() for i in re.sub(r"#[^\n]*", "", body).replace("\n", " ").split(",")]
    items = [i for i in items if i]
    kept, lines = [], []
    for item in items:
        parts = item.split()
        name, alias = parts[0], (parts[2] if len(parts) == 3 and parts[1] == "as" else None)
        if name not in MOVES:
            kept.append(item)
            continue
        sub, leaf = split(MOVES[name])
        local = alias or name
        line = f"{indent}from kerastorch.layers.{sub} import {leaf}"
        lines.append(line + (f" as {local}" if local != leaf else ""))
    if not lines:
        return match.group(0)
    if kept:
        lines.insert(0, f"{indent}from kerastorch.layers import {', '.join(kept)}")
    lines[0] += comment
    return "\n".join(lines)


def rewrite_text(text, rules):
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return _FROM_IMPORT.sub(_rewrite_from_import, text)


def scanned_files(repo):
    listed = git(repo, "ls-files", "--cached", "--others", "--exclude-standard", "--",
                 *SCAN_DIRS, *SCAN_FILES)
    for path in sorted(set(listed.splitlines())):
        full = os.path.join(repo, path)
        if not os.path.isfile(full):
            continue
        if path.endswith(TEXT_SUFFIXES) or os.path.basename(path) in SCAN_FILES:
            yield path


def rewrite_files(repo, dry_run):
    rules = build_rules(repo)
    changed = []
    for path in scanned_files(repo):
        full = os.path.join(repo, path)
        try:
            with open(full, encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError:
            continue
        new = rewrite_text(text, rules)
        if new != text:
            changed.append(path)
            if not dry_run:
                with open(full, "w", encoding="utf-8") as f:
                    f.write(new)
    return changed


def report_leftovers(repo):
    """Flat modules with no row, and relative imports in moved files (not rewritten)."""
    folder = os.path.join(repo, LAYERS)
    flat = sorted(n[:-3] for n in os.listdir(folder) if n.endswith(".py"))
    unmapped = [n for n in flat if n not in KEEP_FLAT and n not in MOVES]
    if unmapped:
        print("  flat modules with no row in MOVES (left where they are):", ", ".join(unmapped))
    for new in MOVES.values():
        sub, leaf = split(new)
        for path in (os.path.join(LAYERS, sub, leaf + ".py"),
                     os.path.join(TESTS, sub, f"test_{leaf}.py")):
            full = os.path.join(repo, path)
            if os.path.exists(full):
                with open(full, encoding="utf-8") as f:
                    if re.search(r"^\s*from \.", f.read(), re.MULTILINE):
                        print(f"  warning: {path} has a relative import; check it by hand")
    if not os.path.exists(os.path.join(repo, LAYERS, "input_spec.py")):
        return
    for path in scanned_files(repo):
        if path.endswith(".py") and path != os.path.join(LAYERS, "layer.py"):
            with open(os.path.join(repo, path), encoding="utf-8") as f:
                if re.search(r"from kerastorch\.layers\.layer import [^\n]*InputSpec", f.read()):
                    print(f"  note: {path} imports InputSpec from layers.layer (still works)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", default=".", help="the repository root (default: .)")
    parser.add_argument("--dry-run", action="store_true", help="print, change nothing")
    parser.add_argument("--input-spec", action="store_true",
                        help="also move InputSpec out of layers/layer.py (after the move commit)")
    args = parser.parse_args(argv)
    repo = git(args.repo, "rev-parse", "--show-toplevel").strip()
    if not os.path.isdir(os.path.join(repo, LAYERS)):
        sys.exit(f"error: {repo} has no {LAYERS}")
    print(f"layout_move: {repo}")
    moved = move_files(repo, args.dry_run)
    if args.input_spec:
        extract_input_spec(repo, args.dry_run)
    changed = rewrite_files(repo, args.dry_run)
    if not args.dry_run and changed:
        git(repo, "add", "--", *changed)
    print(f"  {moved} files moved, {len(changed)} files rewritten")
    report_leftovers(repo)


if __name__ == "__main__":
    main()
