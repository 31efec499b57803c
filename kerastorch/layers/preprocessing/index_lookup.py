"""The shared machinery of StringLookup and IntegerLookup: a vocabulary mapped to indices.

Index layout, as in Keras: `[mask_token]` (in `"int"` mode, when set), then `num_oov_indices`
out-of-vocabulary indices, then the vocabulary. Lookups run in Python/numpy on the token values
(torch has no string tensors); the indices come back as torch tensors.
"""

import math

import numpy as np
import torch

from kerastorch import backend
from kerastorch.layers.layer import Layer
from kerastorch.layers.preprocessing.category_encoding import encode_categorical
from kerastorch.layers.preprocessing.hashing import fingerprint64
from kerastorch.ops.core import default_device

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(Layer):
    """Base of the lookup layers (use `StringLookup` / `IntegerLookup`)."""

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 sparse=False, pad_to_max_tokens=False, **kwargs):
        super().__init__(**kwargs)
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If set, `max_tokens` must be greater than 1. Received: "
                             f"max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError("If pad_to_max_tokens is True, must set `max_tokens`. Received: "
                             f"max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("`num_oov_indices` must be greater than or equal to 0. Received: "
                             f"num_oov_indices={num_oov_indices}")
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        if output_mode not in _MODES:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"{list(_MODES)}. Received: output_mode={output_mode}")
        if invert and output_mode != "int":
            raise ValueError("`output_mode` must be `'int'` when `invert` is true. Received: "
                             f"output_mode={output_mode}")
        if sparse:
            raise ValueError("`sparse=True` is not supported with the torch backend")
        if output_mode == "tf_idf" and idf_weights is None and vocabulary is not None:
            raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'. Received: "
                             f"output_mode={output_mode} and idf_weights={idf_weights}")
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.vocabulary_dtype = vocabulary_dtype
        self.invert = invert
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.input_vocabulary = vocabulary
        self.input_idf_weights = idf_weights
        self._vocab = []
        self._index = {}
        self._idf = None
        self.built = True
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # ----------------------------------------------------------------- vocabulary
    def _normalize(self, token):
        """A token as a hashable Python value of the vocabulary's type."""
        raise NotImplementedError

    def _token_start_index(self):
        return self.num_oov_indices + (1 if self.mask_token is not None and
                                       self.output_mode == "int" else 0)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list, array or a file path with one token per line)."""
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = [line.rstrip("\n") for line in f]
        vocab = [self._normalize(t) for t in np.asarray(vocabulary).reshape(-1).tolist()]
        if len(set(vocab)) != len(vocab):
            repeated = sorted({t for t in vocab if vocab.count(t) > 1}, key=str)
            raise ValueError(f"The passed vocabulary has at least one repeated term. Please "
                             f"uniquify your dataset. The repeated terms are {repeated}")
        mask = self._normalize(self.mask_token) if self.mask_token is not None else None
        oov = self._normalize(self.oov_token) if self.oov_token is not None else None
        # A vocabulary that starts with the special tokens (as get_vocabulary() returns it).
        special = ([mask] if mask is not None and self.output_mode == "int" else []) + \
            [oov] * self.num_oov_indices
        if special and vocab[:len(special)] == special:
            vocab = vocab[len(special):]
        if mask is not None and mask in vocab:
            raise ValueError(f"Found reserved mask token at unexpected location in "
                             f"`vocabulary`. Note that passed `vocabulary` does not need to "
                             f"include the OOV and mask tokens. Either remove all mask and OOV "
                             f"tokens, or include them only at the start of the vocabulary in "
                             f"precisely this order: {special}. Received: mask_token={mask} at "
                             f"vocabulary index {vocab.index(mask)}")
        if self.max_tokens is not None and len(vocab) + self._token_start_index() > \
                self.max_tokens:
            raise ValueError(f"Attempted to set a vocabulary larger than the maximum vocab size. "
                             f"Received vocabulary size is {len(vocab) + self._token_start_index()}"
                             f"; `max_tokens` is {self.max_tokens}.")
        self._vocab = vocab
        start = self._token_start_index()
        self._index = {t: i + start for i, t in enumerate(vocab)}
        if idf_weights is not None:
            idf = np.asarray(idf_weights, dtype="float32").reshape(-1)
            if idf.size == len(vocab):  # OOV (and mask) columns take the mean weight
                idf = np.concatenate([np.full(start, idf.mean(), "float32"), idf])
            self._idf = torch.as_tensor(idf)

    def get_vocabulary(self, include_special_tokens=True):
        """The tokens by index (with the mask and OOV tokens first unless told otherwise)."""
        if not include_special_tokens:
            return list(self._vocab)
        special = []
        if self.mask_token is not None and self.output_mode == "int":
            special.append(self._normalize(self.mask_token))
        special += [self._normalize(self.oov_token)] * self.num_oov_indices
        return special + list(self._vocab)

    def vocabulary_size(self):
        return self._token_start_index() + len(self._vocab)

    def adapt(self, data, steps=None):
        """Learns the vocabulary from `data`: tokens by descending frequency (ties: descending
        token), at most `max_tokens`; document frequencies for `"tf_idf"`."""
        counts, doc_counts, documents = {}, {}, 0
        batches = [data] if isinstance(data, (np.ndarray, torch.Tensor, str)) or \
            not hasattr(data, "__iter__") else data
        if isinstance(data, (list, tuple)) and data and not isinstance(
                data[0], (list, tuple, np.ndarray, torch.Tensor)):
            batches = [data]
        mask = self._normalize(self.mask_token) if self.mask_token is not None else None
        oov = self._normalize(self.oov_token) if self.oov_token is not None else None
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            rows = self._tokens_array(batch)
            rows = rows.reshape(rows.shape[0], -1) if rows.ndim > 1 else rows.reshape(-1, 1)
            for row in rows.tolist():
                documents += 1
                row = [self._normalize(t) for t in row]
                for t in row:
                    if t != mask and t != oov and t != "":
                        counts[t] = counts.get(t, 0) + 1
                for t in set(row):
                    doc_counts[t] = doc_counts.get(t, 0) + 1
        ordered = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
        if self.max_tokens:
            ordered = ordered[:self.max_tokens - self._token_start_index()]
        self._vocab = []
        self._index = {}
        idf = None
        if self.output_mode == "tf_idf":
            weights = np.array([math.log(1 + documents / (1 + doc_counts[t])) for t in ordered],
                               "float32")
            idf = weights
        self.set_vocabulary(ordered, idf)

    # ----------------------------------------------------------------- lookup
    def _tokens_array(self, inputs):
        if isinstance(inputs, torch.Tensor):
            return inputs.detach().cpu().numpy()
        return np.asarray(inputs, dtype=object if not isinstance(inputs, np.ndarray) else None)

    def _oov_index(self, token):
        if self.num_oov_indices == 0:
            raise ValueError(f"A token was not found in the vocabulary and there are no OOV "
                             f"indices (num_oov_indices=0): {token!r}")
        start = 1 if self.mask_token is not None and self.output_mode == "int" else 0
        if self.num_oov_indices == 1:
            return start
        if isinstance(token, int):
            return start + token % self.num_oov_indices
        # TensorFlow's `to_hash_bucket_fast`: FarmHash64 of the UTF-8 bytes
        data = token if isinstance(token, bytes) else str(token).encode("utf-8")
        return start + fingerprint64(data) % self.num_oov_indices

    def _lookup(self, inputs):
        tokens = self._tokens_array(inputs)
        mask = self._normalize(self.mask_token) if self.mask_token is not None else None
        index, mask_index = self._index, (0 if self.output_mode == "int" else -1)
        flat = []
        for t in tokens.reshape(-1).tolist():
            t = self._normalize(t)
            if mask is not None and t == mask:
                flat.append(mask_index)
            else:
                i = index.get(t)
                flat.append(i if i is not None else self._oov_index(t))
        # ids go where the input was, or (strings, lists) to Keras's default device, as
        # convert_to_tensor puts arrays: the Embedding after a string lookup may be on CUDA
        device = inputs.device if isinstance(inputs, torch.Tensor) else default_device()
        return torch.tensor(flat, dtype=torch.int64, device=device).reshape(tokens.shape)

    def _invert(self, inputs):
        ids = inputs.detach().cpu().numpy() if isinstance(inputs, torch.Tensor) else \
            np.asarray(inputs)
        table = self.get_vocabulary()
        out = [table[i] if 0 <= i < len(table) else self._normalize(self.oov_token)
               for i in ids.reshape(-1).tolist()]
        return np.array(out, dtype=object if self.vocabulary_dtype == "string" else
                        self.vocabulary_dtype).reshape(ids.shape)

    def _convert_input(self, x):
        return x

    def __call__(self, inputs, *args, **kwargs):
        # Token values are not tensors: the lookup runs in Python on any array-like input.
        from kerastorch.layers.core.input_layer import KerasTensor
        if isinstance(inputs, KerasTensor):
            return super().__call__(inputs, *args, **kwargs)
        return self.call(inputs)

    def call(self, inputs):
        if self.invert:
            return self._invert(inputs)
        ids = self._lookup(inputs)
        if self.output_mode == "int":
            return ids
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        if self.output_mode == "tf_idf":
            counts = encode_categorical(ids, "count", depth, torch.float32)
            weights = self._idf if self._idf is not None else torch.ones(depth)
            weights = weights.to(counts.device)
            if weights.shape[0] < depth:
                weights = torch.cat([weights, torch.zeros(depth - weights.shape[0])])
            return counts * weights[:depth]
        return encode_categorical(ids, self.output_mode, depth,
                                  backend.to_torch_dtype(backend.floatx()))

    def _output_dtype(self, inputs):
        if self.invert:
            return self.vocabulary_dtype
        return "int64" if self.output_mode == "int" else backend.floatx()

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        return tuple(input_shape[:-1]) + (depth,) if len(input_shape) > 1 else \
            tuple(input_shape) + (depth,)

    def get_config(self):
        config = super().get_config()
        config.update(invert=self.invert, max_tokens=self.max_tokens,
                      num_oov_indices=self.num_oov_indices, oov_token=self.oov_token,
                      mask_token=self.mask_token, output_mode=self.output_mode,
                      sparse=self.sparse, pad_to_max_tokens=self.pad_to_max_tokens,
                      vocabulary=self.get_vocabulary() if self._vocab else None,
                      idf_weights=None if self._idf is None else self._idf.tolist())
        return config
