"""TorchModuleWrapper: use any `torch.nn.Module` as a Keras layer."""

from torch import nn

from kerastorch.layers.layer import Layer


class TorchModuleWrapper(Layer):
    """Wraps a `torch.nn.Module` so it can be used in Sequential and functional models; its
    parameters become the layer's weights (trainable, in torch's layout).

    Args:
        module: the torch module (lazy modules such as `nn.LazyLinear` are built on first call).
        output_shape: the output shape without the batch axis, when it cannot be inferred by
            running the module on `meta` tensors.

    Example:
        >>> layer = TorchModuleWrapper(torch.nn.Linear(4, 2))
        >>> layer(ops.ones((3, 4))).shape
        torch.Size([3, 2])
    """

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(module, nn.Module):
            raise ValueError("TorchModuleWrapper expects a torch.nn.Module. "
                             f"Received: module={module!r}")
        self.module = module
        self._output_shape = None if output_shape is None else tuple(output_shape)

    def build(self, input_shape):
        if any(isinstance(m, nn.modules.lazy.LazyModuleMixin) for m in self.module.modules()):
            import torch
            shape = tuple(1 if d is None else d for d in input_shape)
            self.module(torch.zeros(shape))
        self.built = True

    def call(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is not None:
            return (input_shape[0],) + self._output_shape
        return super().compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(module=self.module, output_shape=self._output_shape)
        return config
