"""The functional graph at run time: a plan built once from a model's nodes, and its executor.

`GraphPlan.build(nodes, inputs, outputs)` turns the nodes of a graph (given in an order that
runs them, inputs first) into a list of `Step`s over a flat list of values, one slot per graph
tensor. The executor runs a plan:

- `run(plan, inputs, training)`: the forward of `Model.call` for functional and Sequential
  models, and of `to_torch()` / `export()` (through `plan.for_torch(...)`, the same steps
  calling each module's `forward`);
- `run_masked(plan, inputs, training, mask)`: the same steps with a Keras mask beside each value,
  taken only when a layer of the model makes masks (see `masked_call`).

Each step is one of three kinds, chosen when the plan is built:

- `CALL_ONE`:  `layer(x)`, one tensor and nothing else (most layers);
- `CALL_LIST`: `layer([x1, x2, ...])`, a list of tensors and nothing else (merge layers);
- `CALL_ANY`:  `layer(x, *args, **kwargs)`, anything else: tensors anywhere in the arguments,
  constants beside them, filled in by `kerastorch.tensor.slot.fill`.

A step frees the values whose last use it is, as a hand-written forward lets its temporaries go.
"""

import typing

from torch import nn

from kerastorch import tree
from kerastorch.layers.layer import Layer
from kerastorch.layers.merging.merging import Merge
from kerastorch.models import masked_call
from kerastorch.tensor.keras_tensor import KerasTensor
from kerastorch.tensor.slot import Slot
from kerastorch.tensor.slot import fill
from kerastorch.tensor.slot import slot_indices

CALL_ONE = 0
CALL_LIST = 1
CALL_ANY = 2
KIND_NAMES = {CALL_ONE: "CALL_ONE", CALL_LIST: "CALL_LIST", CALL_ANY: "CALL_ANY"}

_module_call = nn.Module.__call__
# Layers whose class keeps one of these calls run through torch's Module.__call__ directly in a
# CALL_ONE / CALL_LIST step, as a torch parent module calls its children (hooks still run): every
# layer of a graph is built and gets tensors, so Keras's conversions have nothing to do.
_PLAIN_LAYER_CALLS = (Layer.__call__, Merge.__call__)


class Step(typing.NamedTuple):
    """One layer call of a plan (a tuple: the executor unpacks it in this order)."""

    layer: object   # the layer (in a torch plan, the module) called
    call: object    # the function called as `call(layer, x, ...)`
    kind: int       # CALL_ONE, CALL_LIST or CALL_ANY
    spec: object    # CALL_ONE: a slot; CALL_LIST: a tuple of slots; CALL_ANY: (x, args, kwargs)
    single: bool    # one output tensor, stored at `outs`; else a structure, stored flat
    outs: object    # the output's slot, or the list of the outputs' slots
    frees: tuple    # slots whose last use is this step

    @property
    def kind_name(self):
        return KIND_NAMES[self.kind]


def _classify(x_spec, args, kwargs):
    """The kind of a call `layer(x_spec, *args, **kwargs)` and the spec its step keeps."""
    if type(x_spec) is Slot and not args and not kwargs:
        return CALL_ONE, x_spec.index
    if type(x_spec) is list and x_spec and not args and not kwargs and \
            all(type(v) is Slot for v in x_spec):
        return CALL_LIST, tuple(v.index for v in x_spec)
    return CALL_ANY, (x_spec, list(args), kwargs)


def _used_slots(kind, spec):
    if kind == CALL_ONE:
        return [spec]
    if kind == CALL_LIST:
        return list(spec)
    return slot_indices(spec)


def _with_frees(steps, keep):
    """`steps` with each value freed at its last use, except the slots in `keep`."""
    last_use = {}
    for i, step in enumerate(steps):
        for slot in _used_slots(step.kind, step.spec):
            last_use[slot] = i
    frees = [() for _ in steps]
    for slot, i in last_use.items():
        if slot not in keep:
            frees[i] += (slot,)
    return [step._replace(frees=f) for step, f in zip(steps, frees)]


class GraphPlan:
    """A graph's calls in run order, over a flat list of value slots; built once per graph.

    Attributes:
        steps: the `Step`s.
        num_slots: the number of values (one per graph tensor).
        input_slots, output_slots: the slots of the model's inputs and outputs (flat order).
        outputs_struct: the structure of the outputs (leaves None), to pack them.
        single_output: return one tensor (`outputs=y` or `outputs=[y]`, as Keras).
        single_io: one input and a single output (the fast path of `Model.call`).
        has_masks: some layer makes Keras masks: `Model.call` runs `run_masked`.
    """

    def __init__(self, steps, num_slots, input_slots, output_slots, outputs_struct,
                 single_output):
        self.steps = list(steps)
        self.num_slots = num_slots
        self.input_slots = list(input_slots)
        self.output_slots = list(output_slots)
        self.outputs_struct = outputs_struct
        self.single_output = single_output
        self.single_io = len(self.input_slots) == 1 and single_output
        self.has_masks = masked_call.produces_masks([step.layer for step in self.steps])

    @classmethod
    def build(cls, nodes, inputs, outputs, outputs_struct=None):
        """The plan of the graph from `inputs` to `outputs` (flat lists of KerasTensors), whose
        `nodes` are in an order that runs them (input nodes are skipped); `outputs_struct` is
        the structure `Model(inputs, outputs)` was given (default: the flat list)."""
        if outputs_struct is None:
            outputs_struct = list(outputs)
        slots = {}
        for t in inputs:
            slots[id(t)] = len(slots)
        input_slots = [slots[id(t)] for t in inputs]
        to_slot = lambda v: Slot(slots[id(v)]) if isinstance(v, KerasTensor) else v  # noqa: E731
        steps = []
        for node in nodes:
            if node.is_input:
                continue
            x_spec, args, kwargs = tree.map_structure(
                to_slot, (node.call_inputs, list(node.call_args), node.call_kwargs))
            for t in node.output_tensors:
                slots[id(t)] = len(slots)
            kind, spec = _classify(x_spec, args, kwargs)
            single = isinstance(node.outputs, KerasTensor)
            outs = slots[id(node.outputs)] if single else [slots[id(t)] for t in node.output_tensors]
            call = type(node.layer).__call__
            if kind != CALL_ANY and call in _PLAIN_LAYER_CALLS:
                call = _module_call
            steps.append(Step(node.layer, call, kind, spec, single, outs, ()))
        output_slots = [slots[id(t)] for t in outputs]
        # Keras returns a tensor, not a list of one, for `outputs=[y]`.
        single_output = isinstance(outputs_struct, KerasTensor) or (
            isinstance(outputs_struct, (list, tuple)) and len(outputs_struct) == 1
            and isinstance(outputs_struct[0], KerasTensor))
        return cls(_with_frees(steps, set(output_slots)), len(slots), input_slots, output_slots,
                   tree.map_structure(lambda t: None, outputs_struct), single_output)

    def for_torch(self, module_of):
        """The same plan calling `module_of(layer).forward` at each step, with no Keras
        `__call__` in the path: the plan of `to_torch()`. Keyword arguments `forward` would not
        take (`mask=` where `call` has none, `training=` unset or not taken) are dropped, as
        `Layer.__call__` drops them, so such steps become `CALL_ONE` / `CALL_LIST`."""
        steps = []
        for step in self.steps:
            layer, kind, spec = step.layer, step.kind, step.spec
            if kind == CALL_ANY:
                x_spec, args, kwargs = spec
                kwargs = {k: v for k, v in kwargs.items()
                          if not (k == "mask" and not layer._call_has_mask)
                          and not (k == "training" and (v is None or not layer._call_has_training))}
                kind, spec = _classify(x_spec, args, kwargs)
            module = module_of(layer)
            steps.append(step._replace(layer=module, call=type(module).forward, kind=kind,
                                       spec=spec))
        return GraphPlan(steps, self.num_slots, self.input_slots, self.output_slots,
                         self.outputs_struct, self.single_output)

    @property
    def layers(self):
        """The layers (or modules) called, one per step."""
        return [step.layer for step in self.steps]

    def __repr__(self):
        kinds = ", ".join(f"{getattr(s.layer, 'name', type(s.layer).__name__)}:{s.kind_name}"
                          for s in self.steps)
        return f"<GraphPlan {len(self.steps)} steps [{kinds}]>"


def _pack_outputs(plan, values):
    if plan.single_output:
        return values[plan.output_slots[0]]
    return tree.pack_sequence_as(plan.outputs_struct, [values[s] for s in plan.output_slots])


def run(plan, inputs, training=None, explain=None):
    """Runs `plan` on `inputs` (the flat input values, in the plan's input order).

    `training`, when not None, goes to each layer whose `call` takes it. On a RuntimeError or
    ValueError inside a layer, `explain(inputs, err, layer, x)` may raise a clearer error (it is
    given the failing layer and its first input) before the error propagates.
    """
    values = [None] * plan.num_slots
    for slot, value in zip(plan.input_slots, inputs):
        values[slot] = value
    pass_training = training is not None
    layer = x = None
    try:
        for layer, call, kind, spec, single, outs, frees in plan.steps:
            if kind == CALL_ONE:
                x = values[spec]
                if pass_training and layer._call_has_training:
                    y = call(layer, x, training=training)
                else:
                    y = call(layer, x)
            elif kind == CALL_LIST:
                x = [values[i] for i in spec]
                if pass_training and layer._call_has_training:
                    y = call(layer, x, training=training)
                else:
                    y = call(layer, x)
            else:
                x, args, kwargs = fill(spec, values)
                if pass_training and layer._call_has_training:
                    kwargs["training"] = training
                y = call(layer, x, *args, **kwargs)
            if single:
                values[outs] = y
            else:
                for slot, value in zip(outs, tree.flatten(y)):
                    values[slot] = value
            for slot in frees:
                values[slot] = None
    except (RuntimeError, ValueError) as err:
        if explain is not None:
            explain(inputs, err, layer, x)
        raise
    return _pack_outputs(plan, values)


def run_masked(plan, inputs, training=None, mask=None):
    """`run` with a Keras mask beside each value: each layer gets the mask of its input as
    `mask=` (and `<name>_mask=` for its other tensor arguments) and makes the mask of its output
    (`masked_call.call_with_mask`). `mask` is the inputs' mask (one, or a list per input); an
    input tensor's own `_keras_mask` is used where it is None."""
    values = [None] * plan.num_slots
    masks = [None] * plan.num_slots
    flat_masks = tree.flatten(mask) if isinstance(mask, (list, tuple)) else [mask] * len(inputs)
    for slot, value, m in zip(plan.input_slots, inputs, flat_masks):
        values[slot] = value
        masks[slot] = m if m is not None else getattr(value, "_keras_mask", None)
    mask_of = lambda v: masks[v.index] if type(v) is Slot else None  # noqa: E731
    call_with_mask = masked_call.call_with_mask
    for layer, call, kind, spec, single, outs, frees in plan.steps:
        if kind == CALL_ONE:
            y, out_mask = call_with_mask(layer, call, values[spec], masks[spec], training)
        elif kind == CALL_LIST:
            y, out_mask = call_with_mask(layer, call, [values[i] for i in spec],
                                         [masks[i] for i in spec], training)
        else:
            x_spec, arg_specs, kwarg_specs = spec
            extra = (masked_call.named_masks(layer, x_spec, arg_specs, kwarg_specs, mask_of)
                     if arg_specs or kwarg_specs else {})
            x, args, kwargs = fill(spec, values)
            if extra:
                kwargs.update(extra)
            in_mask = (mask_of(x_spec) if type(x_spec) is Slot else
                       [mask_of(v) for v in tree.flatten(x_spec)])
            y, out_mask = call_with_mask(layer, call, x, in_mask, training, args, kwargs)
        if single:
            values[outs] = y
            masks[outs] = out_mask if not isinstance(out_mask, (list, tuple)) else None
        else:
            flat_y = tree.flatten(y)
            flat_m = (tree.flatten(out_mask) if isinstance(out_mask, (list, tuple))
                      else [out_mask] * len(flat_y))
            for slot, value, m in zip(outs, flat_y, flat_m):
                values[slot] = value
                masks[slot] = m
        for slot in frees:
            values[slot] = masks[slot] = None
    return _pack_outputs(plan, values)
