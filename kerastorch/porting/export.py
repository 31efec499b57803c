"""Leaving for plain torch: `to_torch(model)` (an `nn.Module` running the model's graph with
each layer's `forward` called directly) and `export_onnx(model, "model.onnx")`.

Both back `Model.to_torch()` and `Model.export()`.
"""

import importlib.util
import os

import torch
from torch import nn

from kerastorch.models import functional


class TorchModel(nn.Module):
    """A kerastorch graph model as a plain `nn.Module`.

    It holds the model's own layers under the model's own child names, so its `state_dict()`
    keys and tensors are the model's (shared, not copied), and its `forward(*inputs)` runs the
    model's plan (`kerastorch.models.functional`) calling each layer's `forward` directly: no
    Keras `__call__` (input conversion, building, symbolic dispatch) in the call path. Nested
    graph models become nested `TorchModel`s. Inputs must be torch tensors of the model's dtype.

    Example:
        >>> module = model.to_torch()
        >>> torch.compile(module)(torch.ones(2, 4))
    """

    def __init__(self, model):
        super().__init__()
        self.name = model.name
        if not getattr(model, "_is_graph_network", False):
            raise ValueError(f"to_torch() needs a built Sequential or functional model; model "
                             f"{model.name!r} has no graph (build it, or call it once).")
        modules = {}
        for name, child in model.named_children():
            module = to_torch_module(child)
            self.add_module(name, module)
            modules[id(child)] = module

        def module_of(layer):
            if id(layer) not in modules:  # used by the graph, not a child of the model
                module = to_torch_module(layer)
                self.add_module(f"_layer_{len(modules)}", module)
                modules[id(layer)] = module
            return modules[id(layer)]

        self._plan = model._plan.for_torch(module_of)
        self.input_names = list(model._input_names)
        self.training = model.training

    def forward(self, *inputs):
        if len(inputs) == 1 and len(self._plan.input_slots) > 1:
            inputs = inputs[0]
            if isinstance(inputs, dict):
                inputs = [inputs[name] for name in self.input_names]
        return functional.run(self._plan, inputs)

    def extra_repr(self):
        return f"name={self.name!r}, steps={len(self._plan.steps)}"


def to_torch_module(layer):
    """`layer` itself, or a `TorchModel` for a graph model."""
    if getattr(layer, "_is_graph_network", False):
        return TorchModel(layer)
    return layer


def to_torch(model):
    """The model as a plain `nn.Module` (see `TorchModel`); accepted by `torch.compile` and
    `torch.export`. Shares the model's parameters."""
    return TorchModel(model)


def example_inputs(model, batch_size=2):
    """Zero tensors shaped as the model's inputs (unknown sizes -> `batch_size` / 8)."""
    out = []
    for t in model.inputs:
        shape = tuple(batch_size if i == 0 and d is None else (8 if d is None else d)
                      for i, d in enumerate(t.shape))
        out.append(torch.zeros(shape, dtype=_torch_dtype(t.dtype)))
    return tuple(out)


def _torch_dtype(name):
    from kerastorch import backend
    return backend.to_torch_dtype(name)


def export_onnx(model, filepath, input_signature=None, opset_version=None, verbose=None,
                dynamic_batch=True, **kwargs):
    """Exports `model` to an ONNX file with `torch.onnx.export` (dynamo exporter).

    Args:
        model: a built kerastorch Sequential or functional model.
        filepath: where to write, e.g. `"model.onnx"`.
        input_signature: example input tensors (default: zeros shaped like `model.inputs`).
        opset_version: the ONNX opset (default: torch's).
        verbose: print the exporter's report.
        dynamic_batch: make the batch dimension dynamic when the model's inputs leave it None.

    Needs the `onnx` and `onnxscript` packages (`pip install kerastorch[onnx]`).
    """
    missing = [m for m in ("onnx", "onnxscript") if importlib.util.find_spec(m) is None]
    if missing:
        raise ImportError(f"Exporting to ONNX needs the packages {missing} "
                          "(`pip install onnx onnxscript`, or `pip install kerastorch[onnx]`); "
                          "onnxruntime is needed to run the exported file.")
    module = to_torch(model).eval()
    args = tuple(input_signature) if input_signature is not None else example_inputs(model)
    args = tuple(a if isinstance(a, torch.Tensor) else torch.as_tensor(a) for a in args)
    input_names = [n for n in model._input_names]
    dynamic_shapes = None
    if dynamic_batch and any(t.shape[0] is None for t in model.inputs):
        batch = torch.export.Dim("batch")
        # forward(*inputs): one variadic parameter holding every input.
        dynamic_shapes = (tuple({0: batch} if t.shape[0] is None else None
                                for t in model.inputs),)
    output_names = [t.name or f"output_{i}" for i, t in enumerate(model.outputs)]
    if len(set(output_names)) != len(output_names) or any(n in input_names for n in output_names):
        output_names = [f"output_{i}" for i in range(len(model.outputs))]
    filepath = os.fspath(filepath)
    torch.onnx.export(module, args, filepath, input_names=input_names, output_names=output_names,
                      opset_version=opset_version, dynamo=True, dynamic_shapes=dynamic_shapes,
                      verbose=bool(verbose), external_data=False, **kwargs)
    return filepath


def export_model(model, filepath, format=None, verbose=None, input_signature=None, **kwargs):
    """`Model.export`: `format="onnx"` (the default for a `.onnx` path) or `"torch_export"`
    (a `torch.export` program saved with `torch.export.save`, default for `.pt2`)."""
    path = os.fspath(filepath)
    if format is None:
        format = {".onnx": "onnx", ".pt2": "torch_export"}.get(os.path.splitext(path)[1].lower())
    if format == "onnx":
        return export_onnx(model, path, input_signature=input_signature, verbose=verbose, **kwargs)
    if format == "torch_export":
        module = to_torch(model).eval()
        args = tuple(input_signature) if input_signature is not None else example_inputs(model)
        program = torch.export.export(module, args, **kwargs)
        torch.export.save(program, path)
        return path
    raise ValueError(f"Unrecognized format={format!r} for export to {path!r}: kerastorch exports "
                     "format='onnx' (.onnx) and format='torch_export' (.pt2). Keras's "
                     "'tf_saved_model' and 'openvino' formats are not supported.")
