"""`keras.utils.timeseries_dataset_from_array`: sliding windows over a time series."""

import numpy as np

from kerastorch.utils.dataset_utils import BatchDataset
from kerastorch.utils.dataset_utils import Dataset


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """Batches of windows `data[i : i + sequence_length * sampling_rate : sampling_rate]`.

    Args:
        data: array `(timesteps, ...)`.
        targets: array with the target of the window starting at each `i` (or None).
        sequence_length: timesteps per window.
        sequence_stride: offset between consecutive window starts.
        sampling_rate: step between timesteps within a window.
        batch_size: windows per batch (None: unbatched windows).
        shuffle, seed: shuffle the windows (seeded as Keras does).
        start_index, end_index: the part of `data` used.

    Returns:
        A `BatchDataset` of `(windows, targets)` (or windows alone), as numpy arrays.
    """
    n = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index="
                             f"{start_index}")
        if start_index >= n:
            raise ValueError("`start_index` must be lower than the length of the data. "
                             f"Received: start_index={start_index}, for data of length {n}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError("`end_index` must be higher than `start_index`. Received: "
                             f"start_index={start_index}, and end_index={end_index} ")
        if end_index >= n:
            raise ValueError("`end_index` must be lower than the length of the data. Received: "
                             f"end_index={end_index}, for data of length {n}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= n:
            raise ValueError(f"`{name}` must be lower than the length of the data. Received: "
                             f"{name}={value}, for data of length {n}")
    start_index = start_index or 0
    end_index = end_index or n
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    starts = np.arange(0, num_seqs, sequence_stride)
    if shuffle:
        np.random.RandomState(seed if seed is not None else np.random.randint(1e6)).shuffle(starts)
    window = np.arange(0, sequence_length * sampling_rate, sampling_rate)
    data_slice = np.asarray(data[start_index:end_index])
    windows = data_slice[starts[:, None] + window[None, :]] if len(starts) else \
        np.zeros((0, sequence_length) + data_slice.shape[1:], data_slice.dtype)
    samples = windows if targets is None else (windows, np.asarray(targets[start_index:])[starts])
    return BatchDataset(Dataset(samples), batch_size)
