"""TensorFlow's control flow and printing, eagerly: `tf.cond`, `tf.case`, `tf.switch_case`,
`tf.while_loop`, `tf.print`, `tf.executing_eagerly`.

Eager TensorFlow evaluates the predicate and runs one branch; so does this module, so
gradients flow through the branch taken, as they do in TensorFlow.
"""

import builtins
import sys

import numpy as np
import torch

from kerastorch import tree
from kerastorch.porting.tf import errors as _errors
from kerastorch.porting.tf import tensor as _tensor


def _truth(pred, what):
    t = _tensor.unwrap(pred)
    if isinstance(t, torch.Tensor):
        if t.numel() != 1:
            raise ValueError(f"{what}: the predicate must be a scalar, received shape "
                             f"{tuple(t.shape)}")
        return builtins.bool(t.item())
    return builtins.bool(pred)


def cond(pred, true_fn=None, false_fn=None, name=None):
    """`tf.cond`: `true_fn()` if `pred` else `false_fn()`."""
    if true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    return true_fn() if _truth(pred, "tf.cond") else false_fn()


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """`tf.case`: the function of the first true predicate (with `exclusive`, more than one
    true predicate is an error), else `default()`."""
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else \
        list(pred_fn_pairs)
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in pred_fn_pairs must be a 2-tuple. Received {pair!r}.")
        if not callable(pair[1]):
            raise TypeError(f"fn for pred {pair[0]!r} must be callable.")
    truths = [_truth(p, "tf.case") for p, _ in pairs]
    if exclusive and sum(truths) > 1:
        raise _errors.InvalidArgumentError(
            f"Input error: exclusive=True and more than one predicate evaluated as True: "
            f"{truths}")
    for truth, (_, fn) in zip(truths, pairs):
        if truth:
            return fn()
    if default is None:
        raise _errors.InvalidArgumentError(
            f"Input error: None of conditions evaluated as True: {truths}")
    return default()


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """`tf.switch_case`: `branch_fns[branch_index]()` (out of range: `default`, else the last)."""
    t = _tensor.unwrap(branch_index)
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    index = int(t.item())
    fns = dict(branch_fns) if isinstance(branch_fns, dict) else dict(enumerate(branch_fns))
    if index in fns:
        return fns[index]()
    return (default or fns[max(fns)])()


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """`tf.while_loop`: `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`; the loop
    variables become tensors (TensorFlow's dtype rules); returns them in their structure."""
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    single = not isinstance(loop_vars, (list, tuple))
    state = tree.map_structure(_as_tensor, [loop_vars] if single else loop_vars)
    steps = 0
    while _truth(cond(*state), "tf.while_loop"):
        if maximum_iterations is not None and steps >= int(maximum_iterations):
            break
        result = body(*state)
        if not isinstance(result, (list, tuple)) and len(state) == 1:
            result = [result]
        if len(tree.flatten(result)) != len(tree.flatten(state)):
            raise ValueError(f"tf.while_loop: body returned {len(tree.flatten(result))} "
                             f"values for {len(tree.flatten(state))} loop variables")
        state = tree.map_structure(_as_tensor, type(state)(result) if isinstance(
            result, (list, tuple)) else result)
        steps += 1
    if single:
        return state[0]
    return type(loop_vars)(state) if type(loop_vars) in (list, tuple) else state


def _as_tensor(x):
    t = _tensor.unwrap(x)
    return t if isinstance(t, torch.Tensor) else _tensor.convert_to_tensor(x)


def executing_eagerly():
    """`tf.executing_eagerly`: always True (everything runs eagerly on torch)."""
    return True


# ---------------------------------------------------------------------- tf.print
def _format_number(x, dtype):
    if dtype == torch.bool:
        return "1" if x else "0"
    if dtype.is_floating_point:
        # TensorFlow's FloatToBuffer / DoubleToBuffer: the short form where it reads back as
        # the same number, else enough digits to do so.
        short, full = (15, 17) if dtype == torch.float64 else (6, 9)
        value = float(x)
        text = f"{value:.{short}g}"
        same = float(text) == value if dtype == torch.float64 else \
            np.float32(text) == np.float32(value)
        return text if same or not np.isfinite(value) else f"{value:.{full}g}"
    if dtype.is_complex:
        return str(complex(x))
    return str(int(x))


def _format_tensor(t, summarize):
    t = t.detach().cpu()
    if t.dim() == 0:
        return _format_number(t.item(), t.dtype)
    dtype = t.dtype
    arr = t.numpy() if dtype != torch.bfloat16 else t.float().numpy()

    def rows(a, depth):
        n = a.shape[0]
        if summarize is not None and summarize >= 0 and n > 2 * summarize:
            idx = list(builtins.range(summarize)) + [None] + \
                list(builtins.range(n - summarize, n))
        else:
            idx = list(builtins.range(n))
        if a.ndim == 1:
            return "[" + " ".join("..." if i is None else _format_number(a[i], dtype)
                                  for i in idx) + "]"
        sep = "\n" * (a.ndim - 1) + " " * (depth + 1)
        return "[" + sep.join("..." if i is None else rows(a[i], depth + 1) for i in idx) + "]"

    return rows(arr, 0)


def _format(value, summarize):
    t = _tensor.unwrap(value)
    if isinstance(t, torch.Tensor):
        return _format_tensor(t, summarize)
    if isinstance(value, np.ndarray):
        return _format_tensor(torch.from_numpy(value), summarize)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_format(v, summarize)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_format(v, summarize) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_format(v, summarize) for v in value) + ")"
    return str(value)


def print(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):  # noqa: A001
    """`tf.print`: prints tensors as TensorFlow does (float32 with 9 significant digits, at most
    `summarize` values at each end of a dimension), to stderr by default."""
    stream = sys.stderr if output_stream is None else output_stream
    if isinstance(stream, str):
        stream = {"stdout": sys.stdout, "stderr": sys.stderr}.get(stream, stream)
        if isinstance(stream, str):
            with open(stream.removeprefix("file://"), "a") as f:
                f.write(sep.join(_format(v, summarize) for v in inputs) + end)
            return None
    builtins.print(sep.join(_format(v, summarize) for v in inputs), end=end, file=stream)
    return None
