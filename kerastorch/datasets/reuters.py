"""keras.datasets.reuters: newswires as word-index sequences, labelled with one of 46 topics."""

import numpy as np

from kerastorch.datasets import _sequences
from kerastorch.datasets.npz_utils import load_npz
from kerastorch.utils.file_utils import get_file

_LABELS = ("cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
           "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass",
           "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum",
           "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi",
           "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
           "dlr", "gas", "silver", "wpi", "hog", "lead")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3):
    """`(x_train, y_train), (x_test, y_test)`, shuffled and split as Keras does."""
    path = get_file(fname=path, origin=f"{_sequences.ORIGIN}reuters.npz",
                    file_hash="d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916")
    f = load_npz(path)
    xs, labels = f["x"], f["y"]
    order = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(order)
    xs, labels = xs[order], labels[order]
    xs = _sequences.shift_and_clip(xs, start_char, index_from, num_words, skip_top, oov_char)
    if maxlen:
        xs, labels = _sequences.remove_long(maxlen, xs, labels)
    xs = _sequences.clip_vocabulary(xs, num_words, skip_top, oov_char)
    n = int(len(xs) * (1 - test_split))
    return ((_sequences.object_array(xs[:n]), np.array(labels[:n])),
            (_sequences.object_array(xs[n:]), np.array(labels[n:])))


def get_word_index(path="reuters_word_index.json"):
    """The dict word -> index of the reuters vocabulary."""
    return _sequences.word_index(path, "4d44cc38712099c9e383dc6e5f11a921")


def get_label_names():
    """The 46 topic names, by label index."""
    return _LABELS
