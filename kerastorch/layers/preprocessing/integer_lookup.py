"""IntegerLookup: maps integer values to contiguous indices (or back, with `invert=True`)."""

from kerastorch.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integer tokens to indices from a fixed or adapted vocabulary.

    Args:
        max_tokens: the largest vocabulary size (special tokens included), or None.
        num_oov_indices: indices for out-of-vocabulary values (default 1).
        mask_token: a value mapped to 0 (in `"int"` mode), or None (default).
        oov_token: the value `invert=True` returns for OOV indices (default -1).
        vocabulary: a list of integers.
        idf_weights: per-token weights for `output_mode="tf_idf"`.
        invert: map indices to values instead.
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        pad_to_max_tokens: encoded outputs have `max_tokens` columns.

    Example:
        >>> layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer([[12, 1138, 42], [42, 1000, 36]])
        tensor([[1, 3, 4], [4, 0, 2]])
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 output_mode="int", sparse=False, vocabulary=None, vocabulary_dtype="int64",
                 idf_weights=None, invert=False, name=None, pad_to_max_tokens=False, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If `max_tokens` is set for `IntegerLookup`, it must be greater "
                             f"than 1. Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("The value of `num_oov_indices` argument for `IntegerLookup` "
                             "must >= 0. Received: num_oov_indices=" f"{num_oov_indices}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token,
                         vocabulary_dtype=vocabulary_dtype, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, name=name,
                         **kwargs)

    def _normalize(self, token):
        return int(token)
