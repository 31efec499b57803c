"""Keras 2's backend functions (`from keras import backend as K`: `K.mean`, `K.square`,
`K.random_normal`, `K.function`, ...), as Keras 3 keeps them in `keras.src.legacy.backend`.

Each takes Keras 2's arguments and returns a torch tensor; a `Variable` made by `K.variable`
is a `keras.Variable`. On a `KerasTensor` each records a graph node (a `TFOpLambda`, named
after the TensorFlow function tf.keras 2 records, `tf.math.reduce_mean` for `K.mean`), so
`K.*` calls build functional models as in tf.keras 2. `kerastorch.backend` looks these names
up here, after its own.
"""

import builtins
import math
import warnings

import numpy as np
import torch

from kerastorch import backend as _backend
from kerastorch import ops
from kerastorch import random as _random
from kerastorch.ops.symbolic import op
from kerastorch.tensor.keras_tensor import KerasTensor


def _t(x, dtype=None):
    if isinstance(x, torch.Tensor):
        return x if dtype is None else x.to(_backend.to_torch_dtype(dtype))
    value = getattr(x, "value", None)  # a keras.Variable
    if isinstance(value, torch.Tensor):
        return value
    return ops.convert_to_tensor(x, dtype=dtype)


def _axis(axis):
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return axis


def _floatx_if_bool(x):
    return x.to(_backend.to_torch_dtype(None)) if x.dtype == torch.bool else x


# ------------------------------------------------------------------ reductions
def _reduction(name, reduce):
    @op(name)
    def fn(x, axis=None, keepdims=False):
        x = _t(x)
        axis = _axis(axis)
        if axis is None:
            out = reduce(x, tuple(range(x.ndim)), False)
            return out.reshape((1,) * x.ndim) if keepdims else out
        return reduce(x, axis if isinstance(axis, tuple) else (axis,), keepdims)
    return fn


mean = _reduction("tf.math.reduce_mean", lambda x, a, k: torch.mean(_floatx_if_bool(x), a, k))
sum = _reduction("tf.math.reduce_sum", lambda x, a, k: torch.sum(x, a, k, dtype=x.dtype))  # noqa: A001
prod = _reduction("tf.math.reduce_prod",
                  lambda x, a, k: _prod(x, a, k))
max = _reduction("tf.math.reduce_max", lambda x, a, k: torch.amax(x, a, k))  # noqa: A001
min = _reduction("tf.math.reduce_min", lambda x, a, k: torch.amin(x, a, k))  # noqa: A001
var = _reduction("tf.math.reduce_variance",
                 lambda x, a, k: torch.var(_floatx_if_bool(x), a, correction=0, keepdim=k))
std = _reduction("tf.math.reduce_std",
                 lambda x, a, k: torch.std(_floatx_if_bool(x), a, correction=0, keepdim=k))
all = _reduction("tf.math.reduce_all",  # noqa: A001
                 lambda x, a, k: torch.amin(x.bool(), a, k) if x.ndim else x.bool())
any = _reduction("tf.math.reduce_any",  # noqa: A001
                 lambda x, a, k: torch.amax(x.bool(), a, k) if x.ndim else x.bool())


def _prod(x, axes, keepdims):
    for a in sorted((a % x.ndim for a in axes), reverse=True) if x.ndim else ():
        x = torch.prod(x, a, keepdim=keepdims)
    return x


@op("tf.math.argmax")
def argmax(x, axis=-1):
    return torch.argmax(_t(x), dim=axis)


@op("tf.math.argmin")
def argmin(x, axis=-1):
    return torch.argmin(_t(x), dim=axis)


@op("tf.math.cumsum")
def cumsum(x, axis=0):
    return torch.cumsum(_t(x), dim=axis)


@op("tf.math.cumprod")
def cumprod(x, axis=0):
    return torch.cumprod(_t(x), dim=axis)


# ------------------------------------------------------------------ elementwise
def _unary(name, fn):
    @op(name)
    def wrapped(x):
        return fn(_t(x))
    return wrapped


abs = _unary("tf.math.abs", torch.abs)  # noqa: A001
square = _unary("tf.math.square", torch.square)
sqrt = _unary("tf.math.sqrt", lambda x: torch.sqrt(torch.clamp(x, min=0.0)))
exp = _unary("tf.math.exp", torch.exp)
log = _unary("tf.math.log", torch.log)
sign = _unary("tf.math.sign", torch.sign)
round = _unary("tf.math.round", torch.round)  # noqa: A001 - half to even, as TensorFlow
sin = _unary("tf.math.sin", torch.sin)
cos = _unary("tf.math.cos", torch.cos)
tanh = _unary("tf.math.tanh", torch.tanh)
sigmoid = _unary("tf.math.sigmoid", torch.sigmoid)
softplus = _unary("tf.math.softplus", torch.nn.functional.softplus)
softsign = _unary("tf.math.softsign", torch.nn.functional.softsign)
hard_sigmoid = _unary("hard_sigmoid", lambda x: torch.clamp(0.2 * x + 0.5, 0.0, 1.0))


@op("tf.math.pow")
def pow(x, a):  # noqa: A001
    return torch.pow(_t(x), a)


def _binary(name, fn):
    @op(name)
    def wrapped(x, y):
        return fn(_t(x), _t(y))
    return wrapped


equal = _binary("tf.math.equal", torch.eq)
not_equal = _binary("tf.math.not_equal", torch.ne)
greater = _binary("tf.math.greater", torch.gt)
greater_equal = _binary("tf.math.greater_equal", torch.ge)
less = _binary("tf.math.less", torch.lt)
less_equal = _binary("tf.math.less_equal", torch.le)
maximum = _binary("tf.math.maximum", torch.maximum)
minimum = _binary("tf.math.minimum", torch.minimum)


@op("tf.clip_by_value")
def clip(x, min_value, max_value):
    """Keras 2's clip: a `max_value` below `min_value` becomes `min_value`; None is unbounded."""
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)) \
            and max_value < min_value:
        max_value = min_value
    x = _t(x)
    lo = -math.inf if min_value is None else min_value
    hi = math.inf if max_value is None else max_value
    return torch.clamp(x, _t(lo, x.dtype) if not isinstance(lo, (int, float)) else lo,
                       _t(hi, x.dtype) if not isinstance(hi, (int, float)) else hi)


# ------------------------------------------------------------------ activations
@op("tf.nn.relu")
def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    x = _t(x)
    if alpha != 0.0:
        negative = alpha * torch.where(x < threshold, x - threshold, torch.zeros_like(x))
    out = torch.where(x > threshold, x, torch.zeros_like(x)) if threshold != 0.0 \
        else torch.relu(x)
    if max_value is not None:
        out = torch.clamp(out, max=max_value)
    return out + negative if alpha != 0.0 else out


@op("tf.nn.elu")
def elu(x, alpha=1.0):
    x = _t(x)
    out = torch.nn.functional.elu(x)
    return out if alpha == 1 else torch.where(x > 0, out, alpha * out)


@op("tf.nn.softmax")
def softmax(x, axis=-1):
    return torch.softmax(_t(x), dim=axis)


@op("tf.math.l2_normalize")
def l2_normalize(x, axis=None):
    x = _t(x)
    dims = tuple(range(x.ndim)) if axis is None else axis
    squares = torch.sum(torch.square(x), dim=dims, keepdim=True)
    return x * torch.rsqrt(torch.clamp(squares, min=1e-12))


def _clip_probabilities(output):
    eps = _backend.epsilon()
    return torch.clamp(output, eps, 1.0 - eps)


@op("binary_crossentropy")
def binary_crossentropy(target, output, from_logits=False):
    target, output = _t(target), _t(output)
    if from_logits:
        return torch.nn.functional.binary_cross_entropy_with_logits(
            output, target.to(output.dtype), reduction="none")
    output = _clip_probabilities(output)
    eps = _backend.epsilon()
    return -(target * torch.log(output + eps) + (1 - target) * torch.log(1 - output + eps))


@op("categorical_crossentropy")
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _t(target), _t(output)
    if from_logits:
        return -torch.sum(target * torch.log_softmax(output, dim=axis), dim=axis)
    output = output / torch.sum(output, dim=axis, keepdim=True)
    return -torch.sum(target * torch.log(_clip_probabilities(output)), dim=axis)


@op("sparse_categorical_crossentropy")
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _t(target), _t(output)
    # Probabilities are clipped, then normalised through a log-softmax of their logarithm,
    # as tf.keras 2 computes it.
    logp = torch.log_softmax(output if from_logits else torch.log(_clip_probabilities(output)),
                             dim=axis)
    logp = torch.movedim(logp, axis, -1)
    index = target.to(torch.int64).reshape(logp.shape[:-1] + (1,))
    return -torch.gather(logp, -1, index).squeeze(-1)


# ------------------------------------------------------------------ shapes and arrangement
def shape(x):
    """The shape of `x` as an int32 tensor (`tf.shape`); on a KerasTensor a graph node."""
    if isinstance(x, KerasTensor):
        return _shape_node(x)
    return torch.tensor(tuple(_t(x).shape), dtype=torch.int32)


@op("tf.compat.v1.shape")
def _shape_node(x):
    return torch.tensor(tuple(x.shape), dtype=torch.int32, device=x.device)


def int_shape(x):
    """The static shape as a tuple (None for an unknown dimension), or None."""
    try:
        return tuple(None if d is None else int(d) for d in x.shape)
    except (AttributeError, TypeError):
        try:
            return tuple(np.shape(x))
        except Exception:
            return None


def ndim(x):
    return len(x.shape) if hasattr(x, "shape") else np.ndim(x)


def dtype(x):
    """The Keras name of the dtype of `x`: 'float32', 'int64', ..."""
    return _backend.standardize_dtype(getattr(x, "dtype", None) or np.asarray(x).dtype)


def count_params(x):
    return int(np.prod(int_shape(x)))


@op("tf.reshape")
def reshape(x, shape):
    return torch.reshape(_t(x), tuple(int(d) for d in shape))


@op("tf.concat")
def concatenate(tensors, axis=-1):
    tensors = [_t(t) for t in tensors]
    if axis < 0:
        axis = axis % tensors[0].ndim if tensors[0].ndim else 0
    return torch.cat(tensors, dim=axis)


@op("tf.stack")
def stack(x, axis=0):
    return torch.stack([_t(t) for t in x], dim=axis)


@op("tf.expand_dims")
def expand_dims(x, axis=-1):
    return torch.unsqueeze(_t(x), axis)


@op("tf.compat.v1.squeeze")
def squeeze(x, axis):
    return torch.squeeze(_t(x), axis)


@op("tf.tile")
def tile(x, n):
    x = _t(x)
    n = (n,) if isinstance(n, int) else tuple(int(v) for v in n)
    return x.repeat(n)


@op("tf.compat.v1.transpose")
def transpose(x):
    x = _t(x)
    return x.permute(tuple(reversed(range(x.ndim))))


@op("tf.compat.v1.transpose")
def permute_dimensions(x, pattern):
    return _t(x).permute(tuple(pattern))


@op("tf.tile")
def repeat(x, n):
    """`(batch, dim)` -> `(batch, n, dim)`: each sample repeated `n` times."""
    x = _t(x)
    if x.ndim != 2:
        raise ValueError(f"`K.repeat` expects a 2D tensor `(batch, dim)`. Received: shape="
                         f"{tuple(x.shape)}")
    return x.unsqueeze(1).repeat(1, n, 1)


@op("tf.repeat")
def repeat_elements(x, rep, axis):
    return torch.repeat_interleave(_t(x), rep, dim=axis)


@op("tf.reverse")
def reverse(x, axes):
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    return torch.flip(_t(x), axes)


@op("tf.reshape")
def flatten(x):
    return torch.reshape(_t(x), (-1,))


@op("tf.reshape")
def batch_flatten(x):
    x = _t(x)
    return torch.reshape(x, (x.shape[0], -1))


@op("tf.compat.v1.gather")
def gather(reference, indices):
    return torch.index_select(_t(reference), 0, _t(indices).to(torch.int64).reshape(-1)) \
        .reshape(tuple(_t(indices).shape) + tuple(_t(reference).shape[1:]))


@op("tf.one_hot")
def one_hot(indices, num_classes):
    return torch.nn.functional.one_hot(_t(indices).to(torch.int64), num_classes).to(
        _backend.to_torch_dtype(None))


@op("tf.cast")
def cast(x, dtype):
    return _t(x).to(_backend.to_torch_dtype(dtype))


def cast_to_floatx(x):
    """`x` as a numpy array of `floatx()` (a tensor stays a tensor, cast)."""
    if isinstance(x, (torch.Tensor, KerasTensor)):
        return cast(x, _backend.floatx())
    return np.asarray(x, dtype=_backend.floatx())


@op("tf.stop_gradient")
def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return [_t(v).detach() for v in variables]
    return _t(variables).detach()


@op("tf.compat.v1.pad")
def temporal_padding(x, padding=(1, 1)):
    return torch.nn.functional.pad(_t(x), (0, 0, padding[0], padding[1]))


@op("tf.compat.v1.pad")
def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    (top, bottom), (left, right) = padding
    if _backend.standardize_data_format(data_format) == "channels_last":
        return torch.nn.functional.pad(_t(x), (0, 0, left, right, top, bottom))
    return torch.nn.functional.pad(_t(x), (left, right, top, bottom))


@op("tf.nn.bias_add")
def bias_add(x, bias, data_format=None):
    x, bias = _t(x), _t(bias)
    if _backend.standardize_data_format(data_format) == "channels_first" and x.ndim > 2:
        return x + bias.reshape((1, -1) + (1,) * (x.ndim - 2))
    return x + bias


@op("tf.tensordot")
def dot(x, y):
    """Keras 2's dot: the last axis of `x` with the second-to-last of `y` (the last when `y`
    is 1-D); the remaining axes of `x`, then of `y`."""
    x, y = _t(x), _t(y)
    if x.ndim <= 2 and y.ndim <= 2:
        return torch.matmul(x, y)
    return torch.tensordot(x, y, dims=([x.ndim - 1], [builtins.max(y.ndim - 2, 0)]))


@op("tf.linalg.matmul")
def batch_dot(x, y, axes=None):
    """Sample-wise dot product along `axes` (an int, or one axis of each; default: the last
    axis of `x` with the second-to-last of `y`, its last when 2-D); `(batch, 1)` for two
    matrices, as Keras 2."""
    from kerastorch.layers.merging.merging import batch_dot as merged_dot
    x, y = _t(x), _t(y)
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 2 if y.ndim > 2 else y.ndim - 1)
    elif isinstance(axes, int):
        axes = (axes, axes)
    axes = tuple(a % t.ndim for a, t in zip(axes, (x, y)))
    if 0 in axes:
        raise ValueError(f"Cannot perform batch_dot over axis 0. Received: axes={axes}")
    return merged_dot(x, y, axes)


@op("tf.nn.batch_normalization")
def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    x = _t(x)
    out = (x - _t(mean)) * torch.rsqrt(_t(var) + epsilon)
    if gamma is not None:
        out = out * _t(gamma)
    return out + _t(beta) if beta is not None else out


@op("tf.where")
def switch(condition, then_expression, else_expression):
    """`then_expression` where `condition`, else `else_expression` (a Python bool picks one)."""
    if isinstance(condition, bool):
        return _t(then_expression) if condition else _t(else_expression)
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    condition, then, other = _t(condition), _t(then_expression), _t(else_expression)
    while condition.ndim < then.ndim:
        condition = condition.unsqueeze(-1)
    return torch.where(condition.bool(), then, other)


@op("tf.image.resize")
def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    x = _t(x)
    channels_last = _backend.standardize_data_format(data_format) == "channels_last"
    if channels_last:
        x = x.permute(0, 3, 1, 2)
    size = (x.shape[2] * height_factor, x.shape[3] * width_factor)
    if interpolation == "nearest":
        out = torch.nn.functional.interpolate(x, size=size, mode="nearest")
    elif interpolation == "bilinear":
        out = torch.nn.functional.interpolate(x, size=size, mode="bilinear",
                                              align_corners=False)
    else:
        raise ValueError("`interpolation` should be one of `'nearest'`, `'bilinear'`. "
                         f"Received: interpolation={interpolation}")
    return out.permute(0, 2, 3, 1) if channels_last else out


# ------------------------------------------------------------------ random
def _seed(seed):
    return None if seed is None else int(seed)


def _static_shape(shape):
    return tuple(int(d) for d in (shape.tolist() if isinstance(shape, torch.Tensor) else shape))


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _random.normal(_static_shape(shape), mean, stddev, dtype, _seed(seed))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return _random.uniform(_static_shape(shape), minval, maxval, dtype, _seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _random.truncated_normal(_static_shape(shape), mean, stddev, dtype, _seed(seed))


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    draws = _random.uniform(_static_shape(shape), dtype=dtype, seed=_seed(seed))
    return (draws <= p).to(_backend.to_torch_dtype(dtype))


random_binomial = random_bernoulli


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    return variable(random_normal(shape, mean, scale, dtype, seed), dtype, name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    return variable(random_uniform(shape, low, high, dtype, seed), dtype, name)


@op("tf.nn.dropout")
def dropout(x, level, noise_shape=None, seed=None):
    return _random.dropout(_t(x), level, noise_shape=noise_shape, seed=_seed(seed))


# ------------------------------------------------------------------ variables and values
def variable(value, dtype=None, name=None, constraint=None):
    """A `keras.Variable` holding `value`, of `floatx()` unless `dtype` says otherwise."""
    from kerastorch.variables import Variable
    if isinstance(value, KerasTensor):
        raise ValueError(f"`K.variable` needs a value; received the symbolic tensor {value}.")
    tensor = value.value if hasattr(value, "assign") else value
    tensor = tensor.detach() if isinstance(tensor, torch.Tensor) else \
        torch.as_tensor(np.asarray(tensor))
    v = Variable(tensor.to(_backend.to_torch_dtype(dtype or _backend.floatx())), name=name)
    v.constraint = constraint
    return v


def constant(value, dtype=None, shape=None, name=None):
    tensor = _t(value, dtype or _backend.floatx())
    if shape is not None:
        tensor = torch.broadcast_to(tensor, tuple(shape)).clone()
    return tensor


def zeros(shape, dtype=None, name=None):
    return variable(np.zeros(shape), dtype, name)


def ones(shape, dtype=None, name=None):
    return variable(np.ones(shape), dtype, name)


def eye(size, dtype=None, name=None):
    n, m = (size, size) if isinstance(size, int) else tuple(size)
    return variable(np.eye(n, m), dtype, name)


def zeros_like(x, dtype=None, name=None):
    return torch.zeros_like(_t(x), dtype=None if dtype is None else
                            _backend.to_torch_dtype(dtype))


def ones_like(x, dtype=None, name=None):
    return torch.ones_like(_t(x), dtype=None if dtype is None else
                           _backend.to_torch_dtype(dtype))


@op("tf.range")
def arange(start, stop=None, step=1, dtype="int32"):
    if stop is None:
        start, stop = 0, start
    return torch.arange(start, stop, step, dtype=_backend.to_torch_dtype(dtype))


def get_value(x):
    """The value of a variable or tensor as a numpy array."""
    if isinstance(x, KerasTensor):
        raise ValueError(f"`K.get_value` cannot read the symbolic tensor {x}: it has no value "
                         "until the model runs.")
    if hasattr(x, "numpy"):
        value = x.numpy()
        return value.numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
    return np.asarray(x)


eval = get_value  # noqa: A001


def batch_get_value(tensors):
    return [get_value(x) for x in tensors]


def set_value(x, value):
    """Assigns `value` (an array or number) to variable `x` in place."""
    if not hasattr(x, "assign"):
        raise ValueError(f"`K.set_value` needs a variable (with `assign`). Received: {x!r}")
    x.assign(np.asarray(value, dtype=np.dtype(dtype(x))))


def batch_set_value(tuples):
    for x, value in tuples:
        set_value(x, value)


def update(x, new_x):
    x.assign(new_x)
    return x


def update_add(x, increment):
    x.assign_add(increment)
    return x


def update_sub(x, decrement):
    x.assign_sub(decrement)
    return x


def moving_average_update(x, value, momentum):
    x.assign(_t(x) * momentum + _t(value) * (1.0 - momentum))
    return x


def print_tensor(x, message="", summarize=3):
    print(message, get_value(x))
    return x


def is_sparse(tensor):
    return bool(getattr(tensor, "is_sparse", False))


def to_dense(tensor):
    return tensor.to_dense() if is_sparse(tensor) else tensor


# ------------------------------------------------------------------ functions and phases
class _EagerFunction:
    """What `K.function(inputs, outputs)` returns: a callable running the graph eagerly."""

    def __init__(self, inputs, outputs, name=None):
        from kerastorch.models.model import Model
        self._single_output = not isinstance(outputs, (list, tuple))
        self._inputs = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        outputs = [outputs] if self._single_output else list(outputs)
        self._model = Model(list(self._inputs), outputs, name=name)

    def __call__(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            inputs = [inputs]
        if len(inputs) != len(self._inputs):
            raise ValueError(f"This function takes {len(self._inputs)} inputs; received "
                             f"{len(inputs)}.")
        with torch.no_grad():
            outputs = self._model(list(inputs))
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        values = [get_value(o) for o in outputs]
        return values[0] if self._single_output else values


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """A callable computing `outputs` from `inputs` (KerasTensors of a model), eagerly: given a
    list of arrays, it returns a list of numpy arrays (one array for a single output)."""
    if updates:
        raise ValueError("`updates` in `K.function` are not supported: the function runs "
                         "eagerly; update variables in your own code (`K.update`).")
    if kwargs:
        raise ValueError(f"Invalid argument(s) to `K.function`: {sorted(kwargs)}")
    return _EagerFunction(inputs, outputs, name=name)


def learning_phase():
    """0: kerastorch runs layers in inference mode unless `training=True` is passed."""
    return 0


def set_learning_phase(value):
    """A no-op with Keras 2's deprecation warning: pass `training=` to layers instead."""
    if value not in (0, 1):
        raise ValueError("Expected learning phase to be 0 or 1.")
    warnings.warn("`tf.keras.backend.set_learning_phase` is deprecated and will be removed "
                  "after 2020-10-11. To update it, simply pass a True/False value to the "
                  "`training` argument of the `__call__` method of your layer or model.",
                  stacklevel=2)


class learning_phase_scope:  # noqa: N801 - Keras's name
    """A context manager kept for Keras 2 scripts; layers take `training=` instead."""

    def __init__(self, value):
        if value not in (0, 1):
            raise ValueError("Expected learning phase to be 0 or 1.")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def in_train_phase(x, alt, training=None):
    if training is None:
        training = learning_phase()
    chosen = x if training in (1, True) else alt
    return chosen() if callable(chosen) else chosen


def in_test_phase(x, alt, training=None):
    return in_train_phase(alt, x, training=training)


class name_scope:  # noqa: N801 - Keras's name
    """Names nothing in kerastorch; kept so `with K.name_scope("x"):` runs."""

    def __init__(self, name, **kwargs):
        self.name = name

    def __enter__(self):
        return self.name

    def __exit__(self, *exc):
        return False


def reset_uids():
    _backend.clear_session()


def manual_variable_initialization(value):
    """Variables are always initialised when made in kerastorch; kept for Keras 2 scripts."""


def map_fn(fn, elems, name=None, dtype=None):
    return torch.stack([_t(fn(e)) for e in _t(elems)])


def foldl(fn, elems, initializer=None, name=None):
    elems = _t(elems)
    acc, start = (elems[0], 1) if initializer is None else (initializer, 0)
    for i in range(start, elems.shape[0]):
        acc = fn(acc, elems[i])
    return acc


def foldr(fn, elems, initializer=None, name=None):
    elems = _t(elems)
    n = elems.shape[0]
    acc, stop = (elems[n - 1], n - 1) if initializer is None else (initializer, n)
    for i in reversed(range(stop)):
        acc = fn(acc, elems[i])
    return acc


@op("ctc_batch_cost")
def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """Keras 2's CTC loss of each sample, `(batch, 1)`: `y_pred` softmax outputs `(batch, time,
    classes)` with the blank last, `y_true` padded labels, lengths `(batch, 1)`. As tf.keras 2,
    the log of `y_pred + epsilon` is renormalised (log-softmax) before the loss."""
    y_true, y_pred = _t(y_true), _t(y_pred)
    log_probs = torch.log_softmax(torch.log(y_pred + _backend.epsilon()), dim=-1)
    input_length = _t(input_length).reshape(-1).to(torch.int64)
    label_length = _t(label_length).reshape(-1).to(torch.int64)
    loss = torch.nn.functional.ctc_loss(
        log_probs.transpose(0, 1), y_true.to(torch.int64), input_length, label_length,
        blank=y_pred.shape[-1] - 1, reduction="none", zero_infinity=False)
    return loss.unsqueeze(-1).to(y_pred.dtype)


@op("tf.math.in_top_k")
def in_top_k(predictions, targets, k):
    """Whether each `targets` class is among the `k` highest `predictions` of its row."""
    return ops.in_top_k(_t(targets), _t(predictions), k)


# The Keras 2 backend functions kerastorch does not run (yet): asking for one raises an error
# naming it, never a substitute.
NOT_SUPPORTED = ("conv1d", "conv2d", "conv2d_transpose", "conv3d",
                 "ctc_decode", "ctc_label_dense_to_sparse", "depthwise_conv2d", "gradients",
                 "local_conv1d", "local_conv2d", "normalize_batch_in_training",
                 "placeholder", "pool2d", "pool3d", "resize_volumes", "rnn", "separable_conv2d",
                 "spatial_3d_padding", "binary_focal_crossentropy",
                 "categorical_focal_crossentropy")


# The functions made by _reduction / _unary / _binary carry their public names, so a saved
# model's TFOpLambda finds them again (`function_module` + `function`).
for _name, _fn in list(globals().items()):
    if callable(getattr(_fn, "_raw", None)) and _fn._raw.__name__ in ("fn", "wrapped"):
        _fn.__name__ = _fn.__qualname__ = _fn._raw.__name__ = _fn._raw.__qualname__ = _name
