"""TimeDistributed: applies a layer to every temporal slice of its input."""

from kerastorch.layers.layer import Layer


class TimeDistributed(Layer):
    """Applies `layer` to each step of `(batch, time, ...)` inputs, as Keras does.

    The steps are folded into the batch (`(batch * time, ...)`), so the wrapped layer runs once
    rather than once per step; its weights are shared by all steps. (A wrapped layer whose
    training-time behaviour depends on batch statistics, such as BatchNormalization in training
    mode, sees all steps together, where Keras runs it step by step.)

    Args:
        layer: a Layer instance.

    Input shape: `(batch, time, ...)`, at least 3D.

    Example:
        >>> TimeDistributed(Dense(8))(ops.ones((32, 10, 16))).shape
        torch.Size([32, 10, 8])
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `TimeDistributed` layer with a "
                             f"`keras.layers.Layer` instance. Received: {layer}")
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def _child_input_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape` with at "
                             f"least 3 dimensions, received: {input_shape}")
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape):
        self.layer._maybe_build(self._child_input_shape(tuple(input_shape)))
        self.built = True

    def call(self, inputs, training=None, mask=None):
        if inputs.dim() < 3:
            self._child_input_shape(tuple(inputs.shape))
        batch, steps = inputs.shape[0], inputs.shape[1]
        kwargs = {}
        if training is not None and self.layer._call_has_training:
            kwargs["training"] = training
        if mask is not None and self.layer._call_has_mask:
            if mask.dim() < 2 or tuple(mask.shape[:2]) != (batch, steps):
                raise ValueError(f"The `mask` passed to the `TimeDistributed` layer has a shape "
                                 f"{tuple(mask.shape)} that is incompatible with the input "
                                 f"shape {tuple(inputs.shape)}.")
            kwargs["mask"] = mask.reshape((batch * steps,) + tuple(mask.shape[2:]))
        y = self.layer(inputs.reshape((batch * steps,) + tuple(inputs.shape[2:])), **kwargs)
        return y.reshape((batch, steps) + tuple(y.shape[1:]))

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape(self._child_input_shape(tuple(input_shape)))
        return (child[0], input_shape[1], *child[1:])

    def compute_mask(self, inputs, mask=None):
        return mask

    def get_config(self):
        config = super().get_config()
        config.update(layer=self.layer)
        return config
