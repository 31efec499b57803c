"""BatchNormalization with Keras's defaults and moving-statistics update."""

import torch
import torch.nn.functional as F

from kerastorch import initializers
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class BatchNormalization(Layer):
    """Normalizes each feature with batch statistics in training and moving statistics at
    inference: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    Weights (Keras order): `gamma`, `beta` (trainable parameters `weight`, `bias`) and
    `moving_mean`, `moving_variance` (non-trainable, torch buffers `running_mean`,
    `running_var`). In training, the moving statistics move as Keras moves them:
    `moving = moving * momentum + batch * (1 - momentum)` with the *biased* batch variance
    (torch's own BatchNorm would use the unbiased one). A layer with `trainable=False` always
    runs in inference mode, as Keras's does.

    On a 4D or 5D input normalized along axis 1 or the last axis, the moving variance takes
    the *unbiased* batch variance instead, as tf.keras 2 does there (its fused kernel).

    Args:
        axis: the feature axis (default -1, channels-last), or a list of axes (Keras 2):
            then the weights have the input's rank, with 1 along the other axes.
        momentum: momentum of the moving statistics (default 0.99).
        epsilon: added to the variance (default 1e-3).
        center: whether to add `beta`.
        scale: whether to multiply by `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: initializers (`zeros`, `ones`, `zeros`, `ones`).
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: optional.

    Input shape: any, with a known size along `axis`. Output shape: same as the input.

    Example:
        >>> bn = BatchNormalization()
        >>> bn(ops.ones((4, 8, 8, 16)), training=True).shape
        torch.Size([4, 8, 8, 16])
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, renorm=False, **kwargs):
        for key in ("renorm_clipping", "renorm_momentum"):
            kwargs.pop(key, None)
        super().__init__(**kwargs)
        if renorm:
            raise ValueError("BatchNormalization(renorm=True) is not supported by kerastorch.")
        if isinstance(axis, (list, tuple)) and len(axis) == 1:
            axis = axis[0]  # Keras 2 writes `axis: [3]`
        if isinstance(axis, (list, tuple)):
            if not axis or not all(isinstance(a, int) for a in axis):
                raise TypeError("Expected an int or a list of ints for argument `axis`. "
                                f"Received: axis={axis}")
            axis = [int(a) for a in axis]
        elif not isinstance(axis, int):
            raise TypeError(f"Expected an int value for argument `axis`. Received: axis={axis}")
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.synchronized = synchronized
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = self._axes(input_shape)
        for a in axes:
            if input_shape[a] is None:
                raise ValueError(f"Axis {a} of input tensor should have a defined dimension "
                                 f'but the layer "{self.name}" received an input with shape '
                                 f"{tuple(input_shape)}.")
        if len(axes) == 1:
            shape = (input_shape[axes[0]],)
        else:  # several axes: Keras 2's weights keep the input's rank, 1 on the other axes
            shape = tuple(input_shape[d] if d in axes else 1 for d in range(ndim))
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, torch_name="weight")
        else:
            self.weight = None
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, torch_name="bias")
        else:
            self.bias = None
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False, torch_name="running_mean", buffer=True)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False, torch_name="running_var",
                                               buffer=True)
        self._channel_dim = axes[0] if len(axes) == 1 else None
        self._reduce = tuple(d for d in range(ndim) if d not in axes)
        # tf.keras 2 runs TensorFlow's fused kernel on a 4D/5D input normalized along its
        # second or last axis; the kernel's batch variance for the moving statistics is the
        # unbiased one (elsewhere, and in Keras 3, it is the biased one).
        self._unbiased_moving = ndim in (4, 5) and axes in ([1], [ndim - 1])
        spec_axes = [self.axis] if isinstance(self.axis, int) else axes
        self.input_spec = InputSpec(ndim=ndim, axes={a: input_shape[a] for a in spec_axes})
        self.built = True

    def _axes(self, input_shape):
        ndim = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if not -ndim <= a < ndim:
                raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                                 f"{tuple(input_shape)}. Received: axis={self.axis}")
        axes = sorted(a % ndim for a in axes)
        if len(set(axes)) != len(axes):
            raise ValueError(f"Duplicate axis: {self.axis}")
        return axes

    def call(self, inputs, training=None, mask=None):
        if training is None:
            training = self.training
        c = self._channel_dim
        if c is None:
            return self._call_axes(inputs, training)
        x = inputs if c == 1 else inputs.movedim(c, 1)  # a view: NHWC -> channels_last NCHW
        if training and self.trainable:
            if self.synchronized and _distributed():
                y = self._synchronized_training(x)
            elif mask is not None:
                y = self._masked_training(x, mask if c == 1 else mask, inputs)
            else:
                # One fused pass gives the output and the batch mean and 1/sqrt(var + eps);
                # the moving statistics then take the biased variance, as Keras's do.
                y, mean, invstd = torch.native_batch_norm(x, self.weight, self.bias, None, None,
                                                          True, 0.0, self.epsilon)
                var = invstd.pow(-2).sub_(self.epsilon)
                if self._unbiased_moving:
                    n = x.numel() // x.shape[1]
                    var = var.mul_(n / (n - 1)) if n > 1 else var
                self._update_moving(mean, var)
        else:
            y = F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                             False, 0.0, self.epsilon)
        return y if c == 1 else y.movedim(1, c)

    def _call_axes(self, inputs, training):
        """Normalization over several axes (statistics of the shape of the weights)."""
        if training and self.trainable:
            var, mean = torch.var_mean(inputs, dim=self._reduce, correction=0, keepdim=True)
            self._update_moving(mean.detach(), var.detach())
        else:
            mean, var = self.running_mean, self.running_var
        inv = torch.rsqrt(var + self.epsilon)
        if self.weight is not None:
            inv = inv * self.weight
        y = (inputs - mean) * inv
        return y if self.bias is None else y + self.bias

    def _update_moving(self, mean, var):
        # moving * momentum + batch * (1 - momentum), both statistics in one call (the batch
        # statistics of native_batch_norm carry no gradient).
        torch._foreach_lerp_((self.running_mean, self.running_var), (mean, var),
                             1.0 - self.momentum)

    def _synchronized_training(self, x):
        """Batch statistics over every process's samples (under torchrun), differentiably:
        the sums go through torch.distributed.nn's all_reduce, so gradients cross processes
        as in one process on the whole global batch."""
        from torch.distributed.nn.functional import all_reduce
        dims = [d for d in range(x.ndim) if d != 1]
        count = torch.full((1,), x.numel() / x.shape[1], dtype=x.dtype, device=x.device)
        sums = all_reduce(torch.cat([x.sum(dim=dims), x.square().sum(dim=dims), count]))
        channels = x.shape[1]
        n = sums[-1]
        mean = sums[:channels] / n
        var = (sums[channels:2 * channels] / n - mean.square()).clamp_min(0.0)
        self._update_moving(mean.detach(), var.detach())
        shape = [1, -1] + [1] * (x.ndim - 2)
        y = (x - mean.reshape(shape)) * torch.rsqrt(var + self.epsilon).reshape(shape)
        if self.weight is not None:
            y = y * self.weight.reshape(shape)
        if self.bias is not None:
            y = y + self.bias.reshape(shape)
        return y

    def _masked_training(self, x, mask, inputs):
        """Batch statistics over the unmasked positions only (mask has the input's rank - 1)."""
        if mask.ndim != inputs.ndim - 1:
            raise ValueError("The mask provided should be one dimension less than the inputs. "
                             f"Received: mask.shape={tuple(mask.shape)}, "
                             f"inputs.shape={tuple(inputs.shape)}")
        w = mask.to(x.dtype).unsqueeze(-1)
        if self._channel_dim != 1:
            w = w.movedim(-1, 1)
        dims = [d for d in range(x.ndim) if d != 1]
        total = w.expand_as(x).sum(dim=dims)
        mean = (x * w).sum(dim=dims) / total
        shape = [1, -1] + [1] * (x.ndim - 2)
        var = ((x - mean.reshape(shape)).square() * w).sum(dim=dims) / total
        self._update_moving(mean.detach(), var.detach())
        return F.batch_norm(x, mean, var, self.weight, self.bias, False, 0.0, self.epsilon)

    def compute_output_shape(self, input_shape):
        self._axes(input_shape)
        return input_shape

    def get_config(self):
        config = super().get_config()
        ser = initializers.serialize
        config.update(axis=self.axis, momentum=self.momentum, epsilon=self.epsilon,
                      center=self.center, scale=self.scale,
                      beta_initializer=ser(self.beta_initializer),
                      gamma_initializer=ser(self.gamma_initializer),
                      moving_mean_initializer=ser(self.moving_mean_initializer),
                      moving_variance_initializer=ser(self.moving_variance_initializer),
                      beta_regularizer=self.beta_regularizer,
                      gamma_regularizer=self.gamma_regularizer,
                      beta_constraint=self.beta_constraint, gamma_constraint=self.gamma_constraint,
                      synchronized=self.synchronized)
        return config

    def extra_repr(self):
        return f"axis={self.axis}, momentum={self.momentum}, epsilon={self.epsilon}"


def _distributed():
    import torch.distributed as dist
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1
