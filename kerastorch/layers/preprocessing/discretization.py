"""Discretization: buckets continuous values by boundaries (given, or learned by `adapt`)."""

import numpy as np
import torch

from kerastorch import backend
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.category_encoding import encode_categorical


def _summarize(values, epsilon):
    """About `1 / epsilon` evenly spaced order statistics of `values`, each with its weight."""
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size * epsilon, 1)
    picked = values[int(step - 1)::int(step)]
    return np.stack([picked, np.full(picked.shape, step, dtype=picked.dtype)])


def _compress(summary, epsilon):
    """Re-buckets a weighted summary at the quantiles `epsilon, 2 * epsilon, ..., 1`."""
    if summary.shape[1] * epsilon < 1:
        return summary
    quantiles = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    points = np.interp(quantiles, fractions, summary[0])
    at = np.interp(quantiles, fractions, cumulative)
    weights = np.diff(np.concatenate([[0.0], at]))
    return np.stack([points, weights]).astype("float32")


def _merge(a, b, epsilon):
    both = np.concatenate([a, b], axis=1)
    return _compress(both[:, np.argsort(both[0])], epsilon)


class Discretization(Layer):
    """Maps each value to the index of its bucket (`boundaries[i-1] <= x < boundaries[i]`).

    Args:
        bin_boundaries: sorted boundaries; `len(bin_boundaries) + 1` buckets.
        num_bins: the number of buckets to learn with `adapt()` (instead of boundaries).
        epsilon: the error tolerance of the quantiles `adapt()` estimates (default 0.01).
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: not supported on torch.

    Example:
        >>> layers.Discretization(bin_boundaries=[0.0, 1.0])([[-0.5, 0.5, 1.5]])
        tensor([[0, 1, 2]])
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        if sparse:
            raise ValueError("`sparse=True` cannot be used with backend torch")
        if output_mode not in ("int", "one_hot", "multi_hot", "count"):
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"('int', 'one_hot', 'multi_hot', 'count'). Received: "
                             f"output_mode={output_mode}")
        if num_bins is not None and num_bins < 0:
            raise ValueError("`num_bins` must be greater than or equal to 0. Received: "
                             f"`num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            if len(bin_boundaries) != num_bins - 1:
                raise ValueError("Both `num_bins` and `bin_boundaries` should not be set. "
                                 f"Received: `num_bins={num_bins}` and "
                                 f"`bin_boundaries={bin_boundaries}`")
        self.input_bin_boundaries = bin_boundaries
        self.bin_boundaries = list(bin_boundaries) if bin_boundaries is not None else None
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = np.array([[], []], dtype="float32")
        self.built = True

    @property
    def output_dtype(self):
        return self.compute_dtype if self.output_mode != "int" else "int32"

    def adapt(self, data, steps=None):
        """Learns `num_bins - 1` quantile boundaries from `data` (an array or batches)."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized "
                             "with `bin_boundaries`, use `num_bins` instead.")
        self.reset_state()
        if isinstance(data, (np.ndarray, torch.Tensor)) or not hasattr(data, "__iter__"):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        if isinstance(data, torch.Tensor):
            data = data.detach().cpu().numpy()
        data = np.array(data).astype("float32")
        self.summary = _merge(_summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is None:
            return
        self.bin_boundaries = _compress(self.summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def reset_state(self):
        if self.num_bins is None:
            return
        self.summary = np.array([[], []], dtype="float32")

    def _convert_input(self, x):
        return x if isinstance(x, torch.Tensor) else torch.as_tensor(np.asarray(x))

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at "
                             "construction time or call `adapt(dataset)` before you can start "
                             "using the `Discretization` layer.")
        x = inputs if isinstance(inputs, torch.Tensor) else torch.as_tensor(np.asarray(inputs))
        # The boundaries are float32, as TensorFlow's Bucketize holds them (a float32 value
        # on a boundary such as 1.39 goes to the bucket above it).
        bounds = torch.as_tensor(self.bin_boundaries, dtype=torch.float32,
                                 device=x.device).double()
        ids = torch.bucketize(x.to(torch.float64), bounds, right=True)
        return encode_categorical(ids, self.output_mode, len(self.bin_boundaries) + 1,
                                  backend.to_torch_dtype(self.output_dtype))

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = (len(self.bin_boundaries) + 1 if self.bin_boundaries is not None
                 else self.num_bins)
        return tuple(input_shape[:-1]) + (depth,)

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self._dtype}
