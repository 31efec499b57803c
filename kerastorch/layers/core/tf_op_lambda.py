"""`TFOpLambda`: the layer that records one op called on KerasTensors (`x + y`, `ops.mean(x)`)."""

import importlib

import torch

from kerastorch import backend
from kerastorch import tree
from kerastorch.layers.layer import Layer
from kerastorch.ops.core import convert_to_tensor
from kerastorch.ops.core import meta_scope
from kerastorch.ops.symbolic import resolve_op_function
from kerastorch.tensor.keras_tensor import KerasTensor
from kerastorch.tensor.node import Node
from kerastorch.tensor.shapes import flatten_shapes
from kerastorch.tensor.shapes import map_shapes
from kerastorch.tensor.shapes import merge_shapes
from kerastorch.tensor.slot import Slot
from kerastorch.tensor.slot import fill
from kerastorch.tensor.slot import make_template


class TFOpLambda(Layer):
    """A graph node running one op (`x + y`, `ops.mean(x, axis=1)`, ...) on its inputs.

    `kerastorch.ops.symbolic.symbolic_call` makes one when an op gets a KerasTensor; the class
    name is the one Keras 2 gives such nodes, and `summary()` lists them.

    Args:
        function: the op, or the name a saved config gives it (a TensorFlow function as
            tf.keras 2 writes it, `"math.multiply"`, or a kerastorch op).
        template: its `(args, kwargs)`, with a `Slot(i)` where the i-th symbolic input goes;
            `None` for a layer loaded from a tf.keras 2 config (`call_node` sets it).
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
        """A layer of a saved model (tf.keras 2 or kerastorch): its call's arguments come from
        the node it is called with, `call_node(args, kwargs)`."""
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
        """Calls the layer symbolically as `function(*args, **kwargs)` (KerasTensors among
        them), as rebuilding a saved functional model does. A layer whose config held its call
        (kerastorch's) is called on the node's inputs."""
        if self.template is not None and not kwargs:
            return self(args[0])
        template, inputs = make_template(args, kwargs)
        self.template = template
        return self(inputs)

    def call(self, inputs):
        return self._run(inputs, self.template)

    def _run(self, inputs, template):
        args, kwargs = fill(template, inputs if isinstance(inputs, list) else [inputs])
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
            with meta_scope():  # tensors the op creates go to meta too
                return self._run(metas if isinstance(input_shape, list) else metas[0],
                                 meta_template)

        # constant tensors and arrays among the arguments go to `meta` too
        meta_template = tree.map_structure(_to_meta, self.template)

        first, second = run(2, 7), run(3, 11)
        shapes = merge_shapes(tree.map_structure(_shape_of, first),
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
        if isinstance(shapes, tuple) and all(d is None or isinstance(d, int) for d in shapes):
            outputs = KerasTensor(shapes, dtypes)
        else:
            flat_shapes = flatten_shapes(shapes)
            flat_dtypes = tree.flatten(dtypes)
            it = iter([KerasTensor(s, d) for s, d in zip(flat_shapes, flat_dtypes)])
            outputs = map_shapes(shapes, lambda s: next(it))
        Node(self, inputs, (), {}, outputs)
        return outputs

    def get_config(self):
        config = super().get_config()
        tf_name = getattr(self.function, "_keras2_name", None)
        config["function"] = tf_name or getattr(self.function, "__name__", str(self.function))
        module = getattr(self.function, "__module__", None) or ""
        if tf_name is None and module.split(".")[0] in ("kerastorch", "torch"):
            config["function_module"] = module
        template = _encode_template(self.template)
        if template is not None:  # the call, with slots for the node's inputs
            config["template"] = template
        return config


def _op_from_module(name, module, layer_name):
    """A kerastorch op (or torch function) a kerastorch-saved TFOpLambda names."""
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
        if type(v) is Slot:
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
            return Slot(v["__slot__"])
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
        return convert_to_tensor(v).to("meta")
    return v


def _shape_of(v):
    if isinstance(v, torch.Tensor):
        return tuple(v.shape)
    raise TypeError(f"An op on a KerasTensor returned a non-tensor value: {v!r}")


def _dtype_of(v):
    return str(v.dtype).replace("torch.", "")

