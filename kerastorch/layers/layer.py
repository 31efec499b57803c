"""Layer: a `torch.nn.Module` with Keras's naming, lazy build, trainable flag and weights."""

import inspect
import re

import numpy as np
import torch
from torch import nn

from kerastorch import backend
from kerastorch import constraints
from kerastorch import initializers
from kerastorch import regularizers
from kerastorch import tree
from kerastorch.layers.input_spec import InputSpec  # noqa: F401 (also layer.InputSpec)
from kerastorch.layers.input_spec import check_input_spec
from kerastorch.tensor.keras_tensor import KerasTensor
from kerastorch.tensor.node import Node
from kerastorch.tensor.shapes import flatten_shapes
from kerastorch.tensor.shapes import map_shapes
from kerastorch.tensor.shapes import merge_shapes
from kerastorch.utils import naming
from kerastorch.variables import LayerVariable
from kerastorch.variables import Variable

_Tensor = torch.Tensor

# Positional order of `add_weight` in Keras 3, and in Keras 2 (where the name comes first).
_KERAS3_WEIGHT_ARGS = ("shape", "initializer", "dtype", "trainable", "autocast", "regularizer",
                       "constraint", "aggregation", "overwrite_with_gradient", "name")
_KERAS2_WEIGHT_ARGS = ("name", "shape", "dtype", "initializer", "regularizer", "trainable",
                       "constraint")

# Keyword arguments every Keras layer accepts besides its own.
BASE_KWARGS = ("input_shape", "batch_input_shape", "batch_size", "input_dim", "weights",
               "autocast", "dynamic", "implementation")


def to_snake_case(name):
    """A layer's name prefix: its class name in snake case, "private" before a leading "_"."""
    return naming.to_snake_case(name, private_prefix=True)


class Layer(nn.Module):
    """Base class of all layers: a `torch.nn.Module` that behaves as a Keras layer.

    Subclasses store their configuration in `__init__`, create weights in `build(input_shape)`
    with `add_weight`, and compute in `call(inputs, training=None)`. Weights live on the module
    as `nn.Parameter`s (or buffers), so `state_dict()`, `.to(device)` and optimizers just work.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: the layer's name; by default the snake-cased class name plus a counter.
        dtype: the dtype of the layer's weights (default `keras.backend.floatx()`).
        input_shape: the shape of one sample, to build the layer (and a Sequential) early.
    """

    _call_has_training = False
    _call_has_mask = False
    _call_first_arg = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "call" in cls.__dict__:
            cls.forward = cls.__dict__["call"]
        call = getattr(cls, "call", None)
        if call is not None:
            params = inspect.signature(call).parameters
            cls._call_has_training = "training" in params or any(
                p.kind is p.VAR_KEYWORD for p in params.values())
            cls._call_has_mask = "mask" in params
            positional = [n for n, p in params.items() if n != "self" and p.kind in (
                p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            cls._call_first_arg = positional[0] if positional else None
        # A user layer that takes or makes masks (its own `call(..., mask=None)` or
        # `compute_mask`) reads and sets `_keras_mask` on tensors when called directly, as in
        # Keras 3; every other layer keeps the plain `__call__` and pays nothing.
        cls._user_compute_mask = _defined_by_user(getattr(cls, "compute_mask", None))
        user_mask_call = cls._call_has_mask and _defined_by_user(call)
        if (cls._user_compute_mask or user_mask_call) and cls.__call__ is Layer.__call__:
            cls.__call__ = _call_with_keras_mask

    def __init__(self, trainable=True, name=None, dtype=None, activity_regularizer=None,
                 **kwargs):
        unknown = [k for k in kwargs if k not in BASE_KWARGS]
        if unknown:
            raise TypeError(f"Keyword argument not understood: {unknown[0]!r} "
                            f"(passed to {type(self).__name__})")
        super().__init__()
        self.training = False  # Keras layers run in inference mode unless told otherwise.
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Argument `name` must be a string. Received: name={name!r}")
        prefix = type(self).__dict__.get("_auto_name_prefix") or to_snake_case(type(self).__name__)
        self._name = name or backend.unique_object_name(prefix)
        self._trainable = bool(trainable)
        self._dtype = backend.standardize_dtype(dtype.get("config", {}).get("name")
                                                if isinstance(dtype, dict) else dtype)
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._keras_weights = []
        self._inbound_nodes = []
        self._build_input_shape = None
        batch_input_shape = kwargs.get("batch_input_shape")
        if batch_input_shape is None and kwargs.get("input_shape") is not None:
            batch_input_shape = (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
        if batch_input_shape is None and kwargs.get("input_dim") is not None:
            batch_input_shape = (kwargs.get("batch_size"), kwargs["input_dim"])
        self._batch_input_shape = tuple(batch_input_shape) if batch_input_shape is not None else None
        self._initial_weights = kwargs.get("weights")
        self._added_losses = []
        if activity_regularizer is not None:
            self.activity_regularizer = activity_regularizer

    def __setattr__(self, name, value):
        if isinstance(value, Variable):
            if not isinstance(value, LayerVariable):  # a standalone keras.Variable
                value._track_on(self, name)
            # add_weight() registered the tensor already; this attribute is a second handle.
            self.__dict__.pop(name, None) if name in self._parameters else None
            object.__setattr__(self, name, value)
            return
        if name.startswith("_"):
            pass  # internal bookkeeping (e.g. a model's `_layers`), not user structure
        elif type(value) in (list, tuple) and value and all(isinstance(v, nn.Module)
                                                             for v in value):
            value = nn.ModuleList(value)  # Keras tracks lists of layers: their weights count
        elif type(value) is dict and value and all(
                isinstance(k, str) and isinstance(v, nn.Module) for k, v in value.items()):
            value = nn.ModuleDict(value)
        super().__setattr__(name, value)

    # ---------------------------------------------------------------- identity
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def variable_dtype(self):
        return self._dtype

    @property
    def compute_dtype(self):
        return self._dtype

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    # ---------------------------------------------------------------- weights
    def add_weight(self, *args, torch_name=None, layout=None, buffer=False, **kwargs):
        """Creates a weight of Keras shape `shape` and returns its `Variable`.

        Keras 3's order `add_weight(shape, initializer, dtype, trainable, ...)` and Keras 2's
        `add_weight(name, shape, dtype, initializer, regularizer, trainable, constraint)` (a
        string first) are both accepted, as are keywords. Built-in layers keep the tensor in
        torch's layout: `torch_name` is the attribute it is registered as and `layout` the
        permutation from that layout to Keras's.
        """
        order = _KERAS2_WEIGHT_ARGS if args and isinstance(args[0], str) else _KERAS3_WEIGHT_ARGS
        if len(args) > len(order):
            raise TypeError(f"add_weight() takes at most {len(order)} positional arguments but "
                            f"{len(args)} were given.")
        for key, value in zip(order, args):
            if key in kwargs:
                raise TypeError(f"add_weight() got multiple values for argument {key!r}")
            kwargs[key] = value
        shape, initializer, dtype = (kwargs.pop(k, None) for k in ("shape", "initializer", "dtype"))
        regularizer, constraint, name = (kwargs.pop(k, None)
                                         for k in ("regularizer", "constraint", "name"))
        trainable = kwargs.pop("trainable", True)
        trainable = True if trainable is None else trainable
        shape = tuple(int(d) for d in (shape or ()))
        dtype = backend.to_torch_dtype(dtype or self._dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating_point else "zeros"
        name = name or "variable"
        init = initializers.get(initializer)
        with torch.no_grad():
            value = init(shape, dtype=dtype) if not isinstance(init, initializers.Initializer) \
                else init(shape, dtype=dtype)
            value = torch.as_tensor(value, dtype=dtype)
        if layout is not None:
            value = value.permute(tuple(int(i) for i in np.argsort(layout))).contiguous()
        attr = torch_name or self._free_attr_name(name)
        if buffer:
            self.register_buffer(attr, value)
        else:
            param = nn.Parameter(value, requires_grad=bool(trainable) and self._trainable)
            self.register_parameter(attr, param)
        var = LayerVariable(self, attr, name, layout=layout,
                            trainable=bool(trainable) and not buffer)
        var.regularizer = regularizers.get(regularizer)
        var.constraint = constraints.get(constraint)
        self._keras_weights.append(var)
        return var

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True,
                     regularizer=None, constraint=None, name=None):
        """Keras 3's name for `add_weight`: creates a weight and returns its `Variable`."""
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype,
                               trainable=trainable, regularizer=regularizer,
                               constraint=constraint, name=name)

    def _free_attr_name(self, name):
        base = re.sub(r"\W", "_", name)
        if not base.isidentifier():
            base = "w_" + base
        candidate, i = base, 1
        while hasattr(self, candidate):
            candidate, i = f"{base}_{i}", i + 1
        return candidate

    def _tracked_weights(self, seen):
        out = []
        for var in self._keras_weights:
            key = (id(var._layer), var._attr)
            if key not in seen:
                seen.add(key)
                out.append(var)
        for child in self._children_for_weights():
            out.extend(module_weights(child, seen))
        return out

    def _children_for_weights(self):
        return self._modules.values()

    def _check_weights_available(self):
        pass

    @property
    def weights(self):
        """All weights, in Keras's order: this layer's, then its sublayers'."""
        self._check_weights_available()
        return self._tracked_weights(set())

    @property
    def variables(self):
        return self.weights

    @property
    def trainable_weights(self):
        return [w for w in self.weights if w.trainable]

    @property
    def non_trainable_weights(self):
        return [w for w in self.weights if not w.trainable]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self):
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights):
        """Sets the weights from numpy arrays in Keras's layout and order (all or nothing)."""
        own = self.weights
        weights = list(weights)
        if len(weights) != len(own):
            raise ValueError(f'You called `set_weights(weights)` on layer "{self.name}" with a '
                             f"weight list of length {len(weights)}, but the layer was expecting "
                             f"{len(own)} weights.")
        arrays = []
        for var, value in zip(own, weights):
            value = np.asarray(value)
            if tuple(value.shape) != var.shape:
                raise ValueError(f"Layer {self.name} weight shape {var.shape} is not compatible "
                                 f"with provided weight shape {tuple(value.shape)} "
                                 f"(weight {var.path}).")
            arrays.append(value)
        for var, value in zip(own, arrays):
            var.assign(torch.as_tensor(value, dtype=var.torch_tensor.dtype))

    def count_params(self):
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the "
                             f"layer isn't built. You can build it manually via: "
                             f"`layer.build(input_shape)`.")
        return int(sum(int(np.prod(w.shape)) for w in self.weights))

    # ---------------------------------------------------------------- losses
    def add_loss(self, loss):
        """Adds a loss tensor (e.g. an activity penalty) to be summed into the training loss."""
        self._added_losses.append(loss)

    @property
    def losses(self):
        """Losses of this layer and its sublayers: weight-regularization penalties, computed
        from the current weights, then the losses added by `add_loss` during the last call."""
        out = []
        adders = []
        for module in self.modules():
            if isinstance(module, Layer):
                for var in module._keras_weights:
                    if getattr(var, "regularizer", None) is not None:
                        out.append(var.regularizer(var.value))
                if module._added_losses:
                    out.extend(module._added_losses)
                    adders.append(module)
        if adders:
            self._watch_added_losses(adders)
        return out

    def _watch_added_losses(self, adders):
        # Keras drops the add_loss terms of the last call when the outermost call starts. Once
        # `losses` has been read here (a loop summing `model.losses`), this layer's calls start
        # by clearing the layers that add them; layers nobody reads from pay nothing.
        known = self.__dict__.get("_kt_loss_adders")
        if known is None:
            self.__dict__["_kt_loss_adders"] = list(adders)
            self.register_forward_pre_hook(_clear_added_losses_hook)
        else:
            known.extend(m for m in adders if all(m is not k for k in known))

    def _clear_losses(self):
        for module in self.modules():
            if isinstance(module, Layer) and module._added_losses:
                module._added_losses = []

    def __getstate__(self):
        # Losses added by the last call hold autograd graphs: not copied by deepcopy/pickle.
        state = self.__dict__.copy()
        state["_added_losses"] = []
        return state

    @property
    def activity_regularizer(self):
        return self.__dict__.get("_activity_regularizer")

    @activity_regularizer.setter
    def activity_regularizer(self, value):
        # A forward hook, installed only when a regularizer is set, adds the penalty after each
        # call: layers without one keep the hook-free fast path.
        value = regularizers.get(value)
        handle = self.__dict__.pop("_activity_hook", None)
        if handle is not None:
            handle.remove()
        self.__dict__["_activity_regularizer"] = value
        if value is not None:
            self.__dict__["_activity_hook"] = self.register_forward_hook(
                regularizers.add_activity_loss)

    # ---------------------------------------------------------------- trainable
    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        for module in self.modules():
            if isinstance(module, Layer):
                module._trainable = value
                for var in module._keras_weights:
                    t = var.torch_tensor
                    if isinstance(t, nn.Parameter):
                        t.requires_grad_(value and var._trainable)
        for param in self.parameters():
            if not value:
                param.requires_grad_(False)
        if value:
            for module in self.modules():
                if not isinstance(module, Layer):
                    for param in module.parameters(recurse=False):
                        param.requires_grad_(True)

    # ---------------------------------------------------------------- build and call
    def build(self, input_shape):
        """Creates the weights from the input shape; layers without weights need not override."""
        self.built = True

    def _maybe_build(self, input_shape):
        if self.built:
            return
        self._build_input_shape = input_shape
        self.build(input_shape)
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def compute_output_shape(self, input_shape):
        """Output shape for `input_shape`; by default found by running the layer on `meta`."""
        return _infer_output_shape(self, input_shape)

    def compute_mask(self, inputs, mask=None):
        return mask if self.supports_masking else None

    def __call__(self, *args, **kwargs):
        x = args[0] if args else None
        if not kwargs and self.built and type(x) is _Tensor:
            try:
                return nn.Module.__call__(self, *args)
            except RuntimeError as err:
                self._explain_runtime_error(args, err)
                raise
        return self._call_slow(args, kwargs)

    def _call_slow(self, args, kwargs):
        if args:
            inputs, args = args[0], args[1:]
        else:
            # tensors given as keywords only (`Endpoint()(logits=l, targets=t)`): call's first
            # parameter is the inputs, the others stay keywords (the node's inputs too)
            key = self._call_first_arg if self._call_first_arg in kwargs else next(iter(kwargs))
            inputs = kwargs.pop(key)
        if any(isinstance(t, KerasTensor) for t in tree.flatten(inputs)):
            return self._call_symbolic(inputs, args, kwargs)
        if isinstance(inputs, (list, tuple)) and inputs and not any(
                isinstance(t, (_Tensor, np.ndarray, Variable, str, bytes))
                for t in tree.flatten(inputs)):
            inputs = backend.convert_to_tensor(inputs)  # nested Python numbers: one tensor
        inputs = tree.map_structure(self._convert_input, inputs)
        flat = [t for t in tree.flatten(inputs) if isinstance(t, _Tensor)]
        if not self.built:
            shapes = tree.map_structure(lambda t: tuple(t.shape) if isinstance(t, _Tensor) else t,
                                        inputs)
            self._check_input_specs(shapes)
            from kerastorch.ops.core import real_scope
            with real_scope():  # inside another layer's shape inference too: real weights
                self._maybe_build(shapes)
            if flat and flat[0].device.type == "meta":
                # built inside another layer's shape inference: the new weights stay real and
                # this first call runs on meta copies of them
                state = {k: torch.empty_like(v, device="meta") for k, v in
                         list(self.named_parameters()) + list(self.named_buffers())}
                return torch.func.functional_call(self, state, (inputs,) + tuple(args),
                                                  self._filter_call_kwargs(kwargs))
            if flat:
                self._move_to(flat[0].device)
        kwargs = self._filter_call_kwargs(kwargs)
        try:
            return nn.Module.__call__(self, inputs, *args, **kwargs)
        except RuntimeError as err:
            self._explain_runtime_error((inputs,), err)
            raise

    def _filter_call_kwargs(self, kwargs):
        if "training" in kwargs and (not self._call_has_training or kwargs["training"] is None):
            kwargs.pop("training")
        if "mask" in kwargs and not self._call_has_mask:
            kwargs.pop("mask")
        return kwargs

    def _move_to(self, device):
        for t in self.parameters():
            if t.device != device:
                self.to(device)
                return
        for t in self.buffers():
            if t.device != device:
                self.to(device)
                return

    def _convert_input(self, x):
        if isinstance(x, _Tensor):
            if x.is_floating_point() and x.dtype != backend.to_torch_dtype(self._dtype) \
                    and not torch.is_autocast_enabled():
                return x.to(backend.to_torch_dtype(self._dtype))
            return x
        if isinstance(x, Variable):
            return x.value
        if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
            return x  # strings for string layers (StringLookup, TextVectorization) stay numpy
        if isinstance(x, (np.ndarray, np.generic, list, tuple, float, int, bool)):
            t = backend.convert_to_tensor(x)
            if t.is_floating_point():
                t = t.to(backend.to_torch_dtype(self._dtype))
            return t
        return x

    def _check_input_specs(self, shapes):
        spec = self.input_spec
        if spec is None:
            return
        flat = flatten_shapes(shapes)
        specs = spec if isinstance(spec, (list, tuple)) else [spec] * len(flat)
        for i, (s, shape) in enumerate(zip(specs, flat)):
            check_input_spec(self, s, shape, i)

    def _explain_runtime_error(self, args, err):
        """Turns a torch shape error into Keras's ValueError when the input spec explains it."""
        inputs = args[0]
        shapes = tree.map_structure(lambda t: tuple(t.shape) if isinstance(t, _Tensor) else t,
                                    inputs)
        self._check_input_specs(shapes)

    def _call_symbolic(self, inputs, args, kwargs):
        shapes = tree.map_structure(
            lambda t: t.shape if isinstance(t, KerasTensor) else t, inputs)
        self._check_input_specs(shapes)
        if not self.built:
            self._maybe_build(shapes)
        if (args or kwargs) and type(self).compute_output_shape is Layer.compute_output_shape:
            # the other arguments (tensors given as keywords, flags) take part in the call
            output_shape = _infer_output_shape(self, shapes, args, kwargs)
        else:
            output_shape = self.compute_output_shape(shapes)
        self._clear_losses()  # add_loss terms of the shape inference run on `meta`
        dtype = self._output_dtype(inputs)
        outputs = map_shapes(output_shape, lambda s: KerasTensor(s, dtype))
        Node(self, inputs, args, kwargs, outputs)
        return outputs

    def _output_dtype(self, inputs):
        return self._dtype

    # ---------------------------------------------------------------- graph attributes
    def _node_attribute(self, attr):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return."
                                 if attr == "input" else
                                 f"Layer {self.name} has no inbound nodes.")
        return getattr(self._inbound_nodes[0], attr)

    @property
    def input(self):
        return self._node_attribute("input")

    @property
    def output(self):
        return self._node_attribute("output")

    @property
    def input_shape(self):
        shapes = {repr(n.input_shapes): n.input_shapes for n in self._inbound_nodes}
        if not shapes:
            raise AttributeError(f'The layer "{self.name}" has never been called and thus has no '
                                 "defined input shape.")
        if len(shapes) > 1:
            raise AttributeError(f'The layer "{self.name}" has multiple inbound nodes, with '
                                 "different input shapes. Hence the notion of \"input shape\" is "
                                 "ill-defined for the layer.")
        return next(iter(shapes.values()))

    @property
    def output_shape(self):
        shapes = {repr(n.output_shapes): n.output_shapes for n in self._inbound_nodes}
        if not shapes:
            raise AttributeError(f'The layer "{self.name}" has never been called and thus has no '
                                 "defined output shape.")
        if len(shapes) > 1:
            raise AttributeError(f'The layer "{self.name}" has multiple inbound nodes, with '
                                 "different output shapes. Hence the notion of \"output shape\" "
                                 "is ill-defined for the layer.")
        return next(iter(shapes.values()))

    # ---------------------------------------------------------------- config
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _defined_by_user(function):
    """True for a method defined outside kerastorch (in a user's layer class)."""
    module = getattr(function, "__module__", None) or ""
    return function is not None and module != "kerastorch" and \
        not module.startswith("kerastorch.")


def _keras_mask_of(x):
    """The `_keras_mask` of a tensor (or a list/tuple of them, None where absent); None when no
    tensor carries one."""
    if isinstance(x, _Tensor):
        return getattr(x, "_keras_mask", None)
    if isinstance(x, (list, tuple)):
        masks = [getattr(t, "_keras_mask", None) if isinstance(t, _Tensor) else None for t in x]
        if any(m is not None for m in masks):
            return type(x)(masks) if type(x) in (list, tuple) else masks
    return None


def _call_with_keras_mask(self, *args, **kwargs):
    """`__call__` of user layers with their own `compute_mask` or `call(..., mask=None)`.

    As Keras 3's `Layer.__call__` on tensors: the mask carried by the first argument
    (`_keras_mask`, set by `Embedding(mask_zero=True)`, `Masking` or such a layer) is passed as
    `mask=` when `call` takes one and none is given, and the outputs get the masks
    `compute_mask(inputs, mask)` returns as their `_keras_mask` (a list or tuple of outputs,
    each its own). A caller that passes `mask=` itself (a model's masked run) handles masks.
    """
    if not args or "mask" in kwargs:
        return Layer.__call__(self, *args, **kwargs)
    x = args[0]
    mask = _keras_mask_of(x)
    if mask is not None and self._call_has_mask:
        kwargs["mask"] = mask
    outputs = Layer.__call__(self, *args, **kwargs)
    if not self._user_compute_mask:
        return outputs
    flat_outputs = [t for t in tree.flatten(outputs)]
    if not flat_outputs or not all(isinstance(t, _Tensor) for t in flat_outputs):
        return outputs  # symbolic call: the functional model propagates masks
    if all(getattr(t, "_keras_mask", None) is not None for t in flat_outputs):
        return outputs  # `call` set them itself
    if isinstance(x, np.ndarray):
        x = backend.convert_to_tensor(x)
    output_masks = self.compute_mask(x, mask)
    if output_masks is None:
        return outputs
    for t, m in zip(flat_outputs, tree.flatten(output_masks)):
        if m is not None and getattr(t, "_keras_mask", None) is None:
            try:
                t._keras_mask = m
            except (AttributeError, RuntimeError):
                pass
    return outputs


def _clear_added_losses_hook(module, args):
    for layer in module._kt_loss_adders:
        if layer._added_losses:
            layer._added_losses = []


def module_weights(module, seen):
    """The Keras-layout weights of `module` and below (a Layer's own, or a plain torch module's
    parameters and buffers), in order, each once (`seen` holds what was listed already)."""
    if getattr(module, "_weights_shown_by_views", False):
        return []  # e.g. a timm model whose weights its Keras-named view layers present
    if isinstance(module, Layer):
        return module._tracked_weights(seen)
    # A plain torch module inside a layer: its parameters and buffers, in torch's layout.
    out = []
    cache = module.__dict__.setdefault("_kt_variables", {})
    for attr, t in list(module.named_parameters(recurse=False)) + list(module.named_buffers(recurse=False)):
        if attr == "num_batches_tracked":
            continue
        key = (id(module), attr)
        if key in seen:
            continue
        seen.add(key)
        if attr not in cache:
            cache[attr] = LayerVariable(module, attr, attr)
            module.__dict__.setdefault("name", type(module).__name__)
        out.append(cache[attr])
    for child in module.children():
        out.extend(module_weights(child, seen))
    return out


def _infer_output_shape(layer, input_shape, args=(), kwargs=None):
    """Runs `layer` twice on `meta` tensors (unknown dims set to two sizes) and compares.

    `args` and `kwargs` are the call's other arguments: their KerasTensors become `meta`
    tensors of their own dtype, the rest is passed as given."""
    def dims(shape, batch, other):
        return tuple(batch if i == 0 and d is None else (other if d is None else d)
                     for i, d in enumerate(shape))

    def run(batch, other, device):
        def to_tensor(shape, dtype):
            return torch.zeros(dims(shape, batch, other), device=device,
                               dtype=backend.to_torch_dtype(dtype))

        def extra_to_tensor(v):
            return to_tensor(v.shape, v.dtype) if isinstance(v, KerasTensor) else v
        inputs = map_shapes(input_shape, lambda s: to_tensor(s, layer.dtype))
        call_args, call_kwargs = tree.map_structure(extra_to_tensor,
                                                    (tuple(args), dict(kwargs or {})))
        if device.type == "meta":
            state = {k: torch.empty_like(v, device="meta") for k, v in
                     list(layer.named_parameters()) + list(layer.named_buffers())}
            from kerastorch.ops.core import meta_scope
            with meta_scope():  # tensors the call creates (ops.arange, torch.tensor) go to meta
                out = torch.func.functional_call(layer, state, (inputs,) + tuple(call_args),
                                                 call_kwargs)
        else:
            with torch.no_grad():
                out = layer(inputs, *call_args, **call_kwargs)
        return tree.map_structure(lambda t: tuple(t.shape), out)

    meta = torch.device("meta")
    try:
        return merge_shapes(run(2, 64, meta), run(3, 65, meta))
    except (RuntimeError, NotImplementedError):
        # what meta cannot run (a tensor made on a real device by `torch.from_numpy`, a value
        # read with `.item()`): a small real input of zeros, on the layer's device
        weight = next(iter(list(layer.parameters()) + list(layer.buffers())), None)
        device = weight.device if weight is not None else backend.device()
        return merge_shapes(run(2, 4, device), run(3, 5, device))
