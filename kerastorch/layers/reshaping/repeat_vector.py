"""RepeatVector layer."""

from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class RepeatVector(Layer):
    """Repeats a 2D input `n` times along a new time axis.

    Args:
        n: number of repetitions.

    Input shape: `(batch_size, features)`. Output shape: `(batch_size, n, features)`.

    Example:
        >>> RepeatVector(3)(ops.ones((2, 32))).shape
        torch.Size([2, 3, 32])
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return inputs.unsqueeze(1).expand(-1, self.n, -1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        config = super().get_config()
        config.update(n=self.n)
        return config
