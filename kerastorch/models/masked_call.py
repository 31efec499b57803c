"""Running a model's layers with Keras masks: the path a model takes only when one of its layers
makes masks (`Embedding(mask_zero=True)`, `Masking`, a custom layer with its own `compute_mask`).

As in Keras, a layer receives the mask of its first input as `mask=` when its `call` takes one,
and a layer with `supports_masking` hands `compute_mask(inputs, mask)` to the next layers; the
mask is also set on each output tensor as `_keras_mask`. Models without such layers never come
here, so their forward pays nothing for masking.
"""

import inspect

from kerastorch import tree
from kerastorch.layers.layer import Layer

_CALL_PARAMS = {}


def _call_params(layer):
    """The names of `layer.call`'s arguments (after `self`), once per class."""
    cls = type(layer)
    params = _CALL_PARAMS.get(cls)
    if params is None:
        try:
            params = list(inspect.signature(cls.call).parameters)[1:]
        except (TypeError, ValueError):
            params = []
        _CALL_PARAMS[cls] = params
    return params


def _named_masks(layer, x_spec, arg_specs, kwarg_specs, mask_of):
    """Keras 3's rule for a call with several tensor arguments: `<name>_mask` receives the mask
    of argument `<name>` (e.g. MultiHeadAttention's `query_mask`, `value_mask`)."""
    params = _call_params(layer)
    named = dict(zip(params, [x_spec] + list(arg_specs)))
    named.update(kwarg_specs)
    out = {}
    for name, spec in named.items():
        key = f"{name}_mask"
        if key in params and key not in kwarg_specs:
            m = mask_of(spec)
            if m is not None:
                out[key] = m
    return out


def produces_masks(layers):
    """True when running `layers` can give a mask: a layer that makes one from its input."""
    for layer in layers:
        if getattr(layer, "mask_zero", False) is True:
            return True
        if type(layer).__name__ == "Lambda" and getattr(layer, "mask", None) is not None:
            return True
        compute = getattr(type(layer), "compute_mask", None)
        if compute is None or compute is Layer.compute_mask:
            continue
        module = getattr(compute, "__module__", "") or ""
        if type(layer).__name__ == "Masking" or not module.startswith("kerastorch."):
            return True
        if getattr(layer, "_has_masks", False):  # a nested model making masks
            return True
    return False


def _set_mask(outputs, masks):
    flat_out = tree.flatten(outputs)
    flat_masks = tree.flatten(masks) if masks is not None else []
    if len(flat_masks) != len(flat_out):
        flat_masks = [masks if not isinstance(masks, (list, tuple)) else None] * len(flat_out)
    for t, m in zip(flat_out, flat_masks):
        if m is not None and hasattr(t, "shape"):
            try:
                t._keras_mask = m
            except (AttributeError, RuntimeError):
                pass


def _call_layer(layer, call, x, mask, training, args=(), kwargs=None):
    kwargs = dict(kwargs or {})
    if training is not None and layer._call_has_training:
        kwargs["training"] = training
    has_mask = mask is not None and not (isinstance(mask, (list, tuple)) and
                                         all(m is None for m in mask))
    if has_mask and layer._call_has_mask and kwargs.get("mask") is None:
        kwargs["mask"] = mask
    y = call(layer, x, *args, **kwargs) if call is not None else layer(x, *args, **kwargs)
    out_mask = None
    # Keras 3 counts a layer with its own compute_mask as supporting masks.
    if layer.supports_masking or type(layer).compute_mask is not Layer.compute_mask:
        out_mask = layer.compute_mask(x, mask if has_mask else None)
    if out_mask is not None:
        _set_mask(y, out_mask)
    return y, out_mask


def run_chain(model, inputs, training, mask=None):
    """A Sequential model's layers in order, each given the mask the one before it made."""
    x = inputs
    for layer in model._stack:
        x, mask = _call_layer(layer, None, x, mask, training)
    return x


def run_graph(model, inputs, training, mask=None):
    """A functional model's precomputed plan, with a mask beside each value."""
    from kerastorch.models.model import _Slot
    values = [None] * model._num_slots
    masks = [None] * model._num_slots
    flat = ([inputs] if model._single_io and not isinstance(inputs, (list, tuple, dict))
            else model._flatten_inputs(inputs))
    flat_masks = tree.flatten(mask) if isinstance(mask, (list, tuple)) else [mask] * len(flat)
    for slot, value, m in zip(model._input_slots, flat, flat_masks):
        values[slot] = value
        masks[slot] = m if m is not None else getattr(value, "_keras_mask", None)
    for layer, call, spec, kind, single, outs, _ in model._steps:
        if kind == 0:
            y, out_mask = _call_layer(layer, call, values[spec], masks[spec], training)
        elif kind == 1:
            y, out_mask = _call_layer(layer, call, [values[i] for i in spec],
                                      [masks[i] for i in spec], training)
        else:
            x_spec, args, kwargs = spec
            fill = lambda v: values[v.index] if isinstance(v, _Slot) else v  # noqa: E731
            fill_mask = lambda v: masks[v.index] if isinstance(v, _Slot) else None  # noqa: E731
            extra = (_named_masks(layer, x_spec, args, kwargs, fill_mask)
                     if args or kwargs else {})
            x, args, kwargs = tree.map_structure(fill, (x_spec, list(args), kwargs))
            if extra:
                kwargs = dict(kwargs, **extra)
            in_mask = (fill_mask(x_spec) if isinstance(x_spec, _Slot) else
                       [fill_mask(v) for v in tree.flatten(x_spec)])
            y, out_mask = _call_layer(layer, None, x, in_mask, training, args, kwargs)
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
    if model._single_output:
        return values[model._output_slots[0]]
    return tree.pack_sequence_as(model._outputs_struct, [values[s] for s in model._output_slots])
