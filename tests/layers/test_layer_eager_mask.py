"""layers/layer.py: `_keras_mask` on direct (eager) calls of user layers that take or make masks,
against Keras 3 on torch."""

import numpy as np
import pytest

import kerastorch as keras
from tests.keras3 import import_keras3

TOKENS = np.array([[1, 2, 0, 0, 0], [3, 0, 0, 0, 0]])


def _layers(k):
    class Split(k.layers.Layer):  # a sequence cut in two: a list of outputs, a mask each
        def call(self, x):
            return [x[:, :2], x[:, 2:]]

        def compute_mask(self, x, mask=None):
            return None if mask is None else [mask[:, :2], mask[:, 2:]]

    class SplitTuple(k.layers.Layer):
        def call(self, x):
            return x[:, :2], x[:, 2:]

        def compute_mask(self, x, mask=None):
            return None if mask is None else (mask[:, :2], mask[:, 2:])

    class Invert(k.layers.Layer):  # receives the mask, returns another one
        def call(self, x, mask=None):
            self.seen = None if mask is None else k.ops.convert_to_numpy(mask)
            return x * 2

        def compute_mask(self, x, mask=None):
            return None if mask is None else k.ops.logical_not(mask)

    class MakesMask(k.layers.Layer):  # a mask from the input alone (the masking guide's idea)
        def call(self, x):
            return k.ops.cast(x, "float32")

        def compute_mask(self, x, mask=None):
            return k.ops.not_equal(x, 0)

    class ReadsMask(k.layers.Layer):  # takes the mask, makes none
        def call(self, x, mask=None):
            self.seen = None if mask is None else k.ops.convert_to_numpy(mask)
            return x + 1

    return Split, SplitTuple, Invert, MakesMask, ReadsMask


def _mask(t):
    m = getattr(t, "_keras_mask", None)
    return None if m is None else np.asarray(m.detach().cpu().numpy()).astype(int).tolist()


def _run(k):
    k.utils.set_random_seed(0)
    split, split_tuple, invert, makes_mask, reads_mask = _layers(k)
    out = {}
    emb = k.layers.Embedding(5, 3, mask_zero=True)(TOKENS)
    masked = k.layers.Masking(0.0)(np.array([[[1.0], [0.0], [2.0]]], "float32"))
    for source_name, source in (("embedding", emb), ("masking", masked)):
        parts = split()(source)
        out[source_name, "split"] = (type(parts).__name__, [_mask(p) for p in parts],
                                     [tuple(p.shape) for p in parts])
        parts = split_tuple()(source)
        out[source_name, "split_tuple"] = (type(parts).__name__, [_mask(p) for p in parts])
        layer = invert()
        y = layer(source)
        out[source_name, "invert"] = (layer.seen.astype(int).tolist(), _mask(y))
        layer = reads_mask()
        y = layer(source)
        out[source_name, "reads_mask"] = (layer.seen.astype(int).tolist(), _mask(y))
    out["makes_mask"] = _mask(makes_mask()(TOKENS))
    layer = invert()
    y = layer(np.ones((2, 5, 3), "float32"))
    out["no_mask"] = (layer.seen, _mask(y))
    return out


def test_eager_masks_of_user_layers_match_keras3():
    keras3 = import_keras3()
    theirs, ours = _run(keras3), _run(keras)
    assert ours == theirs
    assert ours["embedding", "split"][1] == [[[1, 1], [1, 0]], [[0, 0, 0], [0, 0, 0]]]
    assert ours["embedding", "split_tuple"][0] == "tuple"
    assert ours["masking", "invert"][1] == [[0, 1, 0]]


def test_layers_without_mask_methods_keep_the_plain_call():
    class Plain(keras.layers.Layer):
        def call(self, x):
            return x * 3

    _, _, invert, _, _ = _layers(keras)
    assert Plain.__call__ is keras.layers.Layer.__call__
    assert keras.layers.Dense.__call__ is keras.layers.Layer.__call__
    assert invert.__call__ is not keras.layers.Layer.__call__


def _functional_masks(k):
    split, _, invert, _, _ = _layers(k)
    inputs = k.Input((5,), dtype="int32")
    x = k.layers.Embedding(5, 3, mask_zero=True)(inputs)
    a, b = split()(invert()(x))
    return [_mask(t) for t in k.Model(inputs, [a, b])(TOKENS)]


def test_user_mask_layers_in_a_functional_model_give_keras3_output_masks():
    keras3 = import_keras3()
    ours = _functional_masks(keras)
    assert ours == _functional_masks(keras3)
    assert ours == [[[0, 0], [0, 1]], [[1, 1, 1], [1, 1, 1]]]
