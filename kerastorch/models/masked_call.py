"""Running a model's layers with Keras masks: the path a model takes only when one of its layers
makes masks (`Embedding(mask_zero=True)`, `Masking`, a custom layer with its own `compute_mask`).

As in Keras, a layer receives the mask of its first input as `mask=` when its `call` takes one,
and a layer with `supports_masking` hands `compute_mask(inputs, mask)` to the next layers; the
mask is also set on each output tensor as `_keras_mask`. Models without such layers never come
here, so their forward pays nothing for masking.

A functional model's masked run is `kerastorch.models.functional.run_masked`, the executor's
mask-carrying loop over the same plan; it calls each layer through `call_with_mask`.
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


def named_masks(layer, x_spec, arg_specs, kwarg_specs, mask_of):
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


def call_with_mask(layer, call, x, mask, training, args=(), kwargs=None):
    """Calls `layer` (through `call(layer, ...)` when given) with the mask of its input and
    returns `(outputs, output_mask)`; the output mask is also set on the outputs."""
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
        x, mask = call_with_mask(layer, None, x, mask, training)
    return x
