"""Ops on symbolic tensors: calling an op on a `KerasTensor` records a `TFOpLambda` graph node.

Every public op is wrapped by `op()`. On real tensors the wrapper only scans its positional
arguments' types and calls the op; when a `KerasTensor` is among the arguments it builds a
`TFOpLambda` layer (the class name Keras 2 gives such nodes, in
`kerastorch.layers.core.tf_op_lambda`) holding the op and its other arguments, and calls it
symbolically, so `x + residual` or `ops.concatenate([a, b])` on `keras.Input`s become layers of
the functional model, listed by `summary()`.

No module of `kerastorch.ops` imports `kerastorch.layers` at import time (layers import ops, not
the reverse): the layer class is imported when the first node is built.
"""

import functools

from kerastorch import backend
from kerastorch.tensor.keras_tensor import KerasTensor
from kerastorch.tensor.slot import make_template


def _has_symbolic(value):
    t = type(value)
    if t is KerasTensor:
        return True
    if t is list or t is tuple:
        return any(_has_symbolic(v) for v in value)
    if t is dict:
        return any(_has_symbolic(v) for v in value.values())
    return False


def op(layer_name=None):
    """Decorator: makes `fn` build a graph node when called on KerasTensors.

    `layer_name` is the Keras 2 name of the node's layer (default `tf.<fn name>`).
    """
    def wrap(fn):
        name = layer_name or f"tf.{fn.__name__}"

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for a in args:
                t = type(a)
                if t is KerasTensor or ((t is list or t is tuple) and _has_symbolic(a)):
                    return symbolic_call(fn, name, args, kwargs)
            if kwargs:
                for a in kwargs.values():
                    t = type(a)
                    if t is KerasTensor or ((t is list or t is tuple) and _has_symbolic(a)):
                        return symbolic_call(fn, name, args, kwargs)
            return fn(*args, **kwargs)

        wrapper._raw = fn
        return wrapper
    return wrap


def symbolic_call(fn, name, args, kwargs):
    """Calls `fn` on symbolic arguments through a new `TFOpLambda` layer; returns KerasTensors."""
    from kerastorch.layers.core.tf_op_lambda import TFOpLambda
    template, inputs = make_template(args, kwargs)
    layer = TFOpLambda(fn, template, name=backend.unique_object_name(name))
    return layer(inputs)


def resolve_op_function(name, layer_name=None):
    """The function a saved `TFOpLambda` config names: a TensorFlow function as tf.keras 2
    writes it (`"math.multiply"`, `"concat"`, `"__operators__.getitem"`), or a kerastorch op."""
    from kerastorch.saving import keras2_tf_ops
    fn = keras2_tf_ops.get(name)
    if fn is None:
        from kerastorch import ops
        fn = getattr(ops, name, None) if name.isidentifier() else None
    if fn is None:
        where = f" '{layer_name}'" if layer_name else ""
        raise ValueError(f"The TFOpLambda layer{where} calls `tf.{name}`, which kerastorch cannot "
                         "run yet. Pass a function with TensorFlow's signature for it in "
                         f"`custom_objects={{'tf.{name}': fn}}`, or rebuild that part of the "
                         "model with kerastorch ops. kerastorch.saving.keras2_tf_ops.supported() "
                         f"lists the {len(keras2_tf_ops.supported())} TensorFlow functions it "
                         "runs.")
    return fn


def _take_item(x, key):
    return x[key]


def getitem(x, key):
    """`x[key]` on a KerasTensor: a `tf.__operators__.getitem` node."""
    return symbolic_call(_take_item, "tf.__operators__.getitem", (x, key), {})


def __getattr__(name):
    # `kerastorch.ops.symbolic.TFOpLambda` still names the class, imported on first use.
    if name == "TFOpLambda":
        from kerastorch.layers.core.tf_op_lambda import TFOpLambda
        return TFOpLambda
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
