"""Word-index sequences as imdb and reuters deliver them."""

import json

import numpy as np

from kerastorch.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def shift_and_clip(xs, start_char, index_from, num_words, skip_top, oov_char):
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    elif index_from:
        xs = [[w + index_from for w in x] for x in xs]
    else:
        xs = [list(x) for x in xs]
    return xs


def clip_vocabulary(xs, num_words, skip_top, oov_char):
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def remove_long(maxlen, xs, labels):
    kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def word_index(fname, file_hash):
    path = get_file(fname=fname, origin=f"{ORIGIN}{fname}", file_hash=file_hash)
    with open(path) as f:
        return json.load(f)


def object_array(seqs):
    out = np.empty(len(seqs), dtype="object")
    out[:] = seqs
    return out
