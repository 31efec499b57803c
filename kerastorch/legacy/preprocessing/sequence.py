"""Keras 2's sequence preprocessing (`keras.preprocessing.sequence`).

`pad_sequences` is `keras.utils.pad_sequences`; `skipgrams` draws from Python's `random`
module, as Keras 2 does, so a script that seeds `random` gets tf.keras 2's pairs;
`TimeseriesGenerator` is a `keras.utils.PyDataset` that `fit` takes directly.
"""

import json
import random

import numpy as np

from kerastorch.utils.py_dataset import PyDataset
from kerastorch.utils.sequence_utils import pad_sequences  # noqa: F401


def make_sampling_table(size, sampling_factor=1e-5):
    """Probabilities of keeping each word rank, for `skipgrams(sampling_table=...)`.

    The word of rank `i` (a Zipf distribution of frequencies) is kept with probability
    `min(1, sqrt(sampling_factor / f(i)))`, word2vec's subsampling of frequent words.

    Args:
        size: the vocabulary size.
        sampling_factor: word2vec's `t` (smaller: frequent words dropped more).

    Returns:
        a float array of shape `(size,)`.
    """
    gamma = 0.577
    rank = np.arange(size)
    rank[0] = 1
    inv_fq = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inv_fq
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, shuffle=True,
              categorical=False, sampling_table=None, seed=None):
    """Word pairs `[word, context]` labelled 1 (within `window_size`) or 0 (random negatives).

    Args:
        sequence: a list of word indices (0 is skipped: it is padding).
        vocabulary_size: negatives are drawn from `[1, vocabulary_size)`.
        window_size: how far a context word may be.
        negative_samples: negatives per positive pair (a float, >= 0).
        shuffle: shuffle the pairs (with `seed`, reproducibly).
        categorical: labels as `[0, 1]` / `[1, 0]` instead of 1 / 0.
        sampling_table: `make_sampling_table`'s probabilities; the word of index `i` is kept
            with probability `sampling_table[i]`.
        seed: the shuffle's seed.

    Returns:
        `(couples, labels)`: lists of `[word, context]` and of labels.
    """
    couples, labels = [], []
    for i, wi in enumerate(sequence):
        if not wi:
            continue
        if sampling_table is not None and sampling_table[wi] < random.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j == i or not sequence[j]:
                continue
            couples.append([wi, sequence[j]])
            labels.append([0, 1] if categorical else 1)
    if negative_samples > 0:
        num_negative = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        random.shuffle(words)
        couples += [[words[i % len(words)], random.randint(1, vocabulary_size - 1)]
                    for i in range(num_negative)]
        labels += ([[1, 0]] if categorical else [0]) * num_negative
    if shuffle:
        if seed is None:
            seed = random.randint(0, 10e6)
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels


class TimeseriesGenerator(PyDataset):
    """Batches of sliding windows over a time series, with the target after each window.

    Sample `k` of the series ends at row `r` and is `data[r - length:r:sampling_rate]`; its
    target is `targets[r]`. Rows run from `start_index + length` to `end_index` (inclusive)
    in steps of `stride`.

    Args:
        data: an indexable of time steps (a numpy array, a list of arrays).
        targets: one target per time step, `len(targets) == len(data)`.
        length: the window length, in time steps (before sampling).
        sampling_rate: keep every `sampling_rate`-th step of a window.
        stride: steps between consecutive windows.
        start_index, end_index: the rows windows may end at (`end_index` default: the last).
        shuffle: draw the rows of each batch at random (`np.random`).
        reverse: windows in reverse time order.
        batch_size: windows per batch (the last batch may be smaller).

    Example:
        >>> gen = TimeseriesGenerator(np.arange(10), np.arange(10), length=3, batch_size=2)
        >>> gen[0][0].tolist(), gen[0][1].tolist()
        ([[0, 1, 2], [1, 2, 3]], [3, 4])
    """

    def __init__(self, data, targets, length, sampling_rate=1, stride=1, start_index=0,
                 end_index=None, shuffle=False, reverse=False, batch_size=128, **kwargs):
        super().__init__(**kwargs)
        if len(data) != len(targets):
            raise ValueError("Data and targets have to be of same length. Data length is "
                             f"{len(data)} while target length is {len(targets)}")
        self.data = data
        self.targets = targets
        self.length = length
        self.sampling_rate = sampling_rate
        self.stride = stride
        self.start_index = start_index + length
        if end_index is None:
            end_index = len(data) - 1
        self.end_index = end_index
        self.shuffle = shuffle
        self.reverse = reverse
        self.batch_size = batch_size
        if self.start_index > self.end_index:
            raise ValueError(f"`start_index+length={self.start_index} > end_index="
                             f"{self.end_index}` is disallowed, as no part of the sequence "
                             "would be left to be used as current step.")

    def __len__(self):
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def __getitem__(self, index):
        if self.shuffle:
            rows = np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            i = self.start_index + self.batch_size * self.stride * index
            rows = np.arange(i, min(i + self.batch_size * self.stride, self.end_index + 1),
                             self.stride)
        samples = np.array([self.data[row - self.length:row:self.sampling_rate]
                            for row in rows])
        targets = np.array([self.targets[row] for row in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets

    def get_config(self):
        """The generator's arguments, the series as JSON strings.

        As in Keras 2, `start_index` is the first row a window ends at (`start_index + length`
        of the constructor's arguments).
        """
        def listed(values):
            return values.tolist() if isinstance(values, np.ndarray) else values

        return {
            "data": json.dumps(listed(self.data)),
            "targets": json.dumps(listed(self.targets)),
            "length": self.length,
            "sampling_rate": self.sampling_rate,
            "stride": self.stride,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "shuffle": self.shuffle,
            "reverse": self.reverse,
            "batch_size": self.batch_size,
        }

    def to_json(self, **kwargs):
        """The generator as JSON (`{"class_name": ..., "config": get_config()}`)."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)


__all__ = ["TimeseriesGenerator", "make_sampling_table", "pad_sequences", "skipgrams"]
