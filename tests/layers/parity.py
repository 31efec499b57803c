"""Helpers for layer parity tests against real Keras 3 (imported lazily, skipping if absent)."""

import numpy as np
import torch

from tests.keras3 import import_keras3

ATOL = 1e-5


def to_numpy(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if isinstance(x, (list, tuple)):
        return type(x)(to_numpy(v) for v in x)
    return np.asarray(x)


def to_torch(x):
    if isinstance(x, (list, tuple)):
        return type(x)(to_torch(v) for v in x)
    return torch.as_tensor(x)


def check_parity(make_kt, make_k3, inputs, *, call_kwargs=None, atol=ATOL, training=None,
                 copy_weights=True):
    """Builds the same layer in Keras 3 and kerastorch, copies Keras's weights into kerastorch,
    and checks weight shapes, parameter counts and outputs. Returns both layers."""
    keras3 = import_keras3()
    call_kwargs = dict(call_kwargs or {})
    if training is not None:
        call_kwargs["training"] = training
    k3 = make_k3(keras3)
    kt = make_kt()
    k3_in = to_torch(inputs)
    kt_in = to_torch(inputs)
    y3 = k3(k3_in, **call_kwargs)
    if copy_weights:
        kt(kt_in, **{k: v for k, v in call_kwargs.items() if k != "training"})
        w3 = [np.asarray(keras3.ops.convert_to_numpy(w)) for w in k3.weights]
        assert [w.name for w in kt.weights] == [w.name for w in k3.weights]
        assert [tuple(w.shape) for w in kt.weights] == [tuple(w.shape) for w in k3.weights]
        assert kt.count_params() == k3.count_params()
        kt.set_weights(w3)
    yt = kt(kt_in, **call_kwargs)
    ours = _flat(to_numpy(yt))
    theirs = _flat([keras3.ops.convert_to_numpy(v) for v in y3] if isinstance(y3, (list, tuple))
                   else keras3.ops.convert_to_numpy(y3))
    assert len(ours) == len(theirs), f"{len(ours)} outputs, Keras gives {len(theirs)}"
    for a, b in zip(ours, theirs, strict=True):
        assert a.shape == b.shape, (a.shape, b.shape)
        np.testing.assert_allclose(a, b, atol=atol, rtol=1e-5)
    return kt, k3


def check_symbolic(kt_layer, input_shape, expected):
    """A symbolic call on `Input(shape)` gives `expected` (with None batch) without compute."""
    from kerastorch import Input
    out = kt_layer(Input(shape=input_shape))
    assert tuple(out.shape) == tuple(expected), (out.shape, expected)
    return out


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [a for v in x for a in _flat(v)]
    return [np.asarray(x)]
