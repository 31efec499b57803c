"""InputSpec: what a layer accepts (ndim, min_ndim, max_ndim, fixed axes), and the check
a layer call makes against it (Keras 3: `keras/src/layers/input_spec.py`)."""


class InputSpec:
    """What a layer accepts: `ndim`, `min_ndim`, `max_ndim` and fixed `axes` ({axis: size})."""

    def __init__(self, ndim=None, min_ndim=None, max_ndim=None, axes=None):
        self.ndim, self.min_ndim, self.max_ndim = ndim, min_ndim, max_ndim
        self.axes = dict(axes or {})

    def __repr__(self):
        return (f"InputSpec(ndim={self.ndim}, min_ndim={self.min_ndim}, "
                f"max_ndim={self.max_ndim}, axes={self.axes})")


def check_input_spec(layer, spec, shape, index=0):
    """Raises Keras's ValueError when `shape` does not satisfy `spec`."""
    if spec is None:
        return
    shape = tuple(shape)
    ndim = len(shape)
    where = f'Input {index} of layer "{layer.name}" is incompatible with the layer: '
    if spec.ndim is not None and ndim != spec.ndim:
        raise ValueError(f"{where}expected ndim={spec.ndim}, found ndim={ndim}. "
                         f"Full shape received: {shape}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(f"{where}expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                         f"Full shape received: {shape}")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(f"{where}expected max_ndim={spec.max_ndim}, found ndim={ndim}. "
                         f"Full shape received: {shape}")
    for axis, value in spec.axes.items():
        if value is None:
            continue
        if axis >= ndim or axis < -ndim:
            raise ValueError(f"{where}expected axis {axis} of input shape to have value {value}, "
                             f"but received input with shape {shape}")
        if shape[axis] is not None and shape[axis] != value:
            raise ValueError(f"{where}expected axis {axis} of input shape to have value {value}, "
                             f"but received input with shape {shape}")
