"""`tf.GradientTape` on torch autograd.

torch records every operation on tensors that require gradients; a tape is the scope in which
TensorFlow would record, and `tape.gradient` is one `torch.autograd.grad` call over the graph
torch already built (no copies, no second forward). What differs from a plain `backward()`:

- sources: tensors, `tf.Variable`s, Keras weights (`model.trainable_weights`, given in Keras's
  layout: a Dense kernel's gradient is `(in, out)` though torch stores `(out, in)`);
- a source the targets do not depend on gets `None` (or zeros with
  `unconnected_gradients="zero"`), and so does any source when no target needs gradients;
- `watch(x)` makes a constant tensor require gradients (as TensorFlow's tape starts
  recording it); with `watch_accessed_variables=False` only watched variables get gradients;
- nested tapes: a gradient taken while another tape records (or inside its own persistent
  tape) keeps its graph (`create_graph=True`), so the outer tape differentiates it again
  (second order, WGAN-GP's gradient penalty);
- a non-persistent tape answers one `gradient` / `jacobian` call (RuntimeError after), and
  frees the graph unless another live tape may still need it (two tapes over one forward, as in
  a GAN step, both work).

`stop_recording()` is `torch.no_grad()` (TensorFlow pauses every tape of the thread too).

Where torch differs and this module does not hide it: operations run before a tape on tensors
that require gradients (a model's weights) are part of torch's graph, so their gradients reach
the tape's sources where TensorFlow would give None; `watch` leaves the tensor requiring
gradients after the tape; `reset()` forgets what was watched, not what torch recorded.
"""

import contextlib
import enum
import threading
import weakref

import torch

from kerastorch import tree


class UnconnectedGradients(enum.Enum):
    """`tf.UnconnectedGradients`: what a source the target does not depend on gets."""
    NONE = "none"
    ZERO = "zero"


_local = threading.local()
_live = weakref.WeakSet()  # tapes that may still compute a gradient over the current graph


def _recording_tapes():
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def _torch_tensor(x):
    """The tensor autograd differentiates for a source: a Variable's parameter, else `x`."""
    t = getattr(x, "torch_tensor", None)
    if isinstance(t, torch.Tensor):
        return t
    if isinstance(x, torch.Tensor):
        return x
    return None


def _target_tensor(x):
    value = getattr(x, "value", None)
    if isinstance(value, torch.Tensor) and hasattr(x, "assign"):
        return value
    return x if isinstance(x, torch.Tensor) else None


def _in_source_layout(source, grad):
    """A gradient of a Keras weight's torch tensor, in the weight's (Keras) layout."""
    convert = getattr(source, "_keras_layout_of", None)
    return convert(grad) if convert is not None else grad


def _zeros_like_source(source):
    t = _torch_tensor(source)
    if t is None:
        return None
    return _in_source_layout(source, torch.zeros_like(t))


def _unconnected(value):
    if isinstance(value, UnconnectedGradients):
        return value
    try:
        return UnconnectedGradients(str(value).lower())
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


class GradientTape:
    """Records operations for automatic differentiation, as `tf.GradientTape`.

    Args:
        persistent: whether several `gradient` / `jacobian` calls may be made.
        watch_accessed_variables: whether trainable variables used inside the tape are watched
            (True); with False only what `watch()` was given gets gradients.

    Example:
        >>> with tf.GradientTape() as tape:
        ...     loss = loss_fn(y, model(x, training=True))
        >>> grads = tape.gradient(loss, model.trainable_weights)
        >>> optimizer.apply_gradients(zip(grads, model.trainable_weights))
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed = bool(watch_accessed_variables)
        self._watched = {}  # id(torch tensor) -> the object watch() was given
        self._recording = False
        self._used = False
        self._grad_was = None

    def __enter__(self):
        self._grad_was = torch.is_grad_enabled()
        torch.set_grad_enabled(True)
        _recording_tapes().append(self)
        self._recording = True
        self._used = False
        _live.add(self)
        return self

    def __exit__(self, *exc_info):
        stack = _recording_tapes()
        if self in stack:
            stack.remove(self)
        self._recording = False
        torch.set_grad_enabled(self._grad_was)
        return False

    def watch(self, tensor):
        """Makes the tape track `tensor` (a tensor, Variable or nested structure of them)."""
        for item in tree.flatten(tensor):
            t = _torch_tensor(item)
            if t is None:
                raise ValueError(f"Passed in object {item!r:.80} of type "
                                 f"'{type(item).__name__}', not tf.Tensor or tf.Variable.")
            if not (t.is_floating_point() or t.is_complex()):
                continue  # TensorFlow warns and does not watch integer tensors
            if not t.requires_grad:
                t.requires_grad_(True)
            self._watched[id(t)] = item

    def watched_variables(self):
        """The variables and tensors passed to `watch()`."""
        return tuple(self._watched.values())

    @contextlib.contextmanager
    def stop_recording(self):
        """Operations inside are not recorded (by any tape)."""
        with torch.no_grad():
            yield

    def reset(self):
        """Forgets what was watched; the tape can compute gradients again."""
        self._watched.clear()
        self._used = False

    # ------------------------------------------------------------------ gradients
    def _check_usable(self, what):
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        self._used = True

    def _differentiable(self, source):
        """The torch tensor of `source` if this tape can differentiate with respect to it."""
        t = _torch_tensor(source)
        if t is None:
            raise ValueError(f"GradientTape.gradient: a source must be a tensor or a Variable, "
                             f"received {type(source).__name__} {source!r:.80}")
        if not t.requires_grad:
            return None
        if not self._watch_accessed and t.is_leaf and id(t) not in self._watched:
            return None
        return t

    def _graph_flags(self):
        # The gradient is recorded when another tape records (or this one, when persistent: it
        # may differentiate its own gradients); a non-persistent tape asked inside its own
        # `with` block does not record its single answer.
        create = torch.is_grad_enabled() and any(
            t is not self or t._persistent for t in _recording_tapes())
        if not self._persistent:
            _live.discard(self)
        retain = self._persistent or create or len(_live) > 0
        return retain, create

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """The gradients of `target` (summed over a structure of targets) with respect to each
        of `sources`, in the structure of `sources`.

        Args:
            target: a tensor or a nested structure of tensors.
            sources: a tensor, Variable, or nested structure of them (`model.trainable_weights`).
            output_gradients: the gradients of the targets (default: ones), one per target.
            unconnected_gradients: "none" (None, as TensorFlow) or "zero".
        """
        unconnected = _unconnected(unconnected_gradients)
        self._check_usable("gradient")
        flat_sources = tree.flatten(sources)
        inputs = [self._differentiable(s) for s in flat_sources]
        flat_targets = [_target_tensor(t) for t in tree.flatten(target)]
        if output_gradients is not None:
            flat_out = tree.flatten(output_gradients)
            if len(flat_out) != len(flat_targets):
                raise ValueError(f"GradientTape.gradient: {len(flat_out)} output_gradients for "
                                 f"{len(flat_targets)} targets")
        else:
            flat_out = [None] * len(flat_targets)
        outputs, grad_outputs = [], []
        for t, g in zip(flat_targets, flat_out):
            if t is None or not t.requires_grad:
                continue
            outputs.append(t)
            if g is None:
                g = None if t.dim() == 0 else torch.ones_like(t)  # autograd seeds a scalar
            else:
                g = _target_tensor(g) if _target_tensor(g) is not None else torch.as_tensor(g)
                g = g.to(device=t.device, dtype=t.dtype).expand_as(t)
            grad_outputs.append(g)
        wanted = [i for i, t in enumerate(inputs) if t is not None]
        grads = [None] * len(flat_sources)
        if outputs and wanted:
            retain, create = self._graph_flags()
            found = torch.autograd.grad(outputs, [inputs[i] for i in wanted], grad_outputs,
                                        retain_graph=retain, create_graph=create,
                                        allow_unused=True)
            for i, g in zip(wanted, found):
                grads[i] = None if g is None else _in_source_layout(flat_sources[i], g)
        elif not self._persistent:
            _live.discard(self)
        if unconnected is UnconnectedGradients.ZERO:
            grads = [_zeros_like_source(s) if g is None else g
                     for s, g in zip(flat_sources, grads)]
        if not isinstance(sources, (list, tuple, dict)):
            return grads[0]
        return tree.pack_sequence_as(sources, grads)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """The Jacobian of `target` with respect to each source: shape
        `target.shape + source.shape`, in the structure of `sources`."""
        unconnected = _unconnected(unconnected_gradients)
        self._check_usable("jacobian")
        flat_sources = tree.flatten(sources)
        inputs = [self._differentiable(s) for s in flat_sources]
        y = _target_tensor(target)
        if y is None:
            raise ValueError("GradientTape.jacobian: the target must be a tensor")
        wanted = [i for i, t in enumerate(inputs) if t is not None]
        out = [None] * len(flat_sources)
        if y.requires_grad and wanted:
            retain, create = self._graph_flags()
            n = y.numel()
            basis = torch.eye(n, dtype=y.dtype, device=y.device).reshape((n,) + tuple(y.shape))
            found = _batched_grad(y, [inputs[i] for i in wanted], basis, retain, create)
            for i, g in zip(wanted, found):
                out[i] = None if g is None else _jacobian_in_layout(flat_sources[i], g, y)
        elif not self._persistent:
            _live.discard(self)
        if unconnected is UnconnectedGradients.ZERO:
            out = [torch.zeros(tuple(y.shape) + tuple(_zeros_like_source(s).shape),
                               dtype=y.dtype, device=y.device) if g is None else g
                   for s, g in zip(flat_sources, out)]
        if not isinstance(sources, (list, tuple, dict)):
            return out[0]
        return tree.pack_sequence_as(sources, out)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """For each example `i` of the batch, the Jacobian of `target[i]` with respect to
        `source[i]`: shape `(batch,) + target.shape[1:] + source.shape[1:]`."""
        unconnected = _unconnected(unconnected_gradients)
        self._check_usable("batch_jacobian")
        y = _target_tensor(target)
        x = self._differentiable(source)
        if y is None or y.dim() < 1:
            raise ValueError("GradientTape.batch_jacobian: the target must have a batch "
                             "dimension")
        xt = _torch_tensor(source)
        if xt.dim() < 1 or xt.shape[0] != y.shape[0]:
            raise ValueError(f"Need first dimension of `target` shape ({tuple(y.shape)}) and "
                             f"`source` shape ({tuple(xt.shape)}) to match.")
        batch = y.shape[0]
        rest = tuple(y.shape[1:])
        if x is None or not y.requires_grad:
            if not self._persistent:
                _live.discard(self)
            if unconnected is UnconnectedGradients.ZERO:
                return torch.zeros((batch,) + rest + tuple(xt.shape[1:]), dtype=y.dtype,
                                   device=y.device)
            return None
        retain, create = self._graph_flags()
        m = int(torch.tensor(rest).prod()) if rest else 1
        # e_k for every example at once: row k selects output k of each example.
        basis = torch.eye(m, dtype=y.dtype, device=y.device).reshape((m, 1) + rest).expand(
            (m, batch) + rest)
        (g,) = _batched_grad(y, [x], basis, retain, create)
        if g is None:
            if unconnected is UnconnectedGradients.ZERO:
                return torch.zeros((batch,) + rest + tuple(xt.shape[1:]), dtype=y.dtype,
                                   device=y.device)
            return None
        # (m, batch, x...) -> (batch, rest..., x...)
        g = g.movedim(0, 1)
        return g.reshape((batch,) + rest + tuple(xt.shape[1:]))


def _jacobian_in_layout(source, g, y):
    """A Jacobian `(y..., torch shape...)` of a Keras weight as `(y..., Keras shape...)`."""
    g = g.reshape(tuple(y.shape) + tuple(_torch_tensor(source).shape))
    if getattr(source, "_layout", None) is None:
        return g
    layout = tuple(y.dim() + i for i in source._layout)
    return g.permute(tuple(range(y.dim())) + layout)


def _batched_grad(y, inputs, basis, retain, create):
    """Vector-Jacobian products of `y` with each row of `basis` (vmapped where torch can)."""
    try:
        return torch.autograd.grad([y], inputs, [basis], retain_graph=True,
                                   create_graph=create, allow_unused=True,
                                   is_grads_batched=True)
    except RuntimeError:  # an operation without a batching rule: one row at a time
        rows = [torch.autograd.grad([y], inputs, [b], retain_graph=True, create_graph=create,
                                    allow_unused=True) for b in basis]
        return [None if rows[0][j] is None else torch.stack([r[j] for r in rows])
                for j in range(len(inputs))]


def custom_gradient(f=None):
    """`@tf.custom_gradient`: `f(*x)` returns `(y, grad_fn)`; `grad_fn(*dy)` gives the
    gradients of the inputs (differentiable again when a tape records the gradient)."""
    if f is None:
        return custom_gradient

    class _Function(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *args):
            detached = [a.detach() if isinstance(a, torch.Tensor) else a for a in args]
            y, grad_fn = f(*detached)
            ctx.grad_fn = grad_fn
            ctx.n_out = len(y) if isinstance(y, (list, tuple)) else 1
            return tuple(t.detach() for t in y) if isinstance(y, (list, tuple)) else y.detach()

        @staticmethod
        def backward(ctx, *dys):
            grads = ctx.grad_fn(*dys)
            if not isinstance(grads, (list, tuple)):
                grads = (grads,)
            return tuple(grads)

    def wrapped(*args, **kwargs):
        if kwargs:
            raise TypeError(f"tf.custom_gradient function {getattr(f, '__name__', f)} takes "
                            f"positional tensors only in kerastorch, received {sorted(kwargs)}")
        args = [_target_tensor(a) if _target_tensor(a) is not None else torch.as_tensor(a)
                for a in args]
        return _Function.apply(*args)

    wrapped.__name__ = getattr(f, "__name__", "custom_gradient")
    wrapped.__doc__ = getattr(f, "__doc__", None)
    return wrapped
