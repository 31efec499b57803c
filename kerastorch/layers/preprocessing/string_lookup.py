"""StringLookup: maps strings to integer indices (or, inverted, indices back to strings)."""

from kerastorch.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps string tokens to indices from a fixed or adapted vocabulary.

    Args:
        max_tokens: the largest vocabulary size (special tokens included), or None.
        num_oov_indices: indices for out-of-vocabulary tokens (default 1).
        mask_token: a token mapped to 0 (in `"int"` mode), or None (default).
        oov_token: the token `invert=True` returns for OOV indices (default `"[UNK]"`).
        vocabulary: a list of strings or a path to a file of one token per line.
        idf_weights: per-token weights for `output_mode="tf_idf"`.
        invert: map indices to strings instead.
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        pad_to_max_tokens: encoded outputs have `max_tokens` columns.
        encoding: the text encoding of bytes inputs (default `"utf-8"`).

    Example:
        >>> layer = layers.StringLookup(vocabulary=["a", "b", "c", "d"])
        >>> layer([["a", "c", "d"], ["d", "z", "b"]])
        tensor([[1, 3, 4], [4, 0, 2]])
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None, **kwargs):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary_dtype="string",
                         vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, name=name, **kwargs)

    def _normalize(self, token):
        if isinstance(token, bytes):
            return token.decode(self.encoding)
        return str(token)

    def get_config(self):
        config = super().get_config()
        config.update(encoding=self.encoding)
        return config
