"""`TFOpLambda`: the layer that records one op called on KerasTensors (`x + y`, `ops.mean(x)`)."""

import torch

from kerastorch import backend
from kerastorch import tree
from kerastorch.layers.layer import Layer
from kerastorch.ops.core import convert_to_tensor
from kerastorch.ops.core import meta_scope
from kerastorch.tensor.keras_tensor import KerasTensor
from kerastorch.tensor.node import Node
from kerastorch.tensor.shapes import flatten_shapes
from kerastorch.tensor.shapes import map_shapes
from kerastorch.tensor.shapes import merge_shapes
from kerastorch.tensor.slot import fill


class TFOpLambda(Layer):
    """A graph node running one op (`x + y`, `ops.mean(x, axis=1)`, ...) on its inputs.

    `kerastorch.ops.symbolic.symbolic_call` makes one when an op gets a KerasTensor; the class
    name is the one Keras 2 gives such nodes, and `summary()` lists them.

    Args:
        function: the op.
        template: its `(args, kwargs)`, with a `Slot(i)` where the i-th symbolic input goes.
    """

    def __init__(self, function, template, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.template = template
        self.built = True
        self._out_dtypes = None

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
        config["function"] = getattr(self.function, "__name__", str(self.function))
        return config


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

