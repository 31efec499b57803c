"""Ops on symbolic tensors: calling an op on a `KerasTensor` records an `OpLayer` graph node.

Every public op is wrapped by `op()`. On real tensors the wrapper only scans its positional
arguments' types and calls the op; when a `KerasTensor` is among the arguments it builds a
`TFOpLambda` layer (the class name Keras 2 gives such nodes) holding the op and its other
arguments, and calls it symbolically, so `x + residual` or `ops.concatenate([a, b])` on
`keras.Input`s become layers of the functional model, listed by `summary()`.
"""

import functools

import torch

from kerastorch import backend
from kerastorch import tree

KerasTensor = None  # set by kerastorch.layers.input_layer when it defines the class


def register_keras_tensor(cls):
    """Called once by `input_layer`: records the class and gives it the arithmetic operators."""
    global KerasTensor
    KerasTensor = cls
    for dunder, (fn_name, layer_name, swap) in _DUNDERS.items():
        setattr(cls, dunder, _make_dunder(fn_name, layer_name, swap))
    cls.__getitem__ = _getitem
    cls.__hash__ = object.__hash__
    cls.__array_priority__ = 1000
    cls.__torch_function__ = _kt_torch_function


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


class _Slot:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _make_template(args, kwargs):
    """`(args, kwargs)` with a slot for each KerasTensor, and the KerasTensors in slot order."""
    symbolic = []

    def to_slot(v):
        if type(v) is KerasTensor:
            symbolic.append(v)
            return _Slot(len(symbolic) - 1)
        return v

    template = tree.map_structure(to_slot, (list(args), dict(kwargs)))
    return template, (symbolic[0] if len(symbolic) == 1 else list(symbolic))


def symbolic_call(fn, name, args, kwargs):
    """Calls `fn` on symbolic arguments through a new `TFOpLambda` layer; returns KerasTensors."""
    template, inputs = _make_template(args, kwargs)
    layer = _op_layer_class()(fn, template, name=backend.unique_object_name(name))
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


_OpLayer = None


def _op_layer_class():
    global _OpLayer
    if _OpLayer is None:
        from kerastorch.layers.layer import Layer
        from kerastorch.layers.layer import map_shapes
        from kerastorch.layers.input_layer import Node

        class TFOpLambda(Layer):
            """A graph node running one op (`x + y`, `ops.mean(x, axis=1)`, ...) on its inputs.

            Args:
                function: the op.
                template: its `(args, kwargs)`, with slots where the symbolic inputs go.
            """

            def __init__(self, function, template=None, **kwargs):
                super().__init__(**kwargs)
                if isinstance(function, str):
                    function = resolve_op_function(function, self.name)
                self.function = function
                self.template = template
                self.built = True
                self._out_dtypes = None

            @classmethod
            def from_config(cls, config):
                """A layer of a saved model (tf.keras 2 or kerastorch): its call's arguments
                come from the node it is called with, `call_node(args, kwargs)`."""
                config = dict(config)
                function = config.pop("function")
                module = config.pop("function_module", None)
                template = config.pop("template", None)
                custom = _custom_op(function)
                if custom is not None:
                    function = custom
                elif module is not None:
                    function = _op_from_module(function, module, config.get("name"))
                if template is not None:
                    template = _decode_template(template)
                return cls(function, template, **config)

            def call_node(self, args, kwargs):
                """Calls the layer symbolically as `function(*args, **kwargs)` (KerasTensors
                among them), as rebuilding a saved functional model does. A layer whose
                config held its call (kerastorch's) is called on the node's inputs."""
                if self.template is not None and not kwargs:
                    return self(args[0])
                template, inputs = _make_template(args, kwargs)
                self.template = template
                return self(inputs)

            def call(self, inputs):
                return self._run(inputs, self.template)

            def _run(self, inputs, template):
                values = inputs if isinstance(inputs, list) else [inputs]
                fill = lambda v: values[v.index] if type(v) is _Slot else v  # noqa: E731
                args, kwargs = tree.map_structure(fill, template)
                return self.function(*args, **kwargs)

            def _convert_input(self, x):
                return x

            def compute_output_shape(self, input_shape):
                return self._meta_outputs(input_shape)[0]

            def _meta_outputs(self, input_shape, dtypes=None):
                """Runs the op on `meta` tensors twice (unknown dims as two sizes)."""
                flat_shapes = input_shape if isinstance(input_shape, list) else [input_shape]
                dtypes = dtypes or [backend.floatx()] * len(flat_shapes)

                def run(batch, other):
                    metas = [torch.empty(tuple(batch if (i == 0 and d is None) else
                                               (other if d is None else d)
                                               for i, d in enumerate(s)), device="meta",
                                         dtype=backend.to_torch_dtype(dt))
                             for s, dt in zip(flat_shapes, dtypes)]
                    from kerastorch.ops.core import meta_scope
                    with meta_scope():  # tensors the op creates go to meta too
                        return self._run(metas if isinstance(input_shape, list) else metas[0],
                                         meta_template)

                # constant tensors and arrays among the arguments go to `meta` too
                meta_template = tree.map_structure(_to_meta, self.template)

                first, second = run(2, 7), run(3, 11)
                shapes = _merge(tree.map_structure(_shape_of, first),
                                tree.map_structure(_shape_of, second))
                out_dtypes = tree.map_structure(_dtype_of, first)
                return shapes, out_dtypes

            def _call_symbolic(self, inputs, args, kwargs):
                flat = inputs if isinstance(inputs, list) else [inputs]
                shapes = [t.shape for t in flat]
                try:
                    shapes, dtypes = self._meta_outputs(
                        shapes if isinstance(inputs, list) else shapes[0],
                        [t.dtype for t in flat])
                except (RuntimeError, NotImplementedError) as err:
                    raise ValueError(f"Could not infer the output shape of op layer "
                                     f"'{self.name}' for input shapes {shapes}: {err}") from err
                if isinstance(shapes, tuple) and all(d is None or isinstance(d, int)
                                                     for d in shapes):
                    outputs = KerasTensor(shapes, dtypes)
                else:
                    flat_shapes = _flat(shapes)
                    flat_dtypes = tree.flatten(dtypes)
                    it = iter([KerasTensor(s, d) for s, d in zip(flat_shapes, flat_dtypes)])
                    outputs = map_shapes(shapes, lambda s: next(it))
                Node(self, inputs, (), {}, outputs)
                return outputs

            def get_config(self):
                config = super().get_config()
                tf_name = getattr(self.function, "_keras2_name", None)
                config["function"] = tf_name or getattr(self.function, "__name__",
                                                        str(self.function))
                module = getattr(self.function, "__module__", None) or ""
                if tf_name is None and module.split(".")[0] in ("kerastorch", "torch"):
                    config["function_module"] = module
                template = _encode_template(self.template)
                if template is not None:  # the call, with slots for the node's inputs
                    config["template"] = template
                return config

        _OpLayer = TFOpLambda
    return _OpLayer


def _op_from_module(name, module, layer_name):
    """A kerastorch op (or torch function) a kerastorch-saved TFOpLambda names."""
    import importlib
    root = module.split(".")[0]
    found = None
    if root in ("kerastorch", "torch"):
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            found = None
        if found is None and root == "torch":
            found = getattr(torch, name, None) or getattr(torch.nn.functional, name, None)
    if found is None or not callable(found):
        raise ValueError(f"The TFOpLambda layer '{layer_name}' calls `{module}.{name}`, which "
                         "this kerastorch does not have.")
    return found


def _encode_template(template):
    """The op's `(args, kwargs)` as JSON-able data: slots `{"__slot__": i}`, tuples, slices,
    Ellipsis, dtypes and arrays tagged. None when it holds something else (not saved)."""
    from kerastorch.saving import serialization_lib

    def enc(v):
        if type(v) is _Slot:
            return {"__slot__": v.index}
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, tuple):
            return {"__tuple__": [enc(x) for x in v]}
        if isinstance(v, list):
            return [enc(x) for x in v]
        if isinstance(v, dict) and all(isinstance(k, str) for k in v):
            return {"__dict__": {k: enc(x) for k, x in v.items()}}
        if isinstance(v, slice):
            return {"__slice__": [enc(v.start), enc(v.stop), enc(v.step)]}
        if v is Ellipsis:
            return {"__ellipsis__": True}
        if isinstance(v, torch.dtype):
            return {"__dtype__": str(v).replace("torch.", "")}
        if isinstance(v, torch.Tensor) or type(v).__module__ == "numpy":
            return serialization_lib.serialize_keras_object(v)
        raise TypeError(type(v).__name__)

    if template is None:
        return None
    try:
        return enc(template)
    except TypeError:
        return None


def _decode_template(data):
    from kerastorch.saving import serialization_lib

    def dec(v):
        if isinstance(v, list):
            return [dec(x) for x in v]
        if not isinstance(v, dict):
            return v
        if "__slot__" in v:
            return _Slot(v["__slot__"])
        if "__tuple__" in v:
            return tuple(dec(x) for x in v["__tuple__"])
        if "__dict__" in v:
            return {k: dec(x) for k, x in v["__dict__"].items()}
        if "__slice__" in v:
            return slice(*(dec(x) for x in v["__slice__"]))
        if "__ellipsis__" in v:
            return Ellipsis
        if "__dtype__" in v:
            return getattr(torch, v["__dtype__"])
        return serialization_lib.deserialize_keras_object(v)

    return dec(data)


def _custom_op(function):
    """A function given for `tf.<name>` in the custom objects of the load in progress."""
    from kerastorch.saving import object_registration
    found = object_registration.get_registered_object(f"tf.{function}")
    return found if callable(found) and not isinstance(found, type) else None


def _to_meta(v):
    if isinstance(v, torch.Tensor) or type(v).__module__ == "numpy":
        from kerastorch.ops.core import convert_to_tensor
        return convert_to_tensor(v).to("meta")
    return v


def _shape_of(v):
    if isinstance(v, torch.Tensor):
        return tuple(v.shape)
    raise TypeError(f"An op on a KerasTensor returned a non-tensor value: {v!r}")


def _dtype_of(v):
    return str(v.dtype).replace("torch.", "")


def _is_shape(s):
    return isinstance(s, tuple) and all(d is None or isinstance(d, int) for d in s)


def _flat(shapes):
    if _is_shape(shapes):
        return [shapes]
    if isinstance(shapes, (list, tuple)):
        return [s for item in shapes for s in _flat(item)]
    if isinstance(shapes, dict):
        return [s for key in sorted(shapes) for s in _flat(shapes[key])]
    return []


def _merge(a, b):
    if _is_shape(a):
        return tuple(x if x == y else None for x, y in zip(a, b))
    if isinstance(a, list):
        return [_merge(x, y) for x, y in zip(a, b)]
    if isinstance(a, dict):
        return {k: _merge(a[k], b[k]) for k in a}
    return tuple(_merge(x, y) for x, y in zip(a, b))


# ------------------------------------------------------------------ KerasTensor operators
# dunder: (op in kerastorch.ops.numpy, Keras 2 layer name, operands swapped)
_DUNDERS = {
    "__add__": ("add", "tf.__operators__.add", False),
    "__radd__": ("add", "tf.__operators__.add", True),
    "__sub__": ("subtract", "tf.math.subtract", False),
    "__rsub__": ("subtract", "tf.math.subtract", True),
    "__mul__": ("multiply", "tf.math.multiply", False),
    "__rmul__": ("multiply", "tf.math.multiply", True),
    "__truediv__": ("divide", "tf.math.truediv", False),
    "__rtruediv__": ("divide", "tf.math.truediv", True),
    "__floordiv__": ("floor_divide", "tf.math.floordiv", False),
    "__rfloordiv__": ("floor_divide", "tf.math.floordiv", True),
    "__mod__": ("mod", "tf.math.floormod", False),
    "__rmod__": ("mod", "tf.math.floormod", True),
    "__pow__": ("power", "tf.math.pow", False),
    "__rpow__": ("power", "tf.math.pow", True),
    "__matmul__": ("matmul", "tf.linalg.matmul", False),
    "__rmatmul__": ("matmul", "tf.linalg.matmul", True),
    "__lt__": ("less", "tf.math.less", False),
    "__le__": ("less_equal", "tf.math.less_equal", False),
    "__gt__": ("greater", "tf.math.greater", False),
    "__ge__": ("greater_equal", "tf.math.greater_equal", False),
    "__and__": ("logical_and", "tf.math.logical_and", False),
    "__rand__": ("logical_and", "tf.math.logical_and", True),
    "__or__": ("logical_or", "tf.math.logical_or", False),
    "__ror__": ("logical_or", "tf.math.logical_or", True),
    "__xor__": ("logical_xor", "tf.math.logical_xor", False),
    "__rxor__": ("logical_xor", "tf.math.logical_xor", True),
    "__neg__": ("negative", "tf.math.negative", None),
    "__abs__": ("absolute", "tf.math.abs", None),
    "__invert__": ("logical_not", "tf.math.logical_not", None),
}


def _make_dunder(fn_name, layer_name, swap):
    def raw():
        from kerastorch.ops import numpy as knp
        return getattr(knp, fn_name)._raw

    if swap is None:
        def unary(self):
            return symbolic_call(raw(), layer_name, (self,), {})
        unary.__name__ = f"__{fn_name}__"
        return unary

    def binary(self, other):
        if not isinstance(other, (KerasTensor, torch.Tensor, int, float, bool)) and \
                not hasattr(other, "__array__"):
            return NotImplemented
        args = (other, self) if swap else (self, other)
        return symbolic_call(raw(), layer_name, args, {})
    binary.__name__ = f"__{fn_name}__"
    return binary


def _take_item(x, key):
    return x[key]


def _getitem(self, key):
    return symbolic_call(_take_item, "tf.__operators__.getitem", (self, key), {})


@classmethod
def _kt_torch_function(cls, func, types, args=(), kwargs=None):
    """A torch function applied to a KerasTensor (e.g. `torch.relu(x)`) becomes a graph node."""
    name = getattr(func, "__name__", "op")
    return symbolic_call(func, f"tf.{name}", args, kwargs or {})
