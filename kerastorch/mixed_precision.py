"""keras.mixed_precision: the global dtype policy used by `fit`, `evaluate` and `predict`.

Under `"mixed_float16"` or `"mixed_bfloat16"` the forward pass runs in `torch.autocast` with that
compute dtype while variables stay float32; `"mixed_float16"` training also scales the loss
dynamically (as Keras's LossScaleOptimizer does) so small float16 gradients do not underflow.
"""

import torch

_POLICIES = ("float32", "float16", "bfloat16", "float64", "mixed_float16", "mixed_bfloat16")


class DTypePolicy:
    """A dtype policy: `compute_dtype` for the layers' computations, `variable_dtype` for weights.

    Args:
        name: `"float32"`, `"mixed_float16"`, `"mixed_bfloat16"`, `"float16"`, `"bfloat16"`...

    Example:
        >>> policy = keras.mixed_precision.Policy("mixed_float16")
        >>> policy.compute_dtype, policy.variable_dtype
        ('float16', 'float32')
    """

    def __init__(self, name="float32"):
        if not isinstance(name, str) or name not in _POLICIES:
            raise ValueError(f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid "
                             "policies include 'mixed_float16', 'mixed_bfloat16', and the name "
                             "of any float dtype such as 'float32'.")
        self._name = name
        if name.startswith("mixed_"):
            self._compute_dtype, self._variable_dtype = name[len("mixed_"):], "float32"
        else:
            self._compute_dtype = self._variable_dtype = name

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute_dtype

    @property
    def variable_dtype(self):
        return self._variable_dtype

    @property
    def is_mixed(self):
        return self._name.startswith("mixed_")

    def get_config(self):
        return {"name": self._name}

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


Policy = DTypePolicy
_GLOBAL = DTypePolicy("float32")


def set_global_policy(policy):
    """Sets the global policy: a name (`"mixed_float16"`, `"mixed_bfloat16"`, ...) or a Policy."""
    global _GLOBAL
    if policy is None:
        policy = "float32"
    _GLOBAL = policy if isinstance(policy, DTypePolicy) else DTypePolicy(policy)


def global_policy():
    """The current global dtype policy (default `float32`)."""
    return _GLOBAL


set_dtype_policy = set_global_policy
dtype_policy = global_policy


def autocast_dtype():
    """The torch dtype the forward runs in under autocast, or None when not mixed."""
    if not _GLOBAL.is_mixed:
        return None
    return torch.float16 if _GLOBAL.compute_dtype == "float16" else torch.bfloat16


class LossScaler:
    """Dynamic loss scaling for float16 training, with Keras's LossScaleOptimizer defaults.

    The loss is multiplied by `scale` before `backward()`; gradients are divided by it before the
    optimizer step. A step whose gradients are not finite is skipped and the scale halved; after
    `dynamic_growth_steps` good steps in a row the scale doubles.
    """

    def __init__(self, initial_scale=2.0 ** 15, dynamic_growth_steps=2000):
        self.scale = float(initial_scale)
        self.dynamic_growth_steps = dynamic_growth_steps
        self._good_steps = 0

    def unscale_and_check(self, params):
        """Divides the gradients of `params` by the scale; returns True if they are finite."""
        grads = [p.grad for p in params if p.grad is not None]
        if not grads:
            return True
        found_inf = torch.zeros(1, device=grads[0].device)
        inv = torch.full((1,), 1.0 / self.scale, device=grads[0].device)
        by_dtype = {}
        for g in grads:
            by_dtype.setdefault((g.device, g.dtype), []).append(g)
        for group in by_dtype.values():
            torch._amp_foreach_non_finite_check_and_unscale_(group, found_inf, inv)
        finite = not bool(found_inf.item())
        if finite:
            self._good_steps += 1
            if self._good_steps >= self.dynamic_growth_steps:
                self.scale *= 2.0
                self._good_steps = 0
        else:
            self.scale /= 2.0
            self._good_steps = 0
        return finite
