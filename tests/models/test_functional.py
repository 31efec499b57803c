"""models/functional.py: the plan built once from a graph (its step kinds, slots and frees) and
the one executor that Model.call, the masked path and to_torch() run."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import layers
from kerastorch import ops
from kerastorch import tree
from kerastorch.models import functional
from kerastorch.models.functional import CALL_ANY
from kerastorch.models.functional import CALL_LIST
from kerastorch.models.functional import CALL_ONE
from kerastorch.models.functional import GraphPlan
from kerastorch.tensor import slot as slot_module


class Scale(layers.Layer):
    """`call(x, factors, offset=..., training=None)`: tensors in a list and a keyword, with
    constants beside them, so its node is a CALL_ANY step."""

    def call(self, inputs, factors, offset=None, training=None):
        a, b = factors
        y = inputs * a + b
        if offset is not None:
            y = y + offset
        return y + (1.0 if training else 0.0)

    def compute_output_shape(self, input_shape):
        return input_shape


class Split(layers.Layer):
    """Two outputs: the step stores a structure, flat, into two slots."""

    def call(self, inputs):
        return inputs[:, :2], inputs[:, 2:]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2), (input_shape[0], input_shape[1] - 2)


def mixed_graph():
    """A graph with every step kind: Dense (CALL_ONE), Add (CALL_LIST), Scale and an explicit
    `training=` call (CALL_ANY), a two-output layer and an op node."""
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    h = layers.Dense(4, name="h")(a)
    s = layers.Add(name="add")([h, b])
    t = Scale(name="scale")(s, [b, 0.5], offset=h)
    first, second = Split(name="split")(t)
    d = layers.Dropout(0.5, name="drop")(second, training=False)
    out1 = layers.Dense(3, name="out1")(first)
    out2 = ops.concatenate([d, out1 * 2.0], axis=-1)
    return keras.Model([a, b], {"y": out1, "z": out2})


def inputs_for(seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(3, 4, generator=g), torch.randn(3, 4, generator=g)]


def by_name(plan, name):
    return next(s for s in plan.steps if getattr(s.layer, "name", None) == name)


# ------------------------------------------------------------------ building the plan
def test_plan_names_the_kind_of_every_step():
    model = mixed_graph()
    plan = model._plan
    kinds = {s.layer.name: s.kind_name for s in plan.steps}
    assert kinds["h"] == kinds["out1"] == kinds["split"] == "CALL_ONE"
    assert kinds["add"] == "CALL_LIST"
    assert kinds["scale"] == kinds["drop"] == "CALL_ANY"
    assert by_name(plan, "add").kind == CALL_LIST and by_name(plan, "h").kind == CALL_ONE
    assert by_name(plan, "scale").kind == CALL_ANY
    # one step per non-input node, in the order the layers run
    assert [s.layer for s in plan.steps] == plan.layers
    assert len(plan.steps) == len([n for layer in model.layers for n in layer._inbound_nodes
                                   if not n.is_input])
    assert "scale:CALL_ANY" in repr(plan)


def test_plan_slots_point_at_the_producing_steps():
    model = mixed_graph()
    plan = model._plan
    assert plan.input_slots == [0, 1]
    h, add, scale, split = (by_name(plan, n) for n in ("h", "add", "scale", "split"))
    assert h.spec == 0 and add.spec == (h.outs, 1)
    x_spec, args, kwargs = scale.spec
    assert x_spec.index == add.outs
    assert [type(v).__name__ for v in args[0]] == ["Slot", "float"]
    assert args[0][0].index == 1 and args[0][1] == 0.5
    assert kwargs["offset"].index == h.outs
    assert not split.single and len(split.outs) == 2
    assert plan.num_slots == 2 + sum(1 if s.single else len(s.outs) for s in plan.steps)
    assert len(plan.output_slots) == 2 and not plan.single_output and not plan.single_io


def test_each_intermediate_value_is_freed_once_at_its_last_use_and_outputs_never():
    plan = mixed_graph()._plan
    freed = [slot for s in plan.steps for slot in s.frees]
    assert len(freed) == len(set(freed))
    assert not set(freed) & set(plan.output_slots)
    for i, step in enumerate(plan.steps):
        for slot in step.frees:
            assert slot in functional._used_slots(step.kind, step.spec)
            assert all(slot not in functional._used_slots(s.kind, s.spec)
                       for s in plan.steps[i + 1:])
    # every value is either an output or freed (inputs included)
    used = {slot for s in plan.steps for slot in functional._used_slots(s.kind, s.spec)}
    assert used - set(plan.output_slots) == set(freed)


@pytest.mark.parametrize("outputs, single", [
    (lambda y: y, True), (lambda y: [y], True), (lambda y: [y, y * 2.0], False),
    (lambda y: {"y": y}, False)])
def test_single_output_follows_keras(outputs, single):
    x = keras.Input((3,))
    y = layers.Dense(2)(x)
    model = keras.Model(x, outputs(y))
    assert model._plan.single_output is single
    assert model._plan.single_io is single
    out = model(torch.ones(2, 3))
    assert isinstance(out, torch.Tensor) is single


def test_plan_is_built_once_and_calls_do_not_rebuild_it(monkeypatch):
    model = mixed_graph()
    plan = model._plan

    def no_build(*args, **kwargs):
        raise AssertionError("GraphPlan.build during a call")

    monkeypatch.setattr(GraphPlan, "build", no_build)
    model(inputs_for())
    model(inputs_for(), training=True)
    assert model._plan is plan


def test_build_from_nodes_directly_matches_the_models_plan():
    model = mixed_graph()
    nodes = [n for depth in sorted(model._nodes_by_depth, reverse=True)
             for n in model._nodes_by_depth[depth]]
    plan = GraphPlan.build(nodes, model.inputs, model.outputs, model._outputs_struct)
    assert [(s.layer, s.kind, s.single, s.outs, s.frees) for s in plan.steps] == \
        [(s.layer, s.kind, s.single, s.outs, s.frees) for s in model._plan.steps]
    x = inputs_for()
    got = functional.run(plan, x)
    want = model(x)
    for k in ("y", "z"):
        torch.testing.assert_close(got[k], want[k], atol=0, rtol=0)


# ------------------------------------------------------------------ the executor
def test_call_one_and_call_list_steps_use_neither_fill_nor_map_structure(monkeypatch):
    inputs = keras.Input((4,))
    h = layers.Dense(4, activation="relu")(inputs)
    y = layers.Add()([layers.Dense(4)(h), inputs])
    model = keras.Model(inputs, layers.Dense(2)(y))
    assert {s.kind for s in model._plan.steps} == {CALL_ONE, CALL_LIST}
    x = torch.randn(5, 4)
    want = model(x)

    def boom(*args, **kwargs):
        raise AssertionError("structure walk on a simple step")

    monkeypatch.setattr(functional, "fill", boom)
    monkeypatch.setattr(tree, "map_structure", boom)
    monkeypatch.setattr(slot_module, "fill", boom)
    torch.testing.assert_close(model(x), want, atol=0, rtol=0)


def test_call_any_fills_tensors_and_keeps_constants():
    a = keras.Input((4,))
    b = keras.Input((4,))
    y = Scale()(a, [b, 0.5], offset=a)
    model = keras.Model([a, b], y)
    xa, xb = inputs_for()
    torch.testing.assert_close(model([xa, xb]), xa * xb + 0.5 + xa, atol=0, rtol=0)
    # the model's training flag reaches a CALL_ANY step through its `training` argument
    torch.testing.assert_close(model([xa, xb], training=True), xa * xb + 0.5 + xa + 1.0,
                               atol=0, rtol=0)


def test_executor_parity_model_call_masked_path_and_to_torch():
    model = mixed_graph()
    x = inputs_for()
    with torch.no_grad():
        plain = model(x)
        direct = functional.run(model._plan, x)
        masked = functional.run_masked(model._plan, x)
        torch_module = model.to_torch().eval()
        exported = torch_module(*x)
    for k in ("y", "z"):
        for other in (direct, masked, exported):
            torch.testing.assert_close(other[k], plain[k], atol=0, rtol=0)
    assert set(plain) == set(masked) == set(exported) == {"y", "z"}


def test_a_masking_model_runs_the_masked_loop_and_masks_reach_the_next_layer(monkeypatch):
    inputs = keras.Input((5,), dtype="int32")
    e = layers.Embedding(7, 3, mask_zero=True)(inputs)
    pooled = layers.GlobalAveragePooling1D()(e)
    model = keras.Model(inputs, layers.Dense(2)(pooled))
    assert model._plan.has_masks and model._has_masks
    x = torch.tensor([[1, 2, 0, 0, 0], [3, 4, 5, 6, 0]])

    def plain_run(*args, **kwargs):
        raise AssertionError("the plain loop ran a model that makes masks")

    monkeypatch.setattr(functional, "run", plain_run)
    got = model(x)
    embedded = model.layers[1](x)
    mask = (x != 0).unsqueeze(-1).float()
    want = model.layers[-1]((embedded * mask).sum(1) / mask.sum(1))
    torch.testing.assert_close(got, want, atol=1e-6, rtol=1e-6)
    unmasked = model.layers[-1](embedded.mean(1))  # what ignoring the mask would give
    assert not torch.allclose(unmasked, got, atol=1e-6, rtol=1e-6)


def test_torch_plan_drops_the_keywords_forward_would_not_take():
    x = keras.Input((4,))
    h = layers.Dense(4, name="d")(x, training=None)
    y = layers.Dropout(0.5, name="drop")(h, training=True)
    model = keras.Model(x, y)
    kinds = {s.layer.name: s.kind_name for s in model._plan.steps}
    assert kinds == {"d": "CALL_ANY", "drop": "CALL_ANY"}
    torch_plan = model.to_torch()._plan
    by_module = {s.layer.name: s for s in torch_plan.steps}
    assert by_module["d"].kind_name == "CALL_ONE"           # training=None dropped
    assert by_module["drop"].kind_name == "CALL_ANY"        # training=True kept
    assert by_module["drop"].spec[2] == {"training": True}
    assert all(s.call is type(s.layer).forward for s in torch_plan.steps)
    # same slots and frees as the model's plan
    assert [(s.outs, s.frees) for s in torch_plan.steps] == \
        [(s.outs, s.frees) for s in model._plan.steps]


def test_explain_gets_the_failing_layer_and_its_input():
    x = keras.Input((4,))
    model = keras.Model(x, layers.Dense(2, name="d2")(layers.Dense(3, name="d1")(x)))
    seen = []
    bad = torch.ones(2, 5)

    def explain(inputs, err, layer, value):
        seen.append((inputs, type(err), layer.name, tuple(value.shape)))

    with pytest.raises(RuntimeError):
        functional.run(model._plan, (bad,), explain=explain)
    assert seen == [((bad,), RuntimeError, "d1", (2, 5))]
    with pytest.raises(ValueError, match='Input 0 of layer "'):
        model(bad)


def test_sequential_plan_follows_pop_and_to_torch_runs_it():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(5), layers.Dense(2)])
    model.pop()
    assert [s.layer for s in model._plan.steps] == model.layers
    x = torch.randn(2, 4)
    torch.testing.assert_close(model.to_torch()(x), model(x), atol=0, rtol=0)
    assert tuple(model.to_torch()(x).shape) == (2, 5)


def test_nested_model_step_is_a_plain_module_call_and_runs_its_own_plan():
    inner_in = keras.Input((4,))
    inner = keras.Model(inner_in, layers.Dense(3)(inner_in), name="inner")
    x = keras.Input((4,))
    model = keras.Model(x, layers.Dense(1)(inner(x)))
    step = by_name(model._plan, "inner")
    assert step.kind == CALL_ONE and step.call is torch.nn.Module.__call__
    xs = torch.randn(2, 4)
    np.testing.assert_allclose(model(xs).detach().numpy(),
                               model.layers[-1](inner(xs)).detach().numpy(), atol=0)


def test_export_runs_the_models_own_plan_through_for_torch(tmp_path, monkeypatch):
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    h = layers.Dense(4, name="h")(a)                       # CALL_ONE
    s = layers.Add(name="add")([h, b])                     # CALL_LIST
    y = Scale(name="scale")(s, [b, 0.5], offset=h)         # CALL_ANY
    model = keras.Model([a, b], y)
    seen = []
    for_torch = GraphPlan.for_torch

    def recording(plan, module_of):
        seen.append(plan)
        return for_torch(plan, module_of)

    def no_build(*args, **kwargs):
        raise AssertionError("export rebuilt the plan")

    monkeypatch.setattr(GraphPlan, "for_torch", recording)
    monkeypatch.setattr(GraphPlan, "build", no_build)
    path = model.export(tmp_path / "model.pt2")
    assert seen == [model._plan]
    x = [v[:2] for v in inputs_for(4)]  # the export's example inputs have batch 2
    with torch.no_grad():
        want = model(x)
    got = torch.export.load(path).module()(*x)
    torch.testing.assert_close(got, want, atol=1e-6, rtol=1e-6)
