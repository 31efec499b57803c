"""Optimizer: the base of Keras's optimizers, updating torch parameters with multi-tensor ops."""

import re
import warnings

import numpy as np
import torch

from kerastorch import backend
from kerastorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from kerastorch.utils.naming import to_snake_case


def f32(x):
    """`x` rounded to float32, as Keras computes its step scalars (bias corrections...)."""
    return float(np.float32(x))


class LearningRateValue(float):
    """The current learning rate: a float that also answers Keras's `numpy()` and `assign()`."""

    def __new__(cls, value, optimizer=None):
        obj = super().__new__(cls, value)
        obj._optimizer = optimizer
        return obj

    def numpy(self):
        return np.float32(self)

    def assign(self, value):
        self._optimizer.learning_rate = float(value)

    @property
    def value(self):
        return float(self)


class IterationsValue(int):
    """The step counter: an int that also answers `numpy()` and `assign()` as Keras's does."""

    def __new__(cls, value, optimizer=None):
        obj = super().__new__(cls, value)
        obj._optimizer = optimizer
        return obj

    def numpy(self):
        return np.int64(self)

    def assign(self, value):
        self._optimizer.iterations = int(value)


class Optimizer:
    """Base class of the optimizers: Keras's arguments and formulas on torch tensors.

    `build(params)` creates the state for a list of torch parameters (or Keras-style
    `Variable`s); `step()` then updates every parameter whose `.grad` is set, in Keras's
    order: gradient clipping, weight decay, the optimizer's own update. `apply(grads, vars)`
    and `apply_gradients(zip(grads, vars))` do the same for custom training loops.

    Args:
        learning_rate: a float, a `keras.optimizers.schedules.LearningRateSchedule`, or a
            callable of no argument returning the rate.
        weight_decay: if set, each step multiplies the weights by `1 - weight_decay * lr`.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to `[-clipvalue, clipvalue]`.
        global_clipnorm: clip all gradients together to this global L2 norm.
        use_ema: keep an exponential moving average of the weights (`ema_momentum`), written
            into the weights every `ema_overwrite_frequency` steps or by
            `finalize_variable_values()`.
        loss_scale_factor: `scale_loss()` multiplies the loss by it and the gradients are
            divided by it before the update.
        gradient_accumulation_steps: update only every this many steps, with the mean gradient.
        name: the optimizer's name.

    Example:
        >>> opt = keras.optimizers.Adam(learning_rate=1e-3)
        >>> opt.build(list(model.parameters()))
        >>> loss.backward(); opt.step(); opt.zero_grad()
    """

    # Names of the per-parameter state tensors, in Keras's creation order, and their initial value.
    _slot_names = ()

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if "lr" in kwargs:  # Keras 2's name, accepted as an alias as its optimizers did
            warnings.warn("The `lr` argument is deprecated, use `learning_rate` instead.",
                          stacklevel=3)
            learning_rate = kwargs.pop("lr")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        self.name = name or backend.unique_object_name(to_snake_case(type(self).__name__))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. "
                             f"Received: gradient_accumulation_steps={gradient_accumulation_steps}")
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError("`ema_momentum` must be in the range [0, 1]. "
                                 f"Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. "
                                 f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can "
                             f"be set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        if not callable(learning_rate) and not isinstance(learning_rate, float):
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of "
                "LearningRateSchedule, or a callable (that takes in the current iteration value "
                f"and returns the corresponding learning rate value). Received instead: "
                f"learning_rate={learning_rate}")
        # A float rate is kept rounded to float32, as Keras keeps it in a float32 variable.
        self._learning_rate = learning_rate if callable(learning_rate) else f32(learning_rate)
        self._raw_iterations = 0
        self._exclude_ids = set()
        self._exclude_pattern = None
        self.built = False
        self._params = []
        self._names = []
        self._keras_of = []
        self._torch_of = []
        self._slots = {}
        self._pending_state = None

    # ------------------------------------------------------------------ state
    def build(self, variables):
        """Creates the optimizer's state for `variables` (torch parameters or Keras Variables)."""
        if self.built:
            return
        self._params = [_torch_param(v) for v in variables]
        self._names = [getattr(v, "name", "") or "" for v in variables]
        # How a state tensor shaped like each parameter reads in Keras's layout and back (a
        # transpose, or a reshape and gate reordering for depthwise and GRU kernels).
        self._keras_of = [getattr(v, "_keras_layout_of", None) for v in variables]
        self._torch_of = [getattr(v, "_torch_layout_of", None) for v in variables]
        self._index = {id(p): i for i, p in enumerate(self._params)}
        self._decay_mask = [self._use_weight_decay(v, p) for v, p in zip(variables, self._params)]
        self._slots = {}
        if self.use_ema:
            self._slots["average"] = [torch.zeros_like(p) for p in self._params]
        if self.gradient_accumulation_steps:
            self._slots["gradient_accumulator"] = [torch.zeros_like(p) for p in self._params]
        for slot, init in self._slot_names:
            self._slots[slot] = [torch.full_like(p, init, requires_grad=False)
                                 for p in self._params]
        self._build_extra()
        self._state_device = self._params[0].device if self._params else None
        self.built = True
        if self._pending_state is not None:
            state, self._pending_state = self._pending_state, None
            self.load_state_dict(state)

    def _build_extra(self):
        """Creates scalar state beyond the per-parameter slots (Nadam's momentum product)."""

    @property
    def variables(self):
        """The state in Keras's order: iteration, learning rate, then the slots, per parameter."""
        out = [torch.tensor(self._raw_iterations, dtype=torch.int64)]
        if not callable(self._learning_rate):
            out.append(torch.tensor(self._learning_rate, dtype=torch.float32))
        for name, tensors in self._ordered_slot_groups():
            out.extend(tensors)
        return out

    def _ordered_slot_groups(self):
        """Slots grouped as Keras creates them: a group's slots interleave per parameter."""
        groups = []
        if "average" in self._slots:
            groups.append(("average", self._slots["average"]))
        if "gradient_accumulator" in self._slots:
            groups.append(("gradient_accumulator", self._slots["gradient_accumulator"]))
        for group in self._slot_groups():
            tensors = [self._slots[n][i] for i in range(len(self._params)) for n in group]
            groups.append(("/".join(group), tensors))
        return groups

    def _slot_groups(self):
        """How Keras groups the slot creation calls (each group interleaves per parameter)."""
        return [(name,) for name, _ in self._slot_names]

    def state_dict(self):
        """The optimizer's state: step count, learning rate and slot tensors in parameter order."""
        return {"iterations": self._raw_iterations,
                "learning_rate": None if callable(self._learning_rate) else self._learning_rate,
                "slots": {name: list(t) for name, t in self._slots.items()},
                "extra": self._extra_state()}

    def load_state_dict(self, state):
        """Restores `state_dict()`'s output (kept until `build()` when the optimizer is unbuilt)."""
        if not self.built:
            self._pending_state = state
            return
        slots = state.get("slots", {})
        if set(slots) != set(self._slots):
            raise ValueError(f"Optimizer '{self.name}' has state {sorted(self._slots)}, but the "
                             f"state to load has {sorted(slots)}.")
        for name, tensors in slots.items():
            own = self._slots[name]
            if len(tensors) != len(own):
                raise ValueError(f"Optimizer '{self.name}' was built on {len(own)} parameters, "
                                 f"but the state to load has {len(tensors)} for '{name}'.")
            for target, value in zip(own, tensors):
                value = torch.as_tensor(value)
                if tuple(value.shape) != tuple(target.shape):
                    raise ValueError(f"Optimizer '{self.name}' state '{name}' has shape "
                                     f"{tuple(target.shape)}, received {tuple(value.shape)}.")
                with torch.no_grad():
                    target.copy_(value)
        self._raw_iterations = int(state.get("iterations", 0))
        if state.get("learning_rate") is not None and not callable(self._learning_rate):
            self._learning_rate = f32(state["learning_rate"])
        self._load_extra_state(state.get("extra", {}))

    def _extra_state(self):
        return {}

    def _load_extra_state(self, extra):
        pass

    def save_own_variables(self, store):
        """Writes `variables` in Keras's layout and order into `store` ('0', '1', ...)."""
        for i, value in enumerate(self._keras_layout(self.variables)):
            store[str(i)] = value.detach().cpu().numpy()

    def load_own_variables(self, store):
        """Reads what `save_own_variables` (or Keras) wrote."""
        own = self.variables
        if len(store.keys()) != len(own):
            warnings.warn(f"Skipping variable loading for optimizer '{self.name}', because it has "
                          f"{len(own)} variables whereas the saved optimizer has "
                          f"{len(store.keys())} variables. ", stacklevel=2)
            return
        values = [np.asarray(store[str(i)]) for i in range(len(own))]
        self._raw_iterations = int(values[0])
        k = 1
        if not callable(self._learning_rate):
            self._learning_rate = f32(values[1])
            k = 2
        owners = self._slot_owners()
        with torch.no_grad():
            for target, value, i in zip(own[k:], values[k:], owners):
                t = torch.as_tensor(value)
                convert = self._torch_of[i]
                target.copy_(t if convert is None else convert(t))

    def _slot_owners(self):
        """The parameter index of each slot tensor of `variables` (after the scalars)."""
        owners = []
        for name, tensors in self._ordered_slot_groups():
            per = len(tensors) // max(len(self._params), 1)
            owners.extend(i for i in range(len(self._params)) for _ in range(per))
        return owners

    def _keras_layout(self, values):
        """`variables` with each slot in its parameter's Keras layout (as Keras saves them)."""
        k = 1 if callable(self._learning_rate) else 2
        owners = self._slot_owners()
        out = list(values[:k])
        for j, value in enumerate(values[k:]):
            convert = self._keras_of[owners[j]] if j < len(owners) else None
            out.append(value if convert is None else convert(value))
        return out

    # --------------------------------------------------------- hyperparameters
    @property
    def iterations(self):
        """How many updates were applied (Keras's `optimizer.iterations`)."""
        n = self._raw_iterations
        if self.gradient_accumulation_steps:
            n //= self.gradient_accumulation_steps
        return IterationsValue(n, self)

    @iterations.setter
    def iterations(self, value):
        self._raw_iterations = int(value)

    @property
    def learning_rate(self):
        """The current rate: the float, or the schedule evaluated at `iterations`."""
        return LearningRateValue(self._current_lr(), self)

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, LearningRateSchedule) or callable(value):
            self._learning_rate = value
            return
        if isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not settable. "
                "If you need the learning rate to be settable, you should instantiate the "
                "optimizer with a float `learning_rate` argument.")
        self._learning_rate = f32(value)

    @property
    def lr(self):
        return self.learning_rate

    @lr.setter
    def lr(self, value):
        self.learning_rate = value

    def _current_lr(self):
        lr = self._learning_rate
        if isinstance(lr, float):
            return lr
        if isinstance(lr, LearningRateSchedule):
            if type(lr).__call__ is LearningRateSchedule.__call__ and lr._value is not None:
                value = lr._value(self._raw_iterations)  # built-in: plain float math
            else:  # a user schedule gets the step as a tensor, as in Keras
                value = lr(torch.tensor(self._raw_iterations))
        else:
            value = lr()
        return float(value)

    # The rate a step uses: the current one (the same function: no extra call per step);
    # Keras 2's legacy optimizers apply their `decay` here.
    _step_lr = _current_lr

    @property
    def param_groups(self):
        """torch-style view of the parameters (for `torch.amp.GradScaler.unscale_`)."""
        return [{"params": self._params, "lr": self._current_lr()}]

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables (by object or by a substring of their name) from weight decay."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before "
                             "the optimizer is built.")
        self._exclude_ids = {id(_torch_param(v)) for v in (var_list or [])}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None

    def _use_weight_decay(self, variable, param):
        if id(param) in self._exclude_ids:
            return False
        if self._exclude_pattern is not None:
            name = getattr(variable, "name", "") or ""
            if re.search(self._exclude_pattern, name) is not None:
                return False
        return True

    def scale_loss(self, loss):
        """Multiplies the loss by `loss_scale_factor` when one is set."""
        return loss * self.loss_scale_factor if self.loss_scale_factor is not None else loss

    # ------------------------------------------------------------------ steps
    def zero_grad(self, set_to_none=True):
        """Clears the gradients of the built parameters."""
        for p in self._params:
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.detach_()
                    p.grad.zero_()

    @torch.no_grad()
    def step(self, closure=None):
        """Applies one update to every built parameter that has a `.grad`."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        params = self._params
        grads = [p.grad for p in params]
        indices = None
        if any(g is None for g in grads):
            indices = [i for i, g in enumerate(grads) if g is not None]
            if not indices:
                return loss
            grads = [grads[i] for i in indices]
        self._apply(indices, grads)
        return loss

    def apply_gradients(self, grads_and_vars):
        """Keras's `apply_gradients(zip(grads, vars))`; returns `iterations`."""
        grads, variables = zip(*grads_and_vars)
        self.apply(grads, variables)
        return self.iterations

    def minimize(self, loss, var_list, tape=None):
        """Keras 2's `minimize`: the gradients of `loss` (a tensor, or a function returning
        one) with respect to `var_list`, taken by `tape` when given (a `tf.GradientTape`),
        then applied. Returns `iterations`."""
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        if tape is not None:
            grads = tape.gradient(loss, var_list)
        else:
            if callable(loss) and not isinstance(loss, torch.Tensor):
                with torch.enable_grad():
                    loss = loss()
            grads = _gradients(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def get_gradients(self, loss, params):
        """Keras 2's `get_gradients`: the gradients of `loss` for `params` (in their Keras
        layout); a parameter the loss does not depend on is a ValueError."""
        params = list(params)
        grads = _gradients(loss, params)
        for p, g in zip(params, grads):
            if g is None:
                raise ValueError(f"Variable {getattr(p, 'name', p)} has `None` for gradient. "
                                 "Please make sure that all of your ops have a gradient "
                                 "defined (i.e. are differentiable). Common ops without "
                                 "gradient: K.argmax, K.round, K.eval.")
        return grads

    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` (default: the built ones) with `grads`, as Keras does."""
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first. ")
            if len(grads) != len(self._params):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must "
                    f"match `optimizer.variables` one-to-on. Received a list of {len(grads)} "
                    f"gradients, but the optimizer is tracking {len(self._params)} trainable "
                    "variables.")
            trainable_variables = self._params
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
        indices, torch_grads, missing = [], [], []
        for g, v in zip(grads, trainable_variables):
            p = _torch_param(v)
            i = self._index.get(id(p))
            if i is None:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for the variables "
                    "it was originally built with. When working with a new set of variables, you "
                    "should recreate a new optimizer instance.")
            if g is None:
                missing.append(getattr(v, "path", getattr(v, "name", f"parameter {i}")))
                continue
            indices.append(i)
            torch_grads.append(_to_torch_layout(g, v, p))
        if not torch_grads:
            raise ValueError("No gradients provided for any variable.")
        if missing:
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the "
                          "loss. If using `model.compile()`, did you forget to provide a `loss` "
                          "argument?")
        with torch.no_grad():
            self._apply(None if len(indices) == len(self._params) and indices == list(
                range(len(self._params))) else indices, torch_grads)
            for v in trainable_variables:
                constraint = getattr(v, "constraint", None)
                if constraint is not None and hasattr(v, "assign"):
                    v.assign(constraint(v.value))

    def _apply(self, indices, grads):
        """Clipping, weight decay, update, EMA and the step count, on parameters `indices`."""
        if self._state_device is not None and self._params[0].device != self._state_device:
            self._follow_parameters()
        if indices is None:
            params, slots = self._params, self._slots
        else:
            params = [self._params[i] for i in indices]
            slots = {k: [v[i] for i in indices] for k, v in self._slots.items()}
        lr = self._step_lr()
        if self.loss_scale_factor is not None:
            grads = torch._foreach_div(grads, self.loss_scale_factor)
        steps = self.gradient_accumulation_steps
        if steps:
            acc = slots["gradient_accumulator"]
            if (self._raw_iterations + 1) % steps != 0:
                torch._foreach_add_(acc, grads)
                self._finish_step(params)
                return
            grads = torch._foreach_add(grads, acc)
            torch._foreach_div_(grads, steps)
            torch._foreach_zero_(acc)
        grads = self._clip_gradients(grads)
        if self.weight_decay is not None:
            mask = self._decay_mask if indices is None else [self._decay_mask[i] for i in indices]
            decayed = params if all(mask) else [p for p, m in zip(params, mask) if m]
            if decayed:
                torch._foreach_mul_(decayed, 1 - self.weight_decay * lr)
        self._update_step(params, grads, slots, lr)
        self._finish_step(params)

    def _follow_parameters(self):
        """Moves the state to the parameters' device (the model was moved after `build`)."""
        for name, tensors in self._slots.items():
            self._slots[name] = [t.to(p.device) for t, p in zip(tensors, self._params)]
        self._state_device = self._params[0].device

    def _finish_step(self, params):
        if self.use_ema:
            momentum = self.ema_momentum if self.iterations != 0 else 0.0
            averages = self._slots["average"]
            torch._foreach_mul_(averages, momentum)
            torch._foreach_add_(averages, self._params, alpha=1 - momentum)
            freq = self.ema_overwrite_frequency
            if freq and (self.iterations + 1) % freq == 0:
                torch._foreach_copy_(self._params, averages)
        self._raw_iterations += 1

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            norms = torch._foreach_norm(grads)
            torch._foreach_clamp_min_(norms, self.clipnorm)
            torch._foreach_reciprocal_(norms)
            torch._foreach_mul_(norms, self.clipnorm)
            return torch._foreach_mul(grads, norms)
        if self.global_clipnorm and self.global_clipnorm > 0:
            norm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
            clip = self.global_clipnorm
            scale = clip * torch.minimum(1.0 / norm, torch.tensor(1.0 / clip, device=norm.device)) \
                + (norm - norm)
            return torch._foreach_mul(grads, scale)
        if self.clipvalue and self.clipvalue > 0:
            out = torch._foreach_clamp_min(grads, -self.clipvalue)
            torch._foreach_clamp_max_(out, self.clipvalue)
            return out
        return grads

    def _update_step(self, params, grads, slots, lr):
        """The optimizer's own update of `params` (lists aligned with `grads` and `slots`).

        Built-in optimizers update all parameters at once with multi-tensor ops; a user
        subclass written the Keras way defines `update_step(gradient, variable, learning_rate)`
        instead, called here once per parameter.
        """
        if type(self).update_step is Optimizer.update_step:
            raise NotImplementedError(f"Optimizer '{type(self).__name__}' must define "
                                      "`update_step(gradient, variable, learning_rate)`.")
        for g, p in zip(grads, params):
            self.update_step(g, p, lr)

    # Keras's API for optimizers written as subclasses (`update_step` per variable).
    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     layout=None, name=None):
        """A state tensor of `shape` (on the device of the built parameters)."""
        from kerastorch import initializers
        init = initializers.get(initializer)
        value = torch.as_tensor(init(tuple(shape), dtype=backend.to_torch_dtype(dtype)))
        device = self._params[0].device if self._params else None
        return value.to(device) if device is not None else value

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A state tensor shaped like (and on the device of) a parameter."""
        ref = _torch_param(reference_variable)
        if initializer == "zeros":
            return torch.zeros_like(ref, requires_grad=False)
        return self.add_variable(ref.shape, initializer, dtype=ref.dtype).to(ref.device)

    def _get_variable_index(self, variable):
        return self._index[id(_torch_param(variable))]

    def assign(self, variable, value):
        _torch_param(variable).copy_(value)

    def assign_add(self, variable, value):
        _torch_param(variable).add_(value)

    def assign_sub(self, variable, value):
        _torch_param(variable).sub_(value)

    def finalize_variable_values(self, var_list=None):
        """With `use_ema`, writes the moving averages into the weights (end of `fit`)."""
        if self.use_ema and self.built:
            with torch.no_grad():
                torch._foreach_copy_(self._params, self._slots["average"])

    # ---------------------------------------------------------------- config
    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr = {"module": "keras.optimizers.schedules", "class_name": type(lr).__name__,
                  "config": lr.get_config(), "registered_name": None}
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from kerastorch.optimizers import schedules
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _torch_param(v):
    """The torch tensor behind a parameter or a Keras-style Variable."""
    return v if isinstance(v, torch.Tensor) else v.torch_tensor


def _gradients(loss, variables):
    """d loss / d variable for each variable, in its Keras layout (None where unconnected)."""
    params = [_torch_param(v) for v in variables]
    wanted = [i for i, p in enumerate(params) if p.requires_grad]
    grads = [None] * len(params)
    if not wanted or not isinstance(loss, torch.Tensor) or not loss.requires_grad:
        return grads
    found = torch.autograd.grad(loss, [params[i] for i in wanted], allow_unused=True)
    for i, g in zip(wanted, found):
        convert = getattr(variables[i], "_keras_layout_of", None)
        grads[i] = convert(g) if (g is not None and convert is not None) else g
    return grads


def _to_torch_layout(grad, variable, param):
    """A gradient given in Keras's layout for a Variable, moved to the torch tensor's layout."""
    g = grad if isinstance(grad, torch.Tensor) else backend.convert_to_tensor(grad)
    convert = getattr(variable, "_torch_layout_of", None)
    if convert is not None and tuple(g.shape) == tuple(variable.shape):
        g = convert(g)
    if g.device != param.device or g.dtype != param.dtype or g.stride() != param.stride():
        g = torch.empty_like(param).copy_(g)  # the parameter's own memory layout, as autograd's
    return g
