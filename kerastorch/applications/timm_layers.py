"""Keras-named layers whose weights and computation are those of a timm submodule.

An application (Xception, ...) is a kerastorch functional graph of these views over one timm
model: `model.layers` carries Keras's names and weight layouts, while the parameters stay where
timm put them (so timm checkpoints load into the timm model unchanged). A view takes and returns
channels-last tensors, handing timm a channels_last-strided NCHW view (no copy).
"""

import torch
import torch.nn.functional as F

from kerastorch.layers.convolutional import conv_utils
from kerastorch.layers.layer import Layer
from kerastorch.variables import LayerVariable
from kerastorch.variables import Variable


class _ViewVariable(LayerVariable):
    """A Keras weight of a view layer: the tensor lives on a timm submodule."""

    def __init__(self, view, module, attr, name, layout=None, trainable=True):
        super().__init__(module, attr, name, layout=layout, trainable=trainable)
        self._view = view

    @property
    def path(self):
        return f"{self._view.name}/{self.name}"

    @property
    def trainable(self):
        t = self.torch_tensor
        return isinstance(t, torch.nn.Parameter) and t.requires_grad

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        t = self.torch_tensor
        if isinstance(t, torch.nn.Parameter):
            t.requires_grad_(self._trainable and self._view.trainable)


class TimmView(Layer):
    """Base of the views: holds (without registering) the timm submodule it computes with."""

    def __init__(self, module, name):
        super().__init__(name=name)
        object.__setattr__(self, "module", module)  # owned by the timm model, not by the view
        for keras_name, owner, attr, layout, trainable in self._weight_specs(module):
            self._keras_weights.append(
                _ViewVariable(self, owner, attr, keras_name, layout=layout, trainable=trainable))
        self.built = True

    def _weight_specs(self, module):
        return []


def _nchw(x):
    return x.permute(0, 3, 1, 2)


def _nhwc(y):
    return y.permute(0, 2, 3, 1)


def _to_channels_last(conv):
    conv.weight.data = conv.weight.data.contiguous(memory_format=torch.channels_last)


class Conv2D(TimmView):
    """A view of an `nn.Conv2d` as Keras's Conv2D (kernel `(kh, kw, in, out)`), with an
    optional fused activation as Keras's `Conv2D(activation=...)`."""

    def __init__(self, module, name, padding="valid", activation=None):
        from kerastorch import activations
        super().__init__(module, name)
        self.padding = padding
        self.activation = activations.get(activation)
        self._act = None if self.activation is activations.linear else self.activation
        _to_channels_last(module)

    def _weight_specs(self, module):
        specs = [("kernel", module, "weight", (2, 3, 1, 0), True)]
        if module.bias is not None:
            specs.append(("bias", module, "bias", None, True))
        return specs

    def call(self, inputs):
        y = self.module(_nchw(inputs))
        return _nhwc(y if self._act is None else self._act(y))

    def compute_output_shape(self, input_shape):
        m = self.module
        spatial = [conv_utils.output_length(n, k, s, self.padding, d) for n, k, s, d in
                   zip(input_shape[1:3], m.kernel_size, m.stride, m.dilation)]
        return (input_shape[0], *spatial, m.out_channels)


class SeparableConv2D(TimmView):
    """A view of timm's `SeparableConv2d` (depthwise `conv1`, then `pointwise`), stride 1."""

    def __init__(self, module, name):
        super().__init__(module, name)
        _to_channels_last(module.conv1)
        _to_channels_last(module.pointwise)

    def _weight_specs(self, module):
        return [("depthwise_kernel", module.conv1, "weight", (2, 3, 0, 1), True),
                ("pointwise_kernel", module.pointwise, "weight", (2, 3, 1, 0), True)]

    def call(self, inputs):
        m = self.module
        return _nhwc(m.pointwise(m.conv1(_nchw(inputs))))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.module.pointwise.out_channels,)


class BatchNormalization(TimmView):
    """A view of an `nn.BatchNorm2d` with Keras's defaults (momentum 0.99, epsilon 1e-3).

    It normalises with the batch's statistics only when training and trainable, as Keras does:
    a frozen BatchNormalization keeps its moving statistics.
    """

    def __init__(self, module, name, momentum=0.99, epsilon=1e-3):
        module.momentum, module.eps = 1.0 - momentum, epsilon
        super().__init__(module, name)

    def _weight_specs(self, module):
        return [("gamma", module, "weight", None, True), ("beta", module, "bias", None, True),
                ("moving_mean", module, "running_mean", None, False),
                ("moving_variance", module, "running_var", None, False)]

    def call(self, inputs, training=None):
        m = self.module
        if training is None:
            training = self.training
        training = bool(training) and self.trainable
        y = F.batch_norm(_nchw(inputs), m.running_mean, m.running_var, m.weight, m.bias,
                         training, m.momentum, m.eps)
        return _nhwc(y)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class Dense(TimmView):
    """A view of an `nn.Linear` as Keras's Dense (kernel `(in, out)`), with an activation."""

    def __init__(self, module, name, activation=None):
        from kerastorch import activations
        super().__init__(module, name)
        self.activation = activations.get(activation)

    def _weight_specs(self, module):
        return [("kernel", module, "weight", (1, 0), True), ("bias", module, "bias", None, True)]

    def call(self, inputs):
        return self.activation(F.linear(inputs, self.module.weight, self.module.bias))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.module.out_features,)


class _ReshapedViewVariable(_ViewVariable):
    """A Keras weight whose layout is a permutation then a reshape of the torch tensor (a
    convolution used as a Dense layer, as timm's VGG head is)."""

    def __init__(self, view, module, attr, name, layout, keras_shape):
        super().__init__(view, module, attr, name, layout=layout)
        self._keras_shape = tuple(keras_shape)

    @property
    def value(self):
        return self.torch_tensor.permute(self._layout).reshape(self._keras_shape)

    def assign(self, value):
        t = torch.as_tensor(value.value if isinstance(value, Variable) else value)
        if tuple(t.shape) != self._keras_shape:
            raise ValueError(f"The shape of the target variable and the shape of the value must "
                             f"match. variable.shape={self._keras_shape}, Received: value.shape="
                             f"{tuple(t.shape)} (variable {self.path})")
        target = self.torch_tensor
        permuted_shape = tuple(target.shape[i] for i in self._layout)
        with torch.no_grad():
            target.copy_(t.reshape(permuted_shape).permute(self._inverse))
        return self

    def _keras_layout_of(self, t):
        return t.permute(self._layout).reshape(self._keras_shape)

    def _torch_layout_of(self, t):
        permuted_shape = tuple(self.torch_tensor.shape[i] for i in self._layout)
        return t.reshape(permuted_shape).permute(self._inverse)


class ConvAsDense(TimmView):
    """Keras's Dense over a flattened NHWC feature map, computed by timm's convolution.

    Keras's kernel is `(h * w * in, out)` in the (h, w, c) order of `Flatten`; the view maps it
    onto the `(out, in, h, w)` convolution, which runs on the un-flattened NCHW view: no copy.
    """

    def __init__(self, module, name, activation=None):
        from kerastorch import activations
        super().__init__(module, name)
        self.activation = activations.get(activation)
        self._make_weights()

    def _make_weights(self):
        m = self.module
        kh, kw = m.kernel_size
        shape = (kh * kw * m.in_channels, m.out_channels)
        self._keras_weights = [
            _ReshapedViewVariable(self, m, "weight", "kernel", (2, 3, 1, 0), shape),
            _ViewVariable(self, m, "bias", "bias")]

    def call(self, inputs):
        m = self.module
        kh, kw = m.kernel_size
        x = inputs.reshape(inputs.shape[0], kh, kw, m.in_channels).permute(0, 3, 1, 2)
        return self.activation(m(x).flatten(1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.module.out_channels)
