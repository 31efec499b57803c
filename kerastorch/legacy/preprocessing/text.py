"""Keras 2's text preprocessing (`keras.preprocessing.text`): `Tokenizer` and the word helpers.

Pure Python and numpy, as in Keras 2: the same vocabulary order (most frequent first, ties in
order of first appearance), the same indices and the same matrices as tf.keras 2 for the same
texts.
"""

import collections
import hashlib
import json
import warnings

import numpy as np

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(input_text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """Splits a text into a list of words, dropping the characters in `filters`.

    Args:
        input_text: the text.
        filters: characters replaced by `split` before splitting (punctuation, tabs, newlines).
        lower: lower-case the text first.
        split: the word separator.

    Returns:
        a list of the non-empty words.

    Example:
        >>> text_to_word_sequence("Hello, World!")
        ['hello', 'world']
    """
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in input_text.split(split) if word]


def one_hot(input_text, n, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """Encodes a text as a list of word indices in `[1, n)`, hashing each word with `hash`.

    Python's `hash` of a string changes between processes unless `PYTHONHASHSEED` is set:
    use `hashing_trick(..., hash_function="md5")` for indices that are stable.
    """
    return hashing_trick(input_text, n, hash_function=hash, filters=filters, lower=lower,
                         split=split, analyzer=analyzer)


def _md5(word):
    return int(hashlib.md5(word.encode()).hexdigest(), 16)


def hashing_trick(text, n, hash_function=None, filters=DEFAULT_FILTERS, lower=True, split=" ",
                  analyzer=None):
    """Encodes a text as a list of word indices in `[1, n)` through a hash function.

    Args:
        text: the text.
        n: the size of the hashing space (index 0 is never used).
        hash_function: None (Python's `hash`), `"md5"` (stable across processes) or a callable
            from a word to an int.
        filters, lower, split: as `text_to_word_sequence`.
        analyzer: a callable from the text to its words, used instead of
            `text_to_word_sequence`.

    Returns:
        a list of ints.
    """
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        hash_function = _md5
    if analyzer is None:
        words = text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    else:
        words = analyzer(text)
    return [hash_function(w) % (n - 1) + 1 for w in words]


class Tokenizer:
    """Turns texts into sequences of word indices or into bag-of-words matrices (Keras 2).

    Index 0 is never a word (it is left for padding). After `fit_on_texts`, words are indexed
    by decreasing count, ties in order of first appearance; with `oov_token` the token takes
    index 1.

    Args:
        num_words: keep only the `num_words - 1` most frequent words when converting (the
            vocabulary itself keeps every word).
        filters: characters removed from texts (see `text_to_word_sequence`).
        lower: lower-case texts.
        split: the word separator.
        char_level: every character is a token.
        oov_token: a token that stands for words not in the vocabulary when converting.
        analyzer: a callable from a text to its tokens, instead of `text_to_word_sequence`.

    Example:
        >>> tok = Tokenizer(num_words=100, oov_token="<unk>")
        >>> tok.fit_on_texts(["the cat sat", "the dog"])
        >>> tok.texts_to_sequences(["the bird sat"])
        [[2, 1, 4]]
    """

    def __init__(self, num_words=None, filters=DEFAULT_FILTERS, lower=True, split=" ",
                 char_level=False, oov_token=None, analyzer=None, **kwargs):
        if "nb_words" in kwargs:  # The Keras 1 name.
            warnings.warn("The `nb_words` argument in `Tokenizer` has been renamed `num_words`.")
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to Tokenizer: {kwargs}")
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.analyzer = analyzer

    def _tokens(self, text):
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is None:
            return text_to_word_sequence(text, filters=self.filters, lower=self.lower,
                                         split=self.split)
        return self.analyzer(text)

    def fit_on_texts(self, texts):
        """Builds the vocabulary from `texts` (strings, or lists of tokens)."""
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for w in tokens:
                self.word_counts[w] = self.word_counts.get(w, 0) + 1
            for w in set(tokens):
                self.word_docs[w] += 1
        # A stable sort: equal counts keep their order of first appearance.
        ranked = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        vocabulary = [] if self.oov_token is None else [self.oov_token]
        vocabulary.extend(w for w, _ in ranked)
        self.word_index = dict(zip(vocabulary, range(1, len(vocabulary) + 1)))
        self.index_word = {i: w for w, i in self.word_index.items()}
        for w, count in list(self.word_docs.items()):
            self.index_docs[self.word_index[w]] = count

    def fit_on_sequences(self, sequences):
        """Counts documents per index from sequences (needed by `sequences_to_matrix` tfidf)."""
        self.document_count += len(sequences)
        for seq in sequences:
            for i in set(seq):
                self.index_docs[i] += 1

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices (unknown words dropped, or `oov_token`'s)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """Yields `texts_to_sequences` one text at a time."""
        num_words = self.num_words
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            vect = []
            for w in self._tokens(text):
                i = self.word_index.get(w)
                if i is not None:
                    if num_words and i >= num_words:
                        if oov_index is not None:
                            vect.append(oov_index)
                    else:
                        vect.append(i)
                elif self.oov_token is not None:
                    vect.append(oov_index)
            yield vect

    def sequences_to_texts(self, sequences):
        """Each sequence of indices back as a text (words joined by spaces)."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        """Yields `sequences_to_texts` one sequence at a time."""
        num_words = self.num_words
        oov_index = self.word_index.get(self.oov_token)
        for seq in sequences:
            vect = []
            for num in seq:
                word = self.index_word.get(num)
                if word is not None:
                    if num_words and num >= num_words:
                        if oov_index is not None:
                            vect.append(self.index_word[oov_index])
                    else:
                        vect.append(word)
                elif self.oov_token is not None:
                    vect.append(self.index_word[oov_index])
            yield " ".join(vect)

    def texts_to_matrix(self, texts, mode="binary"):
        """Texts as a `(len(texts), num_words)` matrix; `mode` as `sequences_to_matrix`."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """Sequences as a `(len(sequences), num_words)` float64 matrix.

        Args:
            sequences: lists of word indices.
            mode: `"binary"` (1 where a word occurs), `"count"`, `"freq"` (count / length) or
                `"tfidf"` (`(1 + log(count)) * log(1 + documents / (1 + documents with it))`).
        """
        if not self.num_words:
            if not self.word_index:
                raise ValueError("Specify a dimension (`num_words` argument), "
                                 "or fit on some text data first.")
            num_words = len(self.word_index) + 1
        else:
            num_words = self.num_words
        if mode not in ("binary", "count", "freq", "tfidf"):
            raise ValueError(f"Unknown vectorization mode: {mode!r}; expected one of 'binary', "
                             "'count', 'freq', 'tfidf'.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        x = np.zeros((len(sequences), num_words))
        for i, seq in enumerate(sequences):
            if not seq:
                continue
            counts = collections.Counter(j for j in seq if j < num_words)
            for j, c in counts.items():
                if mode == "count":
                    x[i][j] = c
                elif mode == "freq":
                    x[i][j] = c / len(seq)
                elif mode == "binary":
                    x[i][j] = 1
                else:
                    tf = 1 + np.log(c)
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(j, 0)))
                    x[i][j] = tf * idf
        return x

    def get_config(self):
        """The configuration and vocabulary; the tables as JSON strings, as Keras 2 stores them."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """A JSON string that `tokenizer_from_json` turns back into this tokenizer."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)


def tokenizer_from_json(json_string):
    """The `Tokenizer` saved by `Tokenizer.to_json()` (tf.keras 2's files load too)."""
    config = dict(json.loads(json_string).get("config"))
    word_counts = json.loads(config.pop("word_counts"))
    word_docs = json.loads(config.pop("word_docs"))
    index_docs = {int(k): v for k, v in json.loads(config.pop("index_docs")).items()}
    index_word = {int(k): v for k, v in json.loads(config.pop("index_word")).items()}
    word_index = json.loads(config.pop("word_index"))
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = collections.OrderedDict(word_counts)
    tokenizer.word_docs = collections.defaultdict(int, word_docs)
    tokenizer.index_docs = collections.defaultdict(int, index_docs)
    tokenizer.word_index = word_index
    tokenizer.index_word = index_word
    return tokenizer
