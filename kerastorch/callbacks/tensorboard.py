"""`TensorBoard`: writes training logs for TensorBoard."""

import os

from kerastorch.callbacks.callback import Callback


class TensorBoard(Callback):
    """Writes epoch logs (and optionally batch logs) for TensorBoard with torch's `SummaryWriter`.

    Scalars are `epoch_loss`, `epoch_accuracy`, ... under `log_dir/train` and
    `log_dir/validation`, as Keras writes them.

    Args:
        log_dir: where to write.
        update_freq: `"epoch"`, `"batch"` or an integer number of batches.
        histogram_freq: every how many epochs to write weight histograms (0: never).
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError as err:
            raise ImportError("The TensorBoard callback needs the `tensorboard` package: "
                              "`pip install tensorboard`.") from err
        self._writer_cls = SummaryWriter
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq, self.update_freq = histogram_freq, update_freq
        if update_freq == "batch":
            self.update_freq = 1
        self._writers = {}
        self._step = 0

    def _writer(self, name):
        if name not in self._writers:
            self._writers[name] = self._writer_cls(os.path.join(self.log_dir, name))
        return self._writers[name]

    def _overrides(self, hook):
        if hook == "on_train_batch_end":
            return isinstance(self.update_freq, int)
        return super()._overrides(hook)

    def on_train_batch_end(self, batch, logs=None):
        self._step += 1
        if isinstance(self.update_freq, int) and self._step % self.update_freq == 0:
            for k, v in (logs or {}).items():
                self._writer("train").add_scalar(f"batch_{k}", float(v), self._step)

    def on_epoch_end(self, epoch, logs=None):
        for k, v in (logs or {}).items():
            if k.startswith("val_"):
                self._writer("validation").add_scalar(f"epoch_{k[4:]}", float(v), epoch)
            else:
                self._writer("train").add_scalar(f"epoch_{k}", float(v), epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            for w in self.model.weights:
                self._writer("train").add_histogram(w.path, w.numpy(), epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
