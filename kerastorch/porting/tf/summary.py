"""`tf.summary`: TensorBoard event files written by torch's `SummaryWriter`.

`create_file_writer(logdir)` returns a writer; inside `with writer.as_default():` (or after
`writer.set_as_default()`), `scalar`, `image`, `histogram` and `text` write to it at `step`
(the argument, else `tf.summary.experimental.set_step`'s). Needs the `tensorboard` package
(kerastorch's `tensorboard` extra); without a default writer the calls write nothing and return
False, as in TensorFlow.
"""

import contextlib
import sys
import types

import numpy as np
import torch

from kerastorch.porting.errors import NotSupportedAttributeError

_default = []
_step = [None]


class SummaryWriter:
    """What `create_file_writer` returns (a `torch.utils.tensorboard.SummaryWriter` inside)."""

    def __init__(self, logdir, max_queue=None, flush_millis=None, filename_suffix=None):
        try:
            _TorchWriter = _torch_summary_writer()
        except ImportError as err:
            raise ImportError("tf.summary needs the `tensorboard` package: pip install "
                              "'kerastorch[tensorboard]'") from err
        kwargs = {}
        if max_queue is not None:
            kwargs["max_queue"] = int(max_queue)
        if flush_millis is not None:
            kwargs["flush_secs"] = max(1, int(flush_millis) // 1000)
        self.logdir = str(logdir)
        self._writer = _TorchWriter(self.logdir, filename_suffix=filename_suffix or "", **kwargs)

    @contextlib.contextmanager
    def as_default(self, step=None):
        _default.append(self)
        old_step = _step[0]
        if step is not None:
            _step[0] = step
        try:
            yield self
        finally:
            _default.remove(self)
            _step[0] = old_step
            self.flush()

    def set_as_default(self, step=None):
        _default.append(self)
        if step is not None:
            _step[0] = step

    def flush(self):
        self._writer.flush()

    def close(self):
        self._writer.close()

    def init(self):
        pass


def _torch_summary_writer():
    """torch's SummaryWriter class, imported with `tensorflow` hidden: tensorboard probes for
    TensorFlow, and under `kerastorch run` the script's `tensorflow` (this package) sits in
    sys.modules, where the import hook cannot tell tensorboard that it is not the real one."""
    hidden = {name: sys.modules.pop(name) for name in list(sys.modules)
              if name == "tensorflow" or name.startswith("tensorflow.")}
    try:
        from torch.utils.tensorboard import SummaryWriter as writer_class
    finally:
        sys.modules.update(hidden)
    return writer_class


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None,
                       name=None, experimental_trackable=False, experimental_mesh=None):
    return SummaryWriter(logdir, max_queue, flush_millis, filename_suffix)


def create_noop_writer():
    class _Noop:
        as_default = staticmethod(contextlib.nullcontext)
        set_as_default = flush = close = init = staticmethod(lambda *a, **k: None)
    return _Noop()


def _resolve_step(step):
    step = _step[0] if step is None else step
    if step is None:
        raise ValueError("No step set. Please specify one either through the `step` argument "
                         "or through tf.summary.experimental.set_step()")
    return int(getattr(step, "value", step)) if not isinstance(step, int) else step


def _numpy(data):
    value = getattr(data, "value", data)
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _writer():
    return _default[-1]._writer if _default else None


def scalar(name, data, step=None, description=None):
    writer = _writer()
    if writer is None:
        return False
    writer.add_scalar(name, float(_numpy(data)), _resolve_step(step))
    return True


def histogram(name, data, step=None, buckets=None, description=None):
    writer = _writer()
    if writer is None:
        return False
    writer.add_histogram(name, _numpy(data).reshape(-1), _resolve_step(step),
                         bins=int(buckets) if buckets else "tensorflow")
    return True


def image(name, data, step=None, max_outputs=3, description=None):
    """`data`: `(k, h, w, c)` images, floats in [0, 1] or uint8; the first `max_outputs`."""
    writer = _writer()
    if writer is None:
        return False
    arr = _numpy(data)
    if arr.ndim != 4:
        raise ValueError(f"tf.summary.image expects a 4-D tensor (k, h, w, c), received shape "
                         f"{arr.shape}")
    step = _resolve_step(step)
    for i, img in enumerate(arr[:max_outputs]):
        tag = name if arr.shape[0] == 1 else f"{name}/image/{i}"
        writer.add_image(tag, img, step, dataformats="HWC")
    return True


def text(name, data, step=None, description=None):
    writer = _writer()
    if writer is None:
        return False
    writer.add_text(name, str(data if not hasattr(data, "numpy") else data.numpy()),
                    _resolve_step(step))
    return True


def flush(writer=None, name=None):
    target = writer or (_default[-1] if _default else None)
    if target is not None:
        target.flush()


def _set_step(step):
    _step[0] = step


experimental = types.ModuleType(f"{__name__}.experimental", "tf.summary.experimental.")
experimental.set_step = _set_step
experimental.get_step = lambda: _step[0]


def __getattr__(name):
    raise NotSupportedAttributeError(f"tensorflow.summary.{name}")
