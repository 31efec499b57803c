"""`tf.function` on torch: the function runs eagerly, as written (torch has no graph to trace
into); `jit_compile=True` hands it to `torch.compile`, falling back to eager with one warning
where that fails.

What TensorFlow checks at the call still holds: with `input_signature`, the arguments must fit
the `TensorSpec`s (TypeError otherwise, as TensorFlow's "Binding inputs to tf.function
failed") and become tensors of the spec's dtype. Without one, arguments pass as they are
(numpy arrays stay arrays: kerastorch's layers take them as floatx, where a float64 tensor would
not be cast). `autograph`, `reduce_retracing` and the
`experimental_*` options change nothing here: there is no tracing.
"""

import functools
import warnings

import torch

from kerastorch.porting.tf import tensor as _tensor


class Function:
    """What `tf.function` returns: a callable running `python_function` (see the module)."""

    def __init__(self, python_function, input_signature=None, jit_compile=None,
                 name=None):
        self.python_function = python_function
        self.input_signature = None if input_signature is None else tuple(input_signature)
        self._jit_compile = bool(jit_compile)
        self._compiled = None
        self._compile_failed = False
        self._name = name or getattr(python_function, "__name__", "function")
        functools.update_wrapper(self, python_function)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return functools.partial(self._call, (instance,))

    def __call__(self, *args, **kwargs):
        return self._call((), *args, **kwargs)

    def _call(self, head, /, *args, **kwargs):
        if self.input_signature is not None:
            args = head + self._bind(args, kwargs)
            kwargs = {}
        else:
            args = head + args
        if self._jit_compile and not self._compile_failed:
            return self._call_compiled(args, kwargs)
        return self.python_function(*args, **kwargs)

    def _call_compiled(self, args, kwargs):
        try:
            if self._compiled is None:
                self._compiled = torch.compile(self.python_function)
            return self._compiled(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - any compiler failure: run eagerly instead
            self._compile_failed = True
            warnings.warn(f"tf.function(jit_compile=True): torch.compile could not compile "
                          f"{self._name} ({type(err).__name__}: {str(err)[:200]}); it runs "
                          "eagerly from now on.", stacklevel=3)
            return self.python_function(*args, **kwargs)

    def _bind(self, args, kwargs):
        """The arguments checked against (and converted to) the input signature."""
        specs = self.input_signature
        if kwargs:
            raise TypeError(f"Binding inputs to tf.function failed: {self._name} has an "
                            f"input_signature and takes positional arguments only, received "
                            f"keyword arguments {sorted(kwargs)}.")
        if len(args) > len(specs):
            raise TypeError(f"Binding inputs to tf.function failed due to `too many positional "
                            f"arguments`. Received args: {args!r:.200} for signature: "
                            f"{specs}.")
        if len(args) < len(specs):
            raise TypeError(f"Binding inputs to tf.function failed due to `missing a required "
                            f"argument`. Received args: {args!r:.200} for signature: {specs}.")
        out = []
        for value, spec in zip(args, specs):
            out.append(self._fit(value, spec))
        return tuple(out)

    def _fit(self, value, spec):
        if isinstance(spec, (list, tuple)):
            if not isinstance(value, (list, tuple)) or len(value) != len(spec):
                raise TypeError(f"Binding inputs to tf.function failed: {value!r:.80} does not "
                                f"match the nested signature {spec}")
            return type(spec)(self._fit(v, s) for v, s in zip(value, spec))
        if isinstance(spec, dict):
            return {k: self._fit(value[k], s) for k, s in spec.items()}
        if isinstance(value, torch.Tensor) or hasattr(value, "assign"):
            t = _tensor.convert_to_tensor(value)
        else:
            try:
                t = _tensor.convert_to_tensor(value, dtype=spec.dtype)
            except (TypeError, ValueError):
                t = _tensor.convert_to_tensor(value)
        if spec.dtype != t.dtype or not spec.shape.is_compatible_with(tuple(t.shape)):
            got = _tensor.TensorSpec(tuple(t.shape), t.dtype)
            raise TypeError(f"Binding inputs to tf.function failed due to `Can not cast {got} "
                            f"to {spec}`. Received args: {value!r:.120}")
        return t

    def get_concrete_function(self, *args, **kwargs):
        """The function itself: there is no traced graph to return."""
        return self

    def experimental_get_tracing_count(self):
        return 0

    def __repr__(self):
        return f"<kerastorch tf.function {self._name}>"


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """`tf.function`, as a decorator with or without arguments (see the module docstring)."""
    jit = jit_compile if jit_compile is not None else experimental_compile

    def decorate(f):
        return Function(f, input_signature=input_signature, jit_compile=jit)

    return decorate if func is None else decorate(func)
