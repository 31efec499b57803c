"""`CSVLogger`: writes each epoch's logs to a CSV file."""

import csv
import os

import numpy as np
import torch

from kerastorch.callbacks.callback import Callback


class CSVLogger(Callback):
    """Streams each epoch's logs to a CSV file (`epoch` then the log names, sorted).

    Args:
        filename: the CSV file.
        separator: the column separator.
        append: append to an existing file instead of overwriting it.
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.sep, self.append = os.fspath(filename), separator, append
        self.keys = None
        self.writer = None
        self.csv_file = None
        self._append_header = True

    def on_train_begin(self, logs=None):
        mode = "a" if self.append else "w"
        if self.append and os.path.exists(self.filename):
            with open(self.filename) as f:
                self._append_header = not bool(len(f.readline()))
        self.csv_file = open(self.filename, mode, newline="")
        self.keys, self.writer = None, None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}

        def handle(v):
            is_zero_dim = isinstance(v, (np.ndarray, torch.Tensor)) and v.ndim == 0
            if isinstance(v, str):
                return v
            if hasattr(v, "__iter__") and not is_zero_dim:
                return f"\"[{', '.join(map(str, v))}]\""
            return v

        if self.keys is None:
            self.keys = sorted(logs.keys())
        if self.writer is None:
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         delimiter=self.sep)
            if self._append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((k, handle(logs.get(k, "NA"))) for k in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
        self.writer = None
