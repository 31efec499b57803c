"""TextVectorization: strings -> standardized tokens -> indices or encoded vectors."""

import re

import numpy as np
import torch

from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.string_lookup import StringLookup
from kerastorch.ops.core import default_device

_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,\-\./:;<=>?@\[\\\]^_`{|}~\']')


class TextVectorization(Layer):
    """Turns strings into sequences of token indices (or multi-hot, count, tf-idf vectors).

    Args:
        max_tokens: the largest vocabulary size (the mask `""` and `"[UNK]"` included).
        standardize: `"lower_and_strip_punctuation"` (default), `"lower"`,
            `"strip_punctuation"`, None or a callable on a string.
        split: `"whitespace"` (default), `"character"`, None or a callable on a string.
        ngrams: None, an integer n (all 1..n-grams) or a tuple of sizes.
        output_mode: `"int"` (default), `"multi_hot"`, `"count"` or `"tf_idf"`.
        output_sequence_length: in `"int"` mode, pad or cut every row to this length.
        pad_to_max_tokens: encoded outputs have `max_tokens` columns.
        vocabulary: a list of tokens or a file path; else learn it with `adapt()`.
        idf_weights: for `"tf_idf"` with a given vocabulary.

    Example:
        >>> layer = layers.TextVectorization(output_sequence_length=4)
        >>> layer.adapt(["the cat sat", "the dog"])
        >>> layer(["the dog sat"])
        tensor([[2, 4, 5, 0]])
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        super().__init__(name=name, **kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        if output_mode not in ("int", "multi_hot", "count", "tf_idf"):
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"('int', 'multi_hot', 'count', 'tf_idf'). Received: "
                             f"output_mode={output_mode}")
        if standardize not in (None, "lower_and_strip_punctuation", "lower",
                               "strip_punctuation") and not callable(standardize):
            raise ValueError(f"Invalid value for argument `standardize`. Received: "
                             f"standardize={standardize}")
        if split not in (None, "whitespace", "character") and not callable(split):
            raise ValueError(f"Invalid value for argument `split`. Received: split={split}")
        if ngrams is not None and not (isinstance(ngrams, int) or isinstance(ngrams, tuple)
                                       and all(isinstance(n, int) for n in ngrams)):
            raise ValueError("`ngrams` must be None, an integer, or a tuple of integers. "
                             f"Received: ngrams={ngrams}")
        if output_sequence_length is not None and output_mode != "int":
            raise ValueError("`output_sequence_length` must not be set if `output_mode` is not "
                             f"'int'. Received output_sequence_length={output_sequence_length}.")
        if ragged:
            raise ValueError("`ragged=True` is not supported with the torch backend")
        if sparse:
            raise ValueError("`sparse=True` is not supported with the torch backend")
        self.max_tokens = max_tokens
        self.standardize = standardize
        self.split = split
        self.ngrams = (tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams)
        self._ngrams_arg = ngrams
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.pad_to_max_tokens = pad_to_max_tokens
        self.encoding = encoding
        self.sparse = sparse
        self.ragged = ragged
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, mask_token="", vocabulary=vocabulary,
            idf_weights=idf_weights, output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens, encoding=encoding)
        self.built = True

    # ----------------------------------------------------------------- text -> tokens
    def _standardize(self, text):
        if isinstance(text, bytes):
            text = text.decode(self.encoding)
        text = str(text)
        if callable(self.standardize):
            return self.standardize(text)
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            text = text.lower()
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            text = _PUNCTUATION.sub("", text)
        return text

    def _tokens(self, text):
        text = self._standardize(text)
        if self.split is None:
            tokens = [text]
        elif callable(self.split):
            tokens = list(self.split(text))
        elif self.split == "character":
            tokens = list(text)
        else:
            tokens = text.split()
        if self.ngrams is not None:
            grams = []
            for n in self.ngrams:
                grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
            tokens = grams
        return tokens

    def _rows(self, inputs):
        if isinstance(inputs, str):
            inputs = [inputs]
        values = np.asarray(inputs, dtype=object)
        if values.ndim == 2 and values.shape[-1] == 1:
            values = values[:, 0]
        if values.ndim == 0:
            values = values.reshape(1)
        return [self._tokens(v) for v in values.reshape(-1).tolist()], values.shape

    # ----------------------------------------------------------------- vocabulary
    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary (and idf weights) from strings or batches of strings."""
        if isinstance(data, str):
            data = [data]
        batches = [data] if isinstance(data, (list, tuple, np.ndarray)) and (
            len(data) == 0 or isinstance(np.asarray(data, dtype=object).reshape(-1)[0],
                                         (str, bytes))) else data
        rows = []
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            rows += self._rows(batch)[0]
        width = max([len(r) for r in rows] + [1])
        table = np.full((len(rows), width), "", dtype=object)
        for i, r in enumerate(rows):
            table[i, :len(r)] = r
        self._lookup_layer.adapt(table)

    def get_vocabulary(self, include_special_tokens=True):
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    # ----------------------------------------------------------------- call
    def __call__(self, inputs, *args, **kwargs):
        from kerastorch.layers.core.input_layer import KerasTensor
        if isinstance(inputs, KerasTensor):
            return super().__call__(inputs, *args, **kwargs)
        return self.call(inputs)

    def call(self, inputs):
        rows, _ = self._rows(inputs)
        if self.output_mode == "int":
            length = self.output_sequence_length or max([len(r) for r in rows] + [0])
            table = np.full((len(rows), length), "", dtype=object)
            for i, r in enumerate(rows):
                r = r[:length]
                table[i, :len(r)] = r
            return self._lookup_layer(table) if length else torch.zeros(
                (len(rows), 0), dtype=torch.int64, device=default_device())
        width = max([len(r) for r in rows] + [1])
        table = np.full((len(rows), width), "", dtype=object)
        for i, r in enumerate(rows):
            table[i, :len(r)] = r
        out = self._lookup_layer._lookup(table)
        # "" fills ragged rows: it is not a token, drop it from the counts
        empty = torch.as_tensor(table == "", device=out.device)
        out = torch.where(empty, torch.full_like(out, -1), out)
        from kerastorch.layers.preprocessing.category_encoding import encode_categorical
        lookup = self._lookup_layer
        depth = lookup.max_tokens if lookup.pad_to_max_tokens else lookup.vocabulary_size()
        if self.output_mode == "tf_idf":
            counts = encode_categorical(out, "count", depth, torch.float32)
            weights = lookup._idf if lookup._idf is not None else torch.ones(depth)
            return counts * weights[:depth].to(counts.device)
        return encode_categorical(out, self.output_mode, depth, torch.float32)

    def _output_dtype(self, inputs):
        return "int64" if self.output_mode == "int" else "float32"

    def compute_output_shape(self, input_shape):
        batch = input_shape[0] if input_shape else None
        if self.output_mode == "int":
            return (batch, self.output_sequence_length)
        depth = self.max_tokens if self.pad_to_max_tokens else None
        return (batch, depth)

    def get_config(self):
        config = super().get_config()
        config.update(max_tokens=self.max_tokens,
                      standardize=self.standardize if isinstance(self.standardize, str) or
                      self.standardize is None else None,
                      split=self.split if isinstance(self.split, str) or self.split is None
                      else None,
                      ngrams=self._ngrams_arg, output_mode=self.output_mode,
                      output_sequence_length=self.output_sequence_length,
                      pad_to_max_tokens=self.pad_to_max_tokens, sparse=self.sparse,
                      ragged=self.ragged, vocabulary=self.get_vocabulary() or None,
                      idf_weights=None, encoding=self.encoding)
        return config
