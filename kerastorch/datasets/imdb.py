"""keras.datasets.imdb: movie reviews as word-index sequences, labelled positive/negative."""

import numpy as np

from kerastorch.datasets import _sequences
from kerastorch.datasets.npz_utils import load_npz
from kerastorch.utils.file_utils import get_file


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    """`(x_train, y_train), (x_test, y_test)`: object arrays of int lists and int labels,
    shuffled, shifted by `index_from` and clipped to `num_words` as Keras does."""
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs}.")
    path = get_file(fname=path, origin=f"{_sequences.ORIGIN}imdb.npz",
                    file_hash="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f")
    f = load_npz(path)
    x_train, labels_train, x_test, labels_test = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    rng = np.random.RandomState(seed)
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, labels_train = x_train[order], labels_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, labels_test = x_test[order], labels_test[order]
    x_train = _sequences.shift_and_clip(x_train, start_char, index_from, num_words, skip_top,
                                        oov_char)
    x_test = _sequences.shift_and_clip(x_test, start_char, index_from, num_words, skip_top,
                                       oov_char)
    if maxlen:
        x_train, labels_train = _sequences.remove_long(maxlen, x_train, labels_train)
        x_test, labels_test = _sequences.remove_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no "
                             "sequence was kept. Increase maxlen.")
    xs = _sequences.clip_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    n = len(x_train)
    return ((_sequences.object_array(xs[:n]), labels[:n]),
            (_sequences.object_array(xs[n:]), labels[n:]))


def get_word_index(path="imdb_word_index.json"):
    """The dict word -> index of the imdb vocabulary."""
    return _sequences.word_index(path, "bfafd718b763782e994055a2d397834f")
